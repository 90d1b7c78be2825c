"""The quarter workflow: draft → submitted → validated → locked, and reopening."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from activity.enums import AnnualState, QuarterAction, QuarterState
from activity.models import AnnualReport, MonthlyValue, QuarterReport
from activity.selectors import quarter_for_entry, report_values
from activity.services import (
    QuarterNotSubmitted,
    StaleQuarterError,
    annual_report_validate,
    monthly_record_save,
    quarter_reopen,
    quarter_report_get_or_create,
    quarter_save,
    quarter_submit,
    quarter_validate,
)
from partners.enums import Role
from tests.activity.factories import QuarterReportFactory, month_values

pytestmark = pytest.mark.django_db

ENTERING_ROLES = [Role.DDSP_SECRETARIAT, Role.EMPLOYER_COORDINATION, Role.SOCIAL_WORKER]
READING_ROLES = [Role.LOCAL_AUTHORITY, Role.READ_ONLY_PARTNER]


@pytest.fixture
def niort(two_departements):
    return two_departements["79"]


def user(world, role):
    return world["users"][role]


def draft(world, **kwargs):
    return QuarterReportFactory(post=world["post"], **kwargs)


# Entry ---------------------------------------------------------------------------------


def test_an_incomplete_draft_is_saved_as_typed(niort):
    report = quarter_report_get_or_create(post=niort["post"], year=2025, quarter=1)
    values = {"personnes_rencontrees": 12, "femmes": 7, "hommes": None}
    report = monthly_record_save(
        report=report,
        month=2,
        values=values,
        user=user(niort, Role.SOCIAL_WORKER),
        expected_version=0,
    )
    assert report_values(report)[2] == {"personnes_rencontrees": 12, "femmes": 7}
    record = report.records.get()
    assert record.entered_by == user(niort, Role.SOCIAL_WORKER)
    assert report.version == 1


def test_the_service_saves_a_draft_that_breaks_a_partition_as_typed(niort):
    report = quarter_report_get_or_create(post=niort["post"], year=2025, quarter=1)
    values = month_values(persons=10)
    values["femmes"] += 1
    report = quarter_save(
        report=report,
        values={1: values},
        user=user(niort, Role.DDSP_SECRETARIAT),
        expected_version=0,
    )
    assert report_values(report)[1]["femmes"] == values["femmes"]
    assert report.state == QuarterState.DRAFT


def test_the_service_refuses_to_submit_a_line_of_problems_above_the_persons_met(niort):
    report = quarter_report_get_or_create(post=niort["post"], year=2025, quarter=1)
    with pytest.raises(QuarterNotSubmitted) as refusal:
        quarter_submit(
            report=report,
            values={3: {"personnes_rencontrees": 4, "pb_violences_conjugales": 5}},
            user=user(niort, Role.DDSP_SECRETARIAT),
            expected_version=0,
        )
    assert any("Violences conjugales" in message for message in refusal.value.messages)
    assert report_values(refusal.value.report)[3]["pb_violences_conjugales"] == 5


def test_clearing_a_cell_deletes_its_value(niort):
    report = draft(niort, filled=True)
    values = month_values()
    values["hommes"] = None
    report = quarter_save(
        report=report,
        values={1: values},
        user=user(niort, Role.DDSP_SECRETARIAT),
        expected_version=0,
    )
    assert "hommes" not in report_values(report)[1]
    assert "hommes" in report_values(report)[2]


def test_a_save_prepared_on_an_older_copy_is_refused(niort):
    report = quarter_report_get_or_create(post=niort["post"], year=2025, quarter=1)
    quarter_save(
        report=report,
        values={1: {"personnes_rencontrees": 12}},
        user=user(niort, Role.SOCIAL_WORKER),
        expected_version=0,
    )
    with pytest.raises(StaleQuarterError, match="Quelqu'un d'autre a enregistré ce trimestre"):
        quarter_save(
            report=report,
            values={1: {"personnes_rencontrees": 15}},
            user=user(niort, Role.DDSP_SECRETARIAT),
            expected_version=0,
        )
    assert report_values(report)[1] == {"personnes_rencontrees": 12}


@pytest.mark.parametrize("role", READING_ROLES)
def test_reading_roles_cannot_enter_figures(niort, role):
    report = draft(niort)
    with pytest.raises(PermissionDenied):
        quarter_save(
            report=report,
            values={1: {"personnes_rencontrees": 1}},
            user=user(niort, role),
            expected_version=0,
        )


def test_the_ddsp_secretariat_of_another_departement_cannot_enter_figures(two_departements):
    report = draft(two_departements["79"])
    with pytest.raises(PermissionDenied):
        quarter_save(
            report=report,
            values={1: {"personnes_rencontrees": 1}},
            user=user(two_departements["95"], Role.DDSP_SECRETARIAT),
            expected_version=0,
        )


def test_a_submitted_quarter_is_corrected_by_the_ddsp_secretariat_only(niort):
    report = draft(niort, filled=True, submitted=True)
    with pytest.raises(PermissionDenied):
        quarter_save(
            report=report,
            values={1: {"personnes_rencontrees": 20}},
            user=user(niort, Role.SOCIAL_WORKER),
            expected_version=0,
        )
    quarter_save(
        report=report,
        values={1: {"personnes_rencontrees": 20}},
        user=user(niort, Role.DDSP_SECRETARIAT),
        expected_version=0,
    )


@pytest.mark.parametrize("state", ["validated", "locked"])
@pytest.mark.parametrize("role", [*ENTERING_ROLES, *READING_ROLES, "admin"])
def test_a_final_quarter_cannot_be_edited_by_anyone(niort, admin_user, state, role):
    report = draft(niort, filled=True, **{state: True})
    editor = admin_user if role == "admin" else user(niort, role)
    with pytest.raises((ValidationError, PermissionDenied)):
        quarter_save(
            report=report,
            values={1: {"personnes_rencontrees": 99}},
            user=editor,
            expected_version=0,
        )
    assert report_values(report)[1]["personnes_rencontrees"] == 20


# Submission ----------------------------------------------------------------------------


@pytest.mark.parametrize("role", ENTERING_ROLES)
def test_the_ddsp_the_employer_and_the_social_worker_may_submit(niort, role):
    report = quarter_submit(report=draft(niort, filled=True), user=user(niort, role))
    assert report.state == QuarterState.SUBMITTED
    assert report.submitted_by == user(niort, role)
    assert report.events.get().action == QuarterAction.SUBMITTED


@pytest.mark.parametrize("role", READING_ROLES)
def test_reading_roles_may_not_submit(niort, role):
    with pytest.raises(PermissionDenied):
        quarter_submit(report=draft(niort, filled=True), user=user(niort, role))


def test_an_incomplete_quarter_cannot_be_submitted(niort):
    report = draft(niort)
    quarter_save(
        report=report,
        values={1: month_values()},
        user=user(niort, Role.SOCIAL_WORKER),
        expected_version=0,
    )
    with pytest.raises(ValidationError, match="incomplet : il manque"):
        quarter_submit(report=report, user=user(niort, Role.SOCIAL_WORKER))
    report.refresh_from_db()
    assert report.state == QuarterState.DRAFT


def test_counts_submitted_with_the_quarter_are_one_version_and_one_history_row(niort):
    report = quarter_report_get_or_create(post=niort["post"], year=2025, quarter=1)
    report = quarter_submit(
        report=report,
        user=user(niort, Role.SOCIAL_WORKER),
        values={m: month_values() for m in (1, 2, 3)},
        expected_version=0,
    )
    assert (report.state, report.version) == (QuarterState.SUBMITTED, 1)
    assert report.history.count() == 2  # its creation, then the submission
    assert report_values(report)[3] == month_values()


def test_an_incomplete_submission_keeps_the_counts_it_came_with(niort):
    report = draft(niort)
    with pytest.raises(QuarterNotSubmitted, match="incomplet : il manque") as refusal:
        quarter_submit(
            report=report,
            user=user(niort, Role.SOCIAL_WORKER),
            values={1: month_values()},
            expected_version=0,
        )
    assert refusal.value.report.version == 1
    report.refresh_from_db()
    assert (report.state, report.version) == (QuarterState.DRAFT, 1)
    assert report_values(report)[1] == month_values()


@pytest.mark.parametrize("role", READING_ROLES)
def test_a_submission_refused_to_the_role_saves_nothing(niort, role):
    with pytest.raises(PermissionDenied):
        quarter_submit(
            report=draft(niort),
            user=user(niort, role),
            values={1: month_values()},
            expected_version=0,
        )
    assert not MonthlyValue.objects.exists()


def test_a_submitted_quarter_corrected_with_the_submit_button_is_saved_not_submitted_again(niort):
    report = draft(niort, filled=True, submitted=True)
    with pytest.raises(QuarterNotSubmitted, match="déjà transmis"):
        quarter_submit(
            report=report,
            user=user(niort, Role.DDSP_SECRETARIAT),
            values={1: month_values(persons=21)},
            expected_version=0,
        )
    assert report_values(report)[1]["personnes_rencontrees"] == 21
    assert not report.events.exists()


def test_the_second_first_save_of_a_quarter_is_refused_as_stale(niort):
    first = quarter_for_entry(niort["post"], 2025, 1)
    second = quarter_for_entry(niort["post"], 2025, 1)
    quarter_save(
        report=first,
        values={1: {"personnes_rencontrees": 12}},
        user=user(niort, Role.SOCIAL_WORKER),
        expected_version=0,
    )
    with pytest.raises(StaleQuarterError):
        quarter_save(
            report=second,
            values={1: {"personnes_rencontrees": 15}},
            user=user(niort, Role.DDSP_SECRETARIAT),
            expected_version=0,
        )
    assert report_values(QuarterReport.objects.get())[1] == {"personnes_rencontrees": 12}


def test_the_first_submission_date_survives_a_reopening(niort):
    report = quarter_submit(report=draft(niort, filled=True), user=user(niort, Role.SOCIAL_WORKER))
    first = report.first_submitted_at
    ddsp = user(niort, Role.DDSP_SECRETARIAT)
    quarter_validate(report=report, user=ddsp)
    report = quarter_reopen(report=report, user=ddsp, reason="Erreur de saisie")
    report = quarter_submit(report=report, user=ddsp)
    assert report.first_submitted_at == first


# Validation ----------------------------------------------------------------------------


def test_the_ddsp_secretariat_validates_a_submitted_quarter(niort):
    report = draft(niort, filled=True, submitted=True)
    ddsp = user(niort, Role.DDSP_SECRETARIAT)
    report = quarter_validate(report=report, user=ddsp)
    assert (report.state, report.validated_by) == (QuarterState.VALIDATED, ddsp)


@pytest.mark.parametrize("role", [Role.EMPLOYER_COORDINATION, Role.SOCIAL_WORKER, *READING_ROLES])
def test_no_one_but_the_ddsp_secretariat_validates(niort, role):
    with pytest.raises(PermissionDenied):
        quarter_validate(report=draft(niort, filled=True, submitted=True), user=user(niort, role))


def test_the_ddsp_secretariat_of_another_departement_cannot_validate(two_departements):
    report = draft(two_departements["79"], filled=True, submitted=True)
    with pytest.raises(PermissionDenied):
        quarter_validate(report=report, user=user(two_departements["95"], Role.DDSP_SECRETARIAT))


def test_a_draft_cannot_be_validated_before_it_is_submitted(niort):
    with pytest.raises(ValidationError, match="Seul un trimestre transmis"):
        quarter_validate(report=draft(niort, filled=True), user=user(niort, Role.DDSP_SECRETARIAT))


# Reopening -----------------------------------------------------------------------------


def test_reopening_needs_a_reason(niort):
    report = draft(niort, filled=True, validated=True)
    with pytest.raises(ValidationError, match="Indiquez le motif"):
        quarter_reopen(report=report, user=user(niort, Role.DDSP_SECRETARIAT), reason="  ")
    report.refresh_from_db()
    assert report.state == QuarterState.VALIDATED


@pytest.mark.parametrize("role", [Role.EMPLOYER_COORDINATION, Role.SOCIAL_WORKER, *READING_ROLES])
def test_only_the_ddsp_secretariat_reopens_a_validated_quarter(niort, role):
    with pytest.raises(PermissionDenied):
        quarter_reopen(
            report=draft(niort, filled=True, validated=True), user=user(niort, role), reason="x"
        )


def test_reopening_keeps_the_reason_the_person_and_the_values_before_and_after(niort):
    ddsp = user(niort, Role.DDSP_SECRETARIAT)
    report = draft(niort, filled=True, validated=True)
    report = quarter_reopen(
        report=report, user=ddsp, reason="Saisines de février comptées deux fois"
    )
    assert report.state == QuarterState.DRAFT
    corrected = month_values(referrals=6)
    report = quarter_save(report=report, values={2: corrected}, user=ddsp, expected_version=1)
    report = quarter_submit(report=report, user=ddsp)
    report = quarter_validate(report=report, user=ddsp)

    reopening = report.events.get(action=QuarterAction.REOPENED)
    assert reopening.reason == "Saisines de février comptées deux fois"
    assert reopening.by == ddsp
    assert reopening.values_before["2"]["saisines_recues"] == 12
    assert reopening.values_after["2"]["saisines_recues"] == 6
    assert (2, "Saisines reçues", 12, 6) in reopening.changes(
        {"saisines_recues": "Saisines reçues"}
    )
    assert [e.action for e in report.events.all()] == [
        QuarterAction.REOPENED,
        QuarterAction.SUBMITTED,
        QuarterAction.VALIDATED,
    ]


def test_the_ddsp_secretariat_cannot_reopen_a_locked_quarter(niort):
    report = draft(niort, filled=True, locked=True)
    with pytest.raises(PermissionDenied):
        quarter_reopen(report=report, user=user(niort, Role.DDSP_SECRETARIAT), reason="Erreur")


def test_an_administrator_reopening_a_locked_quarter_reopens_the_annual_bilan(niort, admin_user):
    reports = [draft(niort, quarter=q, filled=True, validated=True) for q in range(1, 5)]
    annual_report_validate(post=niort["post"], year=2025, user=user(niort, Role.DDSP_SECRETARIAT))
    quarter_reopen(report=reports[1], user=admin_user, reason="Correction demandée par le Préfet")
    annual = AnnualReport.objects.get(post=niort["post"], year=2025)
    assert annual.state == AnnualState.OPEN
    states = dict(QuarterReport.objects.values_list("quarter", "state"))
    assert states == {1: "validated", 2: "draft", 3: "validated", 4: "validated"}


# The annual bilan ----------------------------------------------------------------------


def test_validating_the_annual_bilan_locks_the_four_quarters(niort):
    for q in range(1, 5):
        draft(niort, quarter=q, filled=True, validated=True)
    annual_report_validate(post=niort["post"], year=2025, user=user(niort, Role.DDSP_SECRETARIAT))
    assert set(QuarterReport.objects.values_list("state", flat=True)) == {QuarterState.LOCKED}


def test_the_annual_bilan_waits_for_every_quarter_to_be_validated(niort):
    for q in range(1, 4):
        draft(niort, quarter=q, filled=True, validated=True)
    with pytest.raises(ValidationError, match="trimestre\\(s\\) non validé\\(s\\) : T4"):
        annual_report_validate(
            post=niort["post"], year=2025, user=user(niort, Role.DDSP_SECRETARIAT)
        )
