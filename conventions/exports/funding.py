"""The funding plan and its payments as CSV and XLSX.

Both read the ``FundingPlan`` the page shows, so the numbers are the page's.
The CSV is for a French spreadsheet: semicolons, decimal comma, UTF-8 with a
byte order mark so that Excel reads the accents.
"""

import csv
import datetime
import io
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Font

from conventions.funding import FundingPlan, partner_name, rule_text

PLAN_HEADER = [
    "Année",
    "Coût du poste",
    "Financeur",
    "Source",
    "Règle",
    "Montant attendu",
    "Versé",
    "Reste à verser",
    "État",
    "Échéance",
    "Écart avec le coût",
]
PAYMENTS_HEADER = [
    "Année",
    "Financeur",
    "Source",
    "Date du versement",
    "Montant",
    "Payeur",
    "Référence",
    "Justificatif",
]
MONEY_COLUMNS = {
    "Coût du poste",
    "Montant attendu",
    "Versé",
    "Reste à verser",
    "Écart avec le coût",
    "Montant",
}


def plan_rows(plan: FundingPlan) -> list[list]:
    """One line per partner and year, a total line per year, then the grand total."""
    rows = []
    for row in plan.rows:
        for cell in row.cells:
            if cell is None:
                continue
            contribution = cell.contribution
            rows.append(
                [
                    row.year,
                    row.cost_total,
                    partner_name(contribution.organisation),
                    contribution.source,
                    rule_text(contribution),
                    cell.amount,
                    cell.paid,
                    cell.remaining,
                    cell.state.label,
                    cell.due_date,
                    None,
                ]
            )
        rows.append(
            [
                row.year,
                row.cost_total,
                f"Total {row.year}",
                "",
                "",
                row.totals.expected,
                row.totals.paid,
                row.totals.remaining,
                "incomplet" if row.totals.incomplete else "",
                None,
                row.gap,
            ]
        )
    rows.append(
        [
            "Total",
            plan.cost_total,
            "Total de la convention",
            "",
            "",
            plan.totals.expected,
            plan.totals.paid,
            plan.totals.remaining,
            "incomplet" if plan.totals.incomplete else "",
            None,
            None,
        ]
    )
    return rows


def payment_rows(plan: FundingPlan) -> list[list]:
    rows = []
    for cell, payment in plan.payments:
        rows.append(
            [
                cell.year,
                partner_name(cell.contribution.organisation),
                cell.contribution.source,
                payment.date,
                payment.amount,
                partner_name(payment.payer),
                payment.reference,
                "oui" if payment.proof else "non",
            ]
        )
    return rows


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _text(value):
    """Typed text (a source, a reference) is never run as a spreadsheet formula."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _csv_value(value) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{value:.2f}".replace(".", ",")
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    return str(_text(value))


def to_csv(header: list[str], rows: list[list]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([_csv_value(v) for v in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def plan_csv(plan: FundingPlan) -> bytes:
    return to_csv(PLAN_HEADER, plan_rows(plan))


def payments_csv(plan: FundingPlan) -> bytes:
    return to_csv(PAYMENTS_HEADER, payment_rows(plan))


def _sheet(workbook, title, header, rows, *, first=False):
    sheet = workbook.active if first else workbook.create_sheet()
    sheet.title = title
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([_text(v) for v in row])
    for index, name in enumerate(header, start=1):
        column = sheet.cell(row=1, column=index).column_letter
        if name in MONEY_COLUMNS:
            for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                cell.number_format = '#,##0.00 "€"'
        elif name in ("Échéance", "Date du versement"):
            for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                cell.number_format = "DD/MM/YYYY"
        sheet.column_dimensions[column].width = 60 if name == "Règle" else max(14, len(name) + 2)
    sheet.freeze_panes = "A2"
    return sheet


def plan_xlsx(plan: FundingPlan) -> bytes:
    """Three sheets: the plan, the payments, the warnings."""
    workbook = Workbook()
    _sheet(workbook, "Plan de financement", PLAN_HEADER, plan_rows(plan), first=True)
    _sheet(workbook, "Versements", PAYMENTS_HEADER, payment_rows(plan))
    _sheet(workbook, "Alertes", ["Alerte"], [[w.text] for w in plan.warnings])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
