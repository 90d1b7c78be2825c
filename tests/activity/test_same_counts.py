"""The dashboard and the status board give the same counts: a quarter is late only when a
convention governs the post in that quarter and its due date has passed."""

import datetime

import pytest
from django.urls import reverse

from partners.enums import Role
from tests.activity.factories import QuarterReportFactory
from tests.conventions.factories import ConventionFactory, PartyFactory, PostFactory

pytestmark = pytest.mark.django_db
# In January the last four quarters of the dashboard are the four of last year, the year the
# board shows: Q4 2026 was due on 15 January 2027 (no reporting rule: the 15th after).
TODAY = datetime.date(2027, 1, 20)


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: TODAY)


@pytest.fixture
def scenario(two_departements):
    world = two_departements["79"]
    ddsp = world["post"].functional_authorities[0]
    governed = world["post"]
    world["convention"].parties.update(signed_on=datetime.date(2025, 1, 10))
    QuarterReportFactory(post=governed, year=2026, quarter=1, filled=True, validated=True)
    QuarterReportFactory(post=governed, year=2026, quarter=2, filled=True, submitted=True)
    QuarterReportFactory(post=governed, year=2026, quarter=3, filled=True)  # late since 16/10
    # Q4: nothing entered, late since 16 January.
    # A post whose convention takes effect on 1 July 2026: its first two quarters are not
    # governed, so never late (a quarter sent anyway still waits for validation).
    recent = PostFactory(departement="79", name="ISC de Melle", functional_authority=ddsp)
    PartyFactory(convention=ConventionFactory(post=recent), signed_on=datetime.date(2026, 7, 1))
    QuarterReportFactory(post=recent, year=2026, quarter=1, filled=True, submitted=True)
    QuarterReportFactory(post=recent, year=2026, quarter=4, filled=True, submitted=True)
    # Q3: nothing entered, late. A post no convention governs: never late.
    PostFactory(departement="79", name="ISC de Bressuire", functional_authority=ddsp)
    return world


def dashboard_counts(client):
    sections = {s.slug: s for s in client.get(reverse("dashboard")).context["sections"]}
    late, to_validate = sections["statistics-late"], sections["statistics-to-validate"]
    assert late.title == f"Trimestres en retard ({len(late.items)})"
    return len(late.items), len(to_validate.items)


def board_counts(client):
    response = client.get(reverse("activity:status_board") + "?annee=2026")
    return response.context["late_count"], response.context["submitted_count"]


def test_it_gives_the_same_counts_on_the_dashboard_and_the_board(client, scenario):
    client.force_login(scenario["users"][Role.DDSP_SECRETARIAT])
    # Late: the governed post's Q3 and Q4, the recent post's Q3. To validate: the governed
    # post's Q2, the recent post's Q1 and Q4.
    assert dashboard_counts(client) == board_counts(client) == (3, 3)


def test_it_never_calls_late_a_quarter_no_convention_governs(client, scenario):
    client.force_login(scenario["users"][Role.DDSP_SECRETARIAT])
    response = client.get(reverse("activity:status_board") + "?annee=2026")
    rows = {row["post"].name: row for row in response.context["rows"]}
    assert not any(cell["late"] for cell in rows["ISC de Bressuire"]["cells"])
    assert [cell["late"] for cell in rows["ISC de Melle"]["cells"]] == [False, False, True, False]


def test_it_never_calls_late_a_quarter_sent_before_first_sending_was_recorded(client, scenario):
    report = QuarterReportFactory(
        post=scenario["post"], year=2025, quarter=2, filled=True, validated=True
    )
    report.first_submitted_at = None
    report.save()
    client.force_login(scenario["users"][Role.DDSP_SECRETARIAT])
    response = client.get(reverse("activity:status_board") + "?annee=2025")
    rows = {row["post"].pk: row for row in response.context["rows"]}
    assert rows[scenario["post"].pk]["cells"][1]["state"] == "validated"
    assert not rows[scenario["post"].pk]["cells"][1]["late"]
