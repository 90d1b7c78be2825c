"""The annual steering report of the country or of a département, for the préfet's annual
review and the national observatory: a PDF (WeasyPrint, like every printed document of
the product: config.core.documents) and an XLSX (openpyxl).

Both are built from the report's ``Table`` and ``Chart`` objects, as the page is: the PDF
prints the page's formatted cells and SVG pictures (``rendering``); the XLSX writes the
raw numbers with a number format, a masked count as its label (« < 11 »), and each chart
as a native spreadsheet chart drawn from the cells of its table.
"""

from decimal import Decimal

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify
from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from config.core.documents import html_to_pdf
from config.core.spreadsheets import neutralised, new_workbook, workbook_bytes
from config.steering.figures import Chart, Kind, Masked, Table
from config.steering.rendering import map_view, part_views
from config.steering.report import Report

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Format codes are written in the file's own (English) notation; a French spreadsheet
# shows them « 12 000,00 € », « 42 % ».
NUMBER_FORMATS = {
    Kind.COUNT: "#,##0",
    Kind.DECIMAL: "#,##0.00",
    Kind.EUROS: '#,##0.00" €"',
    Kind.PERCENT: "0 %",  # the % multiplies the share by 100: 0.42 shows « 42 % »
    Kind.DAYS: '#,##0" j"',
}
CHART_ROWS = 18  # the height of a native chart, in rows: the next block starts below it
SHEET_NAME_FORBIDDEN = str.maketrans(dict.fromkeys("[]:*?/\\", " "))


def report_title(report: Report) -> str:
    return f"Rapport annuel de pilotage {report.year} — {report.area.label}"


def report_filename(report: Report, extension: str) -> str:
    where = "france" if report.area.is_national else slugify(report.area.label)
    return f"rapport-pilotage-{where}-{report.year}.{extension}"


def render_report_pdf(report: Report) -> bytes:
    html = render_to_string(
        "steering/report_pdf.html",
        {
            "report": report,
            "title": report_title(report),
            "parts": part_views(report),
            "map": map_view(report),
            "today": timezone.localdate(),
        },
    )
    # Tagged (PDF/UA-1) like every printed document; steering.css keeps each caption whole
    # and with its table, as the bilan's does (activity.pdf).
    return html_to_pdf(html, stylesheet_name="steering.css")


# XLSX ------------------------------------------------------------------------


def xlsx_value(value):
    if isinstance(value, Masked):
        return str(value)
    return neutralised(value)


def _write_table(sheet, table: Table, row: int) -> tuple[int, int]:
    """Write ``table`` from ``row``: caption, header, rows, notes. Returns the header's row
    and the next free row."""
    sheet.cell(row, 1, table.caption).font = Font(bold=True)
    header = row + 1
    for index, column in enumerate(table.columns, start=1):
        cell = sheet.cell(header, index, column.label)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for offset, values in enumerate(table.rows, start=1):
        for index, (value, column) in enumerate(zip(values, table.columns, strict=True), 1):
            cell = sheet.cell(header + offset, index, xlsx_value(value))
            if column.kind in NUMBER_FORMATS and not isinstance(value, Masked):
                cell.number_format = NUMBER_FORMATS[column.kind]
            if isinstance(value, Masked):
                cell.alignment = Alignment(horizontal="right")
    row = header + len(table.rows) + 1
    for note in table.notes:
        sheet.cell(row, 1, note).font = Font(italic=True)
        row += 1
    return header, row + 1


def _native_chart(chart: Chart, sheet, header: int):
    """The chart drawn by the spreadsheet from the cells of its table (written at
    ``header``): one series a column, the categories in the first column."""
    if chart.kind == "lines":
        native = LineChart()
    else:
        native = BarChart()
        native.type = "bar" if chart.kind == "hbars" else "col"
        if chart.kind == "stacked":
            native.grouping = "stacked"
            native.overlap = 100
    native.title = chart.title
    native.width, native.height = 18, 8.5
    last = header + len(chart.categories)
    data = Reference(sheet, min_col=2, max_col=1 + len(chart.series), min_row=header, max_row=last)
    native.add_data(data, titles_from_data=True)
    native.set_categories(Reference(sheet, min_col=1, min_row=header + 1, max_row=last))
    if chart.unit in NUMBER_FORMATS:
        native.y_axis.number_format = NUMBER_FORMATS[chart.unit]
    # From zero, as on the page (a spreadsheet starts the axis near the smallest bar),
    # and no half post on a count's axis.
    values = [v for series in chart.series for v in series.values if isinstance(v, int | Decimal)]
    if chart.kind != "lines" and all(v >= 0 for v in values):
        native.y_axis.scaling.min = 0
    if chart.unit in (Kind.COUNT, Kind.DAYS) and max(values, default=0) <= 10:
        native.y_axis.majorUnit = 1
    # openpyxl 3.1 hides the axes unless told otherwise.
    native.x_axis.delete = False
    native.y_axis.delete = False
    return native


def sheet_name(title: str, taken: set[str]) -> str:
    """The part's title as a sheet's name: 31 characters at most, cut between words."""
    name = " ".join(title.translate(SHEET_NAME_FORBIDDEN).split())
    if len(name) > 31:
        name = name[:30].rsplit(" ", 1)[0] + "…"
    base, n = name, 2
    while name in taken:
        name = f"{base[:28]} {n}"
        n += 1
    taken.add(name)
    return name


def report_xlsx(report: Report) -> bytes:
    workbook = new_workbook()
    workbook.remove(workbook.active)
    taken: set[str] = set()
    for part in report.parts:
        sheet = workbook.create_sheet(sheet_name(part.title, taken))
        sheet.cell(1, 1, f"{report_title(report)} — {part.title}").font = Font(bold=True, size=13)
        row = 2
        if part.intro:
            sheet.cell(row, 1, part.intro)
            row += 1
        row += 1
        width = 1
        for table in part.tables:
            _, row = _write_table(sheet, table, row)
            width = max(width, len(table.columns))
        for chart in part.charts:
            top = row
            header, row = _write_table(sheet, chart.table, row)
            width = max(width, len(chart.series) + 1)
            if chart.series and chart.categories:
                anchor = f"{get_column_letter(len(chart.series) + 3)}{top}"
                sheet.add_chart(_native_chart(chart, sheet, header), anchor)
                row = max(row, top + CHART_ROWS + 1)
        sheet.column_dimensions["A"].width = 42
        for index in range(2, max(width, len(report.years) + 1) + 3):
            sheet.column_dimensions[get_column_letter(index)].width = 16
    if not report.parts:
        workbook.create_sheet("Pilotage")
    return workbook_bytes(workbook)
