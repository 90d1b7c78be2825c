"""The funding plan and its payments as CSV and XLSX.

Both read the ``FundingPlan`` the page shows, so the numbers are the page's.
Written by ``config.core.spreadsheets`` (French CSV, formulas neutralised).

Every line says which post (annex) it is about: a framework convention's lines carry
the cost of their own post, with a total line per post and year, before the
convention's totals; a one-post convention names its post too.
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
    "Poste",
    "Annexe",
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
    "Poste",
    "Annexe",
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
# The convention's own lines of a framework convention: about no single post.
ALL_POSTS = "Tous les postes"
UNKNOWN_POST = "poste non précisé"
IN_KIND = "aide en nature, hors totaux"


def _post_columns(section, *, several=False) -> list:
    """« Poste » and « Annexe » of a line; blank only while the convention covers no post."""
    if section is None:
        return [UNKNOWN_POST if several else "", None]
    return [str(section.post), section.number]


def _post_of(sections: dict, contribution) -> list:
    """« Poste » and « Annexe » of a contribution's line: the one post of a one-post
    convention, whatever the contribution states."""
    section = sections.get(contribution.post_id)
    if section is None and len(sections) == 1:
        section = next(iter(sections.values()))
    return _post_columns(section, several=len(sections) > 1)


def _sections_by_post(plan: FundingPlan) -> dict:
    return {section.post_id: section for section in plan.convention.ordered_sections()}


def _total_line(year, post, cost, label, totals, gap) -> list:
    return [
        year,
        *post,
        cost,
        label,
        "",
        "",
        totals.expected,
        totals.paid,
        totals.remaining,
        "incomplet" if totals.incomplete else "",
        None,
        gap,
    ]


def _cell_lines(year, post, cost, columns, cells) -> list[list]:
    rows = []
    for column, cell in zip(columns, cells, strict=True):
        if cell is None:
            continue
        contribution = cell.contribution
        rows.append(
            [
                year,
                *post,
                cost,
                column.name_in_annex,
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
    return rows


def plan_rows(plan: FundingPlan) -> list[list]:
    """One line per funder's budget line and year, a total line per year, the grand total,
    then one line per aid in kind.

    A framework convention (``plan.blocks``): each annex in turn, its lines against its
    own post's cost, a total line per year and one for the annex; then the convention's
    total line per year (the posts' costs summed) and its grand total."""
    rows = []
    if plan.blocks:
        for block in plan.blocks:
            post = _post_columns(block.section)
            label = f"annexe n° {block.section.number}"
            for row in block.rows:
                rows += _cell_lines(row.year, post, row.cost_total, block.columns, row.cells)
                rows.append(
                    _total_line(
                        row.year,
                        post,
                        row.cost_total,
                        f"Total {row.year} — {label}",
                        row.totals,
                        row.gap,
                    )
                )
            rows.append(
                _total_line(
                    "Total", post, block.cost_total, f"Total de l'{label}", block.totals, None
                )
            )
        # A contribution of no annex (entered before the convention covered several
        # posts) still counts in the convention's totals: listed, not dropped.
        in_blocks = {id(column) for block in plan.blocks for column in block.columns}
        orphans = [i for i, column in enumerate(plan.columns) if id(column) not in in_blocks]
        if orphans:
            columns = [plan.columns[i] for i in orphans]
            for row in plan.rows:
                cells = [row.cells[i] for i in orphans]
                rows += _cell_lines(row.year, [UNKNOWN_POST, None], None, columns, cells)
        everything = [ALL_POSTS, None]
        for row in plan.rows:
            rows.append(
                _total_line(
                    row.year, everything, row.cost_total, f"Total {row.year}", row.totals, row.gap
                )
            )
    else:
        sections = plan.convention.ordered_sections()
        everything = _post_columns(sections[0] if sections else None)
        for row in plan.rows:
            rows += _cell_lines(row.year, everything, row.cost_total, plan.columns, row.cells)
            rows.append(
                _total_line(
                    row.year, everything, row.cost_total, f"Total {row.year}", row.totals, row.gap
                )
            )
    rows.append(
        _total_line(
            "Total", everything, plan.cost_total, "Total de la convention", plan.totals, None
        )
    )
    # Aids in kind after the totals, which they never enter: « aide en nature » and the
    # post they help.
    sections = _sections_by_post(plan)
    for contribution in plan.in_kind:
        years = f"{contribution.first_year}–{contribution.last_year}"
        rows.append(
            [
                years if contribution.last_year != contribution.first_year else years[:4],
                *_post_of(sections, contribution),
                None,
                partner_name(contribution.organisation),
                contribution.source,
                rule_text(contribution),
                None,
                None,
                None,
                IN_KIND,
                None,
                None,
            ]
        )
    return rows


def payment_rows(plan: FundingPlan) -> list[list]:
    sections = _sections_by_post(plan)
    column_of = {
        id(cell): column
        for row in plan.rows
        for column, cell in zip(plan.columns, row.cells, strict=True)
        if cell is not None
    }
    rows = []
    for cell, payment in plan.payments:
        contribution = cell.contribution
        rows.append(
            [
                cell.year,
                *_post_of(sections, contribution),
                # The name under its annex: the « Annexe » column says which.
                column_of[id(cell)].name_in_annex,
                contribution.source,
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
