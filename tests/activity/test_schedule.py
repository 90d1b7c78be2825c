"""Due dates of the quarters, from the convention's reporting schedule."""

import datetime

import pytest
from django.utils import timezone

from activity.schedule import (
    DueDate,
    Lateness,
    governing_convention,
    lateness,
    quarter_due_date,
    quarter_end,
)
from conventions.models import Convention, Renewal
from tests.activity.factories import QuarterReportFactory
from tests.conventions.factories import (
    ConventionFactory,
    PartyFactory,
    PostFactory,
    ReportingRuleFactory,
)

pytestmark = pytest.mark.django_db
NEEDS = ("parties", "renewals", "sections")


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
    result = quarter_due_date([niort_like], 2023, quarter, post=niort_like.single_post)
    assert result.date == due
    assert result.from_convention


def test_a_quarter_after_the_convention_ended_is_not_expected_nor_late(niort_like):
    """Signed on 12/10/2021 for three years: nothing is expected after 11/10/2024."""
    due = quarter_due_date([niort_like], 2026, 2, post=niort_like.single_post)
    assert not due.expected
    assert lateness(None, due, datetime.date(2026, 12, 1)) is None
    assert "aucune convention n'est en vigueur" in due.explanation


def test_the_quarter_in_which_the_convention_ends_is_still_expected(niort_like):
    assert quarter_due_date(
        [niort_like], 2024, 4, post=niort_like.single_post
    ).date == datetime.date(2025, 1, 7)


def test_a_quarter_ended_before_the_convention_took_effect_is_not_expected(niort_like):
    """Niort art. 11: Q3 2021 « due 15/10/2021 », but the convention runs from 12/10/2021."""
    assert not quarter_due_date([niort_like], 2021, 3, post=niort_like.single_post).expected
    assert quarter_due_date(
        [niort_like], 2021, 4, post=niort_like.single_post
    ).date == datetime.date(2022, 1, 7)


def test_without_a_stated_date_a_quarter_is_due_the_15th_of_the_following_month():
    convention = ConventionFactory()
    PartyFactory(convention=convention, signed_on=datetime.date(2022, 3, 1))
    result = quarter_due_date([convention], 2024, 4, post=convention.single_post)
    assert result.date == datetime.date(2025, 1, 15)
    assert not result.from_convention
    assert "le 15 du mois qui suit le trimestre" in result.explanation


def test_a_post_without_convention_expects_no_quarter():
    due = quarter_due_date([], 2025, 2, post=PostFactory())
    assert not due.expected
    assert lateness(None, due, datetime.date(2026, 1, 1)) is None


def test_a_quarter_never_submitted_after_its_due_date_is_late():
    due = DueDate(datetime.date(2026, 10, 15), True)
    assert lateness(None, due, datetime.date(2026, 10, 16)) == Lateness.LATE
    assert lateness(None, due, datetime.date(2026, 10, 15)) is None


def test_a_quarter_first_submitted_after_its_due_date_was_submitted_late():
    report = QuarterReportFactory(
        submitted=True,
        first_submitted_at=timezone.make_aware(datetime.datetime(2025, 4, 16, 10)),
    )
    due = DueDate(datetime.date(2025, 4, 15), True)
    assert lateness(report, due, datetime.date(2025, 5, 1)) == (Lateness.SUBMITTED_LATE)


def test_the_conventions_left_out_in_sql_never_govern_a_day_of_the_window():
    """``may_govern_between`` keeps every convention ``governing_convention`` may pick."""
    D = datetime.date
    post = PostFactory()
    lone = PostFactory()  # one convention ended long ago, never followed
    for signed, kwargs in [
        (D(2012, 3, 1), {}),
        (D(2015, 6, 30), {"end_date": D(2018, 6, 29)}),
        (D(2018, 7, 1), {"end_date": D(2021, 6, 30)}),
        (D(2021, 7, 1), {"duration_years": 3, "term_governed_by": "duration"}),
        (D(2019, 1, 1), {"terminated_on": D(2020, 5, 1), "end_date": D(2022, 12, 31)}),
        (None, {"start_rule": "date", "stated_start_date": D(2024, 9, 1)}),
        (None, {}),  # never signed
        (D(2016, 1, 1), {"duration_years": 1, "renewal_mode": "tacit", "renewal_period_years": 1}),
    ]:
        convention = ConventionFactory(post=post, **kwargs)
        PartyFactory(convention=convention, signed_on=signed)
        PartyFactory(convention=convention, signed_on=signed)
    partly = ConventionFactory(post=post, end_date=D(2027, 12, 31))
    PartyFactory(convention=partly, signed_on=D(2025, 2, 1))
    PartyFactory(convention=partly, signed_on=None)
    old = ConventionFactory(post=lone, end_date=D(2016, 12, 31))
    PartyFactory(convention=old, signed_on=D(2014, 1, 1))
    renewed = ConventionFactory(post=lone, duration_years=1, end_date=None)
    PartyFactory(convention=renewed, signed_on=D(2017, 1, 1))
    Renewal.objects.create(convention=renewed, number=1, start=D(2018, 1, 1), end=D(2019, 6, 30))
    ConventionFactory(post=lone, is_template=True)

    kept_something_out = False
    for year in range(2011, 2029):
        for quarter in (1, 2, 3, 4):
            first = D(year, 3 * quarter - 2, 1)
            last = quarter_end(year + 1, quarter) - datetime.timedelta(days=92)
            for each in (post, lone):
                every = list(Convention.objects.filter(posts=each).prefetch_related(*NEEDS))
                narrowed = list(
                    Convention.objects.filter(posts=each)
                    .may_govern_between(first, last)
                    .prefetch_related(*NEEDS)
                )
                kept_something_out |= len(narrowed) < len(every)
                for day in (first, last, first + (last - first) / 2):
                    assert governing_convention(every, day, post=each) == governing_convention(
                        narrowed, day, post=each
                    ), (each, first, last, day)
    assert kept_something_out
