"""The statistics items of the home page, for the roles that enter, validate or read them."""

import datetime

from django.db.models import Count
from django.urls import reverse

from conventions.dashboard import Item, Section
from partners.formats import MONTHS

from .enums import QuarterState
from .models import Indicator, MonthlyRecord, QuarterReport
from .rules import allowed_actions
from .schedule import Lateness, lateness, quarter_due_date
from .views.board import board_posts, quarter_url
from .views.common import QUARTER_LABELS

DONE = (QuarterState.VALIDATED, QuarterState.LOCKED)
SOON_DAYS = 30


def _quarters_to_watch(today):
    """Last year's fourth quarter (due in January) and this year's four."""
    return [(today.year - 1, 4), *((today.year, q) for q in range(1, 5))]


def quarter_board_section(user, *, today, national=False) -> Section:
    """Quarters not yet validated whose due date is past or within 30 days, late first."""
    posts = list(board_posts(user))
    watched = _quarters_to_watch(today)
    reports = {
        (r.post_id, r.year, r.quarter): r
        for r in QuarterReport.objects.filter(
            post__in=[p.pk for p in posts], year__in={y for y, _ in watched}
        )
    }
    items = []
    for post in posts:
        actions = None if national else allowed_actions(user, post)
        conventions = [c for c in post.conventions.all() if not c.is_template]
        for year, quarter in watched:
            report = reports.get((post.pk, year, quarter))
            if report is not None and report.state in DONE:
                continue
            due = quarter_due_date(conventions, year, quarter)
            if due.date > today + datetime.timedelta(days=SOON_DAYS):
                continue
            late = lateness(report, due.date, today) == Lateness.LATE
            state = QuarterState(report.state).label if report else "rien de saisi"
            if national and not late:
                continue
            url = (
                reverse("activity:bilan_post", args=[post.pk, year, quarter])
                if national
                else quarter_url(post, year, quarter, actions)
            )
            items.append(
                Item(
                    f"{post.name} — {QUARTER_LABELS[quarter]} {year} : {state.lower()}",
                    url,
                    due.date,
                    overdue=late,
                    detail=(
                        "transmis, à valider par le secrétariat de la DDSP"
                        if report is not None and report.state == QuarterState.SUBMITTED
                        else f"à transmettre au plus tard le {due.date:%d/%m/%Y}"
                    ),
                )
            )
    if national:
        return Section(
            "late-bilans", "Bilans trimestriels en retard", items, "Aucun bilan en retard."
        )
    return Section(
        "quarters",
        "Trimestres à saisir, transmettre ou valider",
        items,
        "Tous les trimestres échus sont validés.",
    )


def month_section(user, posts, *, today) -> Section:
    """The social worker's current and previous month: entered or not, and how complete."""
    months = [today.replace(day=1) - datetime.timedelta(days=1), today]
    records = {
        (r.report.post_id, r.report.year, r.month): r
        for r in MonthlyRecord.objects.filter(
            report__post__in=[p.pk for p in posts],
            report__year__in={m.year for m in months},
            month__in={m.month for m in months},
        )
        .select_related("report")
        .annotate(filled=Count("values"))
    }
    sizes = dict(
        Indicator.objects.values("version").annotate(n=Count("pk")).values_list("version", "n")
    )
    items = []
    for post in posts:
        for day in months:
            record = records.get((post.pk, day.year, day.month))
            label = f"{MONTHS[day.month - 1]} {day.year}"
            if record is None:
                status, overdue = "rien n'est encore saisi", day.month != today.month
            else:
                expected = sizes.get(record.report.grid_version_id, 0)
                missing = max(expected - record.filled, 0)
                status = (
                    "complet" if not missing else f"{missing} indicateur(s) sur {expected} à saisir"
                )
                overdue = bool(missing) and day.month != today.month
            items.append(
                Item(
                    f"{post.name} — {label} : {status}",
                    reverse("activity:month_entry", args=[post.pk, day.year, day.month]),
                    overdue=overdue,
                )
            )
    return Section("months", "Mes chiffres du mois", items, "Aucun poste ne vous est attribué.")


def validated_bilans_section(posts, *, today) -> Section:
    """The latest validated quarter of each post the partner may read."""
    latest = {}
    for report in (
        QuarterReport.objects.filter(post__in=[p.pk for p in posts], state__in=DONE)
        .select_related("post")
        .order_by("post_id", "-year", "-quarter")
    ):
        latest.setdefault(report.post_id, report)
    items = [
        Item(
            f"{r.post.name} — bilan du {QUARTER_LABELS[r.quarter]} {r.year}",
            reverse("activity:bilan_post", args=[r.post_id, r.year, r.quarter]),
        )
        for r in latest.values()
    ]
    items += [
        Item(
            f"{post.name} — bilan annuel {today.year - 1}",
            reverse("activity:bilan_post", args=[post.pk, today.year - 1]),
        )
        for post in posts
    ]
    return Section("bilans", "Derniers bilans validés", items, "Aucun bilan validé pour l'instant.")
