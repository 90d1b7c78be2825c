"""The funding plan a page, a CSV and an XLSX all render: years × partners, totals.

Plain data built by ``conventions.funding.build.funding_plan``; the page, the
exports and the deliberation checks read the same ``FundingPlan``, so their
numbers cannot drift apart.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from config.core.formats import french_date
from conventions.enums import PaymentState
from conventions.funding.rules import ZERO, Expected, partner_name, percent, rule_text


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
    # The stated due date fell before the signature: the payment is due at signature.
    due_at_signature: bool = False
    funder: str = ""  # the column's name: « État — FIPD » when the State has several lines
    line: str = ""  # the column's budget line, when the funder has several

    @property
    def due_label(self) -> str:
        if self.due_date is None:
            return ""
        if self.due_at_signature:
            return f"exigible à la signature (le {self.due_date:%d/%m/%Y})"
        return f"échéance {french_date(self.due_date)}"

    @property
    def amount(self) -> Decimal | None:
        return self.expected.amount

    @property
    def rule(self) -> str:
        return rule_text(self.contribution)

    @property
    def share_label(self) -> str:
        """« 80 % du coût » for a share by year: the cell says which share it applies."""
        if self.expected.share is None:
            return ""
        return f"{percent(self.expected.share)} du coût"

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
    """One budget line of one funding partner: the State's FIPD and its politique de la
    ville credits are two columns; a funder with one line has one column, named after it
    alone."""

    organisation: object
    contributions: list
    totals: Totals = field(default_factory=Totals)
    # Set when the funder has several lines in the plan: « FIPD », « non précisée ».
    line: str = ""

    # « annexe n° 2 » for a framework convention's column: which post it funds.
    annex: str = ""

    @property
    def name(self) -> str:
        return " — ".join(filter(None, [self.name_in_annex, self.annex]))

    @property
    def name_in_annex(self) -> str:
        """The name under its annex's heading, where the annex goes without saying."""
        if self.line:
            return f"{partner_name(self.organisation)} — {self.line}"
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
class PostBlock:
    """One post (annex) of a framework convention: its columns, its cost and its rows."""

    section: object  # the ConventionPost
    columns: list[Column]
    rows: list[YearRow]
    totals: Totals = field(default_factory=Totals)

    @property
    def cost_total(self) -> Decimal | None:
        costs = [r.cost_total for r in self.rows]
        return sum(costs, ZERO) if costs and None not in costs else None


@dataclass
class FundingPlan:
    convention: object
    columns: list[Column]
    rows: list[YearRow]
    warnings: list[FundingWarning]
    today: datetime.date
    totals: Totals = field(default_factory=Totals)
    # Aids in kind: shown apart, never in the amounts, totals, balances nor payments.
    in_kind: list = field(default_factory=list)
    # A framework convention's posts, each with its own table; empty for one post.
    blocks: list[PostBlock] = field(default_factory=list)

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
        """A funder's cell in ``year``: its first budget line's (see ``organisation_cells``
        and ``contribution_cell`` when a funder has several)."""
        cells = self.organisation_cells(year, organisation_id)
        return cells[0] if cells else None

    def contribution_cell(self, year: int, contribution) -> Cell | None:
        """The cell of a (signed) contribution in ``year``, amended or not."""
        row = self.row(year)
        if row is None:
            return None
        return next(
            (
                c
                for c in row.cells
                if c
                and getattr(c.contribution, "amended_from", c.contribution).pk == contribution.pk
            ),
            None,
        )

    def organisation_cells(self, year: int, organisation_id: int) -> list[Cell]:
        """The cells of every budget line of one funder in ``year``."""
        row = self.row(year)
        if row is None:
            return []
        return [c for c in row.cells if c and c.contribution.organisation_id == organisation_id]
