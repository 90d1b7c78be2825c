"""Importing past monthly statistics of a post from a spreadsheet (issue #20, item 5)."""

import html
import io
import re

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from activity.enums import QuarterState
from activity.models import MonthlyValue, QuarterReport
from activity.selectors import report_values
from config.core import spreadsheets
from config.jobs.models import Run, RunState, TaskFailure
from partners.enums import Role
from tests.activity.factories import QuarterReportFactory, default_version, month_values

pytestmark = pytest.mark.django_db


@pytest.fixture
def niort(two_departements):
    return two_departements["79"]


def codes():
    return [i.code for g in default_version().groups.all() for i in g.indicators.order_by("order")]


def ordered_codes():
    version = default_version()
    return [
        i.code
        for g in version.groups.order_by("order", "pk")
        for i in g.indicators.order_by("order", "pk")
    ]


def year_rows(year=2025, months=range(1, 13), **totals):
    header = ["mois", *ordered_codes()]
    values = month_values(**totals)
    rows = [[f"{year}-{month:02d}", *(values[code] for code in header[1:])] for month in months]
    return header, rows


def csv_file(header, rows, name="stats.csv"):
    return SimpleUploadedFile(name, spreadsheets.french_csv(header, rows), "text/csv")


def xlsx_file(header, rows, name="stats.xlsx"):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    return SimpleUploadedFile(name, spreadsheets.workbook_bytes(workbook))


def import_url(post):
    return reverse("activity:statistics_import", args=[post.pk])


def upload(client, post, file):
    return client.post(import_url(post), {"fichier": file})


def preview_url(response):
    assert response.status_code == 302, response.content.decode()[:3000]
    return response["Location"]


def login(client, world, role=Role.DDSP_SECRETARIAT):
    client.force_login(world["users"][role])
    return world["users"][role]


def text(response):
    return html.unescape(re.sub(r"\s+", " ", response.content.decode()))


def test_a_12_month_file_is_previewed_then_written_as_draft_quarters_on_confirmation(client, niort):
    login(client, niort)
    post = niort["post"]
    url = preview_url(upload(client, post, csv_file(*year_rows())))

    preview = client.get(url)
    assert preview.status_code == 200
    assert "12 à créer, 0 à modifier, 0 inchangée, 0 en erreur." in text(preview)
    assert "janvier 2025" in text(preview)
    assert not QuarterReport.objects.filter(post=post).exists()  # nothing before confirmation

    confirmed = client.post(url, follow=True)
    assert "12 créés, 0 modifié, 0 inchangé." in text(confirmed)
    reports = QuarterReport.objects.filter(post=post, year=2025).order_by("quarter")
    assert [r.state for r in reports] == [QuarterState.DRAFT] * 4
    assert report_values(reports[0])[2] == month_values()


def test_re_importing_the_same_file_changes_nothing(client, niort):
    login(client, niort)
    post = niort["post"]
    client.post(preview_url(upload(client, post, xlsx_file(*year_rows()))))
    before = MonthlyValue.objects.count()
    versions = list(QuarterReport.objects.values_list("version", flat=True))

    url = preview_url(upload(client, post, xlsx_file(*year_rows())))
    assert "0 à créer, 0 à modifier, 12 inchangées, 0 en erreur." in text(client.get(url))
    confirmed = client.post(url, follow=True)
    assert "0 créé, 0 modifié, 12 inchangés." in text(confirmed)
    assert MonthlyValue.objects.count() == before
    assert list(QuarterReport.objects.values_list("version", flat=True)) == versions


def test_a_changed_month_is_updated_and_the_others_left_alone(client, niort):
    login(client, niort)
    post = niort["post"]
    client.post(preview_url(upload(client, post, csv_file(*year_rows(months=[1, 2, 3])))))
    header, rows = year_rows(months=[1, 2, 3])
    rows[1][1:] = [month_values(persons=25)[code] for code in header[1:]]
    url = preview_url(upload(client, post, csv_file(header, rows)))
    client.post(url)
    report = QuarterReport.objects.get(post=post, year=2025, quarter=1)
    assert report_values(report)[2]["personnes_rencontrees"] == 25
    assert report_values(report)[1]["personnes_rencontrees"] == 20


def test_months_written_01_2025_and_excel_dates_are_read(client, niort):
    login(client, niort)
    header, rows = year_rows(months=[1, 2])
    rows[0][0] = "01/2025"
    rows[1][0] = "01/02/2025"
    url = preview_url(upload(client, niort["post"], csv_file(header, rows)))
    assert "2 à créer" in text(client.get(url))


def test_wrong_columns_are_listed_in_french_and_nothing_is_kept(client, niort):
    login(client, niort)
    header, rows = year_rows(months=[1])
    header[0] = "month_of_year"
    response = upload(client, niort["post"], csv_file(header, rows))
    assert response.status_code == 400
    page = text(response)
    assert "colonnes manquantes : « mois »" in page
    assert "colonnes inconnues : « month_of_year »" in page


def test_a_formula_is_refused_and_never_computed(client, niort):
    login(client, niort)
    header, rows = year_rows(months=[1, 2])
    rows[1][1] = "=SUM(B2:B3)"
    url = preview_url(upload(client, niort["post"], xlsx_file(header, rows)))
    page = text(client.get(url))
    assert "Formule refusée dans « personnes_rencontrees »" in page
    assert "1 en erreur" in page
    assert "Confirmer l'import" not in page
    response = client.post(url)
    assert response.status_code == 400
    assert "Import refusé : rien n'a été enregistré" in text(response)
    assert not QuarterReport.objects.exists()


def test_a_duplicate_row_and_a_month_twice_are_flagged(client, niort):
    login(client, niort)
    header, rows = year_rows(months=[1, 2])
    rows.append(list(rows[0]))
    other = list(rows[1])
    other[1] = 99
    rows.append(other)
    page = text(client.get(preview_url(upload(client, niort["post"], csv_file(header, rows)))))
    assert "Ligne en double : identique à la ligne 2." in page
    assert "Février 2025 figure déjà ligne 3." in page


def test_bad_counts_and_months_get_a_message_per_row(client, niort):
    login(client, niort)
    header, rows = year_rows(months=[1, 2, 3])
    rows[0][0] = "janvier"
    rows[1][2] = "douze"
    rows[2][0] = "2099-01"
    page = text(client.get(preview_url(upload(client, niort["post"], csv_file(header, rows)))))
    assert "Mois illisible « janvier » : écrivez-le 2025-01 ou 01/2025." in page
    assert "« douze » dans « entretiens » : un nombre entier de 0 à 99999 est attendu." in page
    assert "Janvier 2099 n'est pas encore passé." in page


def test_a_submitted_or_validated_quarter_is_not_overwritten(client, niort):
    login(client, niort)
    post = niort["post"]
    QuarterReportFactory(post=post, year=2025, quarter=1, submitted=True)
    page = text(client.get(preview_url(upload(client, post, csv_file(*year_rows(months=[1, 4]))))))
    assert "Le 1er trimestre 2025 est transmis : l'import ne le modifie pas." in page
    assert "1 à créer" in page


def test_a_post_out_of_scope_is_a_404_and_someone_without_figures_a_403(client, two_departements):
    niort, ermont = two_departements["79"], two_departements["95"]
    login(client, niort)
    assert client.get(import_url(ermont["post"])).status_code == 404
    login(client, niort, Role.LOCAL_AUTHORITY)
    assert client.get(import_url(niort["post"])).status_code == 403


def test_the_social_worker_imports_the_figures_of_their_own_post(client, niort):
    login(client, niort, Role.SOCIAL_WORKER)
    url = preview_url(upload(client, niort["post"], csv_file(*year_rows(months=[1]))))
    client.post(url)
    assert QuarterReport.objects.get(post=niort["post"]).state == QuarterState.DRAFT


def test_another_users_token_or_another_post_finds_nothing(client, two_departements):
    niort = two_departements["79"]
    login(client, niort)
    url = preview_url(upload(client, niort["post"], csv_file(*year_rows(months=[1]))))
    token = url.rstrip("/").rsplit("/", 1)[1]
    login(client, niort, Role.EMPLOYER_COORDINATION)
    response = client.post(url, follow=True)
    assert "n'est plus disponible" in text(response)
    assert not QuarterReport.objects.exists()
    other = reverse(
        "activity:statistics_import_preview", args=[niort["gendarmerie_post"].pk, token]
    )
    assert client.get(other).status_code == 404  # the employer does not hold that post


def test_a_100_000_row_csv_is_refused_in_french(client, niort):
    login(client, niort)
    content = "\ufeffmois;personnes_rencontrees\r\n" + "2025-01;1\r\n" * 100_000
    response = upload(client, niort["post"], SimpleUploadedFile("big.csv", content.encode()))
    assert response.status_code == 400
    assert "Le fichier compte trop de lignes (plus de 5\u202f000)" in response.content.decode()


def test_a_file_too_heavy_or_not_a_spreadsheet_is_refused_in_french(client, niort):
    login(client, niort)
    heavy = SimpleUploadedFile("big.csv", b"mois;x\r\n" + b"a" * (5 * 1024 * 1024 + 1))
    response = upload(client, niort["post"], heavy)
    assert response.status_code == 400
    assert "un import est limité à 5,0 Mo" in text(response)
    broken = SimpleUploadedFile("stats.xlsx", b"PK\x03\x04 not a workbook")
    response = upload(client, niort["post"], broken)
    assert response.status_code == 400
    assert "Ce classeur ne peut pas être lu" in text(response)
    binary = SimpleUploadedFile("photo.csv", b"\x89PNG\x00\x00\x00")
    assert upload(client, niort["post"], binary).status_code == 400


def test_a_windows_1252_csv_with_commas_is_read(client, niort):
    login(client, niort)
    header, rows = year_rows(months=[1])
    content = ",".join(header) + "\r\n" + ",".join(str(v) for v in rows[0]) + "\r\n"
    file = SimpleUploadedFile("stats.csv", content.encode("cp1252"))
    assert "1 à créer" in text(client.get(preview_url(upload(client, niort["post"], file))))


def test_a_failure_mid_way_writes_nothing(client, niort, monkeypatch):
    login(client, niort)
    url = preview_url(upload(client, niort["post"], csv_file(*year_rows())))
    from activity import imports

    calls = []
    original = imports.quarter_save

    def failing_on_the_third_quarter(**kwargs):
        calls.append(kwargs["report"].quarter)
        if len(calls) == 3:
            raise RuntimeError("disk full")
        return original(**kwargs)

    monkeypatch.setattr(imports, "quarter_save", failing_on_the_third_quarter)
    response = client.post(url, follow=True)
    # The person is told, on the import's page, and the administrator sees the failure.
    assert response.redirect_chain[-1][0] == reverse(
        "activity:statistics_import", args=[niort["post"].pk]
    )
    assert "Le traitement n'a pas pu aboutir" in text(response)
    assert calls == [1, 2, 3]
    assert not QuarterReport.objects.exists()
    assert not MonthlyValue.objects.exists()
    failure = TaskFailure.objects.get()
    assert (failure.task, failure.error) == ("jobs.run", "RuntimeError : disk full")
    run = Run.objects.get()
    assert (run.state, run.params) == (RunState.FAILED, {})


def test_the_templates_hold_the_grid_in_force_and_an_example(client, niort):
    login(client, niort)
    post = niort["post"]
    response = client.get(reverse("activity:statistics_template_csv", args=[post.pk]))
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0].split(";")[:3] == ["mois", "personnes_rencontrees", "entretiens"]
    assert re.fullmatch(r"\d{4}-\d{2}(;0)+", lines[1])
    response = client.get(reverse("activity:statistics_template_xlsx", args=[post.pk]))
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Statistiques", "Indicateurs"]
    assert workbook["Statistiques"]["A1"].value == "mois"


def test_the_filled_template_imports_as_is(client, niort):
    login(client, niort)
    post = niort["post"]
    content = client.get(reverse("activity:statistics_template_xlsx", args=[post.pk])).content
    url = preview_url(upload(client, post, SimpleUploadedFile("modele.xlsx", content)))
    assert "1 à créer" in text(client.get(url))


def test_the_statistics_home_offers_the_import(client, niort):
    login(client, niort, Role.EMPLOYER_COORDINATION)
    response = client.get(reverse("activity:home"))
    assert import_url(niort["post"]) in response.content.decode()


def test_the_preview_of_a_year_reads_a_pinned_number_of_queries(
    client, niort, django_assert_num_queries
):
    login(client, niort)
    url = preview_url(upload(client, niort["post"], csv_file(*year_rows())))
    # 1 session, 2 user, 3 savepoint, 4 user's organisation, 5 post, 6 its holders,
    # 7 its sites, 8-10 the grid versions, their groups and indicators (the columns);
    # per quarter (4 x 4): the quarter, the grid in force on its first day, its groups,
    # its indicators; 27 release savepoint.
    with django_assert_num_queries(27):
        client.get(url)


def test_a_confirmation_sent_twice_imports_once(client, niort):
    login(client, niort)
    url = preview_url(upload(client, niort["post"], csv_file(*year_rows(months=[1]))))
    client.post(url)
    versions = list(QuarterReport.objects.values_list("version", flat=True))
    again = client.post(url, follow=True)
    assert "Cet import a déjà été confirmé" in text(again)
    assert list(QuarterReport.objects.values_list("version", flat=True)) == versions


def test_the_entry_pages_of_the_post_offer_the_import(client, niort):
    login(client, niort, Role.SOCIAL_WORKER)
    month = client.get(reverse("activity:month_entry", args=[niort["post"].pk, 2025, 1]))
    assert import_url(niort["post"]) in month.content.decode()


def test_the_preview_is_worded_for_the_statistics_of_the_post(client, niort):
    login(client, niort)
    post = niort["post"]
    page = text(client.get(preview_url(upload(client, post, csv_file(*year_rows(months=[1]))))))
    assert f"<title>Vérifier l'import — {post.name}" in page
    assert f'<p class="lead">{post.name}</p>' in page
    assert (
        f'Statistiques d\'activité</a> › <a href="{import_url(post)}">Importer des statistiques</a>'
        in page
    )
    assert '<th scope="col">Mois</th>' in page
