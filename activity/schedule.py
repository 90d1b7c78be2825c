"""When a quarter's figures are due, from the convention's reporting schedule.

The convention that governs a quarter is the post's convention in force on the
quarter's last day; when none is (an expired convention awaiting renewal), the
latest one that had begun by then, among those covering the post that day
(``activity.governing``): a post added by an amendment is not governed by the convention
for the quarters that end before the amendment takes effect, nor one removed for the
quarters that end after its removal. Whether the quarter is expected at all, and
when, is the schedule of ``conventions.lifecycle.reports``, the one the calendar
and the reminders read: a quarter that ends before the convention takes effect,
or begins after its end or termination, is not expected, hence never late.
Niort (article 11) states quarterly bilans for 15 April, 15 July and 15 October
and the annual bilan for 7 January: the fourth quarter is due with the annual
bilan. A convention that states no date (Ermont) gets the default: the 15th of
the month after the quarter.
"""

import datetime
import enum
from dataclasses import dataclass, field
from functools import cached_property

from django.utils import timezone

from activity.enums import QuarterState
from activity.governing import Governing, governing_convention, quarter_end
from activity.rules import Capacity
from activity.validation import QuarterValidationStatus, names, required_authorities
from config.core.formats import french_date
from conventions.enums import ReportKind
from conventions.lifecycle.reports import ReportSchedule, expected_report, expects_period

DEFAULT_DUE_DAY = 15


@dataclass(frozen=True)
class DueDate:
    date: datetime.date
    from_convention: bool
    convention: object = None
    expected: bool = True  # False: no convention in force during the quarter

    @property
    def late_since(self) -> datetime.date:
        """The first day a quarter not yet sent is late: the day after its due date."""
        return self.date + datetime.timedelta(days=1)

    def late_reason(self, quarter_label: str) -> str:
        """Why « En retard »: « le 3e trimestre 2026 devait être transmis au plus tard le
        15 octobre 2026 (échéance fixée par la convention …) »."""
        if self.from_convention:
            source = f"échéance fixée par la convention {self.convention.reference}"
        else:
            source = "la convention ne fixe pas d'échéance : par défaut, le 15 du mois suivant"
        return (
            f"le {quarter_label} devait être transmis au plus tard le "
            f"{french_date(self.date)} et ne l'a pas été ({source})"
        )

    @property
    def explanation(self) -> str:
        if not self.expected:
            return (
                "Aucun bilan n'est attendu pour ce trimestre : aucune convention n'est en "
                "vigueur pendant ce trimestre (il précède sa prise d'effet ou suit sa fin)."
            )
        if self.from_convention:
            return f"Échéance fixée par la convention {self.convention.reference}."
        return (
            "La convention ne fixe pas d'échéance : par défaut, le 15 du mois qui suit "
            "le trimestre."
        )


def quarter_due_date(conventions, year: int, quarter: int, *, post) -> DueDate:
    end = quarter_end(year, quarter)
    default = (end + datetime.timedelta(days=1)).replace(day=DEFAULT_DUE_DAY)
    convention = governing_convention(conventions, end, post=post)
    start = datetime.date(year, 3 * quarter - 2, 1)
    if convention is None or not expects_period(convention, start, end):
        return DueDate(default, False, convention, expected=False)
    wanted = [(ReportKind.QUARTERLY_BILAN, f"Q{quarter}")]
    if quarter == 4:
        wanted.append((ReportKind.ANNUAL_BILAN, "year"))
    for kind, period in wanted:
        report = expected_report(convention, kind=kind, period=period, year=year)
        if report is not None:
            return DueDate(report.due, True, convention)
    return DueDate(default, False, convention)


class QuarterDueDates:
    """``quarter_due_date(conventions, year, quarter, post=post)`` for every quarter that
    ends by ``until``: each convention's periods are worked out once for the whole time
    shown (``Governing``, ``ReportSchedule``) and every quarter is answered from them,
    the same dates for a fraction of the work (the national steering report asks some
    nine thousand quarters)."""

    def __init__(self, conventions, *, post, until: datetime.date):
        self.governing = Governing(conventions, post=post, until=until)
        self.until = until
        self.schedules = {}

    def schedule(self, convention) -> ReportSchedule:
        if convention.pk not in self.schedules:
            self.schedules[convention.pk] = ReportSchedule(convention, until=self.until)
        return self.schedules[convention.pk]

    def __call__(self, year: int, quarter: int) -> DueDate:
        end = quarter_end(year, quarter)
        default = (end + datetime.timedelta(days=1)).replace(day=DEFAULT_DUE_DAY)
        convention = self.governing.on(end)
        start = datetime.date(year, 3 * quarter - 2, 1)
        if convention is None or not self.schedule(convention).expects_period(start, end):
            return DueDate(default, False, convention, expected=False)
        wanted = [(ReportKind.QUARTERLY_BILAN, f"Q{quarter}")]
        if quarter == 4:
            wanted.append((ReportKind.ANNUAL_BILAN, "year"))
        for kind, period in wanted:
            report = self.schedule(convention).expected_report(kind=kind, period=period, year=year)
            if report is not None:
                return DueDate(report.due, True, convention)
        return DueDate(default, False, convention)


class Lateness(enum.StrEnum):
    LATE = "late"  # due date passed, never submitted
    SUBMITTED_LATE = "submitted_late"


def lateness(report, due: DueDate, today: datetime.date) -> Lateness | None:
    """The first submission counts: a quarter reopened later does not become late again.
    A quarter that no convention expects is never late, nor one sent (a report sent before
    ``first_submitted_at`` was recorded has its ``submitted_at``)."""
    if not due.expected:
        return None
    first = None
    if report is not None:
        first = report.first_submitted_at or report.submitted_at
    if first is None:
        return Lateness.LATE if today > due.date else None
    return Lateness.SUBMITTED_LATE if timezone.localdate(first) > due.date else None


@dataclass(frozen=True)
class QuarterStatus:
    """One post's quarter as the dashboard and the status board both read it, so that
    they give the same counts and labels: late only when a convention governs the post in
    that quarter and its due date has passed with nothing sent; to validate when sent, for
    the secretariat of an authority that must still validate it."""

    year: int
    quarter: int
    report: object
    due: DueDate
    lateness: Lateness | None
    post: object = None
    conventions: list = field(default_factory=list)

    @property
    def state(self) -> str:
        return self.report.state if self.report is not None else QuarterState.DRAFT

    @property
    def is_late(self) -> bool:
        return self.lateness == Lateness.LATE

    @property
    def awaits_validation(self) -> bool:
        return self.state == QuarterState.SUBMITTED

    @cached_property
    def validation(self) -> QuarterValidationStatus:
        """Read only for a secretariat (whose posts come with their sites)."""
        return QuarterValidationStatus(
            required_authorities(self.post, self.year, self.quarter, self.conventions),
            list(self.report.validations.all()),
        )

    def to_validate_by(self, user, capacity) -> bool:
        """Sent and awaiting ``user``: an administrator, or the secretariat of a required
        authority that has not validated it yet. For those who do not validate (an
        employer), every quarter sent awaits validation."""
        if not self.awaits_validation:
            return False
        if capacity == Capacity.AUTHORITY_SECRETARIAT:
            return self.validation.may_validate(user, capacity)
        return True

    def validation_label(self, user, capacity) -> str:
        """For a quarter sent: « à valider » for who must still validate it, « validé par
        vous, en attente de Y » for the authority that has; for the others, who has
        validated it (a mixed post's), if anyone."""
        if not self.awaits_validation:
            return ""
        if capacity == Capacity.ADMINISTRATOR:
            return "à valider"
        if capacity == Capacity.AUTHORITY_SECRETARIAT:
            if self.validation.may_validate(user, capacity):
                return "à valider"
            if self.validation.authority_of(user, capacity) is not None:
                return f"validé par vous, en attente de {names(self.validation.pending)}"
        validations = self.report.validations.all()
        return f"validé par {names(v.authority for v in validations)}" if validations else ""


def quarter_status(conventions, report, year: int, quarter: int, today, *, post) -> QuarterStatus:
    """``conventions``: ``post``'s, prefetched as ``board_posts`` does; ``report`` with its
    validations and their authorities."""
    due = quarter_due_date(conventions, year, quarter, post=post)
    return QuarterStatus(
        year, quarter, report, due, lateness(report, due, today), post, conventions
    )
