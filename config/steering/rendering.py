"""A steering report as the page and the PDF print it: every table's cells formatted in
French (``figures.formatted``), every chart drawn as SVG, the national map coloured by
one indicator. The templates only lay these out, so the page and the PDF cannot differ.
"""

import re
from dataclasses import dataclass, field

from django.http import QueryDict
from django.urls import Resolver404, resolve
from django.utils.safestring import SafeString

from config.core.sorting import SORT_PARAMETER, SortHeader
from config.steering.charts import chart_svg
from config.steering.figures import Chart, Column, Kind, Masked, Part, Table, formatted
from config.steering.maps import ATTRIBUTION, france_map
from config.steering.report import Report
from partners.departements import BY_CODE

MAP_TABLES = "-departements"  # the tables by département, which the map can show
DEFAULT_MAP_TABLE = "couverture-departements"
INDICATOR_PARAMETER = "indicateur"


@dataclass
class Cell:
    text: str
    numeric: bool
    link: str | None = None


@dataclass
class TableView:
    table: Table
    headers: list  # SortHeader (sortable tables) or Column
    rows: list[list[Cell]]

    @property
    def sortable(self) -> bool:
        return bool(self.headers) and isinstance(self.headers[0], SortHeader)


@dataclass
class ChartView:
    chart: Chart
    svg: SafeString
    data: TableView


@dataclass
class Indicator:
    key: str  # « couverture-departements:2 »
    label: str  # « Couverture par département — Postes »
    table: Table
    column: int


@dataclass
class MapView:
    svg: SafeString
    indicator: Indicator
    indicators: list[Indicator]
    attribution: str = ATTRIBUTION


@dataclass
class PartView:
    part: Part
    tables: list[TableView] = field(default_factory=list)
    charts: list[ChartView] = field(default_factory=list)


def _sort_key(value):
    """Unknown and masked values last, whatever the order."""
    if value is None or isinstance(value, Masked):
        return (1, 0)
    return (0, value)


def table_view(table: Table, query: QueryDict | None = None) -> TableView:
    """The table formatted; sorted by ``?tri=<table id>.<column>`` when it is sortable and a
    query is given (the page; the PDF keeps the order of the report)."""
    indexes = list(range(len(table.rows)))
    headers: list = table.columns
    if table.sortable and query is not None:
        column, descending = _asked_order(table, query)
        if column is not None:
            known = [i for i in indexes if _sort_key(table.rows[i][column])[0] == 0]
            unknown = [i for i in indexes if i not in known]
            known.sort(key=lambda i: table.rows[i][column], reverse=descending)
            indexes = known + unknown
        headers = _sort_headers(table, query, column, descending)
    rows = []
    for i in indexes:
        link = table.links[i] if table.links else None
        rows.append(
            [
                Cell(
                    formatted(value, column.kind),
                    column.kind != Kind.TEXT,
                    link if position == 0 else None,
                )
                for position, (value, column) in enumerate(
                    zip(table.rows[i], table.columns, strict=True)
                )
            ]
        )
    return TableView(table, headers, rows)


def _asked_order(table: Table, query: QueryDict) -> tuple[int | None, bool]:
    asked = query.get(SORT_PARAMETER, "")
    match = re.fullmatch(rf"(-?){re.escape(table.id)}\.(\d+)", asked)
    if match is None or int(match[2]) >= len(table.columns):
        return None, False
    return int(match[2]), bool(match[1])


def _sort_headers(table: Table, query: QueryDict, current: int | None, descending: bool):
    headers = []
    for index, column in enumerate(table.columns):
        is_current = index == current
        descending_next = is_current and not descending
        other = query.copy()
        other[SORT_PARAMETER] = f"{'-' if descending_next else ''}{table.id}.{index}"
        headers.append(
            SortHeader(
                label=column.label,
                url=f"?{other.urlencode()}#{table.id}",
                aria_sort=("descending" if descending else "ascending") if is_current else "",
                action=(
                    f"Trier par {column.label.lower() or 'libellé'}, ordre "
                    f"{'décroissant' if descending_next else 'croissant'}"
                ),
            )
        )
    return headers


def departement_of(table: Table, index: int) -> str | None:
    """The département a row of a « -departements » table is about: its link's, else the
    code in brackets of its first cell (« Deux-Sèvres (79) »), else the first cell."""
    if table.links and table.links[index]:
        try:
            match = resolve(table.links[index])
        except Resolver404:
            match = None
        if match is not None and match.url_name == "departement":
            return match.kwargs["departement"]
    first = str(table.rows[index][0])
    bracket = re.search(r"\((\w{2,3})\)\s*$", first)
    code = bracket[1] if bracket else first
    return code if code in BY_CODE else None


def indicators(report: Report) -> list[Indicator]:
    """Every numeric column of the tables by département, the default one first."""
    tables = [t for part in report.parts for t in part.tables if t.id.endswith(MAP_TABLES)]
    tables.sort(key=lambda t: t.id != DEFAULT_MAP_TABLE)
    return [
        Indicator(f"{table.id}:{index}", f"{table.caption} — {column.label}", table, index)
        for table in tables
        for index, column in enumerate(table.columns)
        if column.kind != Kind.TEXT
    ]


def map_view(report: Report, asked: str = "") -> MapView | None:
    """The national map, coloured by the indicator ``asked`` (« <table id>:<column> ») or
    the default one; None on a département's page or without a table by département."""
    if not report.area.is_national:
        return None
    options = indicators(report)
    if not options:
        return None
    indicator = next((o for o in options if o.key == asked), options[0])
    table = indicator.table
    values = {}
    for index, row in enumerate(table.rows):
        code = departement_of(table, index)
        if code is not None:
            values[code] = row[indicator.column]
    column: Column = table.columns[indicator.column]
    svg = france_map(values, indicator=column, title=f"Carte par département : {indicator.label}")
    return MapView(svg, indicator, options)


def part_views(report: Report, query: QueryDict | None = None) -> list[PartView]:
    return [
        PartView(
            part,
            [table_view(table, query) for table in part.tables],
            [ChartView(chart, chart_svg(chart), table_view(chart.table)) for chart in part.charts],
        )
        for part in report.parts
    ]
