"""The "Historique" of a quarter: its state, its months and each count, before and after."""

from dataclasses import replace

from activity.layout import ANY_SITE, worded
from activity.models import MonthlyRecord, MonthlyValue, QuarterReport
from config.core.formats import MONTHS
from config.core.history import (
    Entry,
    belongs_to,
    history_entries,
    history_of,
    register_subject,
)


def _monthly_value_label(record) -> str:
    month = record.record
    indicator = record.indicator
    label = worded(indicator.label) if indicator else ""
    if month is None:
        return label
    return f"{label}, {MONTHS[month.month - 1]} {month.report.year}"


def _monthly_record_label(record) -> str:
    if record.report is None:
        return f"mois {record.month}"
    return f"{MONTHS[record.month - 1]} {record.report.year}"


register_subject("activity.MonthlyValue", label=_monthly_value_label, related=("record__report",))
register_subject("activity.MonthlyRecord", label=_monthly_record_label, related=("report__post",))


def quarter_history(report: QuarterReport) -> list[Entry]:
    """``report.post`` with its sites: the indicators are worded for its force (« à la
    brigade » for a gendarmerie post), never « au commissariat ou à la brigade »."""
    if report.pk is None:
        return []
    values = belongs_to("record_id", MonthlyRecord, report_id=report.pk)
    entries = history_entries(
        [
            history_of(QuarterReport).filter(id=report.pk),
            history_of(MonthlyRecord).filter(report_id=report.pk),
            history_of(MonthlyValue).filter(values),
        ],
        kept=True,
    )
    at_site = report.post.wording.at_site
    return [replace(entry, subject=entry.subject.replace(ANY_SITE, at_site)) for entry in entries]
