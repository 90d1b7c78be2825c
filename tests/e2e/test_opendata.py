"""Open data: from the deliberation list to the two SCDL files, or to what to fill in."""

from pathlib import Path

from playwright.sync_api import expect

from partners.models import Organisation


def test_a_coordinator_reaches_the_open_data_page_and_downloads_the_subsidies(
    page, login, check_accessibility
):
    login("ville.niort")
    page.goto("/conventions/deliberations/")
    page.get_by_role("link", name="Données ouvertes (CSV SCDL)").click()
    assert page.get_by_role("heading", name="Données ouvertes", exact=True).is_visible()
    check_accessibility(page, "donnees-ouvertes")
    with page.expect_download() as download:
        page.get_by_role("link", name="Télécharger subventions-scdl-2.1.1.csv").click()
    assert download.value.suggested_filename == "subventions-scdl-2.1.1.csv"
    content = Path(download.value.path()).read_text(encoding="utf-8")
    assert content.startswith("nomAttribuant,idAttribuant,dateConvention")


def test_missing_data_is_listed_with_a_link_to_fill_it_in(
    page, login, check_accessibility, browser_errors
):
    Organisation.objects.filter(name="France Victimes 79").update(siret="")
    # The city's file lists what it grants, France Victimes 79 among the beneficiaries.
    niort = Organisation.objects.get(name="Commune de Niort")
    login("admin")
    page.goto(f"/conventions/donnees-ouvertes/subventions.csv?organisation={niort.pk}")
    # The 409 answer is the point here (no invalid file), not an error of the page.
    browser_errors[:] = [e for e in browser_errors if "409 (Conflict)" not in e]
    heading = page.get_by_role(
        "heading", name="Subventions (SCDL 2.1.1) : informations à compléter"
    )
    assert heading.is_visible()
    check_accessibility(page, "donnees-ouvertes-a-completer")
    page.get_by_role("link", name="Compléter la fiche").click()
    # Waits for the organisation's page (is_visible() does not: a loaded machine failed it).
    expect(page.get_by_label("SIRET")).to_be_visible()
