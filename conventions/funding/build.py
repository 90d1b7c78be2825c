"""Building funding plans from loaded conventions.

``funding_plan`` reads a convention whose parties, renewals, contributions,
payments and post costs were prefetched by ``Convention.objects.with_funding()``;
the only query here is ``announcements_for`` (one for all the conventions).
"""

import copy
import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from conventions.enums import BudgetLine, ContributionRule, ProRata
from conventions.funding.amended import as_amended, clipped_periods, facts_of
from conventions.funding.plan import (
    Announcement,
    Cell,
    Column,
    FundingPlan,
    PostBlock,
    YearRow,
)
from conventions.funding.rules import (
    ZERO,
    convention_binding_from,
    due_date,
    expected_amount,
    partner_name,
    payment_state,
    stated_due_date,
)
from conventions.funding.warnings import plan_warnings
from conventions.models import DecidedAmount


def announcements_for(conventions) -> dict[int, list["Announcement"]]:
    """Amounts that linked decisions announce, by convention id.

    One query for all ``conventions``: the amounts decided by the
    deliberations linked to them, so that every funding page compares them
    with the plan.
    """
    announced = defaultdict(list)
    rows = (
        DecidedAmount.objects.filter(deliberation__conventions__in=[c.pk for c in conventions])
        .values_list(
            "deliberation__conventions", "deliberation__number", "organisation_id", "year", "amount"
        )
        .order_by("deliberation__session_date", "pk")
    )
    for convention_id, number, organisation_id, year, amount in rows:
        announced[convention_id].append(
            Announcement(f"la délibération {number}", organisation_id, year, amount)
        )
    return dict(announced)


def plans_for(conventions, *, today: datetime.date | None = None) -> list["FundingPlan"]:
    """Funding plans of already loaded conventions (see ``ConventionQuerySet.with_funding``)."""
    conventions = list(conventions)
    announced = announcements_for(conventions)
    return [funding_plan(c, announced=announced.get(c.pk, ()), today=today) for c in conventions]


def funding_plan(
    convention, *, announced: Iterable = (), today: datetime.date | None = None
) -> FundingPlan:
    """The funding plan of ``convention``: years × partners, totals, gaps, warnings.

    ``announced`` holds amounts announced elsewhere (a deliberation), as
    ``Announcement`` or (label, organisation_id, year, amount) tuples.
    """
    if today is None:
        today = timezone.localdate()
    everything = list(convention.contributions.all())
    # An aid in kind is shown apart: never expected, paid nor counted in the totals.
    in_kind = [c for c in everything if c.is_in_kind]
    signed_contributions = [c for c in everything if not c.is_in_kind]
    contributions = amended_contributions(convention, signed_contributions)
    party_order = {p.organisation_id: p.order for p in convention.parties.all()}
    columns = _columns(contributions, party_order, convention.ordered_sections())
    years = sorted({y for c in contributions for y in c.years})
    sections = convention.ordered_sections()
    costs = {
        section.post_id: {cost.year: cost for cost in section.post.costs.all()}
        for section in sections
    }
    needs_periods = any(c.prorata != ProRata.NONE for c in contributions)
    # Tacit renewals roll on up to the last budget year: a pro-rata is expected over
    # the renewed periods too, not 0 € from the second one.
    until = datetime.date(years[-1], 12, 31) if years else None
    periods = convention.periods(until=until) if needs_periods else []
    binding = convention_binding_from(convention)

    # Read each contribution's payments once: a related manager per year and per
    # contribution costs more than the arithmetic.
    payments = defaultdict(list)
    for contribution in signed_contributions:
        for payment in contribution.payments.all():
            payments[(id(contribution), payment.year)].append(payment)

    plan = FundingPlan(convention, columns, [], [], today)
    plan.in_kind = sorted(
        in_kind,
        key=lambda c: (party_order.get(c.organisation_id, 1000), c.first_year, c.pk or 0),
    )
    for year in years:
        costs_of_year = {
            post_id: by_year.get(year)
            for post_id, by_year in costs.items()
            if _counts_in(sections, post_id, year)
        }
        row = YearRow(
            year,
            _row_cost(costs_of_year, year),
            _cells_for_year(columns, year, costs_of_year, periods, today, payments, binding),
        )
        for column, cell in zip(columns, row.cells, strict=True):
            if cell is not None:
                row.totals.add(cell)
                column.totals.add(cell)
                plan.totals.add(cell)
        plan.rows.append(row)
    if len(sections) > 1:
        plan.blocks = _post_blocks(plan, sections, costs)
    plan.warnings = plan_warnings(plan, [_announcement(a) for a in announced])
    return plan


def _post_blocks(plan: FundingPlan, sections, costs) -> list[PostBlock]:
    """The plan cut by post: each annex's funders, against that post's own cost."""
    blocks = []
    for section in sections:
        indexes = [
            index
            for index, column in enumerate(plan.columns)
            if column.contributions[0].post_id == section.post_id
        ]
        block = PostBlock(section, [plan.columns[i] for i in indexes], [])
        for plan_row in plan.rows:
            counts = _counts_in(sections, section.post_id, plan_row.year)
            row = YearRow(
                plan_row.year,
                costs[section.post_id].get(plan_row.year) if counts else None,
                [plan_row.cells[i] for i in indexes],
            )
            for cell in row.cells:
                if cell is not None:
                    row.totals.add(cell)
                    block.totals.add(cell)
            block.rows.append(row)
        blocks.append(block)
    return blocks


# The FIPD first, as the budget lines are listed; a line not stated last.
LINE_ORDER = {line: index for index, line in enumerate([*BudgetLine.values[1:], ""])}


def _columns(contributions, party_order, sections=()) -> list[Column]:
    """One column per funder and budget line (and post, for a framework convention), in
    the annexes' order, then the parties' order, then by line."""
    annex = {section.post_id: section for section in sections}
    by_line: dict[tuple, list] = {}
    for contribution in contributions:
        by_line.setdefault(contribution.line_key, []).append(contribution)
    lines_per_funder = defaultdict(int)
    for organisation_id, _line, _label, post_id in by_line:
        lines_per_funder[(organisation_id, post_id)] += 1
    several_posts = len(sections) > 1
    columns = []
    for key, items in sorted(
        by_line.items(),
        key=lambda kv: (
            annex[kv[0][3]].number if kv[0][3] in annex else 1000,
            party_order.get(kv[0][0], 1000),
            partner_name(kv[1][0].organisation),
            LINE_ORDER.get(kv[0][1], len(LINE_ORDER)),
            kv[0][2],
        ),
    ):
        annex_name = ""
        if several_posts:
            section = annex.get(key[3])
            annex_name = f"annexe n° {section.number}" if section else "poste non précisé"
        line = ""
        if lines_per_funder[(key[0], key[3])] > 1:
            line = items[0].budget_line_name or "ligne non précisée"
        columns.append(
            Column(items[0].organisation, sorted(items, key=_by_years), line=line, annex=annex_name)
        )
    return columns


def _by_years(contribution):
    return (contribution.first_year, contribution.pk or 0)


def amended_contributions(convention, contributions) -> list:
    """The contributions as the signed amendments change them (``amended.as_amended``):
    a changed one becomes copies that remember the signed contribution in
    ``amended_from`` (for its payments and its page). Reads
    ``amendments__contribution_changes`` and ``amendments__party_changes``."""
    return as_amended(contributions, facts_of(convention.amendments.all()), _copy_with)


def _copy_with(contribution, **fields):
    piece = copy.copy(contribution)
    for name, value in fields.items():
        setattr(piece, name, value)
    piece.amended_from = getattr(contribution, "amended_from", contribution)
    return piece


def _counts_in(sections, post_id, year: int) -> bool:
    """Whether the post's cost counts in ``year``: not added by an amendment taking
    effect after the year (or unsigned), not removed by one in effect before it began."""
    for section in sections:
        if section.post_id != post_id:
            continue
        if section.added_by_id and not section.added_by.is_in_force(datetime.date(year, 12, 31)):
            return False
        return not (
            section.removed_by_id and section.removed_by.is_in_force(datetime.date(year, 1, 1))
        )
    return False


@dataclass(frozen=True)
class CombinedCost:
    """The cost of a framework convention's posts for one year: their costs' sum."""

    year: int
    total: Decimal
    costs: tuple
    note: str = ""

    @property
    def breakdown(self) -> list[tuple[str, Decimal]]:
        """Each post's cost, as « Poste : » and its total."""
        return [(f"{cost.post} :", cost.total) for cost in self.costs]


def _row_cost(costs_of_year: dict, year: int):
    """The year's cost: the post's ``PostCost`` for a one-post convention; for several,
    their sum, unknown (None) while one of them is."""
    if len(costs_of_year) == 1:
        return next(iter(costs_of_year.values()))
    if not costs_of_year or None in costs_of_year.values():
        return None
    costs = tuple(costs_of_year.values())
    return CombinedCost(year, sum((cost.total for cost in costs), ZERO), costs)


def _cells_for_year(
    columns, year, costs_of_year, periods, today, payments, binding
) -> list[Cell | None]:
    """Each post's contributions against that post's cost: shares and balance per post."""
    active = {}
    for index, column in enumerate(columns):
        active[index] = next((c for c in column.contributions if c.covers(year)), None)
    by_post = defaultdict(list)
    for index, contribution in active.items():
        if contribution is not None:
            by_post[contribution.post_id].append(index)
    expectations = {}
    for post_id, indexes in by_post.items():
        cost = costs_of_year.get(post_id)
        cost_total = cost.total if cost is not None else None
        # The balance needs the others first.
        for index in indexes:
            contribution = active[index]
            if contribution.rule != ContributionRule.BALANCE:
                expectations[index] = expected_amount(
                    contribution, year, cost_total, periods=clipped_periods(contribution, periods)
                )
        others = sum(
            (
                expectations[i].amount
                for i in indexes
                if i in expectations and expectations[i].amount is not None
            ),
            ZERO,
        )
        for index in indexes:
            contribution = active[index]
            if contribution.rule == ContributionRule.BALANCE:
                expectations[index] = expected_amount(
                    contribution,
                    year,
                    cost_total,
                    others,
                    periods=clipped_periods(contribution, periods),
                )
    cells = []
    for index in range(len(columns)):
        contribution = active[index]
        if contribution is None:
            cells.append(None)
            continue
        signed = getattr(contribution, "amended_from", contribution)
        of_the_year = sorted(
            payments.get((id(signed), year), []), key=lambda p: (p.date, p.pk or 0)
        )
        kept = [p for p in of_the_year if not p.is_cancelled]
        paid = sum((p.amount for p in kept), ZERO)
        due = due_date(contribution, year, binding)
        stated = stated_due_date(contribution, year)
        expected = expectations[index]
        cells.append(
            Cell(
                contribution=contribution,
                year=year,
                expected=expected,
                payments=kept,
                cancelled_payments=[p for p in of_the_year if p.is_cancelled],
                paid=paid,
                due_date=due,
                due_at_signature=due is not None and due != stated,
                state=payment_state(expected.amount, paid, due, today),
                funder=columns[index].name,
                line=" — ".join(filter(None, [columns[index].annex, columns[index].line])),
            )
        )
    return cells


def _announcement(item) -> Announcement:
    return item if isinstance(item, Announcement) else Announcement(*item)


def planned_amounts(convention, year: int) -> dict[int | None, Decimal]:
    """Expected amount per organisation id for ``year`` (all its budget lines), and the
    total under the key None.

    For a deliberation to compare with what it announces. An amount that cannot
    be computed (post cost missing) is left out, and so is the total then.
    """
    plan = funding_plan(convention)
    row = plan.row(year)
    if row is None:
        return {}
    amounts: dict[int | None, Decimal] = {}
    unknown = set()
    for cell in row.cells:
        if cell is None:
            continue
        organisation_id = cell.contribution.organisation_id
        if cell.amount is None:
            unknown.add(organisation_id)
        else:
            amounts[organisation_id] = amounts.get(organisation_id, ZERO) + cell.amount
    for organisation_id in unknown:
        amounts.pop(organisation_id, None)
    if not row.totals.incomplete:
        amounts[None] = row.totals.expected
    return amounts


class NotPayable(Exception):
    """No payment may be recorded there; the message says why, in French."""


def payable_cell(convention, contribution_id, year: int | None):
    """The money contribution of ``convention`` and its funding plan's cell for ``year``
    where a payment may be recorded (the payment pages and the API ask this one function),
    or ``NotPayable``."""
    contribution = next(
        (
            c
            for c in convention.contributions.all()
            if str(c.pk) == str(contribution_id) and not c.is_in_kind
        ),
        None,
    )
    if contribution is None or year is None or not contribution.covers(year):
        raise NotPayable(
            "Rien n'est attendu de cette contribution cette année-là : choisissez une case "
            "du plan de financement."
        )
    cell = funding_plan(convention).contribution_cell(year, contribution)
    if cell is None:
        # An amendment not yet signed, or a funder withdrawn before that year.
        raise NotPayable(
            "Rien n'est attendu de ce financeur cette année : choisissez une case du plan."
        )
    return contribution, cell
