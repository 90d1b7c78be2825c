"""What is due and not paid, over many conventions at once, in a fixed number of queries.

The dashboards list the contributions not fully paid, of this year and of past
years (late when the convention states a due date), and this year's funding gaps,
over every convention in scope: for an administrator, every convention of the
country and ten years of payments.
Building each convention's ``FundingPlan`` would load every payment, party
and year into model instances; here SQL sums the payments per contribution and
year, the past years that are provably settled (a fixed amount paid in full)
are skipped, and the rules of ``conventions.funding.rules`` (``expected_amount``,
``payment_state``) decide on the rest, so that the dashboard and the funding
plan always agree.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, fields, replace
from decimal import Decimal
from typing import NamedTuple

from django.db.models import Case, Exists, Max, OuterRef, Subquery, Sum, When
from django.db.models.functions import Coalesce

from conventions.enums import (
    ContributionNature,
    ContributionRule,
    PartyChangeAction,
    PaymentState,
    ProRata,
    StartRule,
)
from conventions.funding.amended import AmendmentFacts, as_amended, clipped_periods
from conventions.funding.rules import (
    ZERO,
    Expected,
    binding_from,
    due_date,
    expected_amount,
    payment_state,
)
from conventions.models import (
    Contribution,
    ContributionChange,
    ContributionYearShare,
    Convention,
    Party,
    PartyChange,
    Payment,
    PostCost,
)

UNPAID_STATES = (PaymentState.DUE, PaymentState.PARTLY_PAID, PaymentState.LATE)


@dataclass(frozen=True)
class DueCell:
    """One contribution in one budget year, not (fully) paid."""

    reference: str  # the convention's
    organisation_name: str
    year: int
    amount: Decimal
    paid: Decimal
    due_date: datetime.date | None
    state: PaymentState

    @property
    def remaining(self) -> Decimal:
        return max(self.amount - self.paid, ZERO)

    @property
    def is_late(self) -> bool:
        return self.state == PaymentState.LATE


@dataclass(frozen=True)
class Deficit:
    """This year's gap of a convention; ``amount`` None: it cannot be known (``missing``
    says what is unknown), which is not the same as no gap."""

    reference: str
    year: int
    amount: Decimal | None
    missing: str = ""


@dataclass(frozen=True, slots=True)
class Terms:
    """What the rules read of a contribution (``expected_amount``, ``due_date``)."""

    pk: int
    convention_id: int
    organisation_id: int
    first_year: int
    last_year: int
    rule: str
    amount: Decimal | None
    share_numerator: int | None
    share_denominator: int | None
    cap: Decimal | None
    floor: Decimal | None
    budget_line: str
    budget_line_label: str
    source: str
    prorata: str
    due_month: int | None
    due_day: int | None
    introduced_by_id: int | None
    reference: str
    organisation_name: str
    post_id: int | None
    # Who pays and where, for the steering's groups of funders (``funding.yearly``).
    organisation_kind: str
    post_departement: str | None
    post_employer_id: int | None
    # Set by ``amended.as_amended``: what a pro-rata covers (``amended.clipped_periods``).
    active_from: datetime.date | None = None
    active_until: datetime.date | None = None
    # (year, percentage) of a share by year, read apart (``_share_schedules``).
    share_schedule: tuple = ()

    @property
    def line_key(self) -> tuple:
        """As ``Contribution.line_key``: one funder's budget line for one post."""
        return (
            self.organisation_id,
            self.budget_line,
            self.budget_line_label.strip().lower(),
            self.post_id,
        )

    def covers(self, year: int) -> bool:
        return self.first_year <= year <= self.last_year

    def settled(self, year: int, paid: Decimal) -> bool:
        """Provably paid in full: a fixed amount without pro-rata is expected whole."""
        return (
            self.rule == ContributionRule.FIXED
            and self.prorata == ProRata.NONE
            and (paid >= self.amount)
        )


_NAMES = [f.name for f in fields(Terms)]
# The contribution's own columns, then those read through a join.
COLUMNS = [
    *_NAMES[: _NAMES.index("reference")],
    "convention__reference",
    "organisation__name",
    "post_id",
    "organisation__kind",
    "post__departement",
    "post__employer_id",
]


class FundingDue(NamedTuple):
    cells: list[DueCell]
    deficits: list[Deficit]
    # How many posts (sections) a money contribution covers this year, so whose gap was
    # computed: « aucun poste sous-financé » can be said of those only, and of none when
    # it is 0 (no amount to compare the costs with).
    posts_assessed: int


def funding_due(conventions, *, today: datetime.date) -> FundingDue:
    """Unpaid cells (this year's, and late ones of any year) and this year's deficits.

    Five queries whatever the number of conventions (their contributions, the amounts
    their signed amendments change, the parties they withdraw, the sums paid per
    contribution and year, the post costs), one more when a contribution is a share by
    year (the yearly shares), and more when a contribution is pro-rated (its
    convention's parties, renewals and amendments give the periods).
    """
    year = today.year
    in_scope = conventions.values("pk")
    contributions, binding = load_terms(in_scope)
    if not contributions:
        return FundingDue([], [], posts_assessed=0)
    paid = paid_sums(in_scope, year__lte=year)
    costs = post_costs(in_scope, year__lte=year)
    periods = periods_for_prorata(contributions)

    cells, deficits, posts_assessed = [], [], 0
    for (convention_id, _post_id), items in by_section(contributions).items():
        years = {year} if any(c.covers(year) for c in items) else set()
        posts_assessed += bool(years)
        # A past year matters unless provably settled: unpaid, it is listed, late or not
        # (without a stated due date it is still to pay, never late).
        years.update(
            past
            for c in items
            for past in range(c.first_year, min(c.last_year, year - 1) + 1)
            if not c.settled(past, paid.get((c.pk, past), ZERO))
        )
        for cell_year in sorted(years):
            year_cells, deficit = _year(
                items,
                cell_year,
                costs,
                paid,
                periods.get(convention_id, []),
                today,
                binding[convention_id],
            )
            cells.extend(c for c in year_cells if c.state in UNPAID_STATES)
            if cell_year == year and deficit:
                deficits.append(
                    deficit
                    if isinstance(deficit, Deficit)
                    else Deficit(items[0].reference, year, deficit)
                )
    return FundingDue(cells, deficits, posts_assessed)


def load_terms(in_scope) -> tuple[list[Terms], dict[int, datetime.date | None]]:
    """The money contributions of the conventions ``in_scope`` (a ``values("pk")``
    queryset) as their signed amendments change them, and when each convention binds its
    funders (``binding_from``), by convention id. Three queries, one more when a
    contribution is a share by year."""
    # When each convention binds its funders (``binding_from``), read with the
    # contributions: no payment is late before the convention was signed.
    signing = Party.objects.filter(convention=OuterRef("convention"), signs=True).order_by()
    rows = (
        # An aid in kind is never due: nothing to pay, nothing late.
        Contribution.objects.filter(convention__in=in_scope, nature=ContributionNature.MONEY)
        .annotate(
            last_signature=Subquery(
                signing.values("convention").annotate(last=Max("signed_on")).values("last")
            ),
            unsigned=Exists(signing.filter(signed_on__isnull=True)),
            # When the amendment that adds it takes effect; None while unsigned.
            introduced_on=Case(
                When(
                    introduced_by__signed_on__isnull=False,
                    then=Coalesce("introduced_by__effective_on", "introduced_by__signed_on"),
                )
            ),
        )
        .order_by("first_year", "pk")
        .values_list(
            *COLUMNS,
            "last_signature",
            "unsigned",
            "convention__start_rule",
            "convention__stated_start_date",
            "introduced_by__number",
            "introduced_on",
        )
    )
    contributions, binding, introduced = [], {}, {}
    for *terms, last_signature, unsigned, start_rule, stated_start, number, introduced_on in rows:
        contribution = Terms(*terms)
        contributions.append(contribution)
        signed = None if unsigned else last_signature
        effective = stated_start if start_rule == StartRule.STATED_DATE else signed
        binding[contribution.convention_id] = binding_from(signed, effective)
        if introduced_on is not None:
            introduced[contribution.introduced_by_id] = (
                contribution.convention_id,
                number,
                introduced_on,
            )
    if not contributions:
        return [], binding
    contributions = _with_share_schedules(contributions)
    return _as_amended(contributions, in_scope, introduced), binding


def paid_sums(in_scope, **years) -> dict[tuple[int, int], Decimal]:
    """What was paid per (contribution id, year) under the conventions ``in_scope``, in the
    years that ``years`` filters (``year__lte=2026``): one query."""
    return {
        (contribution, paid_year): total
        # A cancelled payment no longer counts as paid.
        for contribution, paid_year, total in Payment.objects.filter(
            contribution__convention__in=in_scope, cancelled_at__isnull=True, **years
        )
        .order_by()
        .values("contribution", "year")
        .annotate(total=Sum("amount"))
        .values_list("contribution", "year", "total")
    }


def post_costs(in_scope, **years) -> dict[tuple[int, int], Decimal]:
    """The cost per (post id, year) of the posts that the contributions of the conventions
    ``in_scope`` fund, in the years that ``years`` filters: one query."""
    return {
        (post, cost_year): total
        for post, cost_year, total in PostCost.objects.filter(
            post__in=Contribution.objects.filter(convention__in=in_scope).values("post"),
            **years,
        ).values_list("post_id", "year", "total")
    }


def by_section(contributions: list[Terms]) -> dict[tuple[int, int | None], list[Terms]]:
    """The contributions by (convention id, post id): each post (annex) of a framework
    convention has its cost, shares and balance."""
    sections = defaultdict(list)
    for contribution in contributions:
        sections[(contribution.convention_id, contribution.post_id)].append(contribution)
    return sections


def _with_share_schedules(contributions: list[Terms]) -> list[Terms]:
    """The yearly shares of the shares by year: one query, only when there are some."""
    by_year = [c.pk for c in contributions if c.rule == ContributionRule.SHARE_BY_YEAR]
    if not by_year:
        return contributions
    schedules = defaultdict(list)
    for contribution_id, year, share in (
        ContributionYearShare.objects.filter(contribution__in=by_year)
        .order_by("year")
        .values_list("contribution_id", "year", "share")
    ):
        schedules[contribution_id].append((year, share))
    return [
        replace(c, share_schedule=tuple(schedules[c.pk])) if c.pk in schedules else c
        for c in contributions
    ]


def _as_amended(contributions, in_scope, introduced) -> list[Terms]:
    """The contributions as the signed amendments change them, split by
    ``amended.as_amended`` as the funding plan splits them (two queries: the new amounts
    and the withdrawn parties). ``introduced``: the signed amendments that add a
    contribution, read with it, as {amendment id: (convention id, number, takes effect)}."""
    signed = {"amendment__signed_on__isnull": False, "amendment__convention__in": in_scope}
    takes_effect = Coalesce("amendment__effective_on", "amendment__signed_on")
    head = ("amendment__convention_id", "amendment_id", "amendment__number", "takes_effect")
    found = {}  # amendment id -> [convention id, number, takes effect, changes, withdrawn]

    def entry(convention_id, pk, number, on):
        return found.setdefault(pk, [convention_id, number, on, [], set()])

    for contribution_id, from_year, until_year, amount, *key in (
        ContributionChange.objects.filter(**signed)
        .annotate(takes_effect=takes_effect)
        .order_by("pk")
        .values_list("contribution_id", "from_year", "until_year", "amount", *head)
    ):
        entry(*key)[3].append((contribution_id, from_year, until_year, amount))
    for organisation_id, *key in (
        PartyChange.objects.filter(action=PartyChangeAction.REMOVE, **signed)
        .annotate(takes_effect=takes_effect)
        .order_by()
        .values_list("organisation_id", *head)
    ):
        entry(*key)[4].add(organisation_id)
    for pk, (convention_id, number, on) in introduced.items():
        entry(convention_id, pk, number, on)
    if not found:
        return [t for t in contributions if t.introduced_by_id is None]
    facts = defaultdict(list)
    for pk, (convention_id, number, on, changes, withdrawn) in found.items():
        facts[convention_id].append(
            AmendmentFacts(pk, number, on, tuple(changes), frozenset(withdrawn))
        )
    by_convention = defaultdict(list)
    for terms in contributions:
        by_convention[terms.convention_id].append(terms)
    return [
        piece
        for convention_id, items in by_convention.items()
        for piece in as_amended(items, sorted(facts[convention_id], key=lambda f: f.order), replace)
    ]


def periods_for_prorata(contributions) -> dict[int, list]:
    last_years = defaultdict(int)
    for c in contributions:
        if c.prorata != ProRata.NONE:
            last_years[c.convention_id] = max(last_years[c.convention_id], c.last_year)
    if not last_years:
        return {}
    conventions = Convention.objects.filter(pk__in=last_years).prefetch_related(
        "parties", "renewals", "amendments"
    )
    # Tacit renewals up to the last budget year, as ``funding_plan`` reads them.
    return {c.pk: c.periods(until=datetime.date(last_years[c.pk], 12, 31)) for c in conventions}


def expected_in_year(
    items, year, costs, periods
) -> tuple[list[Terms], dict[int, Expected], Decimal | None]:
    """What each contribution of one convention's post expects in ``year``, as
    ``funding._cells_for_year`` computes it: the contributions in force that year (the
    first of each budget line), their ``Expected`` by contribution id, and the post's
    cost (None when not entered). ``items``: the contributions of one (convention, post)."""
    first_by_line = {}
    for contribution in items:
        if contribution.covers(year):
            first_by_line.setdefault(contribution.line_key, contribution)
    active = list(first_by_line.values())
    cost = costs.get((items[0].post_id, year))
    expected = {}
    for contribution in active:
        if contribution.rule != ContributionRule.BALANCE:
            expected[contribution.pk] = expected_amount(
                contribution, year, cost, periods=clipped_periods(contribution, periods)
            )
    others = sum((e.amount for e in expected.values() if e.amount is not None), ZERO)
    for contribution in active:
        if contribution.rule == ContributionRule.BALANCE:
            expected[contribution.pk] = expected_amount(
                contribution, year, cost, others, periods=clipped_periods(contribution, periods)
            )
    return active, expected, cost


def _year(
    items, year, costs, paid, periods, today, binding
) -> tuple[list[DueCell], Decimal | Deficit | None]:
    """The cells of one convention's year for one post, as ``funding._cells_for_year``
    computes them."""
    active, expected, cost = expected_in_year(items, year, costs, periods)
    cells = []
    for contribution in active:
        amount = expected[contribution.pk].amount
        if amount is None:
            continue
        paid_amount = paid.get((contribution.pk, year), ZERO)
        due = due_date(contribution, year, binding)
        cells.append(
            DueCell(
                contribution.reference,
                contribution.organisation_name,
                year,
                amount,
                paid_amount,
                due,
                payment_state(amount, paid_amount, due, today),
            )
        )
    amounts = [e.amount for e in expected.values()]
    if not active:
        return cells, None
    # Without the post's cost, or an amount, nobody can tell whether the post is funded.
    if cost is None:
        missing = f"coût du poste {year} non renseigné"
        return cells, Deficit(items[0].reference, year, None, missing)
    if None in amounts:
        missing = f"montant {year} d'une contribution inconnu"
        return cells, Deficit(items[0].reference, year, None, missing)
    deficit = None
    if sum(amounts, ZERO) < cost:
        deficit = cost - sum(amounts, ZERO)
    return cells, deficit
