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
