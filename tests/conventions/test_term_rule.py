"""The term of a convention, written once (config.core.dates.term_end) and used everywhere.

A term of N years ends the day before the anniversary of its start; a 29 February
start has its anniversary on 1 March in a common year. Each case is named after
where it comes from.
"""

import datetime

import pytest

from config.core.dates import anniversary, term_end
from conventions.enums import RenewalMode, StartRule
from tests.conventions.factories import ConventionFactory

D = datetime.date

TERMS = {
    "Niort, article 12: three years from 12 October 2021": (D(2021, 10, 12), 3, D(2024, 10, 11)),
    "Ermont: one year from 1 January 2022": (D(2022, 1, 1), 1, D(2022, 12, 31)),
    "signed on 29 February 2024 for three years": (D(2024, 2, 29), 3, D(2027, 2, 28)),
    "signed on 29 February 2024 for four years (a leap year again)": (
        D(2024, 2, 29),
        4,
        D(2028, 2, 28),
    ),
    "signed on 1 March 2023 for one year (across 29 February 2024)": (
        D(2023, 3, 1),
        1,
        D(2024, 2, 29),
    ),
    "signed on 28 February 2023 for one year": (D(2023, 2, 28), 1, D(2024, 2, 27)),
}


@pytest.mark.parametrize("start,years,end", list(TERMS.values()), ids=list(TERMS))
def test_a_term_ends_the_day_before_its_anniversary(start, years, end):
    assert term_end(start, years) == end


def test_the_anniversary_of_29_february_is_1_march_in_a_common_year():
    assert anniversary(D(2024, 2, 29), 1) == D(2025, 3, 1)
    assert anniversary(D(2024, 2, 29), 4) == D(2028, 2, 29)


def leap_day_convention(**fields):
    return ConventionFactory(
        start_rule=StartRule.STATED_DATE,
        end_date=None,
        stated_start_date=D(2024, 2, 29),
        duration_years=3,
        notice_months=3,
        **fields,
    )


@pytest.mark.django_db
def test_a_convention_signed_on_29_february_ends_on_28_february_three_years_later():
    convention = leap_day_convention()
    assert convention.initial_end_date == D(2027, 2, 28)
    # The notice deadline follows the end (three months before it).
    assert convention.notice_deadline(convention.initial_end_date) == D(2026, 11, 28)


@pytest.mark.django_db
def test_tacit_one_year_renewals_from_29_february_keep_no_drift():
    convention = leap_day_convention(renewal_mode=RenewalMode.TACIT, renewal_period_years=1)
    periods = convention.periods(until=D(2031, 1, 1))
    assert [(p.start, p.end) for p in periods[:4]] == [
        (D(2024, 2, 29), D(2027, 2, 28)),
        (D(2027, 3, 1), D(2028, 2, 29)),
        (D(2028, 3, 1), D(2029, 2, 28)),
        (D(2029, 3, 1), D(2030, 2, 28)),
    ]
