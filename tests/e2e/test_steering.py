"""Steering in the browser: the national administrator reads the country, colours the map
by another indicator, goes to a département and takes its annual report; the préfecture's
steering user reaches its own département only."""

import re

from playwright.sync_api import expect


def test_the_administrator_steers_from_the_map_of_france_to_a_departement(
    page, login, check_accessibility
):
    login("admin")
    page.get_by_role("navigation", name="Navigation principale").get_by_role(
        "link", name="Pilotage"
    ).click()
    expect(page.get_by_role("heading", name="Pilotage — France entière", level=1)).to_be_visible()
    expect(page.get_by_text("Chiffres calculés le")).to_be_visible()
    map_figure = page.locator("#carte svg")
    expect(map_figure.locator("a")).to_have_count(101)
    expect(map_figure.locator("a[href='/pilotage/departement/79/'] title")).to_contain_text(
        "Deux-Sèvres (79)"
    )
    check_accessibility(page, "pilotage-national")

    state = page.locator("#indicateur option").filter(
        has_text=re.compile(r"^Financement par département en \d{4} — État$")
    )
    page.get_by_label("Indicateur représenté").select_option(state.get_attribute("value"))
    page.locator("#carte").get_by_role("button", name="Afficher").click()
    expect(page.get_by_label("Indicateur représenté")).to_have_value(
        re.compile(r"^financement-departements:")
    )
    expect(page.locator("#carte figcaption")).to_contain_text("État")

    page.locator("#couverture-departements").get_by_role("link", name="79", exact=True).click()
    expect(page.get_by_role("heading", name="Pilotage — Deux-Sèvres (79)", level=1)).to_be_visible()
    expect(page.locator("#couverture-postes")).to_contain_text("ISC du commissariat de Niort")
    expect(page.locator("#activite-postes")).to_contain_text("ISC du commissariat de Niort")
    check_accessibility(page, "pilotage-79")

    pdf = page.request.get(
        page.get_by_role("link", name="Rapport annuel (PDF)").get_attribute("href")
    )
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf"
    assert pdf.body().startswith(b"%PDF")
    with page.expect_download() as download:
        page.get_by_role("link", name="Rapport annuel (XLSX)").click()
    assert download.value.suggested_filename.startswith("rapport-pilotage-deux-sevres-79-")


def test_the_prefecture_steers_its_own_departement_and_no_other(page, login):
    login("pilotage79")
    page.get_by_role("navigation", name="Navigation principale").get_by_role(
        "link", name="Pilotage"
    ).click()
    expect(page.get_by_role("heading", name="Pilotage — Deux-Sèvres (79)", level=1)).to_be_visible()
    # No way up to the national page, and none typed either.
    expect(page.get_by_role("link", name="Pilotage — France entière")).to_have_count(0)
    assert page.request.get("/pilotage/").status == 404
    assert page.request.get("/pilotage/departement/95/").status == 404


def test_the_steering_page_fits_a_phone_screen(page, login):
    login("pilotage79")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/pilotage/departement/79/")
    expect(page.get_by_role("heading", name="Pilotage — Deux-Sèvres (79)", level=1)).to_be_visible()
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
