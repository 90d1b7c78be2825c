"""The lists on a phone: the filter panel folds behind a button, filtering and sorting
keep each other, and the page passes axe."""

import re

from playwright.sync_api import expect


def test_on_a_phone_the_conventions_list_can_be_filtered_then_sorted(
    page, login, check_accessibility
):
    login("admin")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/conventions/")
    search = page.get_by_label("Rechercher")
    # Folded on a small screen, the panel opens from its button.
    expect(search).to_be_hidden()
    page.get_by_role("button", name="Filtres").click()
    expect(search).to_be_visible()
    search.fill("niort")
    page.get_by_role("button", name="Filtrer").click()
    page.wait_for_url(re.compile(r"q=niort"))
    rows = page.locator("table tbody tr")
    expect(rows.first).to_contain_text("niort")
    expect(page.get_by_role("status")).to_contain_text("convention")

    page.get_by_role("link", name="Trier par référence, ordre décroissant").click()
    page.wait_for_url(re.compile(r"tri=-reference"))
    assert "q=niort" in page.url
    header = page.locator('th[aria-sort="descending"]')
    expect(header).to_contain_text("Référence")
    references = rows.locator("td:first-child").all_inner_texts()
    assert references == sorted(references, reverse=True)
    assert all("niort" in reference for reference in references)
    check_accessibility(page, "conventions-list-sorted")


def test_on_a_phone_the_council_list_finds_a_council_by_its_organisation(
    page, login, check_accessibility
):
    login("admin")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/conventions/deliberations/conseils/")
    expect(page.get_by_role("status")).to_contain_text("conseil")
    page.get_by_role("button", name="Filtres").click()
    page.get_by_label("Rechercher").fill("niort")
    page.get_by_role("button", name="Filtrer").click()
    page.wait_for_url(re.compile(r"q=niort"))
    expect(page.locator("table tbody tr").first).to_contain_text("Niort")
    page.get_by_role("link", name="Trier par mandat, ordre croissant").click()
    page.wait_for_url(re.compile(r"tri=mandat"))
    assert "q=niort" in page.url
    expect(page.locator('th[aria-sort="ascending"]')).to_contain_text("Mandat")
    check_accessibility(page, "council-list-searched")


def test_the_departement_funding_page_is_searched_and_sorted_with_its_year(
    page, login, check_accessibility
):
    login("admin")
    page.goto("/conventions/financements/departements/79/?annee=2025")
    expect(page.get_by_role("status")).to_contain_text("convention")
    page.get_by_label("Rechercher").fill("niort")
    page.get_by_role("button", name="Filtrer").click()
    page.wait_for_url(re.compile(r"q=niort"))
    assert "annee=2025" in page.url
    page.get_by_role("link", name="Trier par convention, ordre décroissant").click()
    page.wait_for_url(re.compile(r"tri=-convention"))
    expect(page.locator('th[aria-sort="descending"]')).to_contain_text("Convention")
    check_accessibility(page, "departement-funding-searched")
