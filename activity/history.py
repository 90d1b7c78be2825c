"""The "Historique" of a quarter: its state, its months and each count, before and after."""

from conventions.history import Entry, history_entries

from .models import MonthlyRecord, MonthlyValue, QuarterReport


def quarter_history(report: QuarterReport) -> list[Entry]:
    if report.pk is None:
        return []
    records = MonthlyRecord.history.filter(report_id=report.pk).values("id")
    return history_entries(
        [
            QuarterReport.history.filter(id=report.pk),
            MonthlyRecord.history.filter(report_id=report.pk),
            MonthlyValue.history.filter(record_id__in=records),
        ]
    )
