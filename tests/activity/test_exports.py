"""Exports: the spreadsheet holds the numbers the page shows, for any past year."""

import csv
import io
import re

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from conventions.models import Post
from partners.enums import Role
from partners.models import User
from tests.activity.factories import QuarterReportFactory

pytestmark = pytest.mark.django_db

TOTAL_CELL = re.compile(r'<td class="num total" data-code="([\w-]+)">([\d—]+)</td>')


def page_totals(content: str) -> dict[str, int | None]:
    return {
        code: None if value == "—" else int(value) for code, value in TOTAL_CELL.findall(content)
    }


def xlsx_totals(data: bytes) -> dict[str, int | None]:
    workbook = load_workbook(io.BytesIO(data))
    totals = {}
    for sheet in workbook.worksheets[1:]:
        header = [cell.value for cell in sheet[1]]
        total_column = next(i for i, h in enumerate(header) if h.startswith("Total"))
        for row in sheet.iter_rows(min_row=2, values_only=True):
            totals[row[1]] = row[total_column]
    return totals


def csv_totals(text: str) -> dict[str, int | None]:
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    total_column = next(i for i, h in enumerate(rows[0]) if h.startswith("Total"))
    return {row[2]: int(row[total_column]) if row[total_column] else None for row in rows[1:]}


@pytest.mark.parametrize(
    "username,year,quarter",
    [("ddsp79", 2024, None), ("ddsp79", 2025, None), ("ddsp95", 2026, 1), ("ddsp95", 2025, 2)],
)
def test_page_xlsx_and_csv_totals_are_equal_for_past_periods(client, username, year, quarter):
    call_command("load_demo", stdout=io.StringIO())
    user = User.objects.get(username=username)
    post = Post.objects.get(departement=user.organisation.departement)
    client.force_login(user)
    args = [post.pk, year] + ([quarter] if quarter else [])
    page = page_totals(client.get(reverse("activity:bilan_post", args=args)).content.decode())
    query = {"annee": year, "poste": post.pk, **({"trimestre": quarter} if quarter else {})}
    xlsx = xlsx_totals(client.get(reverse("activity:export_xlsx"), query).content)
    text = client.get(reverse("activity:export_csv"), query).content.decode()
    assert len(page) == 57
    assert page["personnes_rencontrees"] > 0
    assert xlsx == page
    assert csv_totals(text) == page


def test_the_xlsx_has_one_sheet_per_group_with_months_as_columns(client, two_departements):
    world = two_departements["79"]
    for quarter in range(1, 5):
        QuarterReportFactory(post=world["post"], year=2025, quarter=quarter, filled=True)
    client.force_login(world["users"][Role.DDSP_SECRETARIAT])
    response = client.get(
        reverse("activity:export_xlsx"), {"annee": 2025, "poste": world["post"].pk}
    )
    assert response["Content-Disposition"].endswith('2025.xlsx"')
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames[:3] == ["Synthèse", "Activité", "Personnes nouvelles ou déjà con"]
    assert len(workbook.sheetnames) == 12
    header = [cell.value for cell in workbook["Public - sexe"][1]]
    assert header[:4] == ["Indicateur", "Code", "janvier 2025", "février 2025"]
    assert header[-2:] == ["Total année 2025", "Même période 2024"]


def test_the_csv_opens_in_french_excel(client, two_departements):
    world = two_departements["79"]
    QuarterReportFactory(post=world["post"], year=2025, quarter=1, filled=True)
    client.force_login(world["users"][Role.DDSP_SECRETARIAT])
    response = client.get(
        reverse("activity:export_csv"), {"annee": 2025, "trimestre": 1, "poste": world["post"].pk}
    )
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeffGroupe;Indicateur;Code;janvier 2025;février 2025;mars 2025;")


def test_a_reader_exports_validated_quarters_only(client, two_departements):
    world = two_departements["79"]
    QuarterReportFactory(post=world["post"], year=2025, quarter=1, filled=True, validated=True)
    QuarterReportFactory(post=world["post"], year=2025, quarter=2, filled=True, submitted=True)
    client.force_login(world["users"][Role.LOCAL_AUTHORITY])
    response = client.get(
        reverse("activity:export_csv"), {"annee": 2025, "poste": world["post"].pk}
    )
    assert csv_totals(response.content.decode())["personnes_rencontrees"] == 60


def test_the_val_doise_ddsp_secretariat_cannot_export_a_niort_bilan(client, two_departements):
    client.force_login(two_departements["95"]["users"][Role.DDSP_SECRETARIAT])
    post = two_departements["79"]["post"]
    for name in ("activity:export_xlsx", "activity:export_csv"):
        assert client.get(reverse(name), {"annee": 2025, "poste": post.pk}).status_code == 404
        assert client.get(reverse(name), {"annee": 2025, "departement": "79"}).status_code == 404


def test_only_administrators_export_the_national_bilan(client, two_departements):
    client.force_login(two_departements["79"]["users"][Role.DDSP_SECRETARIAT])
    assert client.get(reverse("activity:export_xlsx"), {"annee": 2025}).status_code == 403


def test_bad_export_parameters_answer_404(client, two_departements):
    client.force_login(two_departements["79"]["users"][Role.DDSP_SECRETARIAT])
    assert client.get(reverse("activity:export_csv"), {"annee": "deux"}).status_code == 404
