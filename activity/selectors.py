"""Reads that the pages and the services share: a quarter with its grid, its counts."""

import datetime

from django.db.models import prefetch_related_objects

from activity.layout import Layout, layout_of
from activity.models import GridVersion, MonthlyValue, QuarterReport, quarter_months
from activity.models.grid import layout_prefetches


def quarter_for_entry(post, year: int, quarter: int) -> QuarterReport:
    """The quarter with its grid's layout; an unsaved draft on the grid in force on its
    first day when nothing was entered yet."""
    report = (
        QuarterReport.objects.with_layout()
        .select_related("submitted_by", "validated_by")
        .filter(post=post, year=year, quarter=quarter)
        .first()
    )
    if report is None:
        first_day = datetime.date(year, quarter_months(quarter)[0], 1)
        report = QuarterReport(
            post=post,
            year=year,
            quarter=quarter,
            grid_version=GridVersion.objects.with_layout().in_force(first_day),
        )
    report.post = post
    return report


def grid_layout(version: GridVersion, post=None) -> Layout:
    """Two queries, or none for a version that came with its layout (``with_layout()``);
    its labels worded for ``post``'s force, or for any post."""
    prefetch_related_objects([version], *layout_prefetches())
    if post is None:
        return layout_of(version)
    return layout_of(version, post.wording.at_site)


def indicator_ids(version: GridVersion) -> dict[str, int]:
    """{code: indicator id}, read from the prefetched layout like ``grid_layout``."""
    prefetch_related_objects([version], *layout_prefetches())
    return {i.code: i.pk for group in version.groups.all() for i in group.indicators.all()}


def report_values(report: QuarterReport) -> dict[int, dict[str, int]]:
    """{month: {indicator code: value}} in one query."""
    values = {month: {} for month in report.months}
    rows = MonthlyValue.objects.filter(record__report=report).values_list(
        "record__month", "indicator__code", "value"
    )
    for month, code, value in rows:
        values[month][code] = value
    return values


def snapshot(report: QuarterReport) -> dict[str, dict[str, int]]:
    """The counts as a reopening keeps them (``QuarterEvent.values_before``)."""
    return as_snapshot(report_values(report))


def as_snapshot(values: dict[int, dict[str, int]]) -> dict[str, dict[str, int]]:
    return {str(month): dict(month_values) for month, month_values in values.items()}
