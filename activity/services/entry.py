"""The counts of a quarter: saved by the entry pages and the admin, then submitted.

``quarter_save`` and ``quarter_submit`` share one core (``_enter``): the quarter's
row is locked and read once, the rules of ``rules`` asked once, the consistency
rules run once on the counts as they will be stored, and the quarter is written
once, whatever the number of months typed.
"""

import datetime
from collections.abc import Mapping

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from activity.checks import quarter_problems
from activity.enums import QuarterAction, QuarterState
from activity.models import GridVersion, MonthlyRecord, MonthlyValue, QuarterReport
from activity.rules import RULES, Action, permissions
from activity.selectors import grid_layout, indicator_ids
from activity.services.quarter import add_event, announce, locked, not_ready, save
from activity.validation import names
from config.core.concurrency import StaleVersionError, stale_version_error

MonthValues = Mapping[str, int | None]
# The cells a save changes, by month: the new count, or None for a cell emptied.
Edits = dict[int, dict[str, int | None]]


class StaleQuarterError(StaleVersionError):
    """The quarter changed since the form was displayed: the input must not overwrite it.
    ``report`` is the quarter as saved, for the page to show its counts next to the input."""

    def __init__(self, message: str, *, version: int, report: QuarterReport):
        self.report = report
        super().__init__(message, version=version)


def _stale(report: QuarterReport, expected_version: int | None) -> StaleQuarterError:
    return stale_version_error(
        report,
        expected_version,
        what="ce trimestre",
        related=[MonthlyValue.history.filter(record__report=report)],
        error_class=StaleQuarterError,
        report=report,
    )


class QuarterNotSubmitted(ValidationError):
    """The quarter was not submitted: incomplete, inconsistent, or no longer a draft.

    The counts that came with the submission are saved all the same (``report``),
    so that nothing typed is lost.
    """

    def __init__(self, messages: list[str], *, report: QuarterReport):
        self.report = report
        super().__init__(messages)


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

    Refuses a save prepared on an older copy of the quarter (StaleQuarterError). A draft
    may be incomplete or break a consistency rule: it is saved as typed, and cannot be
    submitted until the rules hold (``quarter_submit`` says why).
    ``report`` may be the unsaved draft of ``selectors.quarter_for_entry``: its
    first save creates it.
    """
    report, _ = _enter(
        report,
        user=user,
        values=values,
        comment=comment,
        expected_version=expected_version,
        submit=False,
    )
    return report


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


def quarter_submit(
    *,
    report: QuarterReport,
    user,
    values: Mapping[int, MonthValues] | None = None,
    comment: str | None = None,
    expected_version: int | None = None,
) -> QuarterReport:
    """Submit the quarter to the secretariats of the authorities that validate it
    (``activity.validation``): the one path of every « transmettre ».

    With ``values`` (« Enregistrer et transmettre » of the entry pages), they are
    saved first, as ``quarter_save`` does, in the same transaction and the same write
    of the quarter. A quarter that is incomplete, inconsistent or no longer a draft is
    not submitted: ``QuarterNotSubmitted`` says why, the counts given being saved.
    """
    # Atomic inside, not around: the refusal is raised once the counts are saved.
    with transaction.atomic():
        report, refusals = _enter(
            report,
            user=user,
            values=values,
            comment=comment,
            expected_version=expected_version,
            submit=True,
        )
    if refusals:
        raise QuarterNotSubmitted(refusals, report=report)
    return report


def _enter(
    report: QuarterReport,
    *,
    user,
    values: Mapping[int, MonthValues] | None,
    comment: str | None,
    expected_version: int | None,
    submit: bool,
) -> tuple[QuarterReport, list[str]]:
    """Save ``values`` and/or submit, writing the quarter once; returns the quarter and,
    for a submission, why it was not submitted (nothing when it was)."""
    report = locked(report)
    not_submittable = _guard(
        report, user=user, values=values, expected_version=expected_version, submit=submit
    )
    # The months' records are only written by a save.
    records = {r.month: r for r in report.records.all()} if report.pk and values is not None else {}
    if values is not None and report.pk and report.version == 0 and not records:
        # Nothing entered yet: take the grid in force now (an administrator may have
        # published a version for this quarter since the quarter was opened).
        report.grid_version = GridVersion.objects.in_force(
            datetime.date(report.year, report.months[0], 1)
        )
    layout, ids = grid_layout(report.grid_version), indicator_ids(report.grid_version)
    stored = _stored_values(report, ids) if report.pk else {}
    counts = {
        month: {code: value.value for code, value in stored.get(month, {}).items()}
        for month in report.months
    }

    edits: Edits = {}
    changed = False
    if values is not None:
        typed = {code for month_values in values.values() for code in month_values}
        if unknown := typed - set(layout.codes):
            raise ValueError(f"Unknown indicator codes: {sorted(unknown)}")
        edits = _edits(counts, values)
        _apply(edits, counts)
        changed = bool(edits)
        if comment is not None and comment != report.comment:
            report.comment = comment
            changed = True
    # The rules run once, on the counts as they will be stored. A draft that breaks them is
    # still saved (nothing typed is lost): the rules hold at transmission (``not_ready``),
    # and the entry page shows the problems next to their groups until they are fixed.
    problems = quarter_problems(layout, counts)

    refusals = []
    if submit:
        refusals = (
            not_submittable.messages
            if not_submittable
            else not_ready(layout, report, counts, problems)
        )
    submitted = submit and not refusals
    if submitted:
        now = timezone.now()
        report.state = RULES[Action.SUBMIT].target
        report.submitted_at, report.submitted_by = now, user
        report.first_submitted_at = report.first_submitted_at or now
    if changed or submitted:
        report.version += 1
    if report.pk is None:
        _create(report, user)
    elif changed or submitted:
        save(report, user)
    _write_counts(report, edits=edits, records=records, stored=stored, ids=ids, user=user)
    # Only a quarter submitted before this click may have been validated by an authority.
    if edits and report.state == QuarterState.SUBMITTED and not submitted:
        _clear_partial_validations(report, user)
    if submitted:
        add_event(report, QuarterAction.SUBMITTED, user)
        announce(report, "quarter.submitted")
    return report, refusals


def _clear_partial_validations(report: QuarterReport, user) -> None:
    """The authorities that validated a submitted quarter validated other figures: each
    validates the new ones again, and the history says why."""
    cleared = list(report.validations.select_related("authority"))
    if not cleared:
        return
    report.validations.all().delete()
    add_event(
        report,
        QuarterAction.VALIDATIONS_CLEARED,
        user,
        reason=f"Valeurs modifiées après la validation de {names(v.authority for v in cleared)} : "
        "à valider de nouveau.",
    )


def _guard(
    report: QuarterReport, *, user, values, expected_version, submit: bool
) -> ValidationError | None:
    """Ask the rules, once for the click. Returns why the state forbids a submission
    when counts come with it (they are saved all the same); raises any other refusal."""
    allowed = permissions(user, report.post)
    not_submittable = allowed.refusal(Action.SUBMIT, report.state) if submit else None
    if isinstance(not_submittable, PermissionDenied) or (not_submittable and values is None):
        raise not_submittable
    if values is not None:
        allowed.require(Action.SAVE, report.state)
        if report.version != expected_version:
            raise _stale(report, expected_version)
        if not set(values) <= set(report.months):
            raise ValueError(f"Months {sorted(values)} are not in quarter {report.quarter}.")
    return not_submittable


def _create(report: QuarterReport, user) -> None:
    """The first save of a quarter. Two people may start it at once: the second one's
    save is refused like any save prepared on an older copy."""
    report._history_user = user
    try:
        with transaction.atomic():
            report.save()
    except IntegrityError:
        existing = QuarterReport.objects.filter(
            post=report.post, year=report.year, quarter=report.quarter
        ).first()
        if existing is None:
            raise
        raise _stale(existing, 0) from None


def _stored_values(
    report: QuarterReport, ids: dict[str, int]
) -> dict[int, dict[str, MonthlyValue]]:
    """{month: {code: value}}: the quarter's counts as objects to update, in one query."""
    codes = {pk: code for code, pk in ids.items()}
    stored = {}
    for value in MonthlyValue.objects.filter(record__report=report).annotate(
        month=F("record__month")
    ):
        stored.setdefault(value.month, {})[codes[value.indicator_id]] = value
    return stored


def _edits(counts: dict[int, dict[str, int]], values: Mapping[int, MonthValues]) -> Edits:
    edits = {}
    for month, month_values in values.items():
        before = counts[month]
        cells = {code: value for code, value in month_values.items() if value != before.get(code)}
        if cells:
            edits[month] = cells
    return edits


def _apply(edits: Edits, counts: dict[int, dict[str, int]]) -> None:
    for month, cells in edits.items():
        for code, number in cells.items():
            if number is None:
                del counts[month][code]
            else:
                counts[month][code] = number


def _write_counts(report, *, edits: Edits, records, stored, ids, user) -> None:
    """The records of the months edited, then their counts: one write per table.

    Counts are updated in place, so that the history reads "31 → 35" for a corrected
    count. The ``*_with_history`` helpers and one delete per row keep every write in the
    history, which plain bulk writes would escape.
    """
    now = timezone.now()
    kept = [records[month] for month in edits if month in records]
    for record in kept:
        record.entered_by, record.entered_at = user, now
    bulk_update_with_history(kept, MonthlyRecord, ["entered_by", "entered_at"], default_user=user)
    new = [
        MonthlyRecord(report=report, month=month, entered_by=user, entered_at=now)
        for month in edits
        if month not in records
    ]
    for record in bulk_create_with_history(new, MonthlyRecord, default_user=user):
        records[record.month] = record
    updated, created = [], []
    for month, cells in edits.items():
        for code, number in cells.items():
            value = stored.get(month, {}).get(code)
            if number is None:
                value._history_user = user
                value.delete()
            elif value is None:
                created.append(
                    MonthlyValue(record=records[month], indicator_id=ids[code], value=number)
                )
            else:
                value.value = number
                updated.append(value)
    bulk_update_with_history(updated, MonthlyValue, ["value"], default_user=user)
    bulk_create_with_history(created, MonthlyValue, default_user=user)
