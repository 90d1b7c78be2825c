"""Flow 2: a local authority records a deliberation, its attendance sheet (keyboard only) and
its vote, links it to the convention and is warned that the amounts disagree."""

from playwright.sync_api import expect


def test_a_local_authority_records_a_deliberation_with_its_attendance_and_vote(
    page, login, check_accessibility
):
    login("ville.niort")
    page.get_by_role("link", name="Délibérations").click()
    expect(page.get_by_role("heading", name="Délibérations", level=1)).to_be_visible()
    check_accessibility(page, "deliberations-liste")

    page.get_by_role("link", name="Nouvelle délibération").click()
    seance = page.get_by_role("group", name="Séance et objet")
    seance.get_by_label("Numéro").fill("D-2025-120")
    seance.get_by_label("Date de la séance").fill("2025-12-15")
    seance.get_by_label("Objet").fill("Renouvellement de la convention ISC du commissariat")
    bureau = page.get_by_role("group", name="Bureau de séance et rapport")
    bureau.get_by_label("Président de séance").select_option(label="Jérôme BALOGE")
    bureau.get_by_role("group", name="Secrétaire(s) de séance").get_by_role(
        "checkbox", name="Thibault HEBRARD"
    ).check()
    bureau.get_by_label("Rapporteur", exact=True).select_option(label="Valérie BELY-VOLLAND")
    page.get_by_label("Texte de la décision 1").fill("approuver la convention de partenariat ;")

    vote = page.get_by_role("group", name="Vote", exact=True)
    vote.get_by_label("Pour").fill("40")
    vote.get_by_label("Contre").fill("0")
    vote.get_by_label("Abstention").fill("0")
    vote.get_by_label("Ne prend pas part au vote").fill("0")
    vote.get_by_label("Résultat").select_option(label="Adoptée")

    linked = page.get_by_role("group", name="Conventions et montants")
    linked.get_by_role("checkbox", name="niort-2021").check()
    linked.get_by_label("Libellé du montant 1").fill("montant annuel du partenariat")
    linked.get_by_label("Montant 1 en euros").fill("28967")
    check_accessibility(page, "deliberation-formulaire")
    page.get_by_role("button", name="Enregistrer").click()

    expect(page.get_by_role("heading", name="Feuille de présence")).to_be_visible()
    expect(
        page.get_by_text("Délibération enregistrée. Saisissez maintenant la feuille de présence.")
    ).to_be_visible()
    counters = page.locator("#attendance-counters")
    expect(counters).to_contain_text("Non renseignés : 45")
    check_accessibility(page, "deliberation-presences")

    # Keyboard only: Tab reaches the first member's choices, letters mark and move on.
    members = page.get_by_role("table", name="Présence des 45 conseillers en exercice")
    first_choice = members.get_by_role("radiogroup", name="Monsieur Jérôme BALOGE").get_by_role(
        "radio", name="Présent", exact=True
    )
    page.get_by_role("button", name="Marquer présents tous les membres non renseignés").focus()
    page.keyboard.press("Tab")
    expect(first_choice).to_be_focused()
    for _ in range(38):
        page.keyboard.press("p")
    expect(counters).to_contain_text("Présents : 38")
    expect(counters).to_contain_text("Quorum atteint : 38 présents, il en faut au moins 23 sur 45.")
    # Members 39 to 43 give a proxy to the first five present members.
    for holder in ("Jérôme BALOGE", "Dominique SIX", "Rose-Marie NIETO"):
        page.keyboard.press("r")
        expect(page.locator(":focus")).to_have_role("combobox")
        page.keyboard.type(holder[:6])
        page.keyboard.press("Tab")
    # The proxy select sends Tab to the next member's choices.
    expect(counters).to_contain_text("Représentés : 3")
    page.keyboard.press("e")
    page.keyboard.press("e")
    page.keyboard.press("a")
    page.keyboard.press("p")
    expect(counters).to_contain_text(
        "Présents : 39 · Représentés : 3 · Excusés : 2 · Absents : 1 · Non renseignés : 0"
    )
    expect(counters.get_by_role("listitem")).to_have_count(0)
    page.get_by_role("button", name="Enregistrer la feuille de présence").click()

    expect(page.get_by_role("heading", name="Délibération n° D-2025-120")).to_be_visible()
    attendance = page.get_by_role("region", name="Présences")
    expect(attendance).to_contain_text("Présents (39)")
    expect(attendance).to_contain_text("Excusés ayant donné pouvoir (3)")
    expect(attendance).to_contain_text(
        "Monsieur Michel PAILLEY, ayant donné pouvoir à Monsieur Dominique SIX"
    )
    checks = page.get_by_role("region", name="Vérifications")
    expect(checks).to_contain_text(
        "Conforme : Quorum atteint : 39 membres présents sur 45 en exercice"
    )
    expect(checks).to_contain_text(
        "Non conforme : Les votes ne correspondent pas aux votants : 40 pour + 0 contre + "
        "0 abstention + 0 ne prenant pas part = 40, pour 42 votants"
    )
    expect(checks).to_contain_text(
        "À vérifier : Le montant annuel annoncé par la délibération (28 967 €) ne correspond "
        "pas au total des contributions de la convention (30 350 €)."
    )
    check_accessibility(page, "deliberation-detail")

    page.get_by_role("link", name="Modifier", exact=True).click()
    page.get_by_role("group", name="Vote", exact=True).get_by_label("Pour").fill("42")
    page.get_by_role("button", name="Enregistrer").click()
    checks = page.get_by_role("region", name="Vérifications")
    expect(checks).to_contain_text("Conforme : Résultat conforme aux votes : 42 voix pour")
    expect(checks).not_to_contain_text("Non conforme")
