"""What every write of a quarter starts and ends with: the lock, the save, the event,
and what a quarter needs before it is submitted or validated."""

from django.utils import timezone

from activity.checks import Problem, missing_codes
from activity.layout import Layout
from activity.models import QuarterEvent, QuarterReport
from config.core.events import publish
from config.core.formats import MONTHS


def month_label(month: int, year: int) -> str:
    return f"{MONTHS[month - 1].capitalize()} {year}"


def problem_messages(problems: dict[int, list[Problem]], year: int) -> list[str]:
    return [
        f"{month_label(month, year)} : {problem.message}"
        for month, month_problems in sorted(problems.items())
        for problem in month_problems
    ]


def locked(report: QuarterReport) -> QuarterReport:
    """The quarter's row, locked until the transaction ends: what a write starts from.

    The caller's post (scoped, with its holders) and grid layout are kept: neither
    changes under a quarter. An unsaved draft is locked by its insert.
    """
    if report.pk is None:
        return report
    row = QuarterReport.objects.select_for_update().get(pk=report.pk)
    row.post = report.post
    if (
        QuarterReport.grid_version.is_cached(report)
        and report.grid_version_id == row.grid_version_id
    ):
        row.grid_version = report.grid_version
    return row


def save(report: QuarterReport, user) -> None:
    """One write of the quarter, one row of its history, in the name of ``user``."""
    report._history_user = user
    report.save()


def announce(report: QuarterReport, kind: str) -> None:
    """Tell the organisations of the post (webhooks) that the quarter changed state."""
    post = report.post
    publish(
        kind,
        concerned=post.concerned_organisation_ids,
        data={
            "poste": report.post_id,
            "annee": report.year,
            "trimestre": report.quarter,
            "etat": report.state,
            "version": report.version,
        },
    )


def add_event(report: QuarterReport, action, user, **fields) -> QuarterEvent:
    return QuarterEvent.objects.create(
        report=report, action=action, by=user, at=timezone.now(), **fields
    )


def not_ready(
    layout: Layout,
    report: QuarterReport,
    counts: dict[int, dict[str, int]],
    problems: dict[int, list[Problem]],
) -> list[str]:
    """Why the quarter cannot be submitted or validated: counts missing, rules broken."""
    refusals = []
    missing = {month: len(missing_codes(layout, counts.get(month, {}))) for month in report.months}
    if any(missing.values()):
        detail = ", ".join(
            f"{MONTHS[month - 1]} : {count}" for month, count in missing.items() if count
        )
        refusals.append(
            f"Le trimestre est incomplet : il manque {sum(missing.values())} valeur(s) "
            f"({detail}). Saisissez 0 quand il n'y a rien à compter."
        )
    return refusals + problem_messages(problems, report.year)
