"""The steering pages read every quarter's due date from ``QuarterDueDates``, which works
out each convention's periods once for all the years shown: it must give, quarter by
quarter, the due date ``quarter_due_date`` gives (the status board's and the
dashboard's), whatever renews, amends, terminates or cancels the conventions."""

import datetime

import pytest
from django.utils import timezone

from activity.governing import schedule_prefetches
from activity.schedule import QuarterDueDates, quarter_due_date
from conventions.enums import RenewalMode
from conventions.models import Convention, ConventionPost
from tests.conventions.factories import (
    AmendmentFactory,
    ConventionFactory,
    PartyFactory,
    PostFactory,
    RenewalFactory,
    ReportingRuleFactory,
)

pytestmark = pytest.mark.django_db
D = datetime.date
YEARS = range(2019, 2033)
NIORT_SIGNED = D(2021, 10, 12)


def niort_convention(post, *, signed_on=NIORT_SIGNED, **kwargs):
    """Niort's article 11 schedule: Q1 to Q3 due the 15th after, the annual bilan (with
    the fourth quarter) on 7 January."""
    convention = ConventionFactory(post=post, **kwargs)
    PartyFactory(convention=convention, signed_on=signed_on)
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


def tacit(post, **kwargs):
    return niort_convention(post, renewal_mode=RenewalMode.TACIT, renewal_period_years=1, **kwargs)


def renewed_by_record(post):
    convention = niort_convention(post)
    RenewalFactory(convention=convention, number=1, start=D(2024, 10, 12), end=D(2026, 10, 11))
    return convention


def amended_duration(post):
    convention = niort_convention(post)
    AmendmentFactory(
        convention=convention, signed_on=D(2023, 6, 1), effective_on=D(2024, 1, 1),
        new_duration_years=5,
    )  # fmt: skip
    return convention


def amended_end_date(post):
    convention = tacit(post)
    AmendmentFactory(convention=convention, signed_on=D(2022, 2, 1), new_end_date=D(2023, 6, 30))
    return convention


def amended_to_tacit_then_shortened(post):
    convention = niort_convention(post)
    AmendmentFactory(
        convention=convention, signed_on=D(2023, 3, 1), new_renewal_mode=RenewalMode.TACIT,
        new_renewal_period_years=2,
    )  # fmt: skip
    AmendmentFactory(convention=convention, signed_on=D(2026, 1, 10), new_end_date=D(2027, 3, 31))
    AmendmentFactory(convention=convention, signed_on=None, new_duration_years=9)  # a draft
    return convention


def extended_after_a_successor_began(post):
    """Ended 11 October 2024 and extended to the end of 2025 by an amendment of March
    2025: on 31 December 2024 it was not in force (the amendment had not taken effect),
    the successor that began in June 2024 governed."""
    convention = niort_convention(post)
    AmendmentFactory(convention=convention, signed_on=D(2025, 3, 1), new_end_date=D(2025, 12, 31))
    successor = ConventionFactory(post=post)
    PartyFactory(convention=successor, signed_on=D(2024, 6, 1))
    return convention


def terminated(post):
    return tacit(post, terminated_on=D(2025, 8, 20))


def cancelled(post):
    """Cancelled, then signed again as a new convention."""
    niort_convention(post, signed_on=D(2023, 2, 1))
    return tacit(post, cancelled_at=timezone.now(), cancellation_reason="Signée par erreur.")


def post_added_then_removed(post):
    """A framework convention of another post that covers ``post`` from its first
    amendment's effect to its second's."""
    convention = tacit(PostFactory())
    added = AmendmentFactory(convention=convention, signed_on=D(2022, 5, 2))
    removed = AmendmentFactory(
        convention=convention, signed_on=D(2024, 11, 5), effective_on=D(2025, 1, 1)
    )
    ConventionPost.objects.create(
        convention=convention, post=post, number=2, added_by=added, removed_by=removed
    )
    return convention


def expired_then_replaced(post):
    """An expired convention, a gap, then a new one with its own dates (the default
    due date: no rule)."""
    niort_convention(post, signed_on=D(2019, 3, 1), duration_years=2)
    successor = ConventionFactory(post=post, renewal_mode=RenewalMode.TACIT, renewal_period_years=3)
    PartyFactory(convention=successor, signed_on=D(2022, 7, 1))
    return successor


@pytest.mark.parametrize(
    "make",
    [
        niort_convention,
        tacit,
        renewed_by_record,
        amended_duration,
        amended_end_date,
        amended_to_tacit_then_shortened,
        extended_after_a_successor_began,
        terminated,
        cancelled,
        post_added_then_removed,
        expired_then_replaced,
    ],
)
def test_every_quarter_has_the_due_date_of_quarter_due_date(make):
    post = PostFactory()
    make(post)
    conventions = list(
        Convention.objects.filter(sections__post=post)
        .order_by("pk")
        .prefetch_related(*schedule_prefetches())
    )
    due_dates = QuarterDueDates(conventions, post=post, until=D(YEARS[-1], 12, 31))
    expected = {
        (year, quarter): quarter_due_date(conventions, year, quarter, post=post)
        for year in YEARS
        for quarter in (1, 2, 3, 4)
    }
    assert {key: due_dates(*key) for key in expected} == expected
    # The scenario shows both expected and unexpected quarters, else it proves little.
    assert {due.expected for due in expected.values()} == {True, False}


def test_a_quarter_after_the_time_worked_out_still_gets_its_due_date():
    post = PostFactory()
    tacit(post)
    conventions = list(post.conventions.prefetch_related(*schedule_prefetches()))
    due_dates = QuarterDueDates(conventions, post=post, until=D(2024, 12, 31))
    assert due_dates(2030, 2) == quarter_due_date(conventions, 2030, 2, post=post)
    assert due_dates(2030, 2).date == D(2030, 7, 15)
