"""Imports and exports run by a worker for the person who asked (config.jobs.runs), here
with no broker (inline, as in ``make run``): the run is done once, its page follows it,
its file is for its owner only, and nothing is kept beyond a week."""

import datetime
import html
import io
import re

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from activity.enums import QuarterState
from activity.models import QuarterReport
from config.core.idempotency import SUBMISSION_FIELD, new_token
from config.jobs.models import Run, RunState, TaskFailure
from config.jobs.runs import forget_old_runs, run_task
from partners.enums import Role
from tests.activity.factories import QuarterReportFactory
from tests.activity.test_imports import year_rows
from tests.partners.factories import UserFactory

pytestmark = pytest.mark.django_db

TOTAL_CELL = re.compile(r'<td class="num total" data-code="([\w-]+)">([\d—]+)</td>')


def national_export(client, year=2025, file_format="xlsx", token=None):
    return client.post(
        reverse("activity:export_national"),
        {"annee": year, "format": file_format, SUBMISSION_FIELD: token or new_token()},
    )


def downloaded(client, run) -> bytes:
    response = client.get(reverse("runs:file", args=[run.public_id]))
    assert response.status_code == 200
    return b"".join(response.streaming_content)


@pytest.fixture
def filled_year(two_departements):
    for dep in ("79", "95"):
        for quarter in (1, 2):
            QuarterReportFactory(
                post=two_departements[dep]["post"],
                year=2025,
                quarter=quarter,
                filled=True,
                validated=True,
            )
    return two_departements


def test_the_national_bilan_file_is_made_and_holds_the_pages_totals(client, filled_year):
    client.force_login(UserFactory(admin=True))
    page = client.get(reverse("activity:bilan_national", args=[2025])).content.decode()
    assert "Préparer l'export XLSX" in html.unescape(page)
    response = national_export(client)
    run = Run.objects.get()
    assert response["Location"] == reverse("runs:detail", args=[run.public_id])
    detail = client.get(response["Location"]).content.decode()
    assert "Terminé" in detail and "bilan-tous-les-postes-2025.xlsx (" in detail
    workbook = load_workbook(io.BytesIO(downloaded(client, run)))
    totals = {}
    for sheet in workbook.worksheets[1:]:
        header = [cell.value for cell in sheet[1]]
        column = next(i for i, h in enumerate(header) if h.startswith("Total"))
        for row in sheet.iter_rows(min_row=2, values_only=True):
            totals[row[1]] = row[column]
    page_totals = {
        code: None if value == "—" else int(value) for code, value in TOTAL_CELL.findall(page)
    }
    assert totals == page_totals
    assert page_totals["personnes_rencontrees"] > 0


def test_a_double_click_asks_for_one_export(client, filled_year):
    client.force_login(UserFactory(admin=True))
    token = new_token()
    first = national_export(client, token=token)
    second = national_export(client, token=token)
    assert Run.objects.count() == 1
    assert second["Location"] == first["Location"]


def test_the_national_steering_exports_validated_quarters_only(client, filled_year):
    QuarterReportFactory(
        post=filled_year["79"]["post"], year=2025, quarter=3, filled=True, submitted=True
    )
    client.force_login(UserFactory(role=Role.NATIONAL_STEERING))
    national_export(client, file_format="csv")
    run = Run.objects.get()
    text = downloaded(client, run).decode("utf-8-sig")
    admin = UserFactory(admin=True)
    client.force_login(admin)
    national_export(client, file_format="csv")
    everything = downloaded(client, Run.objects.get(user=admin)).decode("utf-8-sig")
    assert text != everything  # the submitted third quarter counts for the administrator only


def test_a_run_and_its_file_are_their_owners_only(client, filled_year):
    owner = UserFactory(admin=True)
    client.force_login(owner)
    national_export(client)
    run = Run.objects.get()
    client.force_login(UserFactory(admin=True))
    for name in ("runs:detail", "runs:state", "runs:file"):
        assert client.get(reverse(name, args=[run.public_id])).status_code == 404
    assert run.label not in client.get(reverse("runs:list")).content.decode()


def test_the_national_export_is_asked_for_not_downloaded(client, filled_year):
    client.force_login(UserFactory(admin=True))
    response = client.get(reverse("activity:export_xlsx"), {"annee": 2025}, follow=True)
    assert response.redirect_chain == [(reverse("activity:bilan_national", args=[2025]), 302)]
    assert "se prépare sur le serveur" in response.content.decode()
    assert not Run.objects.exists()


def test_only_who_reads_the_national_bilan_asks_for_its_file(client, filled_year):
    client.force_login(filled_year["79"]["users"][Role.DDSP_SECRETARIAT])
    assert national_export(client).status_code == 403
    assert not Run.objects.exists()


def test_a_waiting_run_is_followed_by_its_page(client):
    user = UserFactory()
    run = Run.objects.create(
        key="attente", user=user, handler="x.Y", label="Bilan national — 2025 (XLSX)"
    )
    client.force_login(user)
    page = client.get(reverse("runs:detail", args=[run.public_id])).content.decode()
    assert "En cours" in page
    assert f'data-run-state="{reverse("runs:state", args=[run.public_id])}"' in page
    state = client.get(reverse("runs:state", args=[run.public_id])).json()
    assert state == {"etat": "waiting", "fini": False}
    assert client.get(reverse("runs:file", args=[run.public_id])).status_code == 404


def test_a_run_delivered_twice_is_done_once(client, filled_year):
    admin = UserFactory(admin=True)
    client.force_login(admin)
    national_export(client)
    run = Run.objects.get()
    name = run.file.name
    assert run_task.delay(run.pk).result is False
    run.refresh_from_db()
    assert run.file.name == name


def test_a_person_who_lost_the_right_is_told_and_nothing_is_made(client, filled_year):
    steering = UserFactory(role=Role.NATIONAL_STEERING)
    run = Run.objects.create(
        key="perdu",
        user=steering,
        handler="activity.views.exports.NationalBilanExport",
        label="Bilan national — 2025 (XLSX)",
        params={"annee": 2025, "trimestre": None, "format": "xlsx"},
    )
    steering.role = Role.READ_ONLY_PARTNER
    steering.save()
    run_task.delay(run.pk)
    run.refresh_from_db()
    assert (run.state, run.message, run.file.name) == (
        RunState.FAILED,
        "Vous n'avez plus accès au bilan national.",
        "",
    )
    assert not TaskFailure.objects.exists()  # the person's matter, not an incident


def test_a_statistics_import_whose_quarter_was_submitted_meanwhile_writes_nothing(
    two_departements,
):
    world = two_departements["79"]
    user = world["users"][Role.EMPLOYER_COORDINATION]
    report = QuarterReportFactory(post=world["post"], year=2025, quarter=1, filled=True)
    header, cells = year_rows(months=[1, 4])
    rows = [[line, [str(value) for value in row]] for line, row in enumerate(cells, start=2)]
    run = Run.objects.create(
        key="import:meanwhile",
        user=user,
        handler="activity.views.imports.StatisticsImport",
        label="Import de « stats.csv »",
        subject=str(world["post"].pk),
        params={"name": "stats.csv", "header": header, "rows": rows},
    )
    # Transmitted between the preview and the run.
    QuarterReport.objects.filter(pk=report.pk).update(
        state=QuarterState.SUBMITTED, submitted_at=timezone.now()
    )
    run_task.delay(run.pk)
    run.refresh_from_db()
    assert run.state == RunState.FAILED
    assert run.message.startswith("Rien n'a été importé : depuis votre vérification, 1 ligne")
    assert run.params == {}  # the cells are not kept
    assert not world["post"].quarter_reports.filter(year=2025, quarter=2).exists()


def test_runs_of_more_than_a_week_go_with_their_files(client):
    user = UserFactory()
    old = Run(key="vieux", user=user, handler="x.Y", label="Vieux", state=RunState.DONE)
    old.file.save("vieux.csv", ContentFile(b"a"), save=False)
    old.save()
    Run.objects.filter(pk=old.pk).update(created_at=timezone.now() - datetime.timedelta(days=8))
    recent = Run.objects.create(key="recent", user=user, handler="x.Y", label="Récent")
    storage, name = old.file.storage, old.file.name
    assert storage.exists(name)
    assert forget_old_runs.delay().result == 1
    assert list(Run.objects.all()) == [recent]
    assert not storage.exists(name)


def test_my_runs_are_listed_newest_first(client, django_assert_num_queries):
    user = UserFactory()
    for number in range(3):
        Run.objects.create(key=f"r{number}", user=user, handler="x.Y", label=f"Export {number}")
    client.force_login(user)
    # session, user, savepoint, count, the user's organisation (header), the page of runs,
    # release
    with django_assert_num_queries(7):
        page = client.get(reverse("runs:list")).content.decode()
    assert page.index("Export 2") < page.index("Export 1") < page.index("Export 0")


def test_a_run_page_reads_one_row(client, django_assert_num_queries):
    user = UserFactory()
    run = Run.objects.create(key="r", user=user, handler="x.Y", label="Export")
    client.force_login(user)
    # session, user, savepoint, the run, the user's organisation (header), release
    with django_assert_num_queries(6):
        assert client.get(reverse("runs:detail", args=[run.public_id])).status_code == 200


def test_a_failed_run_with_no_page_to_return_to_is_told_on_its_own_page(client):
    user = UserFactory()
    run = Run.objects.create(
        key="sans-retour",
        user=user,
        handler="x.Y",
        label="Export",
        state=RunState.FAILED,
        message="Le traitement n'a pas pu aboutir.",
    )
    client.force_login(user)
    page = client.get(reverse("runs:detail", args=[run.public_id]))
    assert page.status_code == 200  # not a redirection to itself
    assert "Le traitement n&#x27;a pas pu aboutir." in page.content.decode()
