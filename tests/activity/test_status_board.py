"""The status board of the DDSP secretariat: posts × quarters, states, lateness."""

import datetime

import pytest
from django.urls import reverse

from activity.enums import QuarterState
from activity.models import QuarterReport
from activity.services import quarter_validate
from partners.enums import Role
from tests.activity.factories import QuarterReportFactory
from tests.conventions.factories import (
    ConventionFactory,
    PartyFactory,
    PostFactory,
    PostSiteFactory,
    ReportingRuleFactory,
)

pytestmark = pytest.mark.django_db

BOARD = reverse("activity:status_board")


@pytest.fixture
def ddsp79(client, two_departements):
    client.force_login(two_departements["79"]["users"][Role.DDSP_SECRETARIAT])
    return two_departements["79"]


def test_the_ddsp_secretariat_lands_on_its_status_board(client, ddsp79):
    response = client.get(reverse("activity:home"))
    assert response.status_code == 302
    assert response["Location"] == BOARD


def test_the_board_lists_the_posts_of_its_authority_only(client, ddsp79, two_departements):
    other = PostFactory(
        departement="79",
        name="ISC du commissariat de Bressuire",
        functional_authority=ddsp79["post"].functional_authorities[0],
    )
    content = client.get(f"{BOARD}?annee=2025").content.decode()
    assert ddsp79["post"].name in content
    assert other.name in content
    # The brigade of the same département is the groupement's, not the DDSP's (issue #18).
    assert ddsp79["gendarmerie_post"].name not in content
    assert two_departements["95"]["post"].name not in content


def test_each_cell_shows_the_state_and_opens_the_quarter(client, ddsp79):
    post = ddsp79["post"]
    QuarterReportFactory(post=post, year=2025, quarter=1, filled=True, validated=True)
    QuarterReportFactory(post=post, year=2025, quarter=2, filled=True, submitted=True)
    content = client.get(f"{BOARD}?annee=2025").content.decode()
    assert '>Validé<span class="visually-hidden"> — 1er trimestre 2025</span></a>' in content
    # Awaiting the secretariat's validation: said as the dashboard says it.
    assert (
        '>Transmis, à valider<span class="visually-hidden"> — 2e trimestre 2025</span></a>'
        in content
    )
    assert reverse("activity:quarter_entry", args=[post.pk, 2025, 3]) in content


def test_a_quarter_not_submitted_after_its_due_date_is_late(client, ddsp79):
    convention = ddsp79["convention"]
    convention.parties.update(signed_on=datetime.date(2024, 1, 1))
    ReportingRuleFactory(convention=convention, period="Q3", due_month=10, due_day=15)
    QuarterReportFactory(post=ddsp79["post"], year=2025, quarter=3, filled=True)
    response = client.get(f"{BOARD}?annee=2025")
    cells = response.context["rows"][0]["cells"]
    assert cells[2]["late"] and cells[2]["due"].date == datetime.date(2025, 10, 15)
    assert "En retard" in response.content.decode()


def test_a_quarter_ended_before_the_convention_took_effect_is_not_late(client, ddsp79):
    """Niort art. 11 dates (Q3 « due 15/10 ») for a convention signed on 12/10/2025."""
    convention = ddsp79["convention"]
    convention.parties.update(signed_on=datetime.date(2025, 10, 12))
    ReportingRuleFactory(convention=convention, period="Q3", due_month=10, due_day=15)
    response = client.get(f"{BOARD}?annee=2025")
    cells = response.context["rows"][0]["cells"]
    assert [cell["late"] for cell in cells] == [False, False, False, True]
    assert "Aucun bilan attendu : hors de la convention" in response.content.decode()


def test_a_quarter_not_yet_due_is_not_late(client, ddsp79):
    response = client.get(f"{BOARD}?annee=2100")
    assert not any(cell["late"] for cell in response.context["rows"][0]["cells"])


def test_the_board_offers_to_validate_the_year_once_every_quarter_is_validated(client, ddsp79):
    post = ddsp79["post"]
    for quarter in range(1, 5):
        QuarterReportFactory(post=post, year=2025, quarter=quarter, filled=True, validated=True)
    content = client.get(f"{BOARD}?annee=2025").content.decode()
    assert "Valider le bilan 2025" in content
    response = client.post(
        reverse("activity:annual_validate", args=[post.pk, 2025]), {"next": f"{BOARD}?annee=2025"}
    )
    assert response.status_code == 302
    assert set(QuarterReport.objects.values_list("state", flat=True)) == {QuarterState.LOCKED}


def test_an_employer_coordinator_cannot_validate_the_year(client, two_departements):
    world = two_departements["79"]
    for quarter in range(1, 5):
        QuarterReportFactory(
            post=world["post"], year=2025, quarter=quarter, filled=True, validated=True
        )
    client.force_login(world["users"][Role.EMPLOYER_COORDINATION])
    response = client.post(reverse("activity:annual_validate", args=[world["post"].pk, 2025]))
    assert response.status_code == 403


def test_the_board_runs_a_fixed_number_of_queries(client, ddsp79, django_assert_num_queries):
    # Savepoint and release, session, user, organisation; the posts with their holders,
    # sites, conventions, parties, renewals, amendments, reporting rules and sections (with
    # the amendments adding or removing them); the year's quarters; the annual bilans. No
    # quarter yet: no validation to read.
    with django_assert_num_queries(16):
        client.get(f"{BOARD}?annee=2025")
    for _ in range(3):
        post = PostFactory(
            departement="79", functional_authority=ddsp79["post"].functional_authorities[0]
        )
        convention = ConventionFactory(post=post)
        PartyFactory(convention=convention, signed_on=datetime.date(2022, 1, 3))
        ReportingRuleFactory(convention=convention)
        for quarter in (1, 2):
            QuarterReportFactory(post=post, year=2025, quarter=quarter, filled=True)
    # The same, and the authorities' validations of the quarters (with their authority).
    with django_assert_num_queries(17):
        response = client.get(f"{BOARD}?annee=2025")
    assert len(response.context["rows"]) == 4


def test_the_board_says_which_authority_validated_a_mixed_quarter(client, two_departements):
    niort = two_departements["79"]
    ddsp = niort["post"].functional_authorities[0]
    groupement = niort["gendarmerie_post"].functional_authorities[0]
    mixed = PostFactory(
        departement="79", functional_authority=ddsp, employer=niort["post"].employer
    )
    PostSiteFactory(post=mixed, gendarmerie=True, order=2, functional_authority=groupement)
    report = QuarterReportFactory(post=mixed, year=2025, filled=True, submitted=True)
    quarter_validate(report=report, user=niort["users"][Role.DDSP_SECRETARIAT])
    # Each says it as the dashboard does (``QuarterStatus.validation_label``).
    client.force_login(niort["users"][Role.GENDARMERIE_SECRETARIAT])
    page = client.get(f"{BOARD}?annee=2025").content.decode()
    assert "Transmis, à valider" in page
    client.force_login(niort["users"][Role.DDSP_SECRETARIAT])
    page = client.get(f"{BOARD}?annee=2025").content.decode()
    assert (
        f"Transmis, validé par vous, en attente de {groupement.short_name or groupement.name}"
        in page
    )
    client.force_login(niort["users"][Role.EMPLOYER_COORDINATION])
    page = client.get(f"{BOARD}?annee=2025").content.decode()
    assert f"Transmis, validé par {ddsp.short_name or ddsp.name}" in page
