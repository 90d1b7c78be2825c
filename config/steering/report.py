"""A steering report: the parts of one area for one year, as the page, the PDF and
the XLSX show them.

Computing the national report reads every post, convention, contribution and quarter of
the country (about three seconds on the national dataset, most of it working out each
quarter's due date from its convention). Steering figures move when a quarter is
validated or a payment recorded, not from one second to the next: the report is kept
``CACHE_SECONDS`` in the cache, the page says when it was computed, and a change of the
coverage targets computes it again at once (their version is in the key). With a cache
shared by the servers (``CACHE_URL``) and Celery beat, ``steering.refresh_reports``
computes the reports of the current year again every five minutes: nobody waits for them. Its PDF
(WeasyPrint lays out some six hundred table rows for the country: about five seconds)
and its XLSX are kept with it, under the time the report was computed: a document
always shows the figures of the page it is taken from.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.cache import cache
from django.utils import timezone

from config.steering.activity import activity_part
from config.steering.area import Area
from config.steering.coverage import coverage_part
from config.steering.discipline import area_quarters, discipline_part
from config.steering.figures import Part
from config.steering.models import NATIONAL_TARGET_PK, NationalTarget
from config.steering.money import money_part

YEARS_SHOWN = 5  # the year chosen and the four before it
CACHE_SECONDS = 10 * 60


@dataclass
class Report:
    area: Area
    year: int
    years: list[int]
    parts: list[Part]
    computed_at: datetime.datetime = field(default_factory=timezone.now)


def steering_report(area: Area, *, year: int, today: datetime.date) -> Report:
    years = list(range(year - YEARS_SHOWN + 1, year + 1))
    # Read once for both parts: working out each quarter's due date is the costly step.
    quarters = area_quarters(area, years=years, today=today)
    return Report(
        area,
        year,
        years,
        [
            coverage_part(area, today=today),
            money_part(area, years=years, today=today),
            activity_part(area, years=years, today=today, quarters=quarters),
            discipline_part(area, years=years, today=today, quarters=quarters),
        ],
    )


def _key(area: Area, *, year: int, today: datetime.date) -> str:
    version = (
        NationalTarget.objects.filter(pk=NATIONAL_TARGET_PK)
        .values_list("version", flat=True)
        .first()
        or 0
    )
    return f"steering-report:{area.departement or 'france'}:{year}:{today.isoformat()}:{version}"


def cached_steering_report(area: Area, *, year: int, today: datetime.date) -> Report:
    """The report computed less than ``CACHE_SECONDS`` ago for the same area, year, day
    and coverage targets, else a new one (one query when cached: the targets' version)."""
    key = _key(area, year=year, today=today)
    report = cache.get(key)
    if report is None:
        report = steering_report(area, year=year, today=today)
        cache.set(key, report, CACHE_SECONDS)
    return report


def steering_report_refresh(area: Area, *, year: int, today: datetime.date) -> Report:
    """Compute the report again and keep it in place of the one cached: run by the
    periodic task (``config.steering.tasks``), so that readers find a report ready."""
    report = steering_report(area, year=year, today=today)
    cache.set(_key(area, year=year, today=today), report, CACHE_SECONDS)
    return report


def cached_document(report: Report, kind: str, render: Callable[[Report], bytes]) -> bytes:
    """The report's PDF or XLSX, rendered once for this computation of the report."""
    key = (
        f"steering-document:{report.area.departement or 'france'}:{report.year}:"
        f"{report.computed_at.isoformat()}:{kind}"
    )
    document = cache.get(key)
    if document is None:
        document = render(report)
        cache.set(key, document, CACHE_SECONDS)
    return document
