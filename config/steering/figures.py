"""What a steering part is made of: tables of typed values and charts of series.

A value stays a number (``int``, ``Decimal``) or ``None`` (unknown) until it is
shown: the page and the PDF format it in French (``formatted``), the XLSX writes
the number itself with a number format. A ``Masked`` value is a count too small to
be shown below the département level (``activity``): every output prints its label.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.text import slugify

from config.core.formats import euros, french_number


class Kind:
    TEXT = "text"
    COUNT = "count"  # whole number
    DECIMAL = "decimal"  # FTE: two places
    EUROS = "euros"
    PERCENT = "percent"  # a share: Decimal between 0 and 1, shown « 42 % »
    DAYS = "days"


@dataclass(frozen=True)
class Masked:
    """A count below the confidentiality threshold: shown « < N », never its value."""

    threshold: int

    def __str__(self):
        return f"< {self.threshold}"


@dataclass(frozen=True)
class Column:
    label: str
    kind: str = Kind.COUNT


@dataclass
class Table:
    id: str
    caption: str
    columns: list[Column]
    rows: list[list]
    # One URL per row (the département's or the post's page) for the first cell, or None.
    links: list[str | None] | None = None
    notes: list[str] = field(default_factory=list)
    # Sortable on the page (the map's text alternative is).
    sortable: bool = False

    def column(self, label: str) -> list:
        index = [c.label for c in self.columns].index(label)
        return [row[index] for row in self.rows]


@dataclass
class Series:
    label: str
    values: list  # one per category; None when unknown


@dataclass
class Chart:
    id: str
    title: str
    kind: str  # "bars" (grouped), "stacked" (stacked bars), "lines", "hbars" (breakdown)
    categories: list[str]
    series: list[Series]
    unit: str = Kind.COUNT

    @property
    def table(self) -> Table:
        """The chart's figures as a table: its text alternative on the page and in the PDF."""
        return Table(
            id=f"{self.id}-data",
            caption=self.title,
            columns=[Column("", Kind.TEXT), *(Column(s.label, self.unit) for s in self.series)],
            rows=[
                [category, *(s.values[i] for s in self.series)]
                for i, category in enumerate(self.categories)
            ],
        )


@dataclass
class Part:
    """One part of a steering page (« Couverture », « Financement »…)."""

    id: str
    title: str
    intro: str = ""
    tables: list[Table] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)


def formatted(value, kind: str) -> str:
    """A value as the page and the PDF print it."""
    if value is None:
        return "—"
    if isinstance(value, Masked):
        return str(value)
    match kind:
        case Kind.TEXT:
            return str(value)
        case Kind.EUROS:
            return euros(value)
        case Kind.PERCENT:
            return f"{french_number(Decimal(value) * 100, 0)}\u00a0%"
        case Kind.DECIMAL:
            return french_number(value, 2)
        case Kind.DAYS:
            return f"{french_number(value, 0)}\u00a0j"
    return french_number(value, 0)


def table_id(*words) -> str:
    return slugify("-".join(str(w) for w in words))
