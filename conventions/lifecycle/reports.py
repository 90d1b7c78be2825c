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
    return cut_at_termination(convention, convention.periods(until=until))


def cut_at_termination(convention, periods) -> list[tuple[datetime.date, datetime.date]]:
    """(start, end) of each of ``periods`` up to the convention's termination."""
    spans = []
    for period in periods:
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
    end = covered_period(period, year)[1]
    return report_in_spans(
        spans_in_force(convention, until=end),
        convention.reporting_rules.all(),
        kind=kind,
        period=period,
        year=year,
    )


def report_in_spans(spans, rules, *, kind: str, period: str, year: int) -> ExpectedReport | None:
    """``expected_report`` from the spans in force up to the end of the period and the
    convention's reporting rules."""
    start, end = covered_period(period, year)
    if not spans or not spans[0][0].year <= year <= spans[-1][1].year:
        return None
    found = [
        ExpectedReport(rule.due_date(year), year, start, end, rule)
        for rule in rules
        if rule.due_month is not None and (rule.kind, rule.period) == (kind, period)
    ]
    found = [r for r in found if r.due >= start and covers(spans, start, end)]
    return min(found, key=lambda r: (r.due, r.rule.pk or 0), default=None)


class RolledPeriods:
    """``convention.periods(until=day, as_of=as_of)`` for every ``day`` up to ``until``,
    worked out once (the steering pages ask it for every quarter of five years of every
    post: each call re-reads the prefetched renewals and amendments).

    The tacit renewals rolled on up to a later day only add periods that begin after
    ``day``: the periods up to ``day`` are the recorded ones (the initial period and the
    renewals) then the rolled ones that begin by ``day``, the first periods of the longer
    list. Reads ``renewals`` and ``amendments`` (prefetch them)."""

    def __init__(self, convention, *, until: datetime.date, as_of: datetime.date | None = None):
        self.convention, self.until, self.as_of = convention, until, as_of
        self.periods = convention.periods(until=until, as_of=as_of)
        self.recorded = 1 + len(convention.renewals.all())

    def up_to(self, day: datetime.date) -> list:
        if day > self.until:
            return self.convention.periods(until=day, as_of=self.as_of)
        rolled = sum(1 for period in self.periods[self.recorded :] if period.start <= day)
        return self.periods[: self.recorded + rolled]


class ReportSchedule:
    """``expects_period`` and ``expected_report`` of one convention for every period that
    ends by ``until``, its periods worked out once (``RolledPeriods``). Reads ``parties``,
    ``renewals``, ``amendments`` and ``reporting_rules`` (prefetch them)."""

    def __init__(self, convention, *, until: datetime.date):
        self.convention = convention
        self.rolled = None
        if not (convention.is_template or convention.cancelled_at):
            self.rolled = RolledPeriods(convention, until=until)
        self.rules = list(convention.reporting_rules.all())

    def spans(self, until: datetime.date) -> list[tuple[datetime.date, datetime.date]]:
        """``spans_in_force(convention, until=until)``."""
        if self.rolled is None:
            return []
        return cut_at_termination(self.convention, self.rolled.up_to(until))

    def expects_period(self, start: datetime.date, end: datetime.date) -> bool:
        return covers(self.spans(end), start, end)

    def expected_report(self, *, kind: str, period: str, year: int) -> ExpectedReport | None:
        end = covered_period(period, year)[1]
        return report_in_spans(self.spans(end), self.rules, kind=kind, period=period, year=year)
