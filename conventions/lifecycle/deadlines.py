"""Dated events a convention imposes: expiry, notice, renewal, reports, meetings.

Everything is computed for the period in force on the given day, so that after
a renewal the notice deadline follows the new end date, never the initial one.
"""

import datetime
from dataclasses import dataclass, field

from django.utils.functional import classproperty

from conventions.enums import RenewalMode
from conventions.lifecycle.reports import expected_reports


@dataclass(frozen=True, order=True)
class Deadline:
    date: datetime.date
    kind: str
    label: str
    convention: object = field(default=None, compare=False)
    # Stable identity of the event whatever its date, so that a calendar
    # updates it in place when the date changes.
    key: str = field(default="", compare=False)

    @classproperty
    def kinds(cls):
        return {
            "expiry": "Fin de la convention",
            "notice": "Dernier jour pour dénoncer",
            "renewal": "Décision de reconduction",
            "report": "Compte rendu dû",
            "review": "Réunion annuelle de bilan",
            "payment": "Versement attendu",
        }


def convention_deadlines(convention, *, today, horizon_days=400):
    """Events from ``today`` on (and up to ``horizon_days`` ahead), in date order."""
    if convention.is_template or convention.cancelled_at:
        # A cancelled convention has nothing more to do: no deadline, reminder or event.
        return []
    period = convention.current_period(today)
    if period is None:
        return []
    limit = today + datetime.timedelta(days=horizon_days)
    events = []
    if convention.terminated_on is None:
        events.append(
            Deadline(
                period.end,
                "expiry",
                f"Fin de la période n° {period.number} de la convention",
                convention,
                f"expiry-p{period.number}",
            )
        )
        notice = convention.notice_deadline(today)
        terms = convention.terms_on(today)
        if notice:
            form = f" ({convention.notice_form})" if convention.notice_form else ""
            events.append(
                Deadline(
                    notice,
                    "notice",
                    f"Dernier jour pour envoyer une dénonciation{form}, "
                    f"{terms.notice_months} mois avant la fin",
                    convention,
                    f"notice-p{period.number}",
                )
            )
            if terms.renewal_mode in (
                RenewalMode.CONCERTATION,
                RenewalMode.SUCCESSIVE_PERIODS,
            ):
                events.append(
                    Deadline(
                        notice,
                        "renewal",
                        "Concertation des parties sur la reconduction",
                        convention,
                        f"renewal-p{period.number}",
                    )
                )
    # The reports the convention expects (conventions.lifecycle.reports): the statistics
    # module reads the same schedule.
    for report in expected_reports(convention, until=limit, since=today):
        rule = report.rule
        if report.is_meeting:
            kind, label = "review", f"{rule.get_kind_display()} (activité {report.year})"
        else:
            kind = "report"
            label = f"{rule.get_kind_display()} — {rule.get_period_display().lower()} {report.year}"
        events.append(
            Deadline(report.due, kind, label, convention, f"{kind}-{rule.pk}-{report.year}")
        )
    return sorted(e for e in events if today <= e.date <= limit)


def next_deadline(convention, *, today):
    events = convention_deadlines(convention, today=today)
    return events[0] if events else None
