"""Flow 5: the employer's coordination changes the holder of its post on the admin site and
cannot see a post of another département."""

from playwright.sync_api import expect

from conventions.models import Post


def test_the_employer_coordination_changes_its_post_holder_and_sees_no_other_departement(
    page, login, check_accessibility
):
    ermont = Post.objects.get(name="ISC du commissariat d'Ermont")
    login("fv79")
    page.get_by_role("banner").get_by_role("link", name="Administration").click()
    expect(page.get_by_role("heading", name="Administration", level=1)).to_be_visible()
    check_accessibility(page, "admin-accueil")

    page.get_by_role("link", name="Postes d'ISC").click()
    posts = page.get_by_role("main").get_by_role("table")
    expect(posts.get_by_role("rowheader")).to_have_text(["ISC du commissariat de Niort"])
    expect(page.get_by_text("1 poste d'ISC")).to_be_visible()
    check_accessibility(page, "admin-postes")

    # The Val-d'Oise post is nowhere: not found by a search, not opened by its address.
    page.get_by_role("textbox", name="Search").fill("Ermont")
    page.get_by_role("button", name="Rechercher").click()
    expect(page.get_by_text("0 postes d'ISC")).to_be_visible()
    page.goto(f"/admin/conventions/post/{ermont.pk}/change/")
    expect(page.get_by_text(f"avec l’identifiant « {ermont.pk} » n’existe pas")).to_be_visible()

    page.get_by_role("link", name="Postes d'ISC").first.click()
    page.get_by_role("link", name="ISC du commissariat de Niort").click()
    expect(page.get_by_role("heading", name="ISC du commissariat de Niort")).to_be_visible()
    check_accessibility(page, "admin-poste")
    holders = page.get_by_role("group", name="Titulaires du poste")
    holders.get_by_role("textbox", name="Fin :").fill("31/10/2026")
    page.get_by_role("button", name="Enregistrer et continuer les modifications").click()
    expect(page.get_by_text("a été modifié avec succès")).to_be_visible()

    holders.get_by_role("button", name="Ajouter un objet Titulaire du poste supplémentaire").click()
    newcomer = holders.get_by_role("group").last
    newcomer.get_by_role("textbox", name="Nom de l'intervenant :").fill("Dominique Nouvelle")
    newcomer.get_by_role("textbox", name="Début :").fill("01/11/2026")
    page.get_by_role("button", name="Enregistrer", exact=True).click()
    expect(page.get_by_text("a été modifié avec succès")).to_be_visible()

    page.get_by_role("link", name="Voir le site").click()
    page.get_by_role("link", name="Conventions", exact=True).click()
    # The convention in force (niort-2024 follows niort-2021 in the demo).
    page.get_by_role("row").filter(has_text="niort-2024").get_by_role(
        "link", name="Convention triennale de partenariat"
    ).click()
    post = page.get_by_role("region", name="Poste d'intervenant social")
    expect(post).to_contain_text("Dominique Nouvelle, depuis le 1er novembre 2026")
