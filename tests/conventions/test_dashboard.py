"""The home page of each role: its own items, overdue first, nothing outside its scope."""

import datetime
import re

import pytest
from django.urls import reverse

from conventions.models import Renewal
from partners.enums import Role
from tests.conventions.factories import (
    ContributionFactory,
    ConventionFactory,
    CouncilFactory,
    DeliberationFactory,
    PartyFactory,
    PostFactory,
    ReportingRuleFactory,
)
from tests.roles import DEPARTEMENTAL_ROLES

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 22)


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: TODAY)


def sign(convention, day):
    convention.parties.update(signed_on=day)


def text(response):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def dashboard(client, user):
    client.force_login(user)
    response = client.get(reverse("dashboard"))
    assert response.status_code == 200
    return response


@pytest.fixture
def world(two_departements):
    for dep in ("79", "95"):
        sign(two_departements[dep]["convention"], datetime.date(2025, 1, 10))
    return two_departements


def test_a_local_authority_sees_its_convention_and_its_next_deadlines(client, world):
    content = text(dashboard(client, world["79"]["users"][Role.LOCAL_AUTHORITY]))
    assert "convention-79" in content
    assert "Dernier jour pour envoyer une dénonciation" in content
    assert "9 octobre 2027" in content  # the end, 9 January 2028, minus three months
    assert "convention-95" not in content


def test_each_role_sees_nothing_of_the_other_departement(client, world):
    for role in DEPARTEMENTAL_ROLES:
        content = text(dashboard(client, world["79"]["users"][role]))
        assert "convention-95" not in content, role


LATER = datetime.date(2030, 1, 1)


def test_deadlines_after_a_renewal_are_the_new_periods(client, world, monkeypatch):
    convention = world["79"]["convention"]
    Renewal.objects.create(
        convention=convention,
        number=1,
        start=datetime.date(2028, 1, 10),
        end=datetime.date(2031, 1, 9),
    )
    # Still in the first period: its deadlines are shown.
    content = text(dashboard(client, world["79"]["users"][Role.LOCAL_AUTHORITY]))
    assert "9 octobre 2027" in content
    # Once the renewal has begun, the notice deadline is the new period's.
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: LATER)
    content = text(dashboard(client, world["79"]["users"][Role.LOCAL_AUTHORITY]))
    assert "9 octobre 2030" in content
    assert "9 octobre 2027" not in content


def test_unpaid_funding_of_this_year_is_listed_and_late_first(client, world):
    convention = world["79"]["convention"]
    commune = world["79"]["users"][Role.LOCAL_AUTHORITY].organisation
    ContributionFactory(
        convention=convention,
        organisation=commune,
        first_year=2025,
        last_year=2027,
        amount=5000,
        due_month=6,
        due_day=30,
    )
    content = text(dashboard(client, world["79"]["users"][Role.LOCAL_AUTHORITY]))
    assert "reste 5 000 € à verser" in content
    section = content[content.index("Financements dus et non versés") :]
    # 2025 is late (unpaid after 30 June 2025) and comes first, marked in words.
    assert section.index("En retard") < section.index("2026 : reste")


def test_a_deliberation_not_transmitted_is_flagged_for_its_organisation(client, world):
    council = CouncilFactory(organisation=world["79"]["users"][Role.LOCAL_AUTHORITY].organisation)
    DeliberationFactory(council=council, number="D-2026-101")
    DeliberationFactory(council=council, number="D-2026-102", transmitted_on=TODAY)
    content = text(dashboard(client, world["79"]["users"][Role.LOCAL_AUTHORITY]))
    assert "Délibération D-2026-101" in content
    assert "D-2026-102" not in content
    other = text(dashboard(client, world["95"]["users"][Role.LOCAL_AUTHORITY]))
    assert "D-2026-101" not in other


def test_a_deliberation_entered_late_is_late_from_its_session_not_from_its_entry(client, world):
    """The session date makes the deliberation, whatever the day it was keyed in: one
    entered today for a session of 1 October is « en retard » since 1 October."""
    council = CouncilFactory(organisation=world["79"]["users"][Role.LOCAL_AUTHORITY].organisation)
    DeliberationFactory(
        council=council, number="D-2026-103", session_date=datetime.date(2026, 10, 1)
    )
    content = text(dashboard(client, world["79"]["users"][Role.LOCAL_AUTHORITY]))
    section = content[content.index("Délibérations à transmettre") :]
    assert "En retard depuis le 1er octobre 2026" in section
    assert "adoptée le 1er octobre 2026" in section
    assert "22 novembre 2026" not in section


def test_the_ddsp_secretariat_sees_bilans_due_within_30_days(client, world):
    ReportingRuleFactory(
        convention=world["79"]["convention"], kind="annual", period="year", due_month=12, due_day=15
    )
    content = text(dashboard(client, world["79"]["users"][Role.DDSP_SECRETARIAT]))
    assert "Bilans dus dans les 30 jours" in content
    assert "15 décembre 2026" in content


def test_the_administrator_sees_the_national_overview(client, world, admin_user):
    content = text(dashboard(client, admin_user))
    assert "Postes par département" in content
    assert "Conventions arrivant à échéance dans les 6 mois" in content
    assert "Écarts de financement" in content


def add_conventions(world, count):
    commune = world["79"]["users"][Role.LOCAL_AUTHORITY].organisation
    council = CouncilFactory(organisation=commune)
    for index in range(count):
        convention = ConventionFactory(post=PostFactory(departement="79"))
        PartyFactory(
            convention=convention, organisation=commune, signed_on=datetime.date(2025, 1, 1)
        )
        ReportingRuleFactory(convention=convention)
        ContributionFactory(
            convention=convention, organisation=commune, first_year=2026, last_year=2026
        )
        DeliberationFactory(council=council, number=f"D-X-{index}")


@pytest.mark.parametrize("count", [2, 12])
def test_the_dashboard_runs_the_same_queries_whatever_the_number_of_conventions(
    client, world, django_assert_num_queries, count
):
    add_conventions(world, count)
    client.force_login(world["79"]["users"][Role.LOCAL_AUTHORITY])
    # 1 session, 2 user, 3 savepoint, 4 user's organisation; « dépassé » alerts: 5 the
    # conventions' durations, 6 conventions whose notice may have passed and that nothing
    # follows, 7 their parties, 8 renewals, 9 amendments; conventions section:
    # 10 conventions, 11 their sections with their posts, 12 the posts' sites, 13 parties,
    # 14 their organisations, 15 renewals, 16 amendments, 17 reporting rules, 18 renewing
    # conventions (none, so no query for their parties), 19 linked deliberations; funding
    # section: 20 contributions, 21 the amounts signed amendments change, 22 the parties
    # they withdraw, 23 sums paid per contribution and year, 24 post costs;
    # 25 deliberations not transmitted; 26 release savepoint.
    with django_assert_num_queries(26):
        client.get(reverse("dashboard"))


def add_expiring_conventions(world, count):
    """Conventions signed on 1 March 2024 for three years: they end within six months."""
    for _ in range(count):
        convention = ConventionFactory(post=PostFactory(departement="95"))
        PartyFactory(convention=convention, signed_on=datetime.date(2024, 3, 1))
        ContributionFactory(
            convention=convention,
            organisation=convention.parties.get().organisation,
            first_year=2024,
            last_year=2026,
            due_month=6,
            due_day=30,
        )


@pytest.mark.parametrize("count", [1, 8])
def test_the_national_dashboard_runs_the_same_queries_whatever_the_number_of_conventions(
    client, world, admin_user, django_assert_num_queries, count
):
    add_conventions(world, count)
    add_expiring_conventions(world, count)
    client.force_login(admin_user)
    # 1 session, 2 user, 3 savepoint; « dépassé » alerts: 4 the conventions' durations,
    # 5 conventions whose notice may have passed and that nothing follows, 6 their parties,
    # 7 renewals, 8 amendments; national section: 9 posts per département (grouped in
    # SQL), 10 the conventions' durations, 11 the conventions that may expire within six
    # months, 12 their sections with their posts, 13 the posts' sites, 14 parties, 15 their
    # organisations, 16 renewals, 17 amendments, 18 reporting rules, 19 renewing conventions
    # (none, so no query for their parties), 20 linked deliberations; late bilans: 21 the
    # conventions' durations, 22 posts (those that did not submit every ended quarter),
    # 23 their holders, 24 their conventions that may govern the last four quarters,
    # 25 parties, 26 renewals, 27 amendments, 28 reporting rules, 29 their sections (when
    # each post is covered), 30 quarter reports; funding sections: 31 contributions, 32 the
    # amounts signed amendments change, 33 the parties they withdraw, 34 sums paid per
    # contribution and year, 35 post costs; 36 release savepoint.
    with django_assert_num_queries(36):
        response = client.get(reverse("dashboard"))
    assert text(response).count("(convention-") >= count  # the expiring ones are listed


def test_a_long_section_shows_its_first_items_and_how_many_more(client, world, admin_user):
    add_expiring_conventions(world, 53)
    content = text(dashboard(client, admin_user))
    section = content[content.index("Financements dus et non versés") :]
    assert section.count("à verser (convention-") == 50
    # Each convention owes 2024 and 2025 (late) and 2026: 159 items, 50 shown.
    assert "Et 109 autres : voir la liste complète" in section
