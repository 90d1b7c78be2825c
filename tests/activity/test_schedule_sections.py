"""A post added to a convention by an amendment, or removed by one, is governed by it only
while its section (annex) is in force (issue #18): the quarters before the addition and
after the removal are not expected, hence never late."""

import datetime

import pytest
from django.urls import reverse

from activity.schedule import quarter_due_date
from activity.validation import post_conventions
from conventions.lifecycle.services import amendment_create
from partners.enums import Role
from tests.conventions.factories import PostFactory, ReportingRuleFactory

pytestmark = pytest.mark.django_db
D = datetime.date
BOARD = reverse("activity:status_board")


def amend(convention, *, number=1, effective_on, added=(), removed=()):
    return amendment_create(
        convention=convention,
        number=number,
        signed_on=effective_on - datetime.timedelta(days=20),
        effective_on=effective_on,
        object="Postes couverts",
        changes=[],
        added_posts=list(added),
        removed_posts=list(removed),
    )


@pytest.fixture
def niort(two_departements):
    """Niort's convention in force from 1 January 2024 (three years), quarters due the
    15th of the month after; a second police post of the same DDSP, not yet covered."""
    world = two_departements["79"]
    convention = world["convention"]
    convention.parties.update(signed_on=D(2024, 1, 1))
    for period, month in (("Q1", 4), ("Q2", 7), ("Q3", 10)):
        ReportingRuleFactory(convention=convention, period=period, due_month=month, due_day=15)
    world["second_post"] = PostFactory(
        departement="79",
        name="ISC du commissariat de Bressuire",
        employer=world["post"].employer,
        functional_authority=world["post"].functional_authorities[0],
    )
    return world


def expected(post, year):
    conventions = post_conventions(post)
    return [quarter_due_date(conventions, year, q, post=post).expected for q in (1, 2, 3, 4)]


def test_a_post_added_by_an_amendment_is_expected_only_from_its_effect(niort):
    added = niort["second_post"]
    amend(niort["convention"], effective_on=D(2026, 1, 1), added=[added])
    assert expected(added, 2025) == [False, False, False, False]
    assert expected(added, 2026) == [True, True, True, True]
    # The post it was added to is governed all along.
    assert expected(niort["post"], 2025) == [True, True, True, True]


def test_a_post_added_by_an_unsigned_amendment_is_never_expected(niort):
    added = niort["second_post"]
    amendment = amend(niort["convention"], effective_on=D(2026, 1, 1), added=[added])
    amendment.signed_on = None
    amendment.save()
    assert expected(added, 2026) == [False, False, False, False]


def test_a_removed_post_is_not_expected_after_its_removal(niort):
    added, first = niort["second_post"], niort["post"]
    amend(niort["convention"], effective_on=D(2025, 1, 1), added=[added])
    amend(niort["convention"], number=2, effective_on=D(2025, 7, 1), removed=[first])
    # Removed from 1 July: the second quarter is still expected, the third is not.
    assert expected(first, 2025) == [True, True, False, False]
    assert expected(first, 2026) == [False, False, False, False]
    assert expected(added, 2025) == [True, True, True, True]


def test_the_board_shows_no_late_quarter_before_a_post_was_added(client, niort):
    added = niort["second_post"]
    amend(niort["convention"], effective_on=D(2026, 1, 1), added=[added])
    client.force_login(niort["users"][Role.DDSP_SECRETARIAT])
    rows = {row["post"].pk: row for row in client.get(f"{BOARD}?annee=2025").context["rows"]}
    assert [cell["late"] for cell in rows[added.pk]["cells"]] == [False] * 4
    assert [cell["due"].expected for cell in rows[added.pk]["cells"]] == [False] * 4
    # The post covered all along is late for the quarters it never sent.
    assert [cell["late"] for cell in rows[niort["post"].pk]["cells"]] == [True] * 4


def test_the_board_shows_no_late_quarter_after_a_post_was_removed(client, niort):
    added, first = niort["second_post"], niort["post"]
    amend(niort["convention"], effective_on=D(2025, 1, 1), added=[added])
    amend(niort["convention"], number=2, effective_on=D(2025, 7, 1), removed=[first])
    client.force_login(niort["users"][Role.DDSP_SECRETARIAT])
    rows = {row["post"].pk: row for row in client.get(f"{BOARD}?annee=2025").context["rows"]}
    assert [cell["late"] for cell in rows[first.pk]["cells"]] == [True, True, False, False]
    assert [cell["late"] for cell in rows[added.pk]["cells"]] == [True] * 4
