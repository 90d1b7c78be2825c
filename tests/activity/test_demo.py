"""The demo statistics: two years and three quarters, consistent, in the states the issue lists."""

import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from activity.checks import missing_codes, month_problems
from activity.enums import QuarterAction, QuarterState
from activity.layout import layout_of
from activity.models import GridVersion, MonthlyValue, QuarterReport
from activity.schedule import Lateness, lateness
from activity.selectors import report_values
from activity.views.common import due_date_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    call_command("load_demo", stdout=io.StringIO())


def states(post_name, year):
    return list(
        QuarterReport.objects.filter(post__name=post_name, year=year)
        .order_by("quarter")
        .values_list("state", flat=True)
    )


def test_every_demo_month_is_consistent_and_every_sent_quarter_complete(demo):
    layouts = {v.pk: layout_of(v) for v in GridVersion.objects.with_layout()}
    for report in QuarterReport.objects.all():
        layout = layouts[report.grid_version_id]
        for month, values in report_values(report).items():
            assert month_problems(layout, values) == [], (report, month)
            if report.state != QuarterState.DRAFT:
                assert missing_codes(layout, values) == [], (report, month)


def test_the_demo_covers_2024_2025_and_2026_up_to_september(demo):
    for post in ("ISC du commissariat de Niort", "ISC du commissariat d'Ermont"):
        assert states(post, 2024) == [QuarterState.LOCKED] * 4
        assert states(post, 2025) == [QuarterState.LOCKED] * 4
        assert len(states(post, 2026)) == 3
    assert not MonthlyValue.objects.filter(record__report__year=2026, record__month__gt=9).exists()


def test_niort_2026_has_two_validated_quarters_and_the_third_submitted(demo):
    assert states("ISC du commissariat de Niort", 2026) == [
        QuarterState.VALIDATED,
        QuarterState.VALIDATED,
        QuarterState.SUBMITTED,
    ]


def test_ermonts_third_quarter_2026_is_late(demo):
    report = QuarterReport.objects.get(
        post__name="ISC du commissariat d'Ermont", year=2026, quarter=3
    )
    due = due_date_for(report.post, 2026, 3)
    assert report.state == QuarterState.DRAFT
    assert lateness(report, due, timezone.localdate()) == Lateness.LATE


def test_one_demo_quarter_was_reopened_with_a_reason_and_its_corrections(demo):
    reopening = QuarterReport.objects.get(
        post__name="ISC du commissariat d'Ermont", year=2026, quarter=1
    ).events.get(action=QuarterAction.REOPENED)
    assert "enregistrées deux fois" in reopening.reason
    changes = {(month, code) for month, code, _, _ in reopening.changes()}
    assert changes == {(2, "saisines_recues"), (2, "origine_police"), (2, "contact_72h")}
