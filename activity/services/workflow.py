"""After the entry: validate, reopen with a reason, validate the year (which locks it)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from activity.checks import quarter_problems
from activity.enums import AnnualState, QuarterAction, QuarterState
from activity.models import AnnualReport, QuarterReport, QuarterValidation
from activity.rules import RULES, Action, Capacity, permissions
from activity.selectors import as_snapshot, grid_layout, report_values, snapshot
from activity.services.quarter import add_event, announce, locked, not_ready, save
from activity.tasks import lay_out_bilan_later
from activity.validation import (
    QuarterValidationStatus,
    may_validate_year,
    names,
    required_authorities,
    validation_status,
)
from config.core.concurrency import check_version


@transaction.atomic
def quarter_validate(*, report: QuarterReport, user) -> QuarterReport:
    """Validate the quarter for the authority of ``user``'s secretariat.

    The quarter becomes validated once every authority its convention requires has
    validated (``activity.validation``), or at once when an administrator validates:
    for all of them, as its event says. Until then it stays submitted.
    """
    report = locked(report)
    allowed = permissions(user, report.post)
    allowed.require(Action.VALIDATE, report.state)
    # The row lock above serialises two clicks: the second one reads the first's validation.
    status = validation_status(report)
    refusal = status.refusal(user, allowed.capacity)
    if refusal is not None:
        raise refusal
    layout = grid_layout(report.grid_version)
    counts = report_values(report)
    refusals = not_ready(layout, report, counts, quarter_problems(layout, counts))
    if refusals:
        raise ValidationError(refusals)
    now = timezone.now()
    if allowed.capacity != Capacity.ADMINISTRATOR:
        authority = status.authority_of(user, allowed.capacity)
        QuarterValidation.objects.create(
            report=report, authority=authority, validated_by=user, validated_at=now
        )
        pending = [a for a in status.pending if a.pk != authority.pk]
        if pending:
            add_event(
                report,
                QuarterAction.AUTHORITY_VALIDATED,
                user,
                reason=f"Validé pour {names([authority])} ; en attente de {names(pending)}.",
            )
            return report
        note = ""
    else:
        note = (
            f"Validé par un administrateur pour toutes les autorités ({names(status.required)})."
            if status.required
            else "Validé par un administrateur."
        )
    report.state = RULES[Action.VALIDATE].target
    report.validated_at, report.validated_by = now, user
    report.version += 1
    save(report, user)
    report.events.filter(action=QuarterAction.REOPENED, values_after__isnull=True).update(
        values_after=as_snapshot(counts)
    )
    add_event(report, QuarterAction.VALIDATED, user, reason=note)
    announce(report, "quarter.validated")
    lay_out_bilan_later(report.post_id, report.year)
    return report


@transaction.atomic
def quarter_reopen(*, report: QuarterReport, user, reason: str) -> QuarterReport:
    """Back to draft for a correction; the reason and the values before are kept.

    The values after are recorded when the quarter is validated again.
    """
    report = locked(report)
    allowed = permissions(user, report.post)
    allowed.require(Action.REOPEN, report.state)
    # A mixed post's convention may name the one authority that validates: only it reopens.
    required = required_authorities(report.post, report.year, report.quarter)
    if not QuarterValidationStatus(required).may_reopen(user, allowed.capacity):
        raise PermissionDenied
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Indiquez le motif de la réouverture."})
    if report.state == QuarterState.LOCKED:
        # The annual bilan no longer holds: it is validated again once the quarter is.
        AnnualReport.objects.filter(post=report.post, year=report.year).update(
            state=AnnualState.OPEN, validated_at=None, validated_by=None
        )
        # One save each (not update()), so that each quarter's history records the change.
        for other in QuarterReport.objects.filter(
            post=report.post, year=report.year, state=QuarterState.LOCKED
        ).exclude(pk=report.pk):
            other.state = QuarterState.VALIDATED
            other.save(update_fields=["state", "updated_at"])
    add_event(report, QuarterAction.REOPENED, user, reason=reason, values_before=snapshot(report))
    # Each authority validates the corrected figures again.
    report.validations.all().delete()
    report.state = RULES[Action.REOPEN].target
    report.submitted_at = report.submitted_by = None
    report.validated_at = report.validated_by = None
    report.version += 1
    save(report, user)
    announce(report, "quarter.reopened")
    return report


@transaction.atomic
def annual_report_validate(*, post, year: int, user) -> AnnualReport:
    """Validate the year's bilan: its four quarters lock and become final. Only an
    authority required for one of its quarters validates it (``year_authorities``)."""
    allowed = permissions(user, post)
    if not allowed.may(Action.VALIDATE_YEAR):
        raise PermissionDenied
    if not may_validate_year(post, year, user, allowed.capacity):
        raise PermissionDenied
    reports = list(QuarterReport.objects.select_for_update().filter(post=post, year=year))
    final = {r.quarter for r in reports if r.is_final}
    pending = [q for q in range(1, 5) if q not in final]
    if pending:
        quarters = ", ".join(f"T{q}" for q in pending)
        raise ValidationError(
            f"Le bilan annuel ne peut être validé : trimestre(s) non validé(s) : {quarters}."
        )
    now = timezone.now()
    annual, _ = AnnualReport.objects.get_or_create(post=post, year=year)
    annual.state = AnnualState.VALIDATED
    annual.validated_at, annual.validated_by = now, user
    annual.save()
    for report in reports:
        if report.state != QuarterState.LOCKED:
            report.state = QuarterState.LOCKED
            report.version += 1
            save(report, user)
            add_event(report, QuarterAction.LOCKED, user)
    lay_out_bilan_later(post.pk, year)
    return annual


@transaction.atomic
def annual_comment_save(
    *, post, year: int, comment: str, user, expected_version: int | None = None
) -> AnnualReport:
    """Save the year's comment; ``expected_version``: the version the form showed (None:
    no bilan yet). A comment saved meanwhile refuses the save."""
    allowed = permissions(user, post)
    if not (allowed.may(Action.ENTER_MONTH) or allowed.may(Action.VALIDATE)):
        raise PermissionDenied
    # get_or_create() survives two first saves at once; the second is then a stale one.
    annual, created = AnnualReport.objects.get_or_create(post=post, year=year)
    annual.comment = comment
    if not created:
        check_version(annual, expected_version, what="le commentaire de l'année")
    if annual.state == AnnualState.VALIDATED:
        raise ValidationError(
            "Le bilan annuel est validé : son commentaire ne peut plus être modifié."
        )
    annual.full_clean()
    annual.save()
    return annual
