"""Writes with side effects: the grid versions, the monthly records and the quarter workflow.

Every workflow service asks the table of ``rules`` about the role and the
quarter's state itself, so that the pages, the admin and any script obey the
same rules. Reads are in ``selectors``.
"""

import datetime
from collections.abc import Mapping

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from partners.formats import MONTHS, french_date

from .checks import Problem, missing_codes, quarter_problems
from .enums import AnnualState, QuarterAction, QuarterState
from .layout import Layout
from .models import (
    AnnualReport,
    GridVersion,
    Indicator,
    MonthlyRecord,
    MonthlyValue,
    QuarterEvent,
    QuarterReport,
)
from .rules import RULES, Action, permissions
from .selectors import grid_layout, report_values, snapshot

MonthValues = Mapping[str, int | None]


def month_label(month: int, year: int) -> str:
    return f"{MONTHS[month - 1].capitalize()} {year}"


class StaleQuarterError(Exception):
    """The quarter changed since the form was displayed: the input must not overwrite it."""

    def __init__(self, report: QuarterReport):
        self.report = report
        self.message = (
            "Ces chiffres ont été modifiés par quelqu'un d'autre pendant votre saisie "
            f"(le {french_date(timezone.localdate(report.updated_at))} à "
            f"{timezone.localtime(report.updated_at):%H:%M}). Vos valeurs sont conservées "
            "ci-dessous : vérifiez-les, puis enregistrez à nouveau."
        )
        super().__init__(self.message)


class QuarterCheckError(ValidationError):
    """The counts break a consistency rule; ``problems`` are per month, for the cells."""

    def __init__(self, problems: dict[int, list[Problem]], year: int):
        self.problems = problems
        super().__init__(
            [
                f"{month_label(month, year)} : {problem.message}"
                for month, month_problems_ in sorted(problems.items())
                for problem in month_problems_
            ]
        )


# Grid ----------------------------------------------------------------------


@transaction.atomic
def grid_version_create(
    *,
    name: str,
    valid_from: datetime.date,
    notes: str = "",
    copy_from: GridVersion | None = None,
) -> GridVersion:
    """A new version, starting as a copy of ``copy_from`` so the administrator edits a diff."""
    version = GridVersion(name=name, valid_from=valid_from, notes=notes)
    version.full_clean()
    version.save()
    if copy_from is None:
        return version
    for group in copy_from.groups.prefetch_related("indicators"):
        indicators = list(group.indicators.all())
        group.pk = None
        group.version = version
        group.save()
        bulk_create_with_history(
            [
                Indicator(
                    version=version,
                    group=group,
                    code=i.code,
                    label=i.label,
                    help_text=i.help_text,
                    order=i.order,
                )
                for i in indicators
            ],
            Indicator,
        )
    return version


def _missing_message(layout: Layout, report: QuarterReport, values) -> str | None:
    missing = {month: len(missing_codes(layout, values.get(month, {}))) for month in report.months}
    if not any(missing.values()):
        return None
    detail = ", ".join(
        f"{MONTHS[month - 1]} : {count}" for month, count in missing.items() if count
    )
    return (
        f"Le trimestre est incomplet : il manque {sum(missing.values())} valeur(s) ({detail}). "
        "Saisissez 0 quand il n'y a rien à compter."
    )


def _check_complete_and_consistent(report: QuarterReport) -> None:
    layout = grid_layout(report.grid_version)
    values = report_values(report)
    messages = []
    incomplete = _missing_message(layout, report, values)
    if incomplete:
        messages.append(incomplete)
    problems = quarter_problems(layout, values)
    if problems:
        messages.extend(QuarterCheckError(problems, report.year).messages)
    if messages:
        raise ValidationError(messages)


def _locked_copy(report: QuarterReport) -> QuarterReport:
    locked = QuarterReport.objects.select_for_update().get(pk=report.pk)
    locked.post = report.post
    return locked


# Entry -------------------------------------------------------------------------


def quarter_report_get_or_create(*, post, year: int, quarter: int) -> QuarterReport:
    """The quarter, created with the grid version in force on its first day."""
    report = QuarterReport.objects.filter(post=post, year=year, quarter=quarter).first()
    if report is not None:
        return report
    first_day = datetime.date(year, 3 * quarter - 2, 1)
    report, _ = QuarterReport.objects.get_or_create(
        post=post,
        year=year,
        quarter=quarter,
        defaults={"grid_version": GridVersion.objects.in_force(first_day)},
    )
    return report


@transaction.atomic
def quarter_save(
    *,
    report: QuarterReport,
    values: Mapping[int, MonthValues],
    user,
    expected_version: int,
    comment: str | None = None,
) -> QuarterReport:
    """Save the months of ``values`` (None: not typed yet) and the quarter's comment.

    Refuses a save prepared on an older copy of the quarter (StaleQuarterError)
    and counts that break a rule (QuarterCheckError); an incomplete draft is fine.
    """
    report = _locked_copy(report)
    permissions(user, report.post).require(Action.SAVE, report.state)
    if report.version != expected_version:
        raise StaleQuarterError(report)
    if not set(values) <= set(report.months):
        raise ValueError(f"Months {sorted(values)} are not in quarter {report.quarter}.")
    if report.version == 0 and not report.records.exists():
        # Nothing entered yet: take the grid in force now (an administrator may have
        # published a version for this quarter since the quarter was opened).
        report.grid_version = GridVersion.objects.in_force(
            datetime.date(report.year, report.months[0], 1)
        )
    layout = grid_layout(report.grid_version)
    unknown = {code for month_values in values.values() for code in month_values} - set(
        layout.codes
    )
    if unknown:
        raise ValueError(f"Unknown indicator codes: {sorted(unknown)}")
    problems = quarter_problems(layout, values)
    if problems:
        raise QuarterCheckError(problems, report.year)

    indicators = dict(
        Indicator.objects.filter(version=report.grid_version_id).values_list("code", "pk")
    )
    records = {r.month: r for r in report.records.all()}
    current = report_values(report)
    now = timezone.now()
    changed = False
    for month, month_values in values.items():
        before = current.get(month, {})
        to_clear = [c for c, v in month_values.items() if v is None and c in before]
        to_set = {c: v for c, v in month_values.items() if v is not None and before.get(c) != v}
        if not (to_clear or to_set):
            continue
        record = records.get(month)
        if record is None:
            record = MonthlyRecord.objects.create(
                report=report, month=month, entered_by=user, entered_at=now
            )
        else:
            record.entered_by, record.entered_at = user, now
            record.save(update_fields=["entered_by", "entered_at"])
        _write_values(record, to_clear=to_clear, to_set=to_set, indicators=indicators, user=user)
        changed = True
    if comment is not None and comment != report.comment:
        report.comment = comment
        changed = True
    if changed:
        report.version += 1
        report.save()
    return report


def _write_values(record, *, to_clear, to_set, indicators, user) -> None:
    """Update values in place, so that the history reads "31 → 35" for a corrected count.

    The ``*_with_history`` helpers and one delete per row keep every write in the history,
    which plain bulk writes would escape.
    """
    existing = {
        v.indicator.code: v
        for v in record.values.filter(indicator__code__in=[*to_clear, *to_set]).select_related(
            "indicator"
        )
    }
    for code in to_clear:
        value = existing[code]
        value._history_user = user
        value.delete()
    updated, created = [], []
    for code, number in to_set.items():
        if code in existing:
            existing[code].value = number
            updated.append(existing[code])
        else:
            created.append(MonthlyValue(record=record, indicator_id=indicators[code], value=number))
    bulk_update_with_history(updated, MonthlyValue, ["value"], default_user=user)
    bulk_create_with_history(created, MonthlyValue, default_user=user)


def monthly_record_save(
    *,
    report: QuarterReport,
    month: int,
    values: MonthValues,
    user,
    expected_version: int,
) -> QuarterReport:
    """One month of the quarter, as the social worker enters it."""
    return quarter_save(
        report=report, values={month: values}, user=user, expected_version=expected_version
    )


# Workflow ----------------------------------------------------------------------


def _event(report, action, user, **fields) -> QuarterEvent:
    return QuarterEvent.objects.create(
        report=report, action=action, by=user, at=timezone.now(), **fields
    )


@transaction.atomic
def quarter_submit(*, report: QuarterReport, user) -> QuarterReport:
    report = _locked_copy(report)
    permissions(user, report.post).require(Action.SUBMIT, report.state)
    _check_complete_and_consistent(report)
    now = timezone.now()
    report.state = RULES[Action.SUBMIT].target
    report.submitted_at, report.submitted_by = now, user
    report.first_submitted_at = report.first_submitted_at or now
    report.version += 1
    report.save()
    _event(report, QuarterAction.SUBMITTED, user)
    return report


@transaction.atomic
def quarter_validate(*, report: QuarterReport, user) -> QuarterReport:
    report = _locked_copy(report)
    permissions(user, report.post).require(Action.VALIDATE, report.state)
    _check_complete_and_consistent(report)
    report.state = RULES[Action.VALIDATE].target
    report.validated_at, report.validated_by = timezone.now(), user
    report.version += 1
    report.save()
    after = snapshot(report)
    report.events.filter(action=QuarterAction.REOPENED, values_after__isnull=True).update(
        values_after=after
    )
    _event(report, QuarterAction.VALIDATED, user)
    return report


@transaction.atomic
def quarter_reopen(*, report: QuarterReport, user, reason: str) -> QuarterReport:
    """Back to draft for a correction; the reason and the values before are kept.

    The values after are recorded when the quarter is validated again.
    """
    report = _locked_copy(report)
    permissions(user, report.post).require(Action.REOPEN, report.state)
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
    _event(report, QuarterAction.REOPENED, user, reason=reason, values_before=snapshot(report))
    report.state = RULES[Action.REOPEN].target
    report.submitted_at = report.submitted_by = None
    report.validated_at = report.validated_by = None
    report.version += 1
    report.save()
    return report


@transaction.atomic
def annual_report_validate(*, post, year: int, user) -> AnnualReport:
    """Validate the year's bilan: its four quarters lock and become final."""
    if not permissions(user, post).may(Action.VALIDATE_YEAR):
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
            report.save()
            _event(report, QuarterAction.LOCKED, user)
    return annual


@transaction.atomic
def annual_comment_save(*, post, year: int, comment: str, user) -> AnnualReport:
    allowed = permissions(user, post)
    if not (allowed.may(Action.ENTER_MONTH) or allowed.may(Action.VALIDATE)):
        raise PermissionDenied
    annual, _ = AnnualReport.objects.select_for_update().get_or_create(post=post, year=year)
    if annual.state == AnnualState.VALIDATED:
        raise ValidationError(
            "Le bilan annuel est validé : son commentaire ne peut plus être modifié."
        )
    annual.comment = comment
    annual.save()
    return annual
