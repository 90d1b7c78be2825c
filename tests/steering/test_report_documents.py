"""The annual steering report as PDF and XLSX: the same figures as the page, cell for cell;
charts as native spreadsheet charts of the same values."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from config.steering.area import Area
from config.steering.documents import render_report_pdf, report_xlsx
from config.steering.figures import Chart, Masked, formatted
from tests.pdfs import tagging
from tests.steering.reports import TODAY, YEAR, sample_report
from tests.steering.test_rendering import page_tables

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def hand_built_report(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: TODAY)
    monkeypatch.setattr(
        "config.steering.report.steering_report",
        lambda area, *, year, today: sample_report(area, year),
    )


def pdf_lines(data: bytes) -> set[str]:
    reader = PdfReader(io.BytesIO(data))
    return {
        " ".join(line.split()) for page in reader.pages for line in page.extract_text().splitlines()
    }


def all_tables(report):
    """(part, table) of every table of the report, the charts' figures included."""
    for part in report.parts:
        for table in part.tables:
            yield part, table
        for chart in part.charts:
            yield part, chart.table


def xlsx_table(sheet, table) -> list[list]:
    """The values under the header of ``table`` (found by its caption) in ``sheet``."""
    rows = list(sheet.iter_rows(values_only=True))
    start = next(
        i
        for i, row in enumerate(rows)
        if row[0] == table.caption and (rows[i + 1][0] or "") == table.columns[0].label
    )
    return [
        list(row[: len(table.columns)]) for row in rows[start + 2 : start + 2 + len(table.rows)]
    ]


def shown(value, kind) -> str:
    """An XLSX value as the page prints it (a masked count is already its label)."""
    if isinstance(value, str):
        return value
    return " ".join(formatted(value, kind).split())


@pytest.mark.parametrize("departement", [None, "79"])
def test_every_table_cell_of_the_page_is_the_same_in_the_pdf_and_the_xlsx(
    client, admin_user, departement
):
    client.force_login(admin_user)
    area = Area(departement)
    report = sample_report(area)
    page = page_tables(client.get(area.url).content)
    lines = pdf_lines(render_report_pdf(report))
    workbook = load_workbook(io.BytesIO(report_xlsx(report)))
    compared = 0
    for part, table in all_tables(report):
        page_rows = page[table.id]
        assert page_rows, table.id
        kinds = [column.kind for column in table.columns]
        xlsx_rows = xlsx_table(workbook.worksheets[report.parts.index(part)], table)
        for page_row, xlsx_row in zip(page_rows, xlsx_rows, strict=True):
            assert " ".join(page_row) in lines
            assert [shown(v, k) for v, k in zip(xlsx_row, kinds, strict=True)] == page_row
            compared += 1
    assert compared == 30


def test_the_xlsx_writes_raw_numbers_with_their_french_formats():
    workbook = load_workbook(io.BytesIO(report_xlsx(sample_report())))
    sheet = workbook["Couverture du territoire"]
    cells = {cell.coordinate: cell for row in sheet.iter_rows() for cell in row}
    val_doise = next(c.row for c in cells.values() if c.value == "Val-d'Oise (95)")
    posts, share, cost = (sheet.cell(val_doise, column) for column in (2, 3, 4))
    assert (posts.value, posts.number_format) == (12, "#,##0")
    assert (share.value, share.number_format) == (pytest.approx(0.8), "0 %")
    assert cost.value == pytest.approx(1234567.89)
    assert cost.number_format == '#,##0.00" €"'
    mixed = next(c.row for c in cells.values() if c.value == "Mixte")
    assert sheet.cell(mixed, 2).value == str(Masked(11)) == "< 11"
    assert sheet.cell(mixed, 3).value is None


def test_the_xlsx_has_one_sheet_per_part():
    workbook = load_workbook(io.BytesIO(report_xlsx(sample_report())))
    assert workbook.sheetnames == [
        "Couverture du territoire",
        "Financement",
        "Activité des intervenants…",
        "Remontée des statistiques",
    ]


def test_each_chart_is_a_native_xlsx_chart_of_the_same_series_values():
    report = sample_report()
    workbook = load_workbook(io.BytesIO(report_xlsx(report)))
    compared = 0
    for part, sheet in zip(report.parts, workbook.worksheets, strict=True):
        assert len(sheet._charts) == len(part.charts)
        for chart, native in zip(part.charts, sheet._charts, strict=True):
            assert len(native.series) == len(chart.series)
            for series, native_series in zip(chart.series, native.series, strict=True):
                reference = native_series.val.numRef.f.split("!")[1].replace("$", "")
                read = [cell.value for (cell,) in sheet[reference]]
                # A masked count is its label in the cell: the spreadsheet leaves it out.
                assert read == [
                    str(v) if isinstance(v, Masked) else v if v is None else pytest.approx(float(v))
                    for v in series.values
                ]
                compared += 1
    assert compared == 8


def test_the_chart_kinds_become_bars_stacked_bars_and_lines_in_the_xlsx():
    workbook = load_workbook(io.BytesIO(report_xlsx(sample_report())))
    stacked = workbook["Couverture du territoire"]._charts[0]
    bars, lines = workbook["Financement"]._charts
    horizontal = workbook["Activité des intervenants…"]._charts[0]
    assert (stacked.tagname, stacked.grouping) == ("barChart", "stacked")
    assert (bars.tagname, bars.grouping, bars.type) == ("barChart", "clustered", "col")
    assert lines.tagname == "lineChart"
    assert horizontal.type == "bar"


def test_the_pdf_opens_on_a_title_page_and_prints_the_map_with_its_source():
    reader = PdfReader(io.BytesIO(render_report_pdf(sample_report())))
    first = " ".join(reader.pages[0].extract_text().split())
    assert "Rapport annuel de pilotage 2026 France entière" in first
    assert "Sommaire" in first and "Remontée des statistiques" in first
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    assert "Fond de carte : pygal_maps_fr (Kozea)" in text
    assert "Aucune donnée" in text


def test_the_departement_report_has_no_map():
    report = sample_report(Area("79"))
    text = " ".join(
        page.extract_text() for page in PdfReader(io.BytesIO(render_report_pdf(report))).pages
    )
    assert "Fond de carte" not in text
    assert "Deux-Sèvres (79)" in text


def test_the_reports_download_with_a_french_filename(client, admin_user):
    client.force_login(admin_user)
    pdf = client.get(reverse("steering:departement_pdf", args=["79", YEAR]))
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf["Content-Disposition"] == (
        'inline; filename="rapport-pilotage-deux-sevres-79-2026.pdf"'
    )
    xlsx = client.get(reverse("steering:national_xlsx", args=[YEAR]))
    assert xlsx["Content-Disposition"] == (
        'attachment; filename="rapport-pilotage-france-2026.xlsx"'
    )
    assert load_workbook(io.BytesIO(xlsx.content)).sheetnames[0] == "Couverture du territoire"


def test_a_chart_without_figures_leaves_no_native_chart_in_the_xlsx():
    report = sample_report()
    report.parts[3].charts = [Chart("vide", "Rien encore", "bars", [], [])]
    workbook = load_workbook(io.BytesIO(report_xlsx(report)))
    assert workbook.worksheets[3]._charts == []
    assert "Rien encore" in [row[0] for row in workbook.worksheets[3].iter_rows(values_only=True)]


def test_the_report_pdf_is_tagged_in_french_with_its_title():
    pdf = tagging(render_report_pdf(sample_report(Area("79"))))
    assert pdf.lang == "fr"
    assert pdf.marked and pdf.display_title
    assert pdf.title == f"Rapport annuel de pilotage {YEAR} — Deux-Sèvres (79)"
    assert {"/H1", "/H2", "/Table", "/Caption", "/TH", "/TD", "/Figure"} <= {
        tag for tag, _ in pdf.structure
    }
    # No caption left at the foot of a page without its table.
    assert all("/TR" in under for tag, under in pdf.structure if tag == "/Table")
