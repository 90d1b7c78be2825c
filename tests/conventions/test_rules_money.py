"""Money rules, one table per rule, each case named after its contractual source.

The arithmetic of ``conventions.funding.rules.expected_amount``; then what the funding
plan and the dashboards expect of a pro-rata over tacit renewals, and how the plan
explains a pro-rated share of the cost; then (``amendment_…``) a contribution an
amendment adds and a party it withdraws, in the plan and in the sums due alike.
"""

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from conventions.enums import ContributionRule, PartyChangeAction, ProRata, RenewalMode, StartRule
from conventions.funding.build import funding_plan
from conventions.funding.due import funding_due
from conventions.funding.rules import expected_amount
from conventions.lifecycle.services import (
    ContributionChangeSpec,
    NewContributionSpec,
    PartyChangeSpec,
    amendment_create,
)
from conventions.models import Contribution, Convention
from conventions.models.convention import Period
from partners.enums import Role
from partners.models import Organisation
from tests.conventions.factories import (
    ContributionFactory,
    ConventionFactory,
    PartyFactory,
    PostCostFactory,
    PostFactory,
)
from tests.partners.factories import OrganisationFactory, UserFactory

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
    cells, _, _ = funding_due(Convention.objects.filter(pk=convention.pk), today=DAY(year, 12, 1))
    assert {(c.organisation_name, c.amount) for c in cells if c.year == year} == {
        (state.name, state_amount),
        (convention.single_post.employer.name, balance_amount),
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


# Amendments: a new contribution, a party withdrawn ------------------------------------
#
# Niort 2021 (from 12/10/2021 until 31/12/2023): the Ville pays 5 000 € a year for
# 2021–2023. An amendment may add a funder (the Agglomération, added to the parties by
# the same amendment) and withdraw a party: its last year pro rata temporis by days up to
# the day before the withdrawal, nothing after (conventions.funding.amended).

CITY, AGGLO = "Commune de Niort", "Communauté d'agglomération du Niortais"


# The day the amendments of Niort 2021 are recorded: it is in force (an ended convention
# takes no amendment, conventions.lifecycle.services.amendment_create).
WHILE_IN_FORCE = DAY(2023, 6, 1)


@pytest.fixture
def niort_funders():
    convention = ConventionFactory(
        reference="niort-2021",
        start_rule=StartRule.STATED_DATE,
        stated_start_date=DAY(2021, 10, 12),
        end_date=DAY(2023, 12, 31),
        duration_years=None,
    )
    city = OrganisationFactory(name=CITY, short_name="Ville de Niort")
    PartyFactory(convention=convention, organisation=city, signed_on=DAY(2021, 10, 1), order=0)
    PartyFactory(
        convention=convention,
        organisation__name="Préfecture des Deux-Sèvres",
        signed_on=DAY(2021, 10, 12),
        order=1,
    )
    ContributionFactory(
        convention=convention,
        organisation=city,
        amount=D("5000"),
        source="budget communal",
        first_year=2021,
        last_year=2023,
    )
    OrganisationFactory(name=AGGLO, short_name="Agglo du Niortais")
    return convention


def amend(
    convention,
    number,
    *,
    signed_on,
    effective_on=None,
    withdraw=False,
    add=None,
    change=None,
):
    """Amendment ``number``: withdraws the Ville, adds the Agglomération with the
    contribution ``add`` (fields), gives the Ville a new amount ``change`` (from, until,
    amount)."""
    city = convention.parties.get(organisation__name=CITY).organisation
    party_changes, new_contributions, contribution_changes = [], [], []
    if withdraw:
        party_changes.append(PartyChangeSpec(city, PartyChangeAction.REMOVE))
    if add is not None:
        agglo = Organisation.objects.get(name=AGGLO)
        party_changes.append(PartyChangeSpec(agglo, PartyChangeAction.ADD))
        fields = {"first_year": 2022, "last_year": 2023, "amount": D("4000"), **add}
        new_contributions.append(
            NewContributionSpec(
                organisation=agglo, source="budget communautaire", rule="fixed", **fields
            )
        )
    if change is not None:
        from_year, until_year, amount = change
        contribution = convention.contributions.get(organisation=city, introduced_by=None)
        contribution_changes.append(
            ContributionChangeSpec(contribution, from_year, D(amount), until_year)
        )
    return amendment_create(
        convention=convention,
        number=number,
        signed_on=signed_on,
        today=WHILE_IN_FORCE,
        object="Retrait de la Ville, participation de l'Agglomération",
        changes=[],
        effective_on=effective_on,
        party_changes=party_changes,
        new_contributions=new_contributions,
        contribution_changes=contribution_changes,
    )


# name: (amendments as ``amend`` arguments, expected amounts by funder and year)
AMENDMENT_PARTY_CASES = {
    "avenant n° 2 art. 3, retrait de la Ville au 01/07/2022 → 181/365 de 5 000 € en 2022, "
    "rien en 2023": (
        [{"signed_on": DAY(2022, 6, 1), "effective_on": DAY(2022, 7, 1), "withdraw": True}],
        {CITY: {2021: "5000.00", 2022: "2479.45"}},
    ),
    "avenant n° 2, retrait de la Ville au 01/01/2023 → rien en 2023": (
        [{"signed_on": DAY(2022, 11, 1), "effective_on": DAY(2023, 1, 1), "withdraw": True}],
        {CITY: {2021: "5000.00", 2022: "5000.00"}},
    ),
    "avenant n° 2, retrait au 01/07/2022 et 3 000 € pour 2022 → le montant de l'avenant "
    "l'emporte": (
        [
            {
                "signed_on": DAY(2022, 6, 1),
                "effective_on": DAY(2022, 7, 1),
                "withdraw": True,
                "change": (2022, 2022, "3000"),
            }
        ],
        {CITY: {2021: "5000.00", 2022: "3000.00"}},
    ),
    "avenant de retrait non signé (projet) → la Ville paie jusqu'en 2023": (
        [{"signed_on": None, "effective_on": DAY(2022, 7, 1), "withdraw": True}],
        {CITY: {2021: "5000.00", 2022: "5000.00", 2023: "5000.00"}},
    ),
    "avenant n° 2, l'Agglomération verse 4 000 € par an à compter du 01/07/2022, sans "
    "prorata → 4 000 € dès 2022": (
        [{"signed_on": DAY(2022, 6, 1), "effective_on": DAY(2022, 7, 1), "add": {}}],
        {
            CITY: {2021: "5000.00", 2022: "5000.00", 2023: "5000.00"},
            AGGLO: {2022: "4000.00", 2023: "4000.00"},
        },
    ),
    "avenant n° 2, 4 000 € par an au prorata des jours à compter du 01/07/2022 → 184/365 en 2022": (
        [
            {
                "signed_on": DAY(2022, 6, 1),
                "effective_on": DAY(2022, 7, 1),
                "add": {"prorata": ProRata.DAYS},
            }
        ],
        {
            CITY: {2021: "5000.00", 2022: "5000.00", 2023: "5000.00"},
            AGGLO: {2022: "2016.44", 2023: "4000.00"},
        },
    ),
    "avenant n° 2 pris d'effet le 01/07/2022, contribution écrite « 2021–2023 » → rien "
    "avant la prise d'effet": (
        [
            {
                "signed_on": DAY(2022, 6, 1),
                "effective_on": DAY(2022, 7, 1),
                "add": {"first_year": 2021, "prorata": ProRata.MONTHS},
            }
        ],
        {
            CITY: {2021: "5000.00", 2022: "5000.00", 2023: "5000.00"},
            AGGLO: {2022: "2000.00", 2023: "4000.00"},
        },
    ),
    "avenant n° 2 non signé : l'Agglomération « prévue », rien n'est compté": (
        [{"signed_on": None, "effective_on": DAY(2022, 7, 1), "add": {}}],
        {CITY: {2021: "5000.00", 2022: "5000.00", 2023: "5000.00"}},
    ),
    "avenant n° 1 : 6 000 € dès 2022 ; avenant n° 2 : retrait de la Ville et arrivée de "
    "l'Agglomération au 01/07/2023": (
        [
            {"signed_on": DAY(2022, 1, 15), "change": (2022, None, "6000")},
            {
                "signed_on": DAY(2023, 6, 1),
                "effective_on": DAY(2023, 7, 1),
                "withdraw": True,
                "add": {"first_year": 2023, "prorata": ProRata.DAYS},
            },
        ],
        {
            CITY: {2021: "5000.00", 2022: "6000.00", 2023: "2975.34"},
            AGGLO: {2023: "2016.44"},
        },
    ),
}


def plan_amounts(convention) -> dict[str, dict[int, str]]:
    plan = funding_plan(
        Convention.objects.with_funding().get(pk=convention.pk), today=DAY(2024, 1, 1)
    )
    amounts = {}
    for row in plan.rows:
        for cell in row.cells:
            if cell is not None:
                name = cell.contribution.organisation.name
                amounts.setdefault(name, {})[row.year] = str(cell.amount)
    return amounts


@pytest.mark.django_db
@pytest.mark.parametrize(
    "amendments,expected", list(AMENDMENT_PARTY_CASES.values()), ids=list(AMENDMENT_PARTY_CASES)
)
def test_amendment_new_contributions_and_withdrawals_follow_the_signed_amendments(
    niort_funders, amendments, expected
):
    for number, arguments in enumerate(amendments, start=1):
        amend(niort_funders, number, **arguments)
    assert plan_amounts(niort_funders) == expected


@pytest.mark.django_db
@pytest.mark.parametrize(
    "amendments,expected", list(AMENDMENT_PARTY_CASES.values()), ids=list(AMENDMENT_PARTY_CASES)
)
def test_amendment_the_plan_and_the_sums_due_agree_year_by_year(
    niort_funders, amendments, expected
):
    for number, arguments in enumerate(amendments, start=1):
        amend(niort_funders, number, **arguments)
    # Nothing is paid: every year up to 2023 is due, as the dashboards list it.
    cells, _, _ = funding_due(
        Convention.objects.filter(pk=niort_funders.pk), today=DAY(2023, 12, 31)
    )
    due = {}
    for cell in cells:
        due.setdefault(cell.organisation_name, {})[cell.year] = str(cell.amount)
    assert due == plan_amounts(niort_funders) == expected


# Amendments: the pages ------------------------------------------------------------------

ADDED = "participation de Agglo du Niortais : 4 000 € par an à compter du 01/07/2022 (avenant n° 2)"
WITHDRAWN = "Commune de Niort se retire de la convention au 01/07/2022 (avenant n° 2)"


def page_text(response) -> str:
    text = response.content.decode().replace("&#x27;", "'")
    return re.sub(r"\s+", " ", text.replace("\u202f", " ").replace("\xa0", " "))


SIGNED_ON_1_JUNE = DAY(2022, 6, 1)


def withdraw_and_add(convention, *, signed_on=SIGNED_ON_1_JUNE):
    effective_on = DAY(2022, 7, 1)
    return amend(
        convention, 2, signed_on=signed_on, effective_on=effective_on, withdraw=True, add={}
    )


@pytest.mark.django_db
def test_amendment_the_consolidated_text_lists_the_parties_in_force_and_what_changed(
    client, niort_funders
):
    withdraw_and_add(niort_funders)
    client.force_login(UserFactory(is_superuser=True))
    response = client.get(reverse("conventions:consolidated_text", args=[niort_funders.reference]))
    assert [p.organisation.name for p in response.context["parties"]] == [
        "Préfecture des Deux-Sèvres"
    ]
    assert [c.organisation.name for c in response.context["added_parties"]] == [AGGLO]
    text = page_text(response)
    assert ADDED in text
    assert WITHDRAWN in text


@pytest.mark.django_db
def test_amendment_the_convention_page_lists_a_withdrawn_party_no_more_and_the_history_says_why(
    client, niort_funders
):
    withdraw_and_add(niort_funders)
    client.force_login(UserFactory(is_superuser=True))
    response = client.get(reverse("conventions:detail", args=[niort_funders.reference]))
    listed = [p.organisation.name for p in response.context["first_side"]]
    assert CITY not in listed
    assert [c.organisation.name for c in response.context["added_parties"]] == [AGGLO]
    subjects = [page_text_of(entry.subject) for entry in response.context["history"]]
    assert f"Modification des parties : {WITHDRAWN}" in subjects
    assert f"Contribution : {ADDED.removeprefix('participation de ')}" in subjects


def page_text_of(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u202f", " ").replace("\xa0", " "))


@pytest.mark.django_db
def test_amendment_parties_change_on_the_effective_date_only(niort_funders):
    withdraw_and_add(niort_funders)
    convention = Convention.objects.for_detail().get(pk=niort_funders.pk)
    before, added_before = convention.parties_in_force(DAY(2022, 6, 30))
    after, added_after = convention.parties_in_force(DAY(2022, 7, 1))
    assert CITY in [p.organisation.name for p in before] and not added_before
    assert CITY not in [p.organisation.name for p in after]
    assert [c.organisation.name for c in added_after] == [AGGLO]


@pytest.mark.django_db
def test_amendment_an_unsigned_one_shows_the_contribution_as_planned_and_counts_nothing(
    client, niort_funders
):
    withdraw_and_add(niort_funders, signed_on=None)
    client.force_login(UserFactory(is_superuser=True))
    response = client.get(reverse("conventions:consolidated_text", args=[niort_funders.reference]))
    assert (
        "participation de Agglo du Niortais : 4 000 € par an à compter de 2022, prévue par "
        "l'avenant n° 2 (non signé)"
    ) in page_text(response)
    assert CITY in [p.organisation.name for p in response.context["parties"]]
    assert AGGLO not in plan_amounts(niort_funders)
    plan_page = client.get(reverse("conventions:funding_plan", args=[niort_funders.reference]))
    assert response.context["added_parties"] == []
    assert [page_text_of(text) for text in plan_page.context["planned"]] == [
        "participation de Agglo du Niortais : 4 000 € par an à compter de 2022, prévue par "
        "l'avenant n° 2 (non signé)"
    ]


def new_contribution_form(convention, **fields):
    agglo = Organisation.objects.get(name=AGGLO)
    data = {
        "number": "2",
        "signed_on": "2022-06-01",
        "effective_on": "2022-07-01",
        "object": "Participation de l'Agglomération",
        "changes-TOTAL_FORMS": "0",
        "changes-INITIAL_FORMS": "0",
        "contributions-TOTAL_FORMS": "0",
        "contributions-INITIAL_FORMS": "0",
        "parties-TOTAL_FORMS": "1",
        "parties-INITIAL_FORMS": "0",
        "parties-0-organisation": str(agglo.pk),
        "parties-0-action": "add",
        "new_contributions-TOTAL_FORMS": "1",
        "new_contributions-INITIAL_FORMS": "0",
        "new_contributions-0-organisation": str(agglo.pk),
        "new_contributions-0-source": "budget communautaire",
        "new_contributions-0-rule": "fixed",
        "new_contributions-0-amount": "4000",
        "new_contributions-0-first_year": "2022",
        "new_contributions-0-last_year": "2023",
        "new_contributions-0-prorata": "",
    }
    data.update(fields)
    return data


@pytest.fixture
def city_editor(niort_funders, monkeypatch):
    """Works while Niort 2021 is in force: an ended convention takes no amendment."""
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: WHILE_IN_FORCE)
    city = Organisation.objects.get(name=CITY)
    return UserFactory(organisation=city, role=Role.LOCAL_AUTHORITY)


@pytest.mark.django_db
def test_amendment_form_adds_a_party_and_its_contribution(client, niort_funders, city_editor):
    client.force_login(city_editor)
    url = reverse("conventions:amendment_create", args=[niort_funders.reference])
    response = client.post(url, new_contribution_form(niort_funders))
    assert response.status_code == 302
    contribution = Contribution.objects.get(organisation__name=AGGLO)
    assert contribution.introduced_by.number == 2
    assert plan_amounts(niort_funders)[AGGLO] == {2022: "4000.00", 2023: "4000.00"}


@pytest.mark.django_db
def test_amendment_form_refuses_a_funder_that_is_not_a_party_next_to_the_field(
    client, niort_funders, city_editor
):
    client.force_login(city_editor)
    url = reverse("conventions:amendment_create", args=[niort_funders.reference])
    response = client.post(
        url, new_contribution_form(niort_funders, **{"parties-TOTAL_FORMS": "0"})
    )
    assert response.status_code == 200
    errors = response.context["new_contribution_formset"].forms[0].errors["organisation"]
    assert errors == [
        f"{AGGLO} n'est pas partie à la convention : ajoutez-la par cet avenant (« Partie "
        "ajoutée ou retirée ») ou choisissez une partie."
    ]
    assert not Contribution.objects.filter(organisation__name=AGGLO).exists()


@pytest.mark.django_db
def test_amendment_a_payment_for_a_year_after_the_withdrawal_is_not_found_with_a_message(
    client, niort_funders, city_editor
):
    withdraw_and_add(niort_funders)
    city = niort_funders.contributions.get(organisation__name=CITY)
    client.force_login(city_editor)
    url = reverse("conventions:payment_create", args=[niort_funders.reference])
    response = client.get(url, {"contribution": city.pk, "annee": "2023"})
    assert response.status_code == 404
    assert client.get(url, {"contribution": city.pk, "annee": "2022"}).status_code == 200
