"""Past monthly statistics of a post, imported from a spreadsheet.

One row a month (« mois » as 2025-01 or 01/2025), one column an indicator, named by
its code in the grid in force that month (the template's header). The counts go
through ``quarter_save``, the service of the entry pages, so that the same checks
and the same history apply; an imported quarter stays a draft, to be submitted and
validated as if it had been typed. A quarter no longer a draft is not overwritten.
"""

import datetime
import re
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from activity.enums import QuarterState
from activity.forms import MAX_COUNT
from activity.models import GridVersion
from activity.selectors import grid_layout, quarter_for_entry, report_values
from activity.services import quarter_save
from config.core import spreadsheets
from config.core.formats import MONTHS
from config.core.imports import (
    CREATE,
    ERROR,
    UNCHANGED,
    UPDATE,
    Column,
    RowResult,
    Table,
    check_header,
    row_cells,
    summary,
)

KIND = "statistics"
MONTH = "mois"
MONTH_PATTERNS = (
    re.compile(r"(?P<year>\d{4})-(?P<month>\d{1,2})(?:-01)?"),  # 2025-01, or a date cell
    re.compile(r"(?P<month>\d{1,2})/(?P<year>\d{4})"),  # 01/2025
    re.compile(r"0?1/(?P<month>\d{1,2})/(?P<year>\d{4})"),  # 01/01/2025, as Excel shows it
)
QUARTER_NAMES = {1: "1er trimestre", 2: "2e trimestre", 3: "3e trimestre", 4: "4e trimestre"}


@dataclass(frozen=True)
class MonthCounts:
    year: int
    month: int
    values: dict[str, int | None]

    @property
    def quarter(self) -> int:
        return (self.month - 1) // 3 + 1


def columns() -> list[Column]:
    """« mois », then the codes of every version of the grid: a file may span two versions."""
    codes = dict.fromkeys(
        code
        for version in GridVersion.objects.with_layout().order_by("-valid_from")
        for code in grid_layout(version).codes
    )
    return [Column(MONTH, aliases=("month",)), *(Column(code, required=False) for code in codes)]


def month_label(year: int, month: int) -> str:
    return f"{MONTHS[month - 1]} {year}"


def parse_month(text: str) -> tuple[int, int] | None:
    for pattern in MONTH_PATTERNS:
        if match := pattern.fullmatch(text.strip()):
            year, month = int(match["year"]), int(match["month"])
            if 2000 <= year <= 2100 and 1 <= month <= 12:
                return year, month
    return None


def parse_count(text: str) -> int | None:
    """None for an empty cell; ValueError for anything but a whole number from 0 to MAX_COUNT."""
    text = text.replace("\u202f", "").replace("\xa0", "").replace(" ", "")
    if not text:
        return None
    if not text.isdigit() or int(text) > MAX_COUNT:
        raise ValueError(text)
    return int(text)


def check_rows(*, post, user, table: Table) -> list[RowResult]:
    """What the import would do to each month of ``table``; writes nothing."""
    positions = check_header(table.header, columns())
    results = row_cells(table, positions)
    present = set(positions) - {MONTH}
    today = timezone.localdate()
    quarters, months_seen = {}, {}
    for result in results:
        month_text = result.cells[MONTH]
        parsed = parse_month(month_text)
        if parsed is None:
            result.refuse(
                f"Mois illisible « {month_text} » : écrivez-le 2025-01 ou 01/2025."
                if month_text
                else "Mois manquant : écrivez-le 2025-01 ou 01/2025."
            )
            continue
        year, month = parsed
        result.label = month_label(year, month)
        if (year, month) > (today.year, today.month):
            result.refuse(f"{result.label.capitalize()} n'est pas encore passé.")
            continue
        if (year, month) in months_seen:
            result.refuse(
                f"{result.label.capitalize()} figure déjà ligne {months_seen[year, month]}."
            )
            continue
        months_seen[year, month] = result.line
        quarter = (month - 1) // 3 + 1
        if (year, quarter) not in quarters:
            report = quarter_for_entry(post, year, quarter)
            layout = grid_layout(report.grid_version)
            stored = report_values(report) if report.pk else {}
            quarters[year, quarter] = (report, layout, stored)
        report, layout, stored = quarters[year, quarter]
        if report.state != QuarterState.DRAFT:
            result.refuse(
                f"Le {QUARTER_NAMES[quarter]} {year} est {report.get_state_display().lower()} : "
                "l'import ne le modifie pas. Il faut le rouvrir pour le corriger."
            )
        _check_counts(result, layout, present)
        if result.status == ERROR:
            continue
        values = {code: parse_count(result.cells[code]) for code in layout.codes}
        before = stored.get(month, {})
        if all(before.get(code) == value for code, value in values.items()):
            result.status = UNCHANGED
        else:
            result.status = UPDATE if before else CREATE
        result.payload = MonthCounts(year, month, values)
    return results


def _check_counts(result: RowResult, layout, present: set[str]) -> None:
    codes = set(layout.codes)
    if missing := [code for code in layout.codes if code not in present]:
        result.refuse(
            f"Colonnes absentes pour la grille en vigueur en {result.label} : "
            + ", ".join(f"« {code} »" for code in missing)
            + "."
        )
    if foreign := [code for code in sorted(present - codes) if result.cells[code]]:
        result.refuse(
            f"Indicateurs hors de la grille en vigueur en {result.label} : "
            + ", ".join(f"« {code} »" for code in foreign)
            + " (laissez ces cellules vides)."
        )
    for code in layout.codes:
        if code not in present:
            continue
        try:
            parse_count(result.cells[code])
        except ValueError:
            result.refuse(
                f"« {result.cells[code]} » dans « {code} » : un nombre entier de 0 à "
                f"{MAX_COUNT} est attendu."
            )


@transaction.atomic
def statistics_import(*, post, user, results: list[RowResult]) -> dict[str, int]:
    """Write the months of a checked file, quarter by quarter, with the entry pages'
    service; all of them or none (one transaction). Refuses a file with errors."""
    if any(result.status == ERROR for result in results):
        raise ValueError("A file with errors is not imported.")
    by_quarter = {}
    for result in results:
        if result.status in (CREATE, UPDATE):
            counts = result.payload
            by_quarter.setdefault((counts.year, counts.quarter), {})[counts.month] = counts.values
    for (year, quarter), values in sorted(by_quarter.items()):
        report = quarter_for_entry(post, year, quarter)
        quarter_save(report=report, values=values, user=user, expected_version=report.version)
    return summary(results)


def template_rows(post):
    """The header of the grid in force this month, an example row (last month, zeros) and
    the layout, for the legend."""
    today = timezone.localdate()
    last_month = today.replace(day=1) - datetime.timedelta(days=1)
    version = GridVersion.objects.with_layout().in_force(today)
    layout = grid_layout(version, post)
    example = [last_month.strftime("%Y-%m"), *([0] * len(layout.codes))]
    return [MONTH, *layout.codes], [example], layout


def template_csv(post) -> bytes:
    header, rows, _layout = template_rows(post)
    return spreadsheets.french_csv(header, rows)


def template_xlsx(post) -> bytes:
    """The template, and a second sheet that says what each column counts."""
    header, rows, layout = template_rows(post)
    workbook = spreadsheets.new_workbook()
    sheet = workbook.active
    sheet.title = "Statistiques"
    spreadsheets.append_rows(sheet, [header, *rows])
    spreadsheets.bold_row(sheet)
    legend = workbook.create_sheet("Indicateurs")
    spreadsheets.append_rows(
        legend,
        [
            ["colonne", "groupe", "indicateur"],
            [MONTH, "", "Mois, écrit 2025-01 ou 01/2025 (une ligne par mois)"],
            *([i.code, g.label, i.label] for g in layout.groups for i in g.indicators),
        ],
    )
    spreadsheets.bold_row(legend)
    return spreadsheets.workbook_bytes(workbook)
