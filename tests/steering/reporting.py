"""Posts whose quarters a convention expects, and quarters with known counts and dates."""

import datetime

from django.utils import timezone

from activity.enums import QuarterState
from activity.models import Indicator, MonthlyRecord, MonthlyValue
from tests.activity.factories import QuarterReportFactory, default_version
from tests.conventions.factories import ConventionFactory, PartyFactory, PostFactory

TODAY = datetime.date(2026, 12, 6)
YEARS = [2022, 2023, 2024, 2025, 2026]


def at(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(day.year, day.month, day.day, 12))


def covered_post(**kwargs):
    """A post whose convention (signed on 1 January 2022, six years, no stated schedule)
    expects every quarter from 2022, each due the 15th of the month after it."""
    post = PostFactory(**kwargs)
    convention = ConventionFactory(post=post, duration_years=6)
    PartyFactory(convention=convention, signed_on=datetime.date(2022, 1, 1))
    return post


def quarter(post, year, quarter, *, state=QuarterState.VALIDATED, submitted=None, **counts):
    """A quarter in ``state`` whose first month holds ``counts`` ({code: value}); sent on
    ``submitted`` (a date), by default the day after it ended."""
    sent = submitted or datetime.date(year + (quarter == 4), 3 * quarter % 12 + 1, 1)
    dates = {}
    if state != QuarterState.DRAFT:
        dates = {"submitted_at": at(sent), "first_submitted_at": at(sent)}
    if state in (QuarterState.VALIDATED, QuarterState.LOCKED):
        dates["validated_at"] = at(sent)
    report = QuarterReportFactory(post=post, year=year, quarter=quarter, state=state, **dates)
    if counts:
        record = MonthlyRecord.objects.create(
            report=report, month=3 * quarter - 2, entered_at=at(sent)
        )
        ids = dict(Indicator.objects.filter(version=default_version()).values_list("code", "pk"))
        MonthlyValue.objects.bulk_create(
            MonthlyValue(record=record, indicator_id=ids[code], value=value)
            for code, value in counts.items()
        )
    return report
