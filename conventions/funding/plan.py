"""Funding arithmetic: expected amounts, payment states, gaps and warnings.

Nothing below the loading section queries the database. ``funding_plan``
reads a convention whose parties, renewals, contributions, payments and post
costs were prefetched by ``Convention.objects.with_funding()``; the page, the CSV and the XLSX all
render the same ``FundingPlan``, so their numbers cannot drift apart.

Rules, as the seeds write them:
- a fixed amount per year (État: 25 350 € in Niort, 13 000 € in Ermont);
- a share of the post cost with an optional annual cap
  (Ermont's Département: min(cost / 3, 13 000 €));
- the balance: the cost minus what the others pay, never below zero
  (Ermont's employer, Val Parisis).
A fixed amount or a share may be pro-rated for a first or last partial year,
by days or by months of the convention's periods within that year: the annual
amount (after the cap) is multiplied by the covered fraction. The balance is
never pro-rated: it follows the cost budgeted for the year, which is where a
partial year belongs.
"""

import calendar
import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from django.utils import timezone

from config.core.formats import euros, french_date
from conventions.enums import ContributionRule, PaymentState, ProRata
from conventions.models import DecidedAmount

CENT = Decimal("0.01")
ZERO = Decimal("0.00")


def money(value) -> Decimal:
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def times(amount: Decimal, fraction: Fraction) -> Decimal:
    return money(Decimal(amount) * fraction.numerator / fraction.denominator)


def french_list(items) -> str:
    """["2021", "2022", "2023"] → "2021, 2022 et 2023"."""
    items = [str(i) for i in items]
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} et {items[-1]}"


def partner_name(organisation) -> str:
    return organisation.short_name or organisation.name


# Loading ---------------------------------------------------------------------


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


# Rules -----------------------------------------------------------------------

SHARE_WORDS = {
    (1, 1): "la totalité",
    (1, 2): "la moitié",
    (1, 3): "un tiers",
    (2, 3): "deux tiers",
    (1, 4): "un quart",
    (3, 4): "trois quarts",
    (1, 5): "un cinquième",
}


def share_in_words(numerator: int, denominator: int) -> str:
    fraction = Fraction(numerator, denominator)
    key = (fraction.numerator, fraction.denominator)
    if key in SHARE_WORDS:
        return SHARE_WORDS[key]
    if denominator == 100:
        return f"{numerator} %"
    return f"{numerator}/{denominator}"


def rule_text(contribution) -> str:
    """The rule written out in French: "un tiers du coût du poste, plafonné à 13 000 € par an"."""
    match contribution.rule:
        case ContributionRule.FIXED:
            text = f"{euros(contribution.amount)} par an"
        case ContributionRule.SHARE_CAPPED:
            share = share_in_words(contribution.share_numerator, contribution.share_denominator)
            text = f"{share} du coût du poste"
            if contribution.cap is not None:
                text += f", plafonné à {euros(contribution.cap)} par an"
        case _:
            text = "le solde du coût du poste (ce que les autres financeurs ne couvrent pas)"
    if contribution.prorata == ProRata.DAYS:
        text += " ; une année incomplète au prorata des jours couverts par la convention"
    elif contribution.prorata == ProRata.MONTHS:
        text += (
            " ; une année incomplète au prorata des mois couverts par la convention "
            "(tout mois commencé compte)"
        )
    if contribution.due_month:
        day = french_date(datetime.date(2000, contribution.due_month, contribution.due_day))
        text += f" ; à verser au plus tard le {day.removesuffix(' 2000')} de chaque année"
    return text


def due_date(contribution, year: int) -> datetime.date | None:
    if not contribution.due_month:
        return None
    last_day = calendar.monthrange(year, contribution.due_month)[1]
    return datetime.date(year, contribution.due_month, min(contribution.due_day, last_day))


def covered_fraction(periods, year: int, mode: str) -> Fraction | None:
    """Share of ``year`` that the periods cover, by days or by started months.

    None when the convention has no dates yet (not signed, no stated start).
    """
    if mode == ProRata.NONE:
        return Fraction(1)
    if not periods:
        return None
    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    if mode == ProRata.DAYS:
        covered = set()
        for period in periods:
            start, end = max(period.start, first), min(period.end, last)
            if start <= end:
                covered.update(range(start.toordinal(), end.toordinal() + 1))
        return Fraction(len(covered), last.toordinal() - first.toordinal() + 1)
    months = set()
    for period in periods:
        start, end = max(period.start, first), min(period.end, last)
        if start <= end:
            months.update(range(start.month, end.month + 1))
    return Fraction(len(months), 12)


@dataclass(frozen=True)
class Expected:
    """What a contribution should bring in one year, and how it was reached."""

    amount: Decimal | None  # None: cannot be computed (the year's cost is missing)
    annual: Decimal | None = None  # before pro-rata
    fraction: Fraction = Fraction(1)
    uncapped: Decimal | None = None  # the share before the cap
    cap_reached: bool = False
    negative_balance: Decimal | None = None  # the balance before it was floored at zero
    prorata_unknown: bool = False


def expected_amount(contribution, year: int, cost, others=ZERO, *, periods=None) -> Expected:
    """Expected amount of ``contribution`` for ``year``.

    ``cost`` is the post cost budgeted for that year (a Decimal, or None when
    not entered); ``others`` is what the other contributions bring that year
    (used by the balance only). ``periods`` are the convention's periods, read
    from the convention when a pro-rata needs them.
    """
    uncapped = None
    cap_reached = False
    negative_balance = None
    match contribution.rule:
        case ContributionRule.FIXED:
            annual = money(contribution.amount)
        case ContributionRule.SHARE_CAPPED:
            if cost is None:
                return Expected(None)
            uncapped = money(
                Decimal(cost) * contribution.share_numerator / contribution.share_denominator
            )
            annual = uncapped
            if contribution.cap is not None and uncapped >= contribution.cap:
                annual, cap_reached = money(contribution.cap), True
        case ContributionRule.BALANCE:
            if cost is None:
                return Expected(None)
            annual = money(Decimal(cost) - Decimal(others))
            if annual < 0:
                annual, negative_balance = ZERO, annual
        case _:
            raise ValueError(f"Unknown contribution rule {contribution.rule!r}")
    fraction, prorata_unknown = Fraction(1), False
    if contribution.prorata != ProRata.NONE:
        if periods is None:
            periods = contribution.convention.periods()
        covered = covered_fraction(periods, year, contribution.prorata)
        if covered is None:
            prorata_unknown = True
        else:
            fraction = covered
    return Expected(
        amount=times(annual, fraction),
        annual=annual,
        fraction=fraction,
        uncapped=uncapped,
        cap_reached=cap_reached,
        negative_balance=negative_balance,
        prorata_unknown=prorata_unknown,
    )


def payment_state(expected: Decimal | None, paid: Decimal, due: datetime.date | None, today):
    """Due, partly paid, paid, overpaid, or late: unpaid after the stated due date."""
    if expected is None:
        return PaymentState.UNKNOWN
    if paid > expected:
        return PaymentState.OVERPAID
    if paid == expected:
        return PaymentState.PAID if expected > 0 else PaymentState.NOTHING_DUE
    if due is not None and due < today:
        return PaymentState.LATE
    return PaymentState.PARTLY_PAID if paid > 0 else PaymentState.DUE


# The plan --------------------------------------------------------------------


@dataclass(frozen=True)
class Announcement:
    """An amount a decision announces, to compare with the contributions.

    ``organisation_id`` None compares with the total of all contributions;
    ``year`` None compares with every year of the plan.
    """

    label: str  # "la délibération D-2021-313"
    organisation_id: int | None
    year: int | None
    amount: Decimal


@dataclass(frozen=True)
class FundingWarning:
    kind: str
    text: str
    year: int | None = None
    organisation_id: int | None = None


@dataclass
class Cell:
    """One contribution in one budget year."""

    contribution: object
    year: int
    expected: Expected
    payments: list  # what counts as paid: cancelled payments are left out
    paid: Decimal
    due_date: datetime.date | None
    state: PaymentState
    cancelled_payments: list = field(default_factory=list)

    @property
    def amount(self) -> Decimal | None:
        return self.expected.amount

    @property
    def rule(self) -> str:
        return rule_text(self.contribution)

    @property
    def remaining(self) -> Decimal | None:
        if self.amount is None:
            return None
        return max(self.amount - self.paid, ZERO)

    @property
    def excess(self) -> Decimal:
        if self.amount is None:
            return ZERO
        return max(self.paid - self.amount, ZERO)

    @property
    def is_late(self) -> bool:
        return self.state == PaymentState.LATE


@dataclass
class Totals:
    expected: Decimal = ZERO
    paid: Decimal = ZERO
    remaining: Decimal = ZERO
    incomplete: bool = False  # some expected amount could not be computed

    def add(self, cell: Cell):
        self.paid += cell.paid
        if cell.amount is None:
            self.incomplete = True
        else:
            self.expected += cell.amount
            self.remaining += cell.remaining


@dataclass
class Column:
    """One funding partner of the convention."""

    organisation: object
    contributions: list
    totals: Totals = field(default_factory=Totals)

    @property
    def name(self) -> str:
        return partner_name(self.organisation)

    @property
    def rules(self) -> list[tuple[object, str]]:
        return [(c, rule_text(c)) for c in self.contributions]


@dataclass
class YearRow:
    year: int
    cost: object | None  # the PostCost, when entered
    cells: list  # one Cell (or None when the partner pays nothing that year) per column
    totals: Totals = field(default_factory=Totals)

    @property
    def cost_total(self) -> Decimal | None:
        return self.cost.total if self.cost is not None else None

    @property
    def gap(self) -> Decimal | None:
        """Contributions minus cost: negative is a deficit, positive a surplus."""
        if self.cost is None or self.totals.incomplete:
            return None
        return self.totals.expected - self.cost.total

    @property
    def deficit(self) -> Decimal | None:
        gap = self.gap
        return -gap if gap is not None and gap < 0 else None

    @property
    def surplus(self) -> Decimal | None:
        gap = self.gap
        return gap if gap is not None and gap > 0 else None

    @property
    def late_cells(self) -> list[Cell]:
        return [c for c in self.cells if c is not None and c.is_late]


@dataclass
class FundingPlan:
    convention: object
    columns: list[Column]
    rows: list[YearRow]
    warnings: list[FundingWarning]
    today: datetime.date
    totals: Totals = field(default_factory=Totals)

    @property
    def years(self) -> list[int]:
        return [r.year for r in self.rows]

    @property
    def cost_total(self) -> Decimal | None:
        costs = [r.cost_total for r in self.rows]
        return sum(costs, ZERO) if costs and None not in costs else None

    @property
    def cells(self) -> list[Cell]:
        return [c for row in self.rows for c in row.cells if c is not None]

    @property
    def late_cells(self) -> list[Cell]:
        return [c for c in self.cells if c.is_late]

    @property
    def payments(self) -> list[tuple[Cell, object]]:
        return [(cell, payment) for cell in self.cells for payment in cell.payments]

    @property
    def cancelled_payments(self) -> list[tuple[Cell, object]]:
        return [(cell, payment) for cell in self.cells for payment in cell.cancelled_payments]

    def row(self, year: int) -> YearRow | None:
        return next((r for r in self.rows if r.year == year), None)

    def cell(self, year: int, organisation_id: int) -> Cell | None:
        row = self.row(year)
        if row is None:
            return None
        return next(
            (c for c in row.cells if c and c.contribution.organisation_id == organisation_id),
            None,
        )


def funding_plan(
    convention, *, announced: Iterable = (), today: datetime.date | None = None
) -> FundingPlan:
    """The funding plan of ``convention``: years × partners, totals, gaps, warnings.

    ``announced`` holds amounts announced elsewhere (a deliberation), as
    ``Announcement`` or (label, organisation_id, year, amount) tuples.
    """
    if today is None:
        today = timezone.localdate()
    contributions = list(convention.contributions.all())
    party_order = {p.organisation_id: p.order for p in convention.parties.all()}
    by_partner: dict[int, list] = {}
    for contribution in contributions:
        by_partner.setdefault(contribution.organisation_id, []).append(contribution)
    columns = [
        Column(items[0].organisation, sorted(items, key=lambda c: c.first_year))
        for _, items in sorted(
            by_partner.items(),
            key=lambda kv: (party_order.get(kv[0], 1000), partner_name(kv[1][0].organisation)),
        )
    ]
    years = sorted({y for c in contributions for y in c.years})
    costs = {}
    if convention.post_id is not None:
        costs = {cost.year: cost for cost in convention.post.costs.all()}
    needs_periods = any(c.prorata != ProRata.NONE for c in contributions)
    periods = convention.periods() if needs_periods else []

    # Read each contribution's payments once: a related manager per year and per
    # contribution costs more than the arithmetic.
    payments = defaultdict(list)
    for contribution in contributions:
        for payment in contribution.payments.all():
            payments[(id(contribution), payment.year)].append(payment)

    plan = FundingPlan(convention, columns, [], [], today)
    for year in years:
        cost = costs.get(year)
        row = YearRow(year, cost, _cells_for_year(columns, year, cost, periods, today, payments))
        for column, cell in zip(columns, row.cells, strict=True):
            if cell is not None:
                row.totals.add(cell)
                column.totals.add(cell)
                plan.totals.add(cell)
        plan.rows.append(row)
    plan.warnings = _warnings(plan, [_announcement(a) for a in announced])
    return plan


def _cells_for_year(columns, year, cost, periods, today, payments) -> list[Cell | None]:
    cost_total = cost.total if cost is not None else None
    active = {}
    for index, column in enumerate(columns):
        active[index] = next((c for c in column.contributions if c.covers(year)), None)
    # The balance needs the others first.
    expectations = {}
    for index, contribution in active.items():
        if contribution is not None and contribution.rule != ContributionRule.BALANCE:
            expectations[index] = expected_amount(contribution, year, cost_total, periods=periods)
    others = sum((e.amount for e in expectations.values() if e.amount is not None), ZERO)
    for index, contribution in active.items():
        if contribution is not None and contribution.rule == ContributionRule.BALANCE:
            expectations[index] = expected_amount(
                contribution, year, cost_total, others, periods=periods
            )
    cells = []
    for index in range(len(columns)):
        contribution = active[index]
        if contribution is None:
            cells.append(None)
            continue
        of_the_year = sorted(
            payments.get((id(contribution), year), []), key=lambda p: (p.date, p.pk or 0)
        )
        kept = [p for p in of_the_year if not p.is_cancelled]
        paid = sum((p.amount for p in kept), ZERO)
        due = due_date(contribution, year)
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
                state=payment_state(expected.amount, paid, due, today),
            )
        )
    return cells


def _announcement(item) -> Announcement:
    return item if isinstance(item, Announcement) else Announcement(*item)


def _warnings(plan: FundingPlan, announcements: list[Announcement]) -> list[FundingWarning]:
    warnings = []
    missing_cost_years = []
    for row in plan.rows:
        year = row.year
        if row.cost is None:
            missing_cost_years.append(year)
        elif row.gap is not None and row.gap < 0:
            warnings.append(
                FundingWarning(
                    "deficit",
                    f"{year} : les contributions ({euros(row.totals.expected)}) ne couvrent pas "
                    f"le coût du poste ({euros(row.cost.total)}) ; il manque {euros(-row.gap)}.",
                    year,
                )
            )
        elif row.gap is not None and row.gap > 0:
            warnings.append(
                FundingWarning(
                    "surplus",
                    f"{year} : les contributions ({euros(row.totals.expected)}) dépassent le "
                    f"coût du poste ({euros(row.cost.total)}) de {euros(row.gap)}.",
                    year,
                )
            )
        for cell in row.cells:
            if cell is not None:
                warnings.extend(_cell_warnings(plan, cell))
    if missing_cost_years:
        uncomputable = sorted(
            {
                partner_name(c.contribution.organisation)
                for c in plan.cells
                if c.amount is None and c.year in missing_cost_years
            }
        )
        consequence = (
            f"la part de {french_list(uncomputable)} ne peut pas être calculée"
            if uncomputable
            else "l'écart entre le coût et les contributions n'est pas calculé"
        )
        warnings.append(
            FundingWarning(
                "missing_cost",
                f"Le coût du poste n'est pas renseigné pour {french_list(missing_cost_years)} : "
                f"{consequence}.",
            )
        )
    warnings.extend(_announcement_warnings(plan, announcements))
    return warnings


def _cell_warnings(plan: FundingPlan, cell: Cell) -> list[FundingWarning]:
    name = partner_name(cell.contribution.organisation)
    org_id = cell.contribution.organisation_id
    year = cell.year
    expected = cell.expected
    warnings = []
    if expected.cap_reached:
        contribution = cell.contribution
        share = share_in_words(contribution.share_numerator, contribution.share_denominator)
        warnings.append(
            FundingWarning(
                "cap",
                f"{year} — {name} : plafond atteint ; {share} du coût "
                f"({euros(plan.row(year).cost.total)}) ferait {euros(expected.uncapped)}, la "
                f"participation est limitée à {euros(contribution.cap)}.",
                year,
                org_id,
            )
        )
    if expected.negative_balance is not None:
        warnings.append(
            FundingWarning(
                "negative_balance",
                f"{year} — {name} : le solde serait négatif ({euros(expected.negative_balance)}) "
                "car les autres contributions dépassent le coût du poste ; il est compté 0\u00a0€.",
                year,
                org_id,
            )
        )
    if expected.prorata_unknown:
        warnings.append(
            FundingWarning(
                "prorata_unknown",
                f"{year} — {name} : la date de prise d'effet de la convention n'est pas connue, "
                "le prorata n'est pas appliqué.",
                year,
                org_id,
            )
        )
    if cell.state == PaymentState.OVERPAID:
        warnings.append(
            FundingWarning(
                "overpaid",
                f"{year} — {name} : les versements ({euros(cell.paid)}) dépassent le montant "
                f"attendu ({euros(cell.amount)}) de {euros(cell.excess)}.",
                year,
                org_id,
            )
        )
    if cell.state == PaymentState.LATE:
        clause = (
            " Le non-versement des crédits est une clause suspensive de la convention."
            if getattr(plan.convention, "suspensive_clause", False)
            else ""
        )
        warnings.append(
            FundingWarning(
                "late",
                f"{year} — {name} : versement en retard, {euros(cell.remaining)} restent dus "
                f"depuis le {french_date(cell.due_date)}.{clause}",
                year,
                org_id,
            )
        )
    return warnings


def _announcement_warnings(plan, announcements) -> list[FundingWarning]:
    warnings = []
    for announcement in announcements:
        rows = [r for r in plan.rows if announcement.year in (None, r.year)]
        # Years with the same actual amount share one sentence.
        mismatches: dict[Decimal, list[int]] = {}
        for row in rows:
            if announcement.organisation_id is None:
                if row.totals.incomplete:
                    continue
                actual = row.totals.expected
            else:
                cell = plan.cell(row.year, announcement.organisation_id)
                if cell is None or cell.amount is None:
                    continue
                actual = cell.amount
            if actual != announcement.amount:
                mismatches.setdefault(actual, []).append(row.year)
        for actual, years in mismatches.items():
            if announcement.organisation_id is None:
                compared = f"au total des contributions ({euros(actual)})"
            else:
                column = next(
                    c for c in plan.columns if c.organisation.pk == announcement.organisation_id
                )
                compared = f"à la contribution de {column.name} ({euros(actual)})"
            warnings.append(
                FundingWarning(
                    "announced",
                    f"Le montant annoncé par {announcement.label} ({euros(announcement.amount)}) "
                    f"ne correspond pas {compared} pour {french_list(years)}.",
                    years[0] if len(years) == 1 else None,
                    announcement.organisation_id,
                )
            )
    return warnings


def planned_amounts(convention, year: int) -> dict[int | None, Decimal]:
    """Expected amount per organisation id for ``year``, and the total under the key None.

    For a deliberation to compare with what it announces. An amount that cannot
    be computed (post cost missing) is left out, and so is the total then.
    """
    plan = funding_plan(convention)
    row = plan.row(year)
    if row is None:
        return {}
    amounts: dict[int | None, Decimal] = {
        cell.contribution.organisation_id: cell.amount
        for cell in row.cells
        if cell is not None and cell.amount is not None
    }
    if not row.totals.incomplete:
        amounts[None] = row.totals.expected
    return amounts
