"""What each contribution expects and was paid, year by year, over many conventions at
once, in a fixed number of queries: the figures of the steering pages (``config.steering``).

The rows are loaded and the sums made by SQL as ``conventions.funding.due`` loads them
(``load_terms``, ``paid_sums``, ``post_costs``), and the rules of
``conventions.funding.rules`` decide each year's amount (``due.expected_in_year``): the
steering, the dashboards and the funding plan always agree.
An aid in kind is never expected nor paid: its valued amount comes apart, for the years
its contribution covers.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple

from django.db.models import Q

from conventions.enums import ContributionNature, PaymentState
from conventions.funding.due import (
    by_section,
    expected_in_year,
    load_terms,
    paid_sums,
    periods_for_prorata,
    post_costs,
)
from conventions.funding.rules import ZERO, due_date, payment_state
from conventions.models import Contribution


@dataclass(frozen=True)
class YearAmount:
    """One contribution in one budget year: in money, what it expects and what was paid;
    in kind, its valued amount as ``expected`` (None: not valued) and nothing paid."""

    contribution_id: int
    convention_id: int
    post_id: int
    departement: str  # the post's
    organisation_id: int
    organisation_kind: str
    # The funder employs the post: it pays from its own funds.
    is_employer: bool
    budget_line: str
    budget_line_label: str
    source: str
    nature: str
    year: int
    expected: Decimal | None  # None: cannot be computed (the year's cost is missing)
    paid: Decimal
    due_date: datetime.date | None
    state: str
    # The convention binds its funders (every party signed): the amount is committed.
    committed: bool

    @property
    def remaining(self) -> Decimal:
        if self.expected is None:
            return ZERO
        return max(self.expected - self.paid, ZERO)

    @property
    def is_late(self) -> bool:
        return self.state == PaymentState.LATE


@dataclass(frozen=True)
class PostYear:
    """A post funded in a year (a money contribution covers it): its cost, None when not
    entered, counted once even when two conventions fund it."""

    post_id: int
    departement: str
    year: int
    cost: Decimal | None


class YearlyFunding(NamedTuple):
    amounts: list[YearAmount]
    posts: list[PostYear]


def expected_by_year(conventions, years: Iterable[int], *, today: datetime.date) -> YearlyFunding:
    """The money and in-kind contributions of ``conventions`` in each of ``years``, and
    the posts they fund with their cost. A contribution without a post (a convention that
    covers no post yet) funds nothing that can be counted: it is left out.

    Six queries whatever the number of conventions (the money contributions, the amounts
    their signed amendments change, the parties they withdraw, the sums paid per
    contribution and year, the post costs, the aids in kind), one more when a
    contribution is a share by year, and more when one is pro-rated (as ``funding_due``).
    """
    years = sorted(years)
    in_scope = conventions.values("pk")
    contributions, binding = load_terms(in_scope)
    contributions = [c for c in contributions if c.post_id is not None]
    amounts, posts = [], {}
    if contributions:
        paid = paid_sums(in_scope, year__in=years)
        costs = post_costs(in_scope, year__in=years)
        periods = periods_for_prorata(contributions)
        for (convention_id, post_id), items in by_section(contributions).items():
            for year in years:
                active, expected, cost = expected_in_year(
                    items, year, costs, periods.get(convention_id, [])
                )
                if not active:
                    continue
                posts[(post_id, year)] = PostYear(post_id, items[0].post_departement, year, cost)
                for terms in active:
                    amount = expected[terms.pk].amount
                    paid_amount = paid.get((terms.pk, year), ZERO)
                    due = due_date(terms, year, binding[convention_id])
                    amounts.append(
                        YearAmount(
                            contribution_id=terms.pk,
                            convention_id=convention_id,
                            post_id=post_id,
                            departement=terms.post_departement,
                            organisation_id=terms.organisation_id,
                            organisation_kind=terms.organisation_kind,
                            is_employer=terms.organisation_id == terms.post_employer_id,
                            budget_line=terms.budget_line,
                            budget_line_label=terms.budget_line_label,
                            source=terms.source,
                            nature=ContributionNature.MONEY,
                            year=year,
                            expected=amount,
                            paid=paid_amount,
                            due_date=due,
                            state=payment_state(amount, paid_amount, due, today),
                            committed=binding[convention_id] is not None,
                        )
                    )
    amounts.extend(_in_kind(in_scope, years))
    return YearlyFunding(amounts, list(posts.values()))


def _in_kind(in_scope, years: list[int]) -> list[YearAmount]:
    """The aids in kind over ``years``, at their annual value: one query. One that an
    amendment adds counts once that amendment is signed."""
    rows = (
        Contribution.objects.filter(
            Q(introduced_by__isnull=True) | Q(introduced_by__signed_on__isnull=False),
            convention__in=in_scope,
            nature=ContributionNature.IN_KIND,
            post__isnull=False,
            first_year__lte=years[-1],
            last_year__gte=years[0],
        )
        .order_by("pk")
        .values_list(
            "pk",
            "convention_id",
            "post_id",
            "post__departement",
            "organisation_id",
            "organisation__kind",
            "post__employer_id",
            "budget_line",
            "budget_line_label",
            "source",
            "in_kind_value",
            "first_year",
            "last_year",
        )
    )
    return [
        YearAmount(
            contribution_id=pk,
            convention_id=convention_id,
            post_id=post_id,
            departement=departement,
            organisation_id=organisation_id,
            organisation_kind=kind,
            is_employer=organisation_id == employer_id,
            budget_line=budget_line,
            budget_line_label=budget_line_label,
            source=source,
            nature=ContributionNature.IN_KIND,
            year=year,
            expected=value,
            paid=ZERO,
            due_date=None,
            state=PaymentState.NOTHING_DUE,
            committed=False,
        )
        for (
            pk,
            convention_id,
            post_id,
            departement,
            organisation_id,
            kind,
            employer_id,
            budget_line,
            budget_line_label,
            source,
            value,
            first_year,
            last_year,
        ) in rows
        for year in years
        if first_year <= year <= last_year
    ]
