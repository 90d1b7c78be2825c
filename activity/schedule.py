"""When a quarter's figures are due, from the convention's reporting schedule.

The convention that governs a quarter is the post's convention in force on the
quarter's last day; when none is (an expired convention awaiting renewal), the
latest one that had begun by then. Whether the quarter is expected at all, and
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
from dataclasses import dataclass

from django.utils import timezone

from activity.enums import QuarterState
from config.core.formats import french_date
from conventions.enums import ReportKind
from conventions.lifecycle.reports import expected_report, expects_period

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


def quarter_end(year: int, quarter: int) -> datetime.date:
    month = 3 * quarter
    next_month = datetime.date(year + (month == 12), month % 12 + 1, 1)
    return next_month - datetime.timedelta(days=1)


def governing_convention(conventions, on: datetime.date):
    """Among a post's conventions (prefetched with parties and renewals), the one for ``on``."""
    begun = []
    for convention in conventions:
        if convention.is_template:
            continue
        periods = convention.periods(until=on, as_of=on)
        if any(p.start <= on <= p.end for p in periods):
            return convention
        if periods and periods[0].start <= on:
            begun.append((periods[0].start, convention.pk, convention))
    return max(begun)[2] if begun else None


def quarter_due_date(conventions, year: int, quarter: int) -> DueDate:
    end = quarter_end(year, quarter)
    default = (end + datetime.timedelta(days=1)).replace(day=DEFAULT_DUE_DAY)
    convention = governing_convention(conventions, end)
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
    they give the same counts: late only when a convention governs the post in that quarter
    and its due date has passed with nothing sent; to validate when sent."""

    year: int
    quarter: int
    report: object
    due: DueDate
    lateness: Lateness | None

    @property
    def state(self) -> str:
        return self.report.state if self.report is not None else QuarterState.DRAFT

    @property
    def is_late(self) -> bool:
        return self.lateness == Lateness.LATE

    @property
    def awaits_validation(self) -> bool:
        return self.state == QuarterState.SUBMITTED


def quarter_status(conventions, report, year: int, quarter: int, today) -> QuarterStatus:
    """``conventions``: the post's, prefetched as ``board_posts`` does."""
    due = quarter_due_date(conventions, year, quarter)
    return QuarterStatus(year, quarter, report, due, lateness(report, due, today))
