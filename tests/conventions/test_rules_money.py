"""Money rules, one table per rule, each case named after its contractual source.

The arithmetic of ``conventions.funding.rules.expected_amount``; then what the funding
plan and the dashboards expect of a pro-rata over tacit renewals, and how the plan
explains a pro-rated share of the cost.
"""

import datetime
from decimal import Decimal

import pytest

from conventions.enums import ContributionRule, ProRata, RenewalMode, StartRule
from conventions.funding.build import funding_plan
from conventions.funding.due import funding_due
from conventions.funding.rules import expected_amount
from conventions.models import Contribution, Convention
from conventions.models.convention import Period
from tests.conventions.factories import (
    ContributionFactory,
    ConventionFactory,
    PartyFactory,
    PostCostFactory,
    PostFactory,
)
from tests.partners.factories import OrganisationFactory

D = Decimal
DAY = datetime.date
NIORT_PERIODS = [Period(1, DAY(2021, 10, 12), DAY(2023, 12, 31))]
ERMONT_PERIODS = [Period(1, DAY(2022, 3, 1), DAY(2025, 2, 28))]


def fixed(amount, **kwargs):
    return Contribution(rule=ContributionRule.FIXED, amount=D(amount), **kwargs)


def third(cap=None, **kwargs):
    return Contribution(
        rule=ContributionRule.SHARE_CAPPED,
        share_numerator=1,
        share_denominator=3,
        cap=D(cap) if cap is not None else None,
        **kwargs,
    )


def balance():
    return Contribution(rule=ContributionRule.BALANCE)


# (contribution, year, post cost, what the others pay, periods) → expected amount
AMOUNT_CASES = {
    "Niort art. 6, État 25 350 € par an, whatever the cost → 25 350 €": (
        fixed("25350"),
        2022,
        D("45000"),
        D("0"),
        NIORT_PERIODS,
        D("25350.00"),
    ),
    "Ermont art. 7, à hauteur maximum d'un tiers, 35 000 € → 11 666,66 €": (
        third(),
        2023,
        D("35000"),
        D("0"),
        ERMONT_PERIODS,
        D("11666.66"),
    ),
    "Ermont art. 7, un tiers plafonné à 13 000 €, 36 000 € → 12 000 €": (
        third("13000"),
        2022,
        D("36000"),
        D("0"),
        ERMONT_PERIODS,
        D("12000.00"),
    ),
    "Ermont art. 7, un tiers plafonné à 13 000 €, 46 500 € → the cap, 13 000 €": (
        third("13000"),
        2023,
        D("46500"),
        D("0"),
        ERMONT_PERIODS,
        D("13000.00"),
    ),
    "Ermont art. 7, the employer pays the balance, 46 500 − 26 000 → 20 500 €": (
        balance(),
        2023,
        D("46500"),
        D("26000"),
        ERMONT_PERIODS,
        D("20500.00"),
    ),
    "Balance when the others pay more than the cost, 20 000 − 26 000 → 0 €": (
        balance(),
        2023,
        D("20000"),
        D("26000"),
        ERMONT_PERIODS,
        D("0.00"),
    ),
    "Niort art. 12, from 12/10/2021, pro-rata by days: 2021 → 81/365 of 25 350 €": (
        fixed("25350", prorata=ProRata.DAYS),
        2021,
        None,
        D("0"),
        NIORT_PERIODS,
        D("5625.62"),
    ),
    "Niort art. 12, from 12/10/2021, pro-rata by started months: 2021 → 3/12": (
        fixed("25350", prorata=ProRata.MONTHS),
        2021,
        None,
        D("0"),
        NIORT_PERIODS,
        D("6337.50"),
    ),
    "Ermont, three years from 01/03/2022, pro-rata by months: 2025 → 2/12 of 13 000 €": (
        fixed("13000", prorata=ProRata.MONTHS),
        2025,
        None,
        D("0"),
        ERMONT_PERIODS,
        D("2166.67"),
    ),
    "Ermont from 01/03/2022, the capped third pro-rated by months: 2022 → 10/12 of the cap": (
        third("13000", prorata=ProRata.MONTHS),
        2022,
        D("45000"),
        D("0"),
        ERMONT_PERIODS,
        D("10833.33"),
    ),
    "Tacit renewal from 01/03/2023 for a year: 2023 fully covered → 13 000 €": (
        fixed("13000", prorata=ProRata.MONTHS),
        2023,
        None,
        D("0"),
        [
            Period(1, DAY(2022, 3, 1), DAY(2023, 2, 28)),
            Period(2, DAY(2023, 3, 1), DAY(2024, 2, 29)),
        ],
        D("13000.00"),
    ),
}


@pytest.mark.parametrize(
    "contribution,year,cost,others,periods,amount",
    list(AMOUNT_CASES.values()),
    ids=list(AMOUNT_CASES),
)
def test_money_expected_amount(contribution, year, cost, others, periods, amount):
    assert expected_amount(contribution, year, cost, others, periods=periods).amount == amount


# Pro-rata over tacit renewals -------------------------------------------------------------


@pytest.fixture
def tacit():
    """One year from 01/03/2022, tacitly renewed by one year; post cost 40 000 € a year;
    État 13 000 € a year pro-rated by months, the employer the balance, 2022–2024."""
    post = PostFactory()
    convention = ConventionFactory(
        post=post,
        start_rule=StartRule.STATED_DATE,
        stated_start_date=DAY(2022, 3, 1),
        duration_years=1,
        renewal_mode=RenewalMode.TACIT,
        renewal_period_years=1,
    )
    state = OrganisationFactory(prefecture=True)
    for order, organisation in enumerate((state, post.employer)):
        PartyFactory(
            convention=convention, organisation=organisation, order=order, signed_on=DAY(2022, 2, 1)
        )
    for year in (2022, 2023, 2024):
        PostCostFactory(post=post, year=year, total=D("40000"))
    ContributionFactory(
        convention=convention,
        organisation=state,
        first_year=2022,
        last_year=2024,
        amount=D("13000"),
        prorata=ProRata.MONTHS,
    )
    ContributionFactory(
        convention=convention,
        organisation=post.employer,
        balance=True,
        first_year=2022,
        last_year=2024,
    )
    return convention, state


# year → (État, employer's balance)
TACIT_CASES = {
    "first period from 01/03/2022: 2022 → 10/12 of 13 000 €": (
        2022,
        D("10833.33"),
        D("29166.67"),
    ),
    "tacitly renewed from 01/03/2023: 2023 → 13 000 €, not 2/12 of it": (
        2023,
        D("13000.00"),
        D("27000.00"),
    ),
    "tacitly renewed again from 01/03/2024: 2024 → 13 000 €, not 0 € left to the employer": (
        2024,
        D("13000.00"),
        D("27000.00"),
    ),
}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "year,state_amount,balance_amount", list(TACIT_CASES.values()), ids=list(TACIT_CASES)
)
def test_money_a_pro_rata_is_expected_over_tacit_renewals(
    tacit, year, state_amount, balance_amount
):
    convention, state = tacit
    plan = funding_plan(Convention.objects.with_funding().get(pk=convention.pk))
    row = plan.row(year)
    assert [cell.amount for cell in row.cells] == [state_amount, balance_amount]
    assert row.deficit is None
    # The dashboards read the same amounts.
    cells, _ = funding_due(Convention.objects.filter(pk=convention.pk), today=DAY(year, 12, 1))
    assert {(c.organisation_name, c.amount) for c in cells if c.year == year} == {
        (state.name, state_amount),
        (convention.post.employer.name, balance_amount),
    }


# A pro-rated share of the cost ----------------------------------------------------------


@pytest.mark.django_db
def test_money_a_pro_rated_share_explains_that_a_partial_year_cost_would_reduce_it_twice():
    """Ermont art. 7 from 01/03/2022: a third of 36 000 € budgeted for 2022, pro-rated."""
    post = PostFactory()
    convention = ConventionFactory(
        post=post, start_rule=StartRule.STATED_DATE, stated_start_date=DAY(2022, 3, 1)
    )
    departement = OrganisationFactory(departement_council=True, short_name="Département")
    PartyFactory(convention=convention, organisation=departement, signed_on=DAY(2022, 2, 1))
    PostCostFactory(post=post, year=2022, total=D("36000"))
    PostCostFactory(post=post, year=2023, total=D("48000"))
    ContributionFactory(
        convention=convention,
        organisation=departement,
        share_capped=True,
        first_year=2022,
        last_year=2023,
        prorata=ProRata.MONTHS,
    )
    plan = funding_plan(Convention.objects.with_funding().get(pk=convention.pk))
    explained = [w for w in plan.warnings if w.kind == "prorated_share"]
    assert [w.year for w in explained] == [2022]  # 2023 is a whole year: nothing to explain
    assert explained[0].text == (
        "2022 — Département : la participation (un tiers du coût budgété, 36\u00a0000\u00a0€) "
        "est réduite au prorata de la part de l'année couverte par la convention (10 mois "
        "sur 12), soit 10\u00a0000\u00a0€. Ce calcul suppose que le coût budgété est celui "
        "d'une année entière : s'il ne porte déjà que sur la partie de l'année couverte, la "
        "participation est réduite deux fois. Dans ce cas, budgétez le coût de l'année entière "
        "ou choisissez « Année entière » pour le prorata de la contribution."
    )
    assert "appliqué à la part du coût d'une année entière" in plan.columns[0].rules[0][1]
