"""Dated events a convention imposes: expiry, notice, renewal, reports, meetings.

Everything is computed for the period in force on the given day, so that after
a renewal the notice deadline follows the new end date, never the initial one.
"""

import datetime
from dataclasses import dataclass

from django.utils.functional import classproperty

from .enums import RenewalMode, ReportKind


@dataclass(frozen=True, order=True)
class Deadline:
    date: datetime.date
    kind: str
    label: str
    convention: object = None

    @classproperty
    def kinds(cls):
        return {
            "expiry": "Fin de la convention",
            "notice": "Dernier jour pour dénoncer",
            "renewal": "Décision de reconduction",
            "report": "Compte rendu dû",
            "review": "Réunion annuelle de bilan",
        }

    def is_overdue(self, today):
        return self.date < today


def convention_deadlines(convention, *, today, horizon_days=400):
    """Events from ``today`` on (and up to ``horizon_days`` ahead), in date order."""
    if convention.is_template:
        return []
    period = convention.current_period(today)
    if period is None:
        return []
    limit = today + datetime.timedelta(days=horizon_days)
    events = []
    terminated = convention.terminated_on is not None
    if not terminated:
        events.append(
            Deadline(
                period.end,
                "expiry",
                f"Fin de la période n° {period.number} de la convention",
                convention,
            )
        )
        notice = convention.notice_deadline(today)
        if notice:
            form = f" ({convention.notice_form})" if convention.notice_form else ""
            events.append(
                Deadline(
                    notice,
                    "notice",
                    f"Dernier jour pour envoyer une dénonciation{form}, "
                    f"{convention.notice_months} mois avant la fin",
                    convention,
                )
            )
            if convention.renewal_mode in (
                RenewalMode.CONCERTATION,
                RenewalMode.SUCCESSIVE_PERIODS,
            ):
                events.append(
                    Deadline(
                        notice,
                        "renewal",
                        "Concertation des parties sur la reconduction",
                        convention,
                    )
                )
    for year in range(max(period.start.year, today.year - 1), limit.year + 1):
        for rule in convention.reporting_rules.all():
            due = rule.due_date(year)
            if due is None or not (period.start <= due or year >= period.start.year):
                continue
            kind = "review" if rule.kind == ReportKind.REVIEW_MEETING else "report"
            label = (
                f"{rule.get_kind_display()} — {rule.get_period_display().lower()} {year}"
                if kind == "report"
                else f"{rule.get_kind_display()} (activité {year})"
            )
            events.append(Deadline(due, kind, label, convention))
    return sorted(e for e in events if today <= e.date <= limit)


def next_deadline(convention, *, today):
    events = convention_deadlines(convention, today=today)
    return events[0] if events else None
