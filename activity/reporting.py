"""Where each post's quarters stand against their due dates, over several years: what the
steering pages count (shares entered, submitted, validated; days late).

A quarter is *due* once a convention of the post expects it (``schedule.quarter_due_date``,
worked out for all the years at once by ``QuarterDueDates``) and its due date has
passed, or once it was submitted before: an expected quarter sent early already counts.
The due dates are those of the status board and the dashboard, read from the
conventions prefetched once for all the posts: a fixed number of queries
whatever the number of posts and years.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Prefetch
from django.utils import timezone

from activity.enums import QuarterState
from activity.governing import quarter_end, schedule_prefetches
from activity.models import MonthlyRecord, QuarterReport
from activity.models.records import FINAL_STATES
from activity.schedule import DueDate, QuarterDueDates
from conventions.models import Convention


@dataclass(frozen=True)
class ReportedQuarter:
    post: object
    year: int
    quarter: int
    due: DueDate
    state: str  # QuarterState; DRAFT when nothing was entered
    entered: bool  # at least one monthly record
    first_submitted: datetime.date | None
    today: datetime.date

    @property
    def is_due(self) -> bool:
        return self.due.expected and (self.due.date < self.today or self.is_submitted)

    @property
    def is_submitted(self) -> bool:
        """Submitted now (validated and locked included); a reopened quarter is not."""
        return self.state != QuarterState.DRAFT

    @property
    def is_validated(self) -> bool:
        return self.state in FINAL_STATES

    @property
    def days_late(self) -> int | None:
        """Days from the due date to the first submission, or to today for a quarter never
        submitted; 0 when on time; None for a quarter not due."""
        if not self.is_due:
            return None
        sent = self.first_submitted or self.today
        return max((sent - self.due.date).days, 0)


def reported_quarters(posts, *, years: list[int], today: datetime.date) -> list[ReportedQuarter]:
    """Each quarter of ``years`` of each post of ``posts`` (a queryset the caller may
    extend, e.g. ``with_sites()``) that has begun by ``today``.

    Queries: the conventions' distinct durations (``may_govern_between``), the posts, each
    prefetch of the caller, the conventions that may govern the years and one per
    ``schedule_prefetches`` lookup, then the quarter reports.
    """
    first, last = datetime.date(min(years), 1, 1), quarter_end(max(years), 4)
    conventions = (
        Convention.objects.agreements()
        .may_govern_between(first, last, posts=posts)
        .prefetch_related(*schedule_prefetches())
    )
    post_list = list(posts.prefetch_related(Prefetch("conventions", queryset=conventions)))
    reports = {
        (r.post_id, r.year, r.quarter): r
        for r in QuarterReport.objects.filter(post__in=posts.values("pk"), year__in=years)
        .annotate(entered=Exists(MonthlyRecord.objects.filter(report=OuterRef("pk"))))
        .only("post_id", "year", "quarter", "state", "submitted_at", "first_submitted_at")
    }
    quarters = []
    for post in post_list:
        due_dates = QuarterDueDates(post.conventions.all(), post=post, until=last)
        for year in years:
            for quarter in range(1, 5):
                if datetime.date(year, 3 * quarter - 2, 1) > today:
                    break
                report = reports.get((post.pk, year, quarter))
                sent = report and (report.first_submitted_at or report.submitted_at)
                quarters.append(
                    ReportedQuarter(
                        post=post,
                        year=year,
                        quarter=quarter,
                        due=due_dates(year, quarter),
                        state=report.state if report else QuarterState.DRAFT,
                        entered=bool(report and report.entered),
                        first_submitted=timezone.localdate(sent) if sent else None,
                        today=today,
                    )
                )
    return quarters
