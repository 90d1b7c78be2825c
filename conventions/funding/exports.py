"""The funding plan and its payments as CSV and XLSX.

Both read the ``FundingPlan`` the page shows, so the numbers are the page's.
Written by ``config.core.spreadsheets`` (French CSV, formulas neutralised).
"""

from config.core.spreadsheets import (
    append_rows,
    bold_row,
    french_csv,
    new_workbook,
    workbook_bytes,
)
from conventions.funding.plan import FundingPlan
from conventions.funding.rules import partner_name, rule_text

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
    """One line per funder's budget line and year, a total line per year, the grand total,
    then one line per aid in kind."""
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
                    cell.funder or partner_name(contribution.organisation),
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
    # Aids in kind after the totals, which they never enter.
    for contribution in plan.in_kind:
        years = f"{contribution.first_year}–{contribution.last_year}"
        rows.append(
            [
                years if contribution.last_year != contribution.first_year else years[:4],
                None,
                partner_name(contribution.organisation),
                contribution.source,
                rule_text(contribution),
                None,
                None,
                None,
                "aide en nature, hors totaux",
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
                cell.funder or partner_name(cell.contribution.organisation),
                cell.contribution.source,
                payment.date,
                payment.amount,
                partner_name(payment.payer),
                payment.reference,
                "oui" if payment.proof else "non",
            ]
        )
    return rows


def plan_csv(plan: FundingPlan) -> bytes:
    return french_csv(PLAN_HEADER, plan_rows(plan))


def payments_csv(plan: FundingPlan) -> bytes:
    return french_csv(PAYMENTS_HEADER, payment_rows(plan))


def _sheet(workbook, title, header, rows, *, first=False):
    sheet = workbook.active if first else workbook.create_sheet()
    sheet.title = title
    sheet.append(header)
    bold_row(sheet)
    append_rows(sheet, rows)
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
    workbook = new_workbook()
    _sheet(workbook, "Plan de financement", PLAN_HEADER, plan_rows(plan), first=True)
    _sheet(workbook, "Versements", PAYMENTS_HEADER, payment_rows(plan))
    _sheet(workbook, "Alertes", ["Alerte"], [[w.text] for w in plan.warnings])
    return workbook_bytes(workbook)
