"""Spreadsheet exports of a bilan: the numbers of ``build_bilan``, as the page shows them."""

import re

from django.utils import timezone
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from activity.bilans import Bilan
from config.core.formats import french_date
from config.core.spreadsheets import (
    append_rows,
    bold_row,
    french_csv,
    new_workbook,
    workbook_bytes,
)

SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def _sheet_title(label: str, taken: set[str]) -> str:
    """Excel sheet names: at most 31 characters, none of []:*?/\\, unique."""
    base = SHEET_NAME_FORBIDDEN.sub("-", label)[:31]
    title, number = base, 2
    while title.lower() in taken:
        suffix = f" ({number})"
        title, number = base[: 31 - len(suffix)] + suffix, number + 1
    taken.add(title.lower())
    return title


def _headers(bilan: Bilan) -> list[str]:
    return [
        "Indicateur",
        "Code",
        *(full for _, full in bilan.month_labels),
        f"Total {bilan.period.label}",
        f"Même période {bilan.period.previous.year}",
    ]


def _rows(group) -> list[list]:
    return [
        [row.indicator.label, row.indicator.code, *row.months, row.total, row.previous]
        for row in group.rows
    ]


def _summary(bilan: Bilan) -> list[tuple[str, object]]:
    persons = bilan.persons
    return [
        ("Bilan", bilan.title),
        ("Périmètre", bilan.scope.label),
        ("Période", bilan.period.label),
        ("Exporté le", french_date(timezone.localdate())),
        (
            "Trimestres comptés",
            "validés uniquement" if bilan.validated_only else "tous, y compris non validés",
        ),
        ("Personnes rencontrées", persons.total if persons else None),
        (
            "Premier contact dans les 72 heures (% des saisines)",
            float(bilan.first_contact_rate) if bilan.first_contact_rate is not None else None,
        ),
        (
            "Contrôles de cohérence",
            "aucun chiffre" if bilan.is_empty else ("cohérent" if bilan.checks_ok else "écarts"),
        ),
        ("Complet", "oui" if bilan.is_complete else "non"),
    ]


def bilan_xlsx(bilan: Bilan) -> bytes:
    """One sheet per group, months as columns; a first sheet says what the file holds."""
    workbook = new_workbook()
    summary = workbook.active
    taken = set()
    summary.title = _sheet_title("Synthèse", taken)
    append_rows(summary, _summary(bilan))
    summary.column_dimensions["A"].width = 50
    summary.column_dimensions["B"].width = 60
    for cell in summary["A"]:
        cell.font = Font(bold=True)
    for group in bilan.groups:
        sheet = workbook.create_sheet(_sheet_title(group.spec.label, taken))
        sheet.append(_headers(bilan))
        bold_row(sheet)
        append_rows(sheet, _rows(group))
        sheet.column_dimensions["A"].width = 45
        sheet.column_dimensions["B"].width = 28
        for index in range(3, len(bilan.period.months) + 5):
            sheet.column_dimensions[get_column_letter(index)].width = 14
        sheet.freeze_panes = "C2"
    return workbook_bytes(workbook)


def bilan_csv(bilan: Bilan) -> bytes:
    """One line per indicator, months as columns, for a French spreadsheet."""
    return french_csv(
        ["Groupe", *_headers(bilan)],
        ([group.spec.label, *row] for group in bilan.groups for row in _rows(group)),
    )
