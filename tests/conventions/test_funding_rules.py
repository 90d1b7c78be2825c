"""The arithmetic of each contribution rule, without a database."""

import datetime
from decimal import Decimal
from fractions import Fraction

import pytest

from conventions.enums import ContributionRule, PaymentState, ProRata
from conventions.funding.rules import (
    covered_fraction,
    expected_amount,
    payment_state,
    rule_text,
    share_in_words,
)
from conventions.models import Contribution
from conventions.models.convention import Period

D = Decimal
NIORT_PERIODS = [Period(1, datetime.date(2021, 10, 12), datetime.date(2023, 12, 31))]


def fixed(amount="25350", **kwargs):
    return Contribution(rule=ContributionRule.FIXED, amount=D(amount), **kwargs)


def third_capped(cap="13000", **kwargs):
    return Contribution(
        rule=ContributionRule.SHARE_CAPPED,
        share_numerator=1,
        share_denominator=3,
        cap=D(cap) if cap is not None else None,
        **kwargs,
    )


def balance():
    return Contribution(rule=ContributionRule.BALANCE)


# Fixed amount -----------------------------------------------------------------


def test_a_fixed_amount_is_expected_whatever_the_cost():
    assert expected_amount(fixed(), 2022, D("45000")).amount == D("25350.00")
    assert expected_amount(fixed(), 2022, None).amount == D("25350.00")


# Share of the cost with a cap ----------------------------------------------------


def test_a_third_of_a_cost_under_the_cap_is_not_capped():
    expected = expected_amount(third_capped(), 2022, D("36000"))
    assert expected.amount == D("12000.00")
    assert not expected.cap_reached


def test_a_third_of_a_cost_over_the_cap_is_the_cap():
    expected = expected_amount(third_capped(), 2023, D("46500"))
    assert expected.amount == D("13000.00")
    assert expected.cap_reached
    assert expected.uncapped == D("15500.00")


def test_a_third_exactly_at_the_cap_counts_as_reaching_it():
    expected = expected_amount(third_capped(), 2023, D("39000"))
    assert expected.amount == D("13000.00")
    assert expected.cap_reached


def test_a_third_is_rounded_to_the_cent():
    assert expected_amount(third_capped(cap=None), 2023, D("40000")).amount == D("13333.33")


def test_a_share_at_most_a_third_rounds_down_never_above_the_third():
    # Ermont, article 7: « à hauteur maximum d'un tiers »; 35 000 / 3 = 11 666,666…
    expected = expected_amount(third_capped(cap=None), 2023, D("35000"))
    assert expected.amount == D("11666.66")
    assert expected.amount * 3 <= D("35000")


def test_a_share_without_cap_is_never_capped():
    expected = expected_amount(third_capped(cap=None), 2023, D("90000"))
    assert expected.amount == D("30000.00")
    assert not expected.cap_reached


def test_a_share_cannot_be_computed_without_the_cost():
    assert expected_amount(third_capped(), 2023, None).amount is None


# Balance ------------------------------------------------------------------------


def test_the_balance_is_the_cost_minus_the_others():
    assert expected_amount(balance(), 2023, D("46500"), D("26000")).amount == D("20500.00")


def test_a_balance_that_would_be_negative_is_zero_and_keeps_the_shortfall():
    expected = expected_amount(balance(), 2023, D("20000"), D("26000"))
    assert expected.amount == D("0.00")
    assert expected.negative_balance == D("-6000.00")


def test_a_balance_cannot_be_computed_without_the_cost():
    assert expected_amount(balance(), 2023, None, D("26000")).amount is None


# Pro-rata -------------------------------------------------------------------------


def test_a_first_year_from_12_october_by_days_covers_81_days_out_of_365():
    expected = expected_amount(fixed(prorata=ProRata.DAYS), 2021, None, periods=NIORT_PERIODS)
    assert expected.fraction == Fraction(81, 365)
    assert expected.amount == D("5625.62")  # 25 350 × 81 / 365 = 5 625,616…


def test_a_first_year_from_12_october_by_months_counts_october_in_full():
    expected = expected_amount(fixed(prorata=ProRata.MONTHS), 2021, None, periods=NIORT_PERIODS)
    assert expected.fraction == Fraction(3, 12)
    assert expected.amount == D("6337.50")


def test_a_full_year_inside_the_convention_is_not_reduced():
    expected = expected_amount(fixed(prorata=ProRata.DAYS), 2022, None, periods=NIORT_PERIODS)
    assert expected.amount == D("25350.00")


def test_a_last_partial_year_is_prorated_too():
    periods = [Period(1, datetime.date(2022, 3, 1), datetime.date(2025, 2, 28))]
    expected = expected_amount(fixed("13000", prorata=ProRata.MONTHS), 2025, None, periods=periods)
    assert expected.amount == D("2166.67")  # 13 000 × 2 / 12


def test_the_pro_rata_applies_to_the_capped_amount():
    periods = [Period(1, datetime.date(2022, 3, 1), datetime.date(2025, 2, 28))]
    expected = expected_amount(
        third_capped(prorata=ProRata.MONTHS), 2022, D("45000"), periods=periods
    )
    assert expected.cap_reached
    assert expected.amount == D("10833.33")  # 13 000 × 10 / 12


def test_a_renewal_that_follows_on_covers_the_whole_year():
    periods = [
        Period(1, datetime.date(2022, 3, 1), datetime.date(2025, 2, 28)),
        Period(2, datetime.date(2025, 3, 1), datetime.date(2028, 2, 29)),
    ]
    assert covered_fraction(periods, 2025, ProRata.DAYS) == 1


def test_a_pro_rata_without_known_dates_is_not_applied_and_says_so():
    expected = expected_amount(fixed(prorata=ProRata.DAYS), 2021, None, periods=[])
    assert expected.amount == D("25350.00")
    assert expected.prorata_unknown


# Payment states ---------------------------------------------------------------------

TODAY = datetime.date(2023, 9, 1)
DUE = datetime.date(2023, 6, 30)


@pytest.mark.parametrize(
    "expected,paid,due,state",
    [
        ("5000", "0", None, PaymentState.DUE),
        ("5000", "2000", None, PaymentState.PARTLY_PAID),
        ("5000", "5000", DUE, PaymentState.PAID),
        ("5000", "6000", DUE, PaymentState.OVERPAID),
        ("5000", "0", DUE, PaymentState.LATE),
        ("5000", "2000", DUE, PaymentState.LATE),
        ("5000", "0", datetime.date(2023, 12, 31), PaymentState.DUE),
        ("0", "0", DUE, PaymentState.NOTHING_DUE),
    ],
)
def test_each_contribution_year_has_a_payment_state(expected, paid, due, state):
    assert payment_state(D(expected), D(paid), due, TODAY) == state


def test_a_payment_is_not_late_on_the_due_date_itself():
    assert payment_state(D("5000"), D("0"), DUE, DUE) == PaymentState.DUE


def test_an_amount_that_cannot_be_computed_has_an_unknown_state():
    assert payment_state(None, D("1000"), DUE, TODAY) == PaymentState.UNKNOWN


# Rules in words ------------------------------------------------------------------------


def test_the_capped_third_is_written_out_in_french():
    assert rule_text(third_capped()) == (
        "un tiers du coût du poste, plafonné à 13\u00a0000\u00a0€ par an"
    )


def test_a_fixed_amount_with_a_due_date_is_written_out_in_french():
    text = rule_text(fixed(prorata=ProRata.NONE, due_month=6, due_day=30))
    assert text == "25\u00a0350\u00a0€ par an ; à verser au plus tard le 30 juin de chaque année"


def test_the_balance_is_written_out_in_french():
    assert rule_text(balance()).startswith("le solde du coût du poste")


@pytest.mark.parametrize(
    "numerator,denominator,words",
    [(1, 3, "un tiers"), (2, 4, "la moitié"), (30, 100, "30 %"), (3, 7, "3/7")],
)
def test_shares_are_written_in_words(numerator, denominator, words):
    assert share_in_words(numerator, denominator) == words
