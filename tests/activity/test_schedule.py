"""Due dates of the quarters, from the convention's reporting schedule."""

import datetime

import pytest
from django.utils import timezone

from activity.schedule import Lateness, lateness, quarter_due_date
from tests.activity.factories import QuarterReportFactory
from tests.conventions.factories import ConventionFactory, PartyFactory, ReportingRuleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def niort_like():
    """Signed on 12 October 2021 for three years, with Niort's article 11 schedule."""
    convention = ConventionFactory(duration_years=3)
    PartyFactory(convention=convention, signed_on=datetime.date(2021, 10, 12))
    for period, month, day, kind in [
        ("Q1", 4, 15, "quarterly"),
        ("Q2", 7, 15, "quarterly"),
        ("Q3", 10, 15, "quarterly"),
        ("year", 1, 7, "annual"),
    ]:
        ReportingRuleFactory(
            convention=convention, period=period, due_month=month, due_day=day, kind=kind
        )
    return convention


@pytest.mark.parametrize(
    "quarter,due",
    [
        (1, datetime.date(2023, 4, 15)),
        (2, datetime.date(2023, 7, 15)),
        (3, datetime.date(2023, 10, 15)),
        (4, datetime.date(2024, 1, 7)),
    ],
)
def test_niorts_quarters_are_due_on_the_dates_of_article_11(niort_like, quarter, due):
    result = quarter_due_date([niort_like], 2023, quarter)
    assert result.date == due
    assert result.from_convention


def test_an_expired_convention_awaiting_renewal_still_sets_the_schedule(niort_like):
    assert quarter_due_date([niort_like], 2026, 2).date == datetime.date(2026, 7, 15)


def test_without_a_stated_date_a_quarter_is_due_the_15th_of_the_following_month():
    convention = ConventionFactory()
    PartyFactory(convention=convention, signed_on=datetime.date(2022, 3, 1))
    result = quarter_due_date([convention], 2025, 4)
    assert result.date == datetime.date(2026, 1, 15)
    assert not result.from_convention
    assert "le 15 du mois qui suit le trimestre" in result.explanation


def test_a_post_without_convention_gets_the_default_due_date():
    assert quarter_due_date([], 2025, 2).date == datetime.date(2025, 7, 15)


def test_a_quarter_never_submitted_after_its_due_date_is_late():
    due = datetime.date(2026, 10, 15)
    assert lateness(None, due, datetime.date(2026, 10, 16)) == Lateness.LATE
    assert lateness(None, due, datetime.date(2026, 10, 15)) is None


def test_a_quarter_first_submitted_after_its_due_date_was_submitted_late():
    report = QuarterReportFactory(
        submitted=True,
        first_submitted_at=timezone.make_aware(datetime.datetime(2025, 4, 16, 10)),
    )
    assert lateness(report, datetime.date(2025, 4, 15), datetime.date(2025, 5, 1)) == (
        Lateness.SUBMITTED_LATE
    )
