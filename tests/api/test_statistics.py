"""Monthly statistics through the API: entered and submitted by the employer's and the
social worker's keys with the rules of the pages; read validated only by the readers."""

import pytest

from activity.enums import QuarterState
from activity.models import QuarterReport
from activity.selectors import report_values
from partners.enums import Role
from tests.activity.factories import QuarterReportFactory, month_values

pytestmark = pytest.mark.django_db


def quarter_url(post, year=2025, quarter=1, submit=False):
    url = f"/api/v1/postes/{post.pk}/trimestres/{year}/{quarter}/"
    return url + "transmettre/" if submit else url


@pytest.fixture
def niort(two_departements):
    return two_departements["79"]


@pytest.mark.parametrize("role", [Role.EMPLOYER_COORDINATION, Role.SOCIAL_WORKER])
def test_the_employer_and_the_social_worker_enter_then_submit_a_quarter(niort, api_as, role):
    api = api_as(niort["users"][role])
    post = niort["post"]
    blank = api.get(quarter_url(post)).json()
    assert blank["etat"] == "draft" and blank["version"] == 0
    assert "personnes_rencontrees" in {i["code"] for i in blank["indicateurs"]}
    values = month_values()
    saved = api.put(
        quarter_url(post), {"version": 0, "mois": {"1": values, "2": values}}, format="json"
    )
    assert saved.status_code == 200, saved.json()
    assert saved.json()["mois"][0]["valeurs"]["personnes_rencontrees"] == 20
    submitted = api.post(
        quarter_url(post, submit=True),
        {"version": saved.json()["version"], "mois": {"3": values}},
        format="json",
    )
    assert submitted.status_code == 200, submitted.json()
    report = QuarterReport.objects.get(post=post, year=2025, quarter=1)
    assert report.state == QuarterState.SUBMITTED
    assert report_values(report)[3]["entretiens"] == 30


def test_an_incomplete_quarter_is_not_submitted_but_its_counts_are_saved(niort, api_as):
    api = api_as(niort["users"][Role.EMPLOYER_COORDINATION])
    post = niort["post"]
    response = api.post(
        quarter_url(post, submit=True),
        {"version": 0, "mois": {"1": month_values()}},
        format="json",
    )
    assert response.status_code == 400
    assert any("mars" in message.lower() for message in response.json()["non_field_errors"])
    report = QuarterReport.objects.get(post=post, year=2025, quarter=1)
    assert report.state == QuarterState.DRAFT
    assert report_values(report)[1]["personnes_rencontrees"] == 20


def test_a_write_on_an_older_version_is_refused_with_409(niort, api_as):
    api = api_as(niort["users"][Role.EMPLOYER_COORDINATION])
    post = niort["post"]
    first = api.put(
        quarter_url(post), {"version": 0, "mois": {"1": {"entretiens": 3}}}, format="json"
    )
    assert first.status_code == 200
    stale = api.put(
        quarter_url(post), {"version": 0, "mois": {"1": {"entretiens": 9}}}, format="json"
    )
    assert stale.status_code == 409
    assert stale.json()["version"] == first.json()["version"]
    assert report_values(QuarterReport.objects.get(post=post))[1]["entretiens"] == 3


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"version": 0, "mois": {"4": {"entretiens": 1}}}, "mois"),
        ({"version": 0, "mois": {"1": {"inconnu": 1}}}, "mois"),
        ({"version": 0, "mois": {"1": {"entretiens": -1}}}, "mois"),
        ({"version": 0, "mois": {"1": {"entretiens": 100000}}}, "mois"),
        ({"mois": {"1": {"entretiens": 1}}}, "version"),
    ],
    ids=["month-outside", "unknown-indicator", "negative", "too-big", "no-version"],
)
def test_wrong_counts_are_a_400_by_field_and_nothing_is_saved(niort, api_as, body, field):
    api = api_as(niort["users"][Role.EMPLOYER_COORDINATION])
    response = api.put(quarter_url(niort["post"]), body, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert not QuarterReport.objects.exists()


@pytest.mark.parametrize(
    "role",
    [
        Role.DDSP_SECRETARIAT,
        Role.LOCAL_AUTHORITY,
        Role.READ_ONLY_PARTNER,
        Role.DEPARTEMENTAL_STEERING,
    ],
)
def test_the_other_roles_do_not_write_statistics_through_the_api(niort, api_as, role):
    api = api_as(niort["users"][role])
    response = api.put(
        quarter_url(niort["post"]), {"version": 0, "mois": {"1": {"entretiens": 1}}}, format="json"
    )
    assert response.status_code == 403
    assert not QuarterReport.objects.exists()


def test_a_post_out_of_scope_is_404(two_departements, api_as):
    api = api_as(two_departements["79"]["users"][Role.EMPLOYER_COORDINATION])
    response = api.get(quarter_url(two_departements["95"]["post"]))
    assert response.status_code == 404


def test_the_same_write_sent_twice_with_its_key_is_done_once(niort, api_as):
    api = api_as(niort["users"][Role.EMPLOYER_COORDINATION])
    body = {"version": 0, "mois": {"1": {"entretiens": 3}}}
    first = api.put(quarter_url(niort["post"]), body, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    again = api.put(quarter_url(niort["post"]), body, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert first.status_code == again.status_code == 200
    assert again["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    assert QuarterReport.objects.get().version == 1


@pytest.mark.parametrize(
    ("role", "sees_submitted"),
    [
        (Role.EMPLOYER_COORDINATION, True),
        (Role.DDSP_SECRETARIAT, True),
        (Role.SOCIAL_WORKER, True),
        (Role.LOCAL_AUTHORITY, False),
        (Role.READ_ONLY_PARTNER, False),
        (Role.DEPARTEMENTAL_STEERING, False),
    ],
)
def test_readers_get_validated_quarters_only(niort, api_as, role, sees_submitted):
    post = niort["post"]
    validated = QuarterReportFactory(post=post, quarter=1, validated=True, filled=True)
    submitted = QuarterReportFactory(post=post, quarter=2, submitted=True, filled=True)
    api = api_as(niort["users"][role])
    listed = api.get("/api/v1/statistiques/", {"poste": post.pk}).json()["results"]
    quarters = {row["trimestre"] for row in listed}
    assert quarters == ({1, 2} if sees_submitted else {1})
    (first,) = [row for row in listed if row["trimestre"] == validated.quarter]
    assert first["mois"][0]["valeurs"]["personnes_rencontrees"] == 20
    one = api.get(quarter_url(post, quarter=submitted.quarter)).json()
    assert one["valeurs_visibles"] is sees_submitted
    assert bool(one["mois"]) is sees_submitted


def test_the_bilan_of_a_post_sums_its_validated_quarters_for_a_reader(niort, api_as):
    post = niort["post"]
    QuarterReportFactory(post=post, quarter=1, validated=True, filled=True)
    QuarterReportFactory(post=post, quarter=2, submitted=True, filled=True)
    reader = api_as(niort["users"][Role.LOCAL_AUTHORITY])
    bilan = reader.get(f"/api/v1/bilans/postes/{post.pk}/2025/").json()
    persons = next(r for r in bilan["indicateurs"] if r["code"] == "personnes_rencontrees")
    assert bilan["trimestres_valides_seulement"] is True
    assert persons["total"] == 60
    employer = api_as(niort["users"][Role.EMPLOYER_COORDINATION])
    bilan = employer.get(f"/api/v1/bilans/postes/{post.pk}/2025/").json()
    persons = next(r for r in bilan["indicateurs"] if r["code"] == "personnes_rencontrees")
    assert persons["total"] == 120


def test_the_national_bilan_is_for_the_national_roles_only(niort, api_as):
    assert (
        api_as(niort["users"][Role.LOCAL_AUTHORITY])
        .get("/api/v1/bilans/national/2025/")
        .status_code
        == 403
    )
