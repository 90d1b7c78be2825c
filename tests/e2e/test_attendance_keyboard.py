"""The attendance sheet of a small council, with the keyboard only: letters mark a member and
move on, R sends the focus to the proxy holder, the counters and the quorum follow live."""

from playwright.sync_api import expect

from partners.enums import Role
from tests.conventions.factories import CouncilFactory, DeliberationFactory, sitting
from tests.partners.factories import UserFactory


def test_the_attendance_sheet_is_typed_with_the_keyboard_and_counts_live(page, login):
    council = CouncilFactory()
    deliberation = DeliberationFactory(council=council)
    members = sitting(deliberation, present=5, represented=1, excused=1)
    deliberation.attendances.all().delete()
    UserFactory(username="ville", organisation=council.organisation, role=Role.LOCAL_AUTHORITY)

    login("ville")
    page.goto(f"{deliberation.get_absolute_url()}presences/")
    counters = page.get_by_role("status")
    expect(counters).to_contain_text("Non renseignés : 7")
    rows = page.get_by_role("table", name="Présence des 7 conseillers en exercice")

    rows.get_by_role("radiogroup", name=members[0].full_name).get_by_role(
        "radio", name="Présent", exact=True
    ).focus()
    for _ in range(5):
        page.keyboard.press("p")
    page.keyboard.press("r")
    holder = rows.get_by_role("combobox", name=f"Pouvoir de {members[5].full_name} donné à")
    expect(holder).to_be_focused()
    holder.select_option(label=members[0].name)
    page.keyboard.press("Tab")
    expect(
        rows.get_by_role("radiogroup", name=members[6].full_name).get_by_role(
            "radio", name="Présent", exact=True
        )
    ).to_be_focused()
    page.keyboard.press("e")

    expect(counters).to_contain_text("Présents : 5 · Représentés : 1 · Excusés : 1")
    expect(counters).to_contain_text("Quorum atteint : 5 présents, il en faut au moins 4 sur 7.")
    page.get_by_role("button", name="Enregistrer la feuille de présence").click()
    expect(page.get_by_role("region", name="Présences")).to_contain_text("Présents (5)")
    assert deliberation.attendances.count() == 7
