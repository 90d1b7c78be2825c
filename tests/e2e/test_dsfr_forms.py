"""The forms in the State design system: a row added with « Ajouter … » is saved, and a
form sent back with an error opens on its summary, whose links lead to the fields."""

import re

from playwright.sync_api import expect

from conventions.models import Convention


def test_a_local_authority_adds_an_article_with_the_add_button_and_saves_it(
    page, login, check_accessibility
):
    login("ville.niort")
    page.goto("/conventions/niort-2021/modifier/")
    articles = page.get_by_role("region", name="Articles")
    rows = articles.get_by_role("group")
    saved = rows.count()
    # A saved convention shows its articles, without a blank one to fill or to skip.
    expect(articles.get_by_label("Numéro")).to_have_count(saved)

    articles.get_by_role("button", name="Ajouter un article").click()

    expect(rows).to_have_count(saved + 1)
    added = rows.last
    # The new row has the focus, and no « Supprimer » box: leaving it blank is enough.
    expect(added.get_by_label("Numéro")).to_be_focused()
    expect(added.get_by_label("Supprimer")).to_have_count(0)
    added.get_by_label("Numéro").fill("99")
    added.get_by_label("Titre").fill("Clause ajoutée")
    added.get_by_label("Texte").fill("Un texte ajouté depuis le bouton « Ajouter un article ».")
    check_accessibility(page, "convention-modifier-ajout")
    page.get_by_role("button", name="Enregistrer").click()

    expect(page.get_by_text("La convention est enregistrée.")).to_be_visible()
    convention = Convention.objects.get(reference="niort-2021")
    assert convention.articles.filter(number=99, title="Clause ajoutée").exists()


def test_an_error_opens_on_the_summary_whose_link_leads_to_the_field(
    page, login, check_accessibility
):
    login("ville.niort")
    page.goto("/conventions/niort-2021/modifier/")
    # The convention's own title (the articles have theirs too).
    page.locator("#id_title").fill("")

    page.get_by_role("button", name="Enregistrer").click()

    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Le formulaire contient 1 erreur")
    check_accessibility(page, "convention-modifier-erreur")
    summary.get_by_role("link", name="Titre : Ce champ est obligatoire.").click()
    title = page.locator("#id_title")
    expect(title).to_be_focused()
    expect(title).to_have_accessible_description(re.compile("Ce champ est obligatoire."))
