"""Deadlines computed from the seeds' dates, and after one and two renewals."""

import datetime

import pytest

from conventions.enums import RenewalMode, StartRule, TermGovernedBy
from conventions.lifecycle.deadlines import convention_deadlines
from conventions.models import Renewal
from tests.conventions.factories import ConventionFactory, PartyFactory, ReportingRuleFactory

pytestmark = pytest.mark.django_db
D = datetime.date


def niort_like(**kwargs):
    """Niort: "convention de trois ans" from signature "jusqu'au 31 décembre 2023"."""
    convention = ConventionFactory(
        end_date=D(2023, 12, 31),
        duration_years=3,
        term_governed_by=TermGovernedBy.END_DATE,
        **kwargs,
    )
    PartyFactory(convention=convention, signed_on=D(2021, 10, 5))
    PartyFactory(convention=convention, signed_on=D(2021, 10, 12))
    return convention


def ermont_like():
    convention = ConventionFactory(
        duration_years=3,
        renewal_mode=RenewalMode.SUCCESSIVE_PERIODS,
        renewal_period_years=3,
        term_governed_by=TermGovernedBy.DURATION,
    )
    PartyFactory(convention=convention, signed_on=D(2022, 2, 10))
    PartyFactory(convention=convention, signed_on=D(2022, 3, 1))
    return convention


def kinds(events):
    return {e.kind: e.date for e in events}


def test_the_effective_date_is_the_last_signature():
    assert niort_like().effective_date == D(2021, 10, 12)


def test_the_effective_date_is_the_stated_one_when_the_convention_says_so():
    convention = niort_like(start_rule=StartRule.STATED_DATE, stated_start_date=D(2021, 11, 1))
    assert convention.effective_date == D(2021, 11, 1)


def test_niort_written_end_date_governs_and_the_disagreement_is_told():
    convention = niort_like()
    assert convention.initial_end_date == D(2023, 12, 31)
    assert convention.end_by_duration == D(2024, 10, 11)
    warning = convention.term_disagreement
    assert "ne correspond pas" in warning and "date de fin écrite" in warning


def test_niort_notice_deadline_is_three_months_before_the_written_end():
    events = kinds(convention_deadlines(niort_like(), today=D(2023, 1, 1)))
    assert events["expiry"] == D(2023, 12, 31)
    assert events["notice"] == D(2023, 9, 30)


def test_ermont_ends_three_years_after_signature():
    events = kinds(convention_deadlines(ermont_like(), today=D(2024, 6, 1)))
    assert events["expiry"] == D(2025, 2, 28)
    assert events["notice"] == D(2024, 11, 28)


def test_after_one_renewal_the_deadlines_are_the_new_periods():
    convention = ermont_like()
    Renewal.objects.create(convention=convention, number=1, start=D(2025, 3, 1), end=D(2028, 2, 29))
    events = kinds(convention_deadlines(convention, today=D(2025, 6, 1), horizon_days=4000))
    assert events["expiry"] == D(2028, 2, 29)
    assert events["notice"] == D(2027, 11, 29)


def test_after_two_renewals_the_deadlines_are_the_third_periods():
    convention = ermont_like()
    Renewal.objects.create(convention=convention, number=1, start=D(2025, 3, 1), end=D(2028, 2, 29))
    Renewal.objects.create(convention=convention, number=2, start=D(2028, 3, 1), end=D(2031, 2, 28))
    assert convention.current_period(D(2029, 1, 1)).number == 3
    events = kinds(convention_deadlines(convention, today=D(2029, 1, 1), horizon_days=4000))
    assert events["notice"] == D(2030, 11, 28)


def test_tacit_renewals_roll_on_by_themselves():
    convention = ConventionFactory(
        duration_years=1, renewal_mode=RenewalMode.TACIT, renewal_period_years=1
    )
    PartyFactory(convention=convention, signed_on=D(2021, 1, 1))
    assert convention.current_end_date(D(2023, 6, 1)) == D(2023, 12, 31)
    assert convention.notice_deadline(D(2023, 6, 1)) == D(2023, 9, 30)


def test_niort_report_due_dates_follow_article_11():
    convention = niort_like()
    for period, month, day in [("Q1", 4, 15), ("Q2", 7, 15), ("Q3", 10, 15)]:
        ReportingRuleFactory(
            convention=convention, kind="quarterly", period=period, due_month=month, due_day=day
        )
    ReportingRuleFactory(
        convention=convention, kind="annual", period="year", due_month=1, due_day=7
    )
    ReportingRuleFactory(
        convention=convention, kind="review", period="year", due_month=3, due_day=31
    )
    events = convention_deadlines(convention, today=D(2022, 1, 1))
    dates = [(e.date, e.kind) for e in events if e.kind in ("report", "review")]
    assert dates[:5] == [
        (D(2022, 1, 7), "report"),  # annual bilan of 2021
        (D(2022, 3, 31), "review"),  # review meeting on 2021 at the end of Q1
        (D(2022, 4, 15), "report"),
        (D(2022, 7, 15), "report"),
        (D(2022, 10, 15), "report"),
    ]
