"""The quarter screen in a real browser: live totals, live checks, Tab down a column."""

import shutil

import pytest
from django.urls import reverse

from partners.enums import Role

sync_api = pytest.importorskip("playwright.sync_api")
CHROMIUM = shutil.which("chromium")

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed"),
]


@pytest.fixture(scope="session")
def live_server_media_url():
    """Django's live server wraps a media handler that cannot parse MEDIA_URL = None.

    The project never serves uploads as files (settings: MEDIA_URL = None); give the
    test server a path nobody links to, before it starts.
    """
    from django.conf import settings

    previous, settings.MEDIA_URL = settings.MEDIA_URL, "/medias-jamais-servis/"
    yield
    settings.MEDIA_URL = previous


@pytest.fixture
def page(live_server_media_url, live_server, client, two_departements):
    """A browser page logged in as the DDSP secretariat of Deux-Sèvres, on Niort's Q1 2025."""
    world = two_departements["79"]
    client.force_login(world["users"][Role.DDSP_SECRETARIAT])
    session = client.cookies["sessionid"].value
    url = live_server.url + reverse("activity:quarter_entry", args=[world["post"].pk, 2025, 1])
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        context = browser.new_context()
        context.add_cookies([{"name": "sessionid", "value": session, "url": live_server.url}])
        page = context.new_page()
        page.goto(url)
        yield page
        browser.close()


def check_cell(page, group, month):
    return page.locator(f'[data-check-group="{group}"][data-check-month="{month}"]')


def test_a_broken_partition_is_reported_as_one_types_then_cleared(page):
    page.fill("#id_m1_personnes_rencontrees", "10")
    page.fill("#id_m1_femmes", "6")
    page.fill("#id_m1_hommes", "3")
    page.fill("#id_m1_sexe_non_renseigne", "0")
    cell = check_cell(page, "public_sexe", 1)
    sync_api.expect(cell).to_have_text(
        "La somme des lignes « Public : sexe » (9) doit être égale à "
        "« Personnes rencontrées » (10)."
    )
    sync_api.expect(page.locator("#id_m1_femmes")).to_have_attribute("aria-invalid", "true")
    page.fill("#id_m1_sexe_non_renseigne", "1")
    sync_api.expect(cell).to_have_text("")
    sync_api.expect(page.locator("#entry-summary")).to_have_text(
        "Aucune incohérence dans les chiffres saisis."
    )


def test_a_line_of_problems_above_the_persons_met_is_reported(page):
    page.fill("#id_m2_personnes_rencontrees", "4")
    page.fill("#id_m2_pb_violences_conjugales", "5")
    sync_api.expect(check_cell(page, "problematiques", 2)).to_contain_text(
        "« Violences conjugales » (5) ne peut pas dépasser « Personnes rencontrées » (4)"
    )


def test_the_quarter_total_follows_the_typing(page):
    page.fill("#id_m1_personnes_rencontrees", "10")
    page.fill("#id_m3_personnes_rencontrees", "7")
    total = page.locator('[data-row-total="personnes_rencontrees"]')
    sync_api.expect(total).to_have_text("17")


def test_tab_goes_down_a_months_column_then_to_the_next_month(page):
    page.focus("#id_m1_personnes_rencontrees")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "id_m1_entretiens"
    page.focus("#id_m1_or_autre")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "id_m2_personnes_rencontrees"
    page.keyboard.press("Shift+Tab")
    assert page.evaluate("document.activeElement.id") == "id_m1_or_autre"


def test_what_was_typed_is_saved_by_the_keyboard_alone(page):
    page.focus("#id_m1_personnes_rencontrees")
    page.keyboard.type("12")
    page.keyboard.press("Tab")
    page.keyboard.type("20")
    page.keyboard.press("Enter")
    sync_api.expect(page.locator(".messages")).to_contain_text("Saisie enregistrée.")
    # The page shown after saving reads the figures back from the database.
    sync_api.expect(page.locator("#id_m1_personnes_rencontrees")).to_have_value("12")
    sync_api.expect(page.locator("#id_m1_entretiens")).to_have_value("20")
    sync_api.expect(page.locator("#id_m2_entretiens")).to_have_value("")
