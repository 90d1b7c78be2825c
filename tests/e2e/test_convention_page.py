"""The convention page in a browser: the summary and the PDF in the first screen, on a
computer and on a phone, the sections in tabs, all of them shown without JavaScript."""

import pytest
from playwright.sync_api import expect

from tests.e2e.conventions import open_tab

pytestmark = pytest.mark.e2e

NIORT = "/conventions/niort-2024/"


def in_first_screen(page, locator):
    box = locator.bounding_box()
    return box is not None and box["y"] + box["height"] <= page.viewport_size["height"]


def test_the_pdf_is_in_the_first_screen_and_the_sections_are_tabs(page, login, check_accessibility):
    login("ville.niort")
    page.goto(NIORT)
    summary = page.get_by_role("region", name="En bref")
    expect(summary.get_by_text("En vigueur", exact=True)).to_be_visible()
    assert in_first_screen(page, page.get_by_role("link", name="Convention (PDF)"))
    # The first tab is open, the others closed until chosen.
    expect(page.get_by_role("heading", name="Parties", exact=True)).to_be_visible()
    expect(page.get_by_role("heading", name="Délibérations", exact=True)).to_be_hidden()
    open_tab(page, "Délibérations")
    expect(page.get_by_role("heading", name="Délibérations", exact=True)).to_be_visible()
    expect(page.get_by_role("heading", name="Parties", exact=True)).to_be_hidden()
    # The history opens folded.
    open_tab(page, "Historique")
    expect(page.get_by_text("Voir les modifications enregistrées")).to_be_visible()
    expect(page.get_by_role("table", name="Modifications enregistrées")).to_be_hidden()
    check_accessibility(page, "convention-onglets")


def test_a_link_to_an_article_opens_the_text_tab(page, login):
    login("ville.niort")
    page.goto(f"{NIORT}#article-1")
    expect(page.get_by_role("heading", name="Article 1", exact=False).first).to_be_visible()


def test_on_a_phone_the_pdf_is_in_the_first_screen(page, login):
    login("ville.niort")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(NIORT)
    assert in_first_screen(page, page.get_by_role("link", name="Convention (PDF)"))


def test_without_javascript_every_section_shows(browser, live_server, demo):
    context = browser.new_context(
        base_url=live_server.url, java_script_enabled=False, viewport={"width": 1280, "height": 800}
    )
    page = context.new_page()
    page.goto("/connexion/")
    page.get_by_label("Nom d’utilisateur").fill("ville.niort")
    page.get_by_label("Mot de passe").fill("convention-demo")
    page.get_by_role("button", name="Se connecter").click()
    page.goto(NIORT)
    for heading in ("Parties", "Avenants", "Délibérations", "Échéances à venir"):
        expect(page.get_by_role("heading", name=heading, exact=True)).to_be_visible()
    context.close()
