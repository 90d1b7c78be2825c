"""The "Historique" of a quarter: its state, its months and each count, before and after."""

from activity.models import MonthlyRecord, MonthlyValue, QuarterReport
from conventions.history import Entry, belongs_to, history_entries


def quarter_history(report: QuarterReport) -> list[Entry]:
    if report.pk is None:
        return []
    values = belongs_to("record_id", MonthlyRecord, report_id=report.pk)
    return history_entries(
        [
            QuarterReport.history.filter(id=report.pk),
            MonthlyRecord.history.filter(report_id=report.pk),
            MonthlyValue.history.filter(values),
        ]
    )
