"""CSV and XLSX files for French spreadsheets, written the same way by every export.

CSV: semicolons, decimal comma, dates as 31/12/2024, UTF-8 with a byte order
mark so that Excel reads the accents. Both formats neutralise typed text that
a spreadsheet would run as a formula (« =HYPERLINK(…) », « @SUM(…) »).
"""

import csv
import datetime
import io
from decimal import Decimal

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Font

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralised(value):
    """Typed text (a name, a source, a reference) is never run as a spreadsheet formula."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_value(value) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{value:.2f}".replace(".", ",")
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        # Stored in UTC: what a reader in Paris saw on the page, not the UTC day.
        return timezone.localtime(value).strftime("%d/%m/%Y %H:%M")
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    return str(neutralised(value))


def french_csv(header: list[str], rows) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([csv_value(v) for v in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def bold_row(sheet, row: int = 1) -> None:
    for cell in sheet[row]:
        cell.font = Font(bold=True)


def append_rows(sheet, rows) -> None:
    for row in rows:
        sheet.append([neutralised(v) for v in row])


def new_workbook() -> Workbook:
    return Workbook()


def workbook_bytes(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
