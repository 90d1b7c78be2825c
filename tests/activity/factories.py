"""Activity factories: quarters and consistent monthly counts of the default grid."""

import datetime

import factory
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from activity.enums import GroupKind, QuarterState
from activity.models import GridVersion, Indicator, MonthlyRecord, MonthlyValue, QuarterReport
from tests.conventions.factories import PostFactory

DEFAULT_GRID_START = datetime.date(2021, 1, 1)


def default_version():
    return GridVersion.objects.get(valid_from=DEFAULT_GRID_START)


def month_values(persons=20, interviews=30, referrals=12, version=None):
    """Counts of every indicator of ``version`` (the default grid) whose partitions add up."""
    version = version or default_version()
    totals = {
        "personnes_rencontrees": persons,
        "entretiens": interviews,
        "saisines_recues": referrals,
    }
    values = {}
    for group in version.groups.prefetch_related("indicators"):
        codes = [i.code for i in group.indicators.all()]
        if group.kind == GroupKind.COUNTS:
            values.update({code: totals.get(code, 0) for code in codes})
        elif group.kind == GroupKind.PARTITION:
            total = totals[group.total_code]
            share = total // len(codes)
            values.update(dict.fromkeys(codes, share))
            values[codes[0]] += total - share * len(codes)
        else:
            values.update(dict.fromkeys(codes, totals[group.total_code] // 3))
    return values


class QuarterReportFactory(factory.django.DjangoModelFactory):
    """A quarter; ``QuarterReportFactory(filled=True)`` also enters consistent counts."""

    class Meta:
        model = QuarterReport
        skip_postgeneration_save = True

    post = factory.SubFactory(PostFactory)
    year = 2025
    quarter = 1
    grid_version = factory.LazyFunction(default_version)
    state = QuarterState.DRAFT

    class Params:
        submitted = factory.Trait(
            state=QuarterState.SUBMITTED,
            submitted_at=factory.LazyFunction(timezone.now),
            first_submitted_at=factory.LazyFunction(timezone.now),
        )
        validated = factory.Trait(
            state=QuarterState.VALIDATED,
            submitted_at=factory.LazyFunction(timezone.now),
            first_submitted_at=factory.LazyFunction(timezone.now),
            validated_at=factory.LazyFunction(timezone.now),
        )
        locked = factory.Trait(
            state=QuarterState.LOCKED,
            submitted_at=factory.LazyFunction(timezone.now),
            first_submitted_at=factory.LazyFunction(timezone.now),
            validated_at=factory.LazyFunction(timezone.now),
        )

    @factory.post_generation
    def filled(self, create, extracted, **kwargs):
        if create and extracted:
            fill(self, **kwargs)


def fill(report, values=None, **counts):
    """Enter the same consistent counts (or ``values``) in each month of the quarter."""
    values = values or month_values(version=report.grid_version, **counts)
    indicators = dict(
        Indicator.objects.filter(version=report.grid_version).values_list("code", "pk")
    )
    for month in report.months:
        record = MonthlyRecord.objects.create(report=report, month=month, entered_at=timezone.now())
        # With their history, like the entry service writes them.
        bulk_create_with_history(
            [
                MonthlyValue(record=record, indicator_id=indicators[code], value=value)
                for code, value in values.items()
            ],
            MonthlyValue,
        )
    return report
