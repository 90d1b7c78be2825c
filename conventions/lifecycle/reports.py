"""The reports a convention expects: one schedule for the calendar, the reminders and
the statistics module.

A report covers a period (a quarter, a year) and is due on the day the convention
states (``ReportingRule.due_date``). It is expected only when the period it covers
overlaps a period in force of the convention (tacit renewals included, up to a
termination): Niort's convention takes effect on 12 October 2021, so the third
quarter of 2021, ended on 30 September, is not expected and its « 15 octobre »
due date is never shown nor recalled; nor is a report covering a time after the
convention's end or termination.
"""

import datetime
from dataclasses import dataclass

from conventions.enums import ReportKind, ReportPeriod

PERIOD_MONTHS = {
    ReportPeriod.Q1: (1, 3),
    ReportPeriod.Q2: (4, 6),
    ReportPeriod.Q3: (7, 9),
    ReportPeriod.Q4: (10, 12),
    ReportPeriod.YEAR: (1, 12),
}


def covered_period(period: str, year: int) -> tuple[datetime.date, datetime.date]:
    """First and last days that a report on ``period`` of ``year`` covers."""
    first_month, last_month = PERIOD_MONTHS[period]
    start = datetime.date(year, first_month, 1)
    following = datetime.date(year + (last_month == 12), last_month % 12 + 1, 1)
    return start, following - datetime.timedelta(days=1)


def spans_in_force(
    convention, *, until: datetime.date
) -> list[tuple[datetime.date, datetime.date]]:
    """(start, end) of each period in force, tacit renewals rolled on up to ``until``,
    cut at the termination. Reads ``parties`` and ``renewals`` (prefetch them)."""
    if convention.is_template or convention.cancelled_at:
        return []
    spans = []
    for period in convention.periods(until=until):
        end = period.end
        if convention.terminated_on is not None:
            if period.start > convention.terminated_on:
                break
            end = min(end, convention.terminated_on)
        spans.append((period.start, end))
    return spans


def covers(spans, start: datetime.date, end: datetime.date) -> bool:
    return any(first <= end and start <= last for first, last in spans)


def expects_period(convention, start: datetime.date, end: datetime.date) -> bool:
    """Whether the convention is in force on at least one day from ``start`` to ``end``."""
    return covers(spans_in_force(convention, until=end), start, end)


@dataclass(frozen=True, order=True)
class ExpectedReport:
    due: datetime.date
    year: int
    start: datetime.date  # first day of the period covered
    end: datetime.date
    rule: object = None  # the ReportingRule

    @property
    def is_meeting(self) -> bool:
        return self.rule.kind == ReportKind.REVIEW_MEETING


def expected_reports(
    convention, *, until: datetime.date, since: datetime.date | None = None
) -> list[ExpectedReport]:
    """Reports the convention expects, due from ``since`` (all when None), in due-date
    order; periods in force are read up to ``until``. Reads ``reporting_rules`` too."""
    spans = spans_in_force(convention, until=until)
    if not spans:
        return []
    first_year = spans[0][0].year
    if since is not None:
        # A report is due within the year after the period it covers.
        first_year = max(first_year, since.year - 1)
    reports = []
    for rule in convention.reporting_rules.all():
        if rule.due_month is None:
            continue
        for year in range(first_year, spans[-1][1].year + 1):
            start, end = covered_period(rule.period, year)
            due = rule.due_date(year)
            if (since is None or due >= since) and covers(spans, start, end):
                reports.append(ExpectedReport(due, year, start, end, rule))
    return sorted(reports, key=lambda r: (r.due, r.rule.pk or 0))


def expected_report(convention, *, kind: str, period: str, year: int) -> ExpectedReport | None:
    """The report of ``kind`` on ``period`` of ``year`` among ``expected_reports``: None
    when the convention states no due date for it or is not in force during that period.

    Worked out for that one year (the statistics ask it for every quarter of every post:
    ``expected_reports`` would compute every year of the convention each time)."""
    start, end = covered_period(period, year)
    spans = spans_in_force(convention, until=end)
    if not spans or not spans[0][0].year <= year <= spans[-1][1].year:
        return None
    found = [
        ExpectedReport(rule.due_date(year), year, start, end, rule)
        for rule in convention.reporting_rules.all()
        if rule.due_month is not None and (rule.kind, rule.period) == (kind, period)
    ]
    found = [r for r in found if r.due >= start and covers(spans, start, end)]
    return min(found, key=lambda r: (r.due, r.rule.pk or 0), default=None)
