"""The funding plan of a convention: amounts per year and partner, gaps and warnings."""

import datetime
from decimal import Decimal

import pytest

from conventions.enums import PaymentState
from conventions.funding.build import funding_plan, planned_amounts
from conventions.funding.plan import Announcement
from conventions.models import Convention
from tests.conventions.factories import (
    ContributionFactory,
    ConventionFactory,
    PartyFactory,
    PaymentFactory,
    PostCostFactory,
)
from tests.partners.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

D = Decimal
TODAY = datetime.date(2024, 9, 1)


def party(convention, **traits):
    organisation = OrganisationFactory(**traits)
    order = convention.parties.count()
    return PartyFactory(convention=convention, organisation=organisation, order=order).organisation


@pytest.fixture
def ermont():
    """État 13 000 €, Département a third capped at 13 000 €, employer the balance."""
    convention = ConventionFactory(reference="ermont")
    state = party(convention, prefecture=True, short_name="État")
    departement = party(convention, departement_council=True, short_name="Département")
    employer = party(convention, epci=True, short_name="Val Parisis")
    for year, total in ((2022, "36000"), (2023, "46500"), (2024, "48000")):
        PostCostFactory(post=convention.single_post, year=year, total=D(total))
    contributions = {
        "state": ContributionFactory(
            convention=convention,
            organisation=state,
            amount=D("13000"),
            first_year=2022,
            last_year=2024,
        ),
        "departement": ContributionFactory(
            convention=convention,
            organisation=departement,
            share_capped=True,
            first_year=2022,
            last_year=2024,
        ),
        "employer": ContributionFactory(
            convention=convention,
            organisation=employer,
            balance=True,
            first_year=2022,
            last_year=2024,
        ),
    }
    return convention, contributions


@pytest.fixture
def niort():
    """Signed on 12 October 2021; État 25 350 € and Ville 5 000 € a year for 2021–2023,
    due on 30 June, no cost."""
    convention = ConventionFactory(reference="niort")
    state = party(convention, prefecture=True, short_name="État")
    city = party(convention, short_name="Ville de Niort")
    convention.parties.update(signed_on=datetime.date(2021, 10, 12))
    contributions = {
        "state": ContributionFactory(
            convention=convention, organisation=state, due_month=6, due_day=30
        ),
        "city": ContributionFactory(
            convention=convention,
            organisation=city,
            amount=D("5000"),
            source="budget communal",
            due_month=6,
            due_day=30,
        ),
    }
    return convention, contributions


def plan_of(convention, **kwargs):
    fresh = Convention.objects.all().with_funding().get(pk=convention.pk)
    return funding_plan(fresh, today=kwargs.pop("today", TODAY), **kwargs)


def amounts(plan, year):
    return [cell.amount for cell in plan.row(year).cells]


def kinds(plan):
    return [w.kind for w in plan.warnings]


def test_the_ermont_plan_gives_each_partner_its_share_every_year(ermont):
    convention, _ = ermont
    plan = plan_of(convention)
    assert [c.name for c in plan.columns] == ["État", "Département", "Val Parisis"]
    assert amounts(plan, 2022) == [D("13000"), D("12000"), D("11000")]
    assert amounts(plan, 2023) == [D("13000"), D("13000"), D("20500")]
    assert amounts(plan, 2024) == [D("13000"), D("13000"), D("22000")]


def test_a_balance_closes_the_gap_with_the_cost(ermont):
    plan = plan_of(ermont[0])
    assert [row.gap for row in plan.rows] == [D("0"), D("0"), D("0")]
    assert "deficit" not in kinds(plan) and "surplus" not in kinds(plan)


def test_the_cap_warning_names_the_years_where_the_third_is_capped(ermont):
    plan = plan_of(ermont[0])
    caps = [w for w in plan.warnings if w.kind == "cap"]
    assert [w.year for w in caps] == [2023, 2024]
    assert caps[0].text == (
        "2023 — Département : plafond atteint ; un tiers du coût (46\u00a0500\u00a0€) ferait "
        "15\u00a0500\u00a0€, la participation est limitée à 13\u00a0000\u00a0€."
    )


def test_contributions_under_the_cost_show_a_deficit(niort):
    convention, _ = niort
    PostCostFactory(post=convention.single_post, year=2022, total=D("40000"))
    plan = plan_of(convention)
    assert plan.row(2022).deficit == D("9650")
    deficits = [w.text for w in plan.warnings if w.kind == "deficit"]
    assert deficits == [
        "2022 : les contributions (30\u00a0350\u00a0€) ne couvrent pas le coût du poste "
        "(40\u00a0000\u00a0€) ; il manque 9\u00a0650\u00a0€."
    ]


def test_contributions_over_the_cost_show_a_surplus(niort):
    convention, _ = niort
    PostCostFactory(post=convention.single_post, year=2022, total=D("28967"))
    plan = plan_of(convention)
    assert plan.row(2022).surplus == D("1383")
    assert "surplus" in kinds(plan)


def test_a_balance_that_would_be_negative_is_a_warning_not_a_negative_amount(ermont):
    convention, _ = ermont
    convention.single_post.costs.filter(year=2022).update(total=D("15000"))
    plan = plan_of(convention)
    assert amounts(plan, 2022) == [D("13000"), D("5000"), D("0")]
    assert plan.row(2022).surplus == D("3000")
    warning = next(w for w in plan.warnings if w.kind == "negative_balance")
    assert warning.year == 2022 and "il est compté 0\u00a0€" in warning.text


def test_a_cost_changed_after_payments_changes_what_is_expected_not_what_was_paid(ermont):
    convention, contributions = ermont
    PaymentFactory(contribution=contributions["departement"], year=2022, amount=D("12000"))
    assert plan_of(convention).cell(2022, contributions["departement"].organisation_id).state == (
        PaymentState.PAID
    )
    convention.single_post.costs.filter(year=2022).update(total=D("30000"))
    cell = plan_of(convention).cell(2022, contributions["departement"].organisation_id)
    assert (cell.amount, cell.paid, cell.excess) == (D("10000"), D("12000"), D("2000"))
    assert cell.state == PaymentState.OVERPAID


def test_an_overpayment_is_a_warning(niort):
    convention, contributions = niort
    PaymentFactory(contribution=contributions["city"], year=2022, amount=D("6000"))
    plan = plan_of(convention)
    assert [w.text for w in plan.warnings if w.kind == "overpaid"] == [
        "2022 — Ville de Niort : les versements (6\u00a0000\u00a0€) dépassent le montant attendu "
        "(5\u00a0000\u00a0€) de 1\u00a0000\u00a0€."
    ]


def test_an_unpaid_year_after_its_due_date_is_late_and_recalls_the_suspensive_clause(niort):
    convention, contributions = niort
    PaymentFactory(contribution=contributions["state"], year=2023, amount=D("12675"))
    plan = plan_of(convention, today=datetime.date(2023, 7, 1))
    assert plan.cell(2023, contributions["state"].organisation_id).state == PaymentState.LATE
    late = [w.text for w in plan.warnings if w.kind == "late" and w.year == 2023]
    assert late[0] == (
        "2023 — État : versement en retard, 12\u00a0675\u00a0€ restent dus depuis le 30 juin "
        "2023. Le non-versement des crédits est une clause suspensive de la convention."
    )


def test_a_year_not_yet_due_is_not_late(niort):
    plan = plan_of(niort[0], today=datetime.date(2023, 6, 30))
    assert {c.state for c in plan.row(2023).cells} == {PaymentState.DUE}


def test_a_missing_cost_is_said_once_for_all_years(niort):
    plan = plan_of(niort[0])
    missing = [w.text for w in plan.warnings if w.kind == "missing_cost"]
    assert missing == [
        "Le coût du poste n'est pas renseigné pour 2021, 2022 et 2023 : l'écart entre le coût "
        "et les contributions n'est pas calculé."
    ]


def test_a_share_without_cost_is_unknown_and_so_is_the_total(ermont):
    convention, contributions = ermont
    convention.single_post.costs.filter(year=2024).delete()
    row = plan_of(convention).row(2024)
    assert row.cells[1].amount is None and row.cells[1].state == PaymentState.UNKNOWN
    assert row.totals.incomplete and row.gap is None


def test_the_announced_total_of_the_deliberation_is_compared_with_the_contributions(niort):
    convention, _ = niort
    announced = [Announcement("la délibération D-2021-313", None, None, D("28967"))]
    plan = plan_of(convention, announced=announced)
    assert [w.text for w in plan.warnings if w.kind == "announced"] == [
        "Le montant annoncé par la délibération D-2021-313 (28\u00a0967\u00a0€) ne correspond "
        "pas au total des contributions (30\u00a0350\u00a0€) pour 2021, 2022 et 2023."
    ]


def test_an_announced_amount_equal_to_the_contribution_raises_nothing(niort):
    convention, contributions = niort
    city = contributions["city"].organisation_id
    plan = plan_of(convention, announced=[("la délibération D-2021-313", city, 2021, D("5000"))])
    assert "announced" not in kinds(plan)


def test_an_announced_partner_amount_that_differs_names_the_partner(niort):
    convention, contributions = niort
    city = contributions["city"].organisation_id
    plan = plan_of(convention, announced=[("la délibération n° 12", city, 2022, D("4000"))])
    assert [w.text for w in plan.warnings if w.kind == "announced"] == [
        "Le montant annoncé par la délibération n° 12 (4\u00a0000\u00a0€) ne correspond pas à la "
        "contribution de Ville de Niort (5\u00a0000\u00a0€) pour 2022."
    ]


def test_planned_amounts_give_each_partner_and_the_total_for_a_year(niort):
    convention, contributions = niort
    assert planned_amounts(convention, 2022) == {
        contributions["state"].organisation_id: D("25350"),
        contributions["city"].organisation_id: D("5000"),
        None: D("30350"),
    }


def test_planned_amounts_leave_out_the_total_when_a_share_cannot_be_computed(ermont):
    convention, contributions = ermont
    convention.single_post.costs.filter(year=2024).delete()
    amounts = planned_amounts(convention, 2024)
    assert None not in amounts
    assert amounts == {contributions["state"].organisation_id: D("13000")}


def test_totals_add_up_per_partner_and_for_the_convention(ermont):
    convention, contributions = ermont
    PaymentFactory(contribution=contributions["state"], year=2022, amount=D("13000"))
    plan = plan_of(convention)
    assert plan.columns[0].totals.expected == D("39000")
    assert plan.columns[0].totals.paid == D("13000")
    assert plan.totals.expected == D("130500") == plan.cost_total
    assert plan.totals.remaining == D("117500")
