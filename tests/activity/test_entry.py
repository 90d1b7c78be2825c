"""The entry pages: the quarter screen of the DDSP secretariat and the month of the ISC."""

import pytest
from django.urls import reverse

from activity.enums import QuarterAction, QuarterState
from activity.forms import CountsEntryForm
from activity.layout import layout_of
from activity.models import GridVersion, MonthlyValue, QuarterReport
from activity.selectors import report_values
from activity.services import quarter_reopen, quarter_save, quarter_submit, quarter_validate
from partners.enums import Role
from tests.activity.factories import QuarterReportFactory, default_version, month_values
from tests.conventions.factories import PostFactory

pytestmark = pytest.mark.django_db

PARTITION_GROUPS = [
    "personnes_connues",
    "entretiens_modalite",
    "premier_contact",
    "public_sexe",
    "public_age",
    "public_situation",
    "public_services_sociaux",
    "origine_saisine",
]


def quarter_url(post, year=2025, quarter=1, action="quarter_entry"):
    return reverse(f"activity:{action}", args=[post.pk, year, quarter])


def month_url(post, year=2025, month=1):
    return reverse("activity:month_entry", args=[post.pk, year, month])


def form_data(months_values, version=0, **extra):
    data = {"version": version, **extra}
    for month, values in months_values.items():
        for code, value in values.items():
            data[f"m{month}_{code}"] = "" if value is None else value
    return data


def login(client, world, role):
    client.force_login(world["users"][role])
    return world["users"][role]


@pytest.fixture
def niort(two_departements):
    return two_departements["79"]


@pytest.fixture
def layout(db):
    return layout_of(GridVersion.objects.with_layout().get(pk=default_version().pk))


# The form's rules ------------------------------------------------------------------------


# A draft whose totals do not match is saved (nothing typed is lost); the problems are
# reported next to their groups and block the transmission, not the save.
@pytest.mark.parametrize("group_code", PARTITION_GROUPS)
def test_the_form_reports_a_partition_that_does_not_add_up_without_refusing_the_draft(
    layout, group_code
):
    values = month_values()
    values[layout.group(group_code).codes[0]] += 2
    form = CountsEntryForm(form_data({2: values}), layout=layout, year=2025, months=[2], values={})
    assert form.is_valid()
    assert [p.group_code for p in form.problems[2]] == [group_code]


@pytest.mark.parametrize("group_code", ["problematiques", "orientations"])
def test_the_form_reports_a_multiple_count_above_the_persons_met(layout, group_code):
    values = month_values(persons=10)
    values[layout.group(group_code).codes[-1]] = 11
    form = CountsEntryForm(form_data({2: values}), layout=layout, year=2025, months=[2], values={})
    assert form.is_valid()
    assert "ne peut pas dépasser « Personnes rencontrées » (10)" in form.problems[2][0].message


def test_the_form_refuses_a_negative_count_in_french(layout):
    form = CountsEntryForm(
        form_data({1: {"femmes": -1}}), layout=layout, year=2025, months=[1], values={}
    )
    assert not form.is_valid()
    assert form.errors["m1_femmes"] == ["Un nombre ne peut pas être négatif."]


def test_the_form_accepts_an_incomplete_month(layout):
    form = CountsEntryForm(
        form_data({1: {"personnes_rencontrees": 5, "femmes": 3}}),
        layout=layout,
        year=2025,
        months=[1],
        values={},
    )
    assert form.is_valid(), form.errors


# The quarter page --------------------------------------------------------------------------


def test_the_quarter_page_shows_three_months_and_every_indicator(client, niort, layout):
    login(client, niort, Role.DDSP_SECRETARIAT)
    response = client.get(quarter_url(niort["post"], quarter=2))
    content = response.content.decode()
    assert response.status_code == 200
    for month in ("Avril 2025", "Mai 2025", "Juin 2025", "Total du trimestre"):
        assert month in content
    assert content.count('class="cell"') == 3 * len(layout.codes)
    assert 'aria-labelledby="row-femmes col-4"' in content
    assert "js/quarter-entry.js" in content
    assert "N'écrivez aucun nom ni aucune information permettant d'identifier une personne" in (
        content
    )


def test_the_ddsp_secretariat_saves_a_quarter(client, niort):
    login(client, niort, Role.DDSP_SECRETARIAT)
    values = {m: month_values(persons=10 + m) for m in (1, 2, 3)}
    response = client.post(
        quarter_url(niort["post"]), form_data(values, comment="Activité soutenue."), follow=True
    )
    assert "Saisie enregistrée." in response.content.decode()
    report = QuarterReport.objects.get(post=niort["post"], year=2025, quarter=1)
    assert report_values(report)[3]["personnes_rencontrees"] == 13
    assert report.comment == "Activité soutenue."
    assert report.state == QuarterState.DRAFT


def test_the_page_shows_the_quarter_totals(client, niort):
    QuarterReportFactory(post=niort["post"], filled=True, filled__persons=20)
    login(client, niort, Role.DDSP_SECRETARIAT)
    content = client.get(quarter_url(niort["post"])).content.decode()
    assert '<td class="num row-total" data-row-total="personnes_rencontrees">60</td>' in content


def test_a_broken_partition_is_saved_as_an_incomplete_draft_and_found_again_on_reload(
    client, niort
):
    login(client, niort, Role.DDSP_SECRETARIAT)
    values = {1: month_values(persons=10), 2: month_values(persons=12)}
    values[2]["femmes"] = 9
    response = client.post(quarter_url(niort["post"]), form_data(values), follow=True)
    assert "Saisie enregistrée comme brouillon incomplet" in response.content.decode()
    # A later visit (a reload) finds what was typed, and the problem next to its group.
    content = client.get(quarter_url(niort["post"])).content.decode()
    assert "La somme des lignes « Public : sexe » (17) doit être égale à" in content
    assert 'data-check-group="public_sexe" data-check-month="2"><p class="error">' in content
    assert 'name="m2_femmes" value="9"' in content
    assert 'name="m1_personnes_rencontrees" value="10"' in content
    report = QuarterReport.objects.get(post=niort["post"], year=2025, quarter=1)
    assert report.state == QuarterState.DRAFT


def test_a_broken_partition_is_saved_but_not_submitted(client, niort):
    login(client, niort, Role.DDSP_SECRETARIAT)
    values = {m: month_values(persons=10) for m in (1, 2, 3)}
    values[2]["femmes"] = 9
    response = client.post(quarter_url(niort["post"]), form_data(values, submit="1"), follow=True)
    content = response.content.decode()
    assert "le trimestre n&#x27;a pas été transmis" in content
    assert "La somme des lignes « Public : sexe »" in content
    report = QuarterReport.objects.get(post=niort["post"], year=2025, quarter=1)
    assert report.state == QuarterState.DRAFT
    assert report_values(report)[2]["femmes"] == 9


def test_a_cell_that_is_not_a_number_saves_nothing_says_so_and_keeps_what_was_typed(client, niort):
    login(client, niort, Role.DDSP_SECRETARIAT)
    values = {1: month_values(persons=10)}
    values[1]["femmes"] = "douze"
    response = client.post(quarter_url(niort["post"]), form_data(values))
    content = response.content.decode()
    assert response.status_code == 400
    assert "Rien n&#x27;a été enregistré : 1 cellule(s) ne contiennent pas un nombre" in content
    assert "Saisissez un nombre entier." in content
    assert 'name="m1_femmes" value="douze"' in content
    assert 'name="m1_personnes_rencontrees" value="10"' in content
    assert not MonthlyValue.objects.exists()


def test_a_save_on_an_older_copy_keeps_the_input_and_shows_what_changed(client, niort):
    report = QuarterReportFactory(post=niort["post"], filled=True, filled__persons=20)
    report.version = 3
    report.save()
    login(client, niort, Role.DDSP_SECRETARIAT)
    values = {1: month_values(persons=21)}
    response = client.post(quarter_url(niort["post"]), form_data(values, version=2))
    content = response.content.decode()
    assert "Quelqu&#x27;un d&#x27;autre a enregistré ce trimestre pendant votre saisie" in content
    assert 'name="m1_personnes_rencontrees" value="21"' in content
    assert "Enregistré entre-temps : 20" in content
    assert 'name="version" value="3"' in content
    assert report_values(report)[1]["personnes_rencontrees"] == 20


def test_save_and_submit_sends_a_complete_quarter(client, niort):
    login(client, niort, Role.EMPLOYER_COORDINATION)
    values = {m: month_values() for m in (1, 2, 3)}
    response = client.post(quarter_url(niort["post"]), form_data(values, submit="1"), follow=True)
    authority = niort["post"].functional_authorities[0].name
    assert (
        "Trimestre transmis au secrétariat de l&#x27;autorité fonctionnelle du poste "
        f"({authority}), qui le valide." in response.content.decode()
    )
    assert QuarterReport.objects.get().state == QuarterState.SUBMITTED


def test_an_incomplete_quarter_is_saved_but_not_submitted(client, niort):
    login(client, niort, Role.DDSP_SECRETARIAT)
    response = client.post(
        quarter_url(niort["post"]), form_data({1: month_values()}, submit="1"), follow=True
    )
    content = response.content.decode()
    assert "le trimestre n&#x27;a pas été transmis" in content
    assert "il manque" in content
    report = QuarterReport.objects.get()
    assert report.state == QuarterState.DRAFT
    assert report_values(report)[1]["personnes_rencontrees"] == 20


def test_one_click_on_save_and_submit_writes_one_history_row_of_the_quarter(client, niort):
    user = login(client, niort, Role.DDSP_SECRETARIAT)
    values = {m: month_values() for m in (1, 2, 3)}
    client.post(quarter_url(niort["post"]), form_data(values, comment="Calme.", submit="1"))
    (row,) = QuarterReport.history.all()
    assert (row.history_type, row.state, row.comment, row.version, row.history_user) == (
        "+",
        QuarterState.SUBMITTED,
        "Calme.",
        1,
        user,
    )


def test_a_correction_saved_and_submitted_is_one_version_and_one_history_row(client, niort):
    report = QuarterReportFactory(post=niort["post"], filled=True, filled__persons=20)
    login(client, niort, Role.EMPLOYER_COORDINATION)
    values = {m: month_values(persons=21) for m in (1, 2, 3)}
    client.post(quarter_url(niort["post"]), form_data(values, submit="1"))
    created, clicked = report.history.order_by("history_date", "history_id")
    assert (created.state, clicked.state) == (QuarterState.DRAFT, QuarterState.SUBMITTED)
    assert clicked.version == 1
    assert report_values(report)[2]["personnes_rencontrees"] == 21


def test_the_workflow_submit_refuses_an_incomplete_quarter_like_the_grid(client, niort):
    report = QuarterReportFactory(post=niort["post"])
    ddsp = login(client, niort, Role.DDSP_SECRETARIAT)
    quarter_save(report=report, values={1: month_values()}, user=ddsp, expected_version=0)
    response = client.post(quarter_url(niort["post"], action="quarter_submit"), follow=True)
    content = response.content.decode()
    assert "Le trimestre est incomplet : il manque" in content
    assert "Saisie enregistrée" not in content
    assert QuarterReport.objects.get().state == QuarterState.DRAFT


@pytest.mark.parametrize("role", [Role.LOCAL_AUTHORITY, Role.READ_ONLY_PARTNER])
def test_a_submission_by_a_role_the_rules_leave_out_is_a_403_that_changes_nothing(
    client, niort, role
):
    report = QuarterReportFactory(post=niort["post"], filled=True)
    login(client, niort, role)
    response = client.post(quarter_url(niort["post"], action="quarter_submit"))
    assert response.status_code == 403
    report.refresh_from_db()
    assert (report.state, report.version, report.history.count()) == (QuarterState.DRAFT, 0, 1)
    assert not report.events.exists()


def test_the_social_worker_cannot_correct_a_submitted_quarter_from_the_month_page(client, niort):
    QuarterReportFactory(post=niort["post"], filled=True, submitted=True)
    login(client, niort, Role.SOCIAL_WORKER)
    response = client.post(
        month_url(niort["post"], month=2), form_data({2: month_values(persons=30)}, submit="1")
    )
    content = response.content.decode()
    assert "Ce trimestre est transmis : vos valeurs, affichées ci-dessous, n&#x27;ont pas" in (
        content
    )
    assert report_values(QuarterReport.objects.get())[2]["personnes_rencontrees"] == 20


@pytest.mark.parametrize("role", [Role.DDSP_SECRETARIAT, Role.EMPLOYER_COORDINATION])
def test_a_locked_quarter_page_is_read_only_and_refuses_a_post(client, niort, role):
    QuarterReportFactory(post=niort["post"], filled=True, locked=True)
    login(client, niort, role)
    content = client.get(quarter_url(niort["post"])).content.decode()
    assert "disabled" in content
    assert "Enregistrer" not in content
    response = client.post(quarter_url(niort["post"]), form_data({1: month_values(persons=30)}))
    content = response.content.decode()
    assert "Ce trimestre est verrouillé : vos valeurs, affichées ci-dessous, n&#x27;ont pas" in (
        content
    )
    assert 'name="m1_personnes_rencontrees" value="30"' in content
    assert report_values(QuarterReport.objects.get())[1]["personnes_rencontrees"] == 20


@pytest.mark.parametrize("role", [Role.SOCIAL_WORKER, Role.LOCAL_AUTHORITY, Role.READ_ONLY_PARTNER])
def test_roles_without_the_quarter_screen_get_403(client, niort, role):
    login(client, niort, role)
    assert client.get(quarter_url(niort["post"])).status_code == 403


# The month page ------------------------------------------------------------------------------


def test_the_social_worker_lands_on_the_last_month_of_their_post(client, niort):
    login(client, niort, Role.SOCIAL_WORKER)
    response = client.get(reverse("activity:home"))
    assert response.status_code == 302
    assert f"/postes/{niort['post'].pk}/" in response["Location"]


def test_the_social_worker_enters_a_month_and_submits_the_quarter(client, niort):
    worker = login(client, niort, Role.SOCIAL_WORKER)
    for month in (1, 2, 3):
        report = QuarterReport.objects.filter(post=niort["post"]).first()
        version = report.version if report else 0
        response = client.post(
            month_url(niort["post"], month=month), form_data({month: month_values()}, version)
        )
        assert response.status_code == 302
    report = QuarterReport.objects.get()
    assert report.records.get(month=2).entered_by == worker
    response = client.post(
        quarter_url(niort["post"], action="quarter_submit"), {"next": month_url(niort["post"])}
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.state == QuarterState.SUBMITTED


def test_the_month_page_shows_one_column_without_quarter_total(client, niort, layout):
    login(client, niort, Role.SOCIAL_WORKER)
    content = client.get(month_url(niort["post"], month=5)).content.decode()
    assert content.count('class="cell"') == len(layout.codes)
    assert "Total du trimestre" not in content
    assert "2e trimestre 2025" in content


@pytest.mark.parametrize("role", [Role.LOCAL_AUTHORITY, Role.READ_ONLY_PARTNER])
def test_reading_roles_cannot_open_the_month_entry(client, niort, role):
    login(client, niort, role)
    assert client.get(month_url(niort["post"])).status_code == 403


# Workflow pages --------------------------------------------------------------------------------


def test_the_ddsp_secretariat_validates_from_the_quarter_page(client, niort):
    QuarterReportFactory(post=niort["post"], filled=True, submitted=True)
    login(client, niort, Role.DDSP_SECRETARIAT)
    content = client.get(quarter_url(niort["post"])).content.decode()
    assert "Valider le trimestre" in content
    response = client.post(quarter_url(niort["post"], action="quarter_validate"), follow=True)
    assert "Trimestre validé." in response.content.decode()
    assert QuarterReport.objects.get().state == QuarterState.VALIDATED


def test_reopening_without_a_reason_is_refused_in_french(client, niort):
    QuarterReportFactory(post=niort["post"], filled=True, validated=True)
    login(client, niort, Role.DDSP_SECRETARIAT)
    response = client.post(quarter_url(niort["post"], action="quarter_reopen"), {"reason": ""})
    assert "Indiquez le motif de la réouverture." in response.content.decode()
    assert QuarterReport.objects.get().state == QuarterState.VALIDATED


def test_a_reopening_and_its_reason_show_in_the_history(client, niort):
    QuarterReportFactory(post=niort["post"], filled=True, validated=True)
    login(client, niort, Role.DDSP_SECRETARIAT)
    response = client.post(
        quarter_url(niort["post"], action="quarter_reopen"),
        {"reason": "Origines des saisines inversées en mars"},
        follow=True,
    )
    content = response.content.decode()
    assert "Trimestre rouvert" in content
    assert "Origines des saisines inversées en mars" in content
    assert "Valeurs après correction : connues à la prochaine validation." in content
    assert QuarterReport.objects.get().events.get().action == QuarterAction.REOPENED


def test_the_history_lists_the_values_a_reopening_changed(client, niort):
    ddsp = niort["users"][Role.DDSP_SECRETARIAT]
    report = QuarterReportFactory(post=niort["post"], filled=True, validated=True)
    report = quarter_reopen(report=report, user=ddsp, reason="Erreur de février")
    report = quarter_save(
        report=report, values={2: month_values(referrals=9)}, user=ddsp, expected_version=1
    )
    quarter_validate(report=quarter_submit(report=report, user=ddsp), user=ddsp)
    client.force_login(ddsp)
    content = client.get(quarter_url(niort["post"])).content.decode()
    assert '<th scope="row">Saisines reçues</th><td class="num">12</td><td class="num">9</td>' in (
        content
    )


# Out of scope: 404 -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        lambda post: quarter_url(post),
        lambda post: month_url(post),
        lambda post: quarter_url(post, action="quarter_submit"),
        lambda post: quarter_url(post, action="quarter_validate"),
        lambda post: quarter_url(post, action="quarter_reopen"),
        lambda post: reverse("activity:annual_validate", args=[post.pk, 2025]),
    ],
)
def test_the_val_doise_ddsp_secretariat_cannot_see_or_edit_a_niort_quarter(
    client, two_departements, url
):
    QuarterReportFactory(post=two_departements["79"]["post"], filled=True, submitted=True)
    login(client, two_departements["95"], Role.DDSP_SECRETARIAT)
    target = url(two_departements["79"]["post"])
    assert client.get(target).status_code in (404, 405)
    assert client.post(target, form_data({1: month_values(persons=1)})).status_code == 404
    assert report_values(QuarterReport.objects.get())[1]["personnes_rencontrees"] == 20


# Query counts ----------------------------------------------------------------------------------


def test_the_quarter_page_runs_a_fixed_number_of_queries(client, niort, django_assert_num_queries):
    login(client, niort, Role.DDSP_SECRETARIAT)
    post = niort["post"]
    QuarterReportFactory(post=post, quarter=1, filled=True, submitted=True)
    # Savepoint and release (ATOMIC_REQUESTS), session, user, user's organisation, the
    # scoped post, its holders, its sites, the quarter with its grid version, the grid's groups,
    # indicators, the values, the post's conventions with their parties,
    # renewals, amendments, reporting rules and sections (whether each covers the post
    # that quarter), the authorities' validations of the quarter
    # (with their authority), the quarter's events; the "Historique": which of its
    # tables hold records, then the latest entries with the states they follow of the
    # quarter, the months, the counts.
    with django_assert_num_queries(24):
        client.get(quarter_url(post))
    report = QuarterReport.objects.get()
    report.records.filter(month=3).delete()
    PostFactory.create_batch(3, departement="79")
    with django_assert_num_queries(24):
        client.get(quarter_url(post))


def test_save_and_submit_of_a_new_quarter_runs_at_most_24_queries(
    client, niort, django_assert_max_num_queries
):
    login(client, niort, Role.DDSP_SECRETARIAT)
    data = form_data({m: month_values() for m in (1, 2, 3)}, submit="1")
    # Session, user, savepoint (ATOMIC_REQUESTS), user's organisation (and role), the
    # scoped post, its holders, its sites; the quarter (none yet), the grid in force,
    # its groups, its indicators; the service's savepoint; the quarter's insert in a
    # savepoint of its own (savepoint, insert, history row, release); the three months'
    # insert and their history rows; the counts' insert and their history rows (171
    # rows: two statements on SQLite, which takes 999 parameters each, one on
    # PostgreSQL); the submission event; release, release.
    with django_assert_max_num_queries(24):
        response = client.post(quarter_url(niort["post"]), data)
    assert response.status_code == 302
    assert QuarterReport.objects.get().state == QuarterState.SUBMITTED


def test_save_and_submit_of_a_corrected_quarter_runs_23_queries(
    client, niort, django_assert_num_queries
):
    QuarterReportFactory(post=niort["post"], filled=True, filled__persons=20)
    login(client, niort, Role.DDSP_SECRETARIAT)
    data = form_data({m: month_values(persons=21) for m in (1, 2, 3)}, submit="1")
    # Session, user, savepoint (ATOMIC_REQUESTS), user's organisation (and role), the
    # scoped post, its holders, its sites; the quarter with its grid version, the grid's
    # groups, its indicators; the service's savepoint, the quarter locked (select for
    # update), its months, their counts; the quarter's update and its one history row;
    # the months' update and their history rows; the counts' update and their history
    # rows; the submission event; release, release.
    with django_assert_num_queries(23):
        response = client.post(quarter_url(niort["post"]), data)
    assert response.status_code == 302
    assert QuarterReport.objects.get().state == QuarterState.SUBMITTED


def test_the_social_worker_saves_and_submits_a_month_in_23_queries(
    client, niort, django_assert_num_queries
):
    QuarterReportFactory(post=niort["post"], filled=True, filled__persons=20)
    login(client, niort, Role.SOCIAL_WORKER)
    data = form_data({2: month_values(persons=21)}, submit="1")
    # The same path as the quarter screen: session, user, savepoint, user's organisation,
    # the scoped post, its holders, its sites; the quarter with its grid version,
    # groups, indicators; savepoint, the quarter locked, its months, their counts; the
    # quarter's update and history row; the month's update and history row; the counts'
    # update and history rows; the submission event; release, release.
    with django_assert_num_queries(23):
        response = client.post(month_url(niort["post"], month=2), data)
    assert response.status_code == 302
    assert QuarterReport.objects.get().state == QuarterState.SUBMITTED


def test_the_workflow_submit_runs_18_queries(client, niort, django_assert_num_queries):
    QuarterReportFactory(post=niort["post"], filled=True)
    login(client, niort, Role.EMPLOYER_COORDINATION)
    # Session, user, savepoint, user's organisation, the scoped post, its holders, its sites; the
    # quarter with its grid version, groups, indicators; savepoint, the quarter locked, its
    # counts; the quarter's update and history row; the submission event; release, release.
    with django_assert_num_queries(18):
        response = client.post(quarter_url(niort["post"], action="quarter_submit"), {"next": "/"})
    assert response.status_code == 302
    assert QuarterReport.objects.get().state == QuarterState.SUBMITTED


@pytest.mark.parametrize(
    "post, role, wording",
    [
        # Issue #18: the grid speaks of the post's own site.
        ("post", Role.DDSP_SECRETARIAT, "En présentiel au commissariat"),
        ("gendarmerie_post", Role.GENDARMERIE_SECRETARIAT, "En présentiel à la brigade"),
    ],
)
def test_the_grid_says_where_the_post_receives(client, two_departements, post, role, wording):
    world = two_departements["79"]
    login(client, world, role)
    content = client.get(quarter_url(world[post])).content.decode()
    assert wording in content
    assert "{au_site}" not in content
