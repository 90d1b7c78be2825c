"""What is due and unpaid over many conventions: the same answer as each funding plan."""

import datetime
from decimal import Decimal

import pytest

from conventions.enums import PaymentState, ProRata
from conventions.funding.build import plans_for
from conventions.funding.due import UNPAID_STATES, funding_due
from conventions.models import Convention
from tests.conventions.factories import (
    ContributionFactory,
    ConventionFactory,
    PartyFactory,
    PaymentFactory,
    PostCostFactory,
    PostFactory,
    RenewalFactory,
)
from tests.partners.factories import OrganisationFactory

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 22)


def convention_with_partners(*, start, years=3, prorata=ProRata.NONE, costs=True):
    """State (fixed, due 30 June), Département (a third, capped), employer (the balance)."""
    post = PostFactory()
    convention = ConventionFactory(post=post, start_rule="date", stated_start_date=start)
    state = OrganisationFactory(prefecture=True)
    departement = OrganisationFactory(kind="departement")
    employer = post.employer
    for order, organisation in enumerate((state, departement, employer)):
        PartyFactory(convention=convention, organisation=organisation, order=order, signed_on=start)
    first, last = start.year, start.year + years - 1
    contributions = {
        "state": ContributionFactory(
            convention=convention,
            organisation=state,
            first_year=first,
            last_year=last,
            amount=Decimal("20000"),
            due_month=6,
            due_day=30,
            prorata=prorata,
        ),
        "departement": ContributionFactory(
            convention=convention,
            organisation=departement,
            share_capped=True,
            first_year=first,
            last_year=last,
            due_month=9,
            due_day=30,
        ),
        "employer": ContributionFactory(
            convention=convention,
            organisation=employer,
            balance=True,
            first_year=first,
            last_year=last,
        ),
    }
    if costs:
        for year in range(first, last + 1):
            PostCostFactory(post=post, year=year, total=Decimal("45000") + 1000 * (year - first))
    return convention, contributions


def from_plans(conventions):
    cells, deficits = [], []
    for plan in plans_for(conventions.with_funding(), today=TODAY):
        for cell in plan.cells:
            if cell.state in UNPAID_STATES and cell.year <= TODAY.year:
                cells.append(
                    (
                        plan.convention.reference,
                        cell.contribution.organisation.name,
                        cell.year,
                        cell.amount,
                        cell.paid,
                        cell.due_date,
                        cell.state,
                    )
                )
        row = plan.row(TODAY.year)
        if row is not None and row.deficit:
            deficits.append((plan.convention.reference, TODAY.year, row.deficit))
    return sorted(cells), sorted(deficits)


def from_funding_due(conventions):
    cells, deficits, _ = funding_due(conventions, today=TODAY)
    return (
        sorted(
            (c.reference, c.organisation_name, c.year, c.amount, c.paid, c.due_date, c.state)
            for c in cells
        ),
        # A gap that cannot be known (no post cost) is not a gap of the plan's rows.
        sorted((d.reference, d.year, d.amount) for d in deficits if d.amount is not None),
    )


@pytest.fixture
def mixed():
    """Paid, partly paid, unpaid and overpaid years; a pro-rata; a missing cost; a deficit."""
    old, contributions = convention_with_partners(start=datetime.date(2023, 1, 1))
    PaymentFactory(contribution=contributions["state"], year=2023, amount=Decimal("20000"))
    PaymentFactory(contribution=contributions["state"], year=2024, amount=Decimal("12000"))
    PaymentFactory(contribution=contributions["state"], year=2025, amount=Decimal("25000"))
    PaymentFactory(contribution=contributions["departement"], year=2023, amount=Decimal("13000"))

    current, contributions = convention_with_partners(
        start=datetime.date(2026, 4, 1), prorata=ProRata.MONTHS
    )
    PaymentFactory(contribution=contributions["state"], year=2026, amount=Decimal("5000"))
    RenewalFactory(
        convention=current,
        number=1,
        start=datetime.date(2029, 4, 1),
        end=datetime.date(2032, 3, 31),
    )

    uncosted, _ = convention_with_partners(start=datetime.date(2025, 1, 1), costs=False)

    # Only the State's fixed amount has a due date: SQL sums alone say which years are settled.
    fixed, contributions = convention_with_partners(start=datetime.date(2023, 1, 1))
    contributions["departement"].delete()
    PaymentFactory(contribution=contributions["state"], year=2023, amount=Decimal("20000"))
    PaymentFactory(contribution=contributions["state"], year=2024, amount=Decimal("8000"))
    PaymentFactory(contribution=contributions["state"], year=2024, amount=Decimal("4000"))
    PaymentFactory(contribution=contributions["state"], year=2025, amount=Decimal("20000"))

    short, contributions = convention_with_partners(start=datetime.date(2026, 1, 1), years=1)
    # Without the employer's balance, the State and the Département leave a deficit.
    contributions["employer"].delete()
    contributions["state"].amount = Decimal("10000")
    contributions["state"].save()
    return Convention.objects.filter(pk__in=[old.pk, current.pk, uncosted.pk, fixed.pk, short.pk])


def test_the_dashboard_cells_are_those_of_the_funding_plans(mixed):
    expected_cells, expected_deficits = from_plans(mixed)
    assert expected_cells, "the data must hold unpaid cells"
    assert expected_deficits, "the data must hold a deficit"
    assert from_funding_due(mixed) == (expected_cells, expected_deficits)


def test_a_year_paid_in_full_is_not_late_and_a_partly_paid_one_is(mixed):
    cells, _, _ = funding_due(
        mixed.filter(stated_start_date=datetime.date(2023, 1, 1)), today=TODAY
    )
    late = {(c.year, c.paid) for c in cells if c.is_late}
    assert (2024, Decimal("12000")) in late  # 12 000 € of 20 000 €, in two payments
    assert not any(c.year in (2023, 2025) and c.paid == Decimal("20000") for c in cells)


def test_an_unpaid_past_year_without_a_stated_due_date_is_listed_but_never_late(mixed):
    """The employer's balance states no due date: still to pay, never « en retard »."""
    cells, _, _ = funding_due(mixed, today=TODAY)
    past = [c for c in cells if c.year < TODAY.year and c.due_date is None]
    assert past
    assert {c.state for c in past} <= {PaymentState.DUE, PaymentState.PARTLY_PAID}


@pytest.mark.parametrize("count", [1, 6])
def test_it_runs_five_queries_whatever_the_number_of_conventions(count, django_assert_num_queries):
    for index in range(count):
        convention_with_partners(start=datetime.date(2024 + index % 3, 1, 1))
    # The contributions with their convention, organisation and the amendment that adds
    # them, the amounts signed amendments change, the parties they withdraw, the sums
    # paid per contribution and year, the post costs.
    with django_assert_num_queries(5):
        cells, _, _ = funding_due(Convention.objects.all(), today=TODAY)
    assert cells
