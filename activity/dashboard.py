"""The statistics deadlines on the home page (conventions.dashboard lays them out).

Those who enter the figures see the quarters they still have to send; the DDSP
secretariat sees the quarters waiting for its validation and the late ones. Only
the last four quarters count, up to the one of the month just ended (the month
being entered), and only the quarters a convention of the post expects
(``activity.schedule.quarter_due_date``): before it takes effect, nothing was due.
"""

import datetime

from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse

from activity.enums import AnnualState, QuarterState
from activity.models import AnnualReport, Indicator, MonthlyRecord, MonthlyValue, QuarterReport
from activity.rules import Action, permissions
from activity.schedule import quarter_end, quarter_status
from activity.views.board import board_posts, quarter_url
from activity.views.common import QUARTER_LABELS
from config.core.dashboard import Item, Section
from config.core.formats import MONTHS, french_date
from partners.enums import AUTHORITY_SECRETARIAT_ROLES, Role

ENTERING_ROLES = (Role.SOCIAL_WORKER, Role.EMPLOYER_COORDINATION)


def recent_window(quarters) -> tuple[datetime.date, datetime.date]:
    """The first and last days of ``quarters`` (in order)."""
    (first_year, first_quarter), last = quarters[0], quarters[-1]
    return datetime.date(first_year, 3 * first_quarter - 2, 1), quarter_end(*last)


def recent_quarters(today: datetime.date) -> list[tuple[int, int]]:
    """(year, quarter) of the last four quarters, the one of last month last."""
    last_month = today.replace(day=1) - datetime.timedelta(days=1)
    index = last_month.year * 4 + (last_month.month - 1) // 3
    return [(i // 4, i % 4 + 1) for i in range(index - 3, index + 1)]


def statistics_sections(user, *, today: datetime.date) -> list[Section]:
    if user.role not in (*ENTERING_ROLES, *AUTHORITY_SECRETARIAT_ROLES):
        return []
    quarters = recent_quarters(today)
    current = quarters[-1]
    posts = list(board_posts(user, between=recent_window(quarters)))
    reports = {
        (r.post_id, r.year, r.quarter): r
        for r in QuarterReport.objects.filter(
            post__in=[p.pk for p in posts], year__in={year for year, _ in quarters}
        ).prefetch_related("validations")
    }
    pending, to_validate = [], []
    for post in posts:
        allowed = permissions(user, post)
        actions = allowed.actions
        conventions = [c for c in post.conventions.all() if not c.is_template]
        for year, quarter in quarters:
            report = reports.get((post.pk, year, quarter))
            status = quarter_status(conventions, report, year, quarter, today, post=post)
            due = status.due
            label = f"{QUARTER_LABELS[quarter]} {year} — {post.name}"
            url = quarter_url(post, year, quarter, actions)
            # A quarter sent waits for validation whether a convention expected it or not,
            # as the status board counts it; a mixed post's quarter only for an authority
            # it still waits for.
            if Action.VALIDATE in actions and status.to_validate_by(user, allowed.capacity):
                validation = status.validation_label(user, allowed.capacity)
                to_validate.append(Item(f"{label} : transmis, {validation}", url, due.date))
            elif not due.expected:
                continue
            elif status.state == QuarterState.DRAFT and (
                status.is_late or (year, quarter) == current
            ):
                progress = "en saisie" if report else "rien de saisi"
                pending.append(
                    Item(
                        f"{label} : {progress}",
                        url,
                        due.date,
                        overdue=status.is_late,
                        late_since=due.late_since if status.is_late else None,
                        late_reason=due.late_reason(f"{QUARTER_LABELS[quarter]} {year}")
                        if status.is_late
                        else "",
                    )
                )
    if user.role in ENTERING_ROLES:
        return [
            Section(
                "statistics-to-send",
                "Statistiques à saisir et transmettre",
                pending,
                "Aucun trimestre à transmettre.",
            )
        ]
    late = [item for item in pending if item.overdue]
    # Counted as the status board counts them (activity.schedule.quarter_status).
    return [
        Section(
            "statistics-to-validate",
            f"Trimestres transmis à valider ({len(to_validate)})",
            to_validate,
            "Aucun trimestre à valider.",
        ),
        Section(
            "statistics-late",
            f"Trimestres en retard ({len(late)})",
            late,
            "Aucun trimestre en retard.",
        ),
    ]


def late_bilans_section(user, *, today: datetime.date) -> Section:
    """For administrators: every quarter of the last four that is late, national.

    Only a quarter that has ended and was never submitted can be late: SQL leaves out
    the posts that submitted every ended one, Python reads the due dates of the rest.
    """
    quarters = [(y, q) for y, q in recent_quarters(today) if quarter_end(y, q) < today]
    recent = Q()
    for year, quarter in quarters:
        recent |= Q(year=year, quarter=quarter)
    all_submitted = (
        QuarterReport.objects.filter(recent, first_submitted_at__isnull=False)
        .values("post")
        .annotate(n=Count("pk"))
        .filter(n=len(quarters))
        .values("post")
    )
    posts = list(board_posts(user, between=recent_window(quarters), leaving_out=all_submitted))
    reports = {
        (r.post_id, r.year, r.quarter): r
        for r in QuarterReport.objects.filter(recent, post__in=[p.pk for p in posts])
    }
    items = []
    for post in posts:
        conventions = [c for c in post.conventions.all() if not c.is_template]
        for year, quarter in quarters:
            report = reports.get((post.pk, year, quarter))
            status = quarter_status(conventions, report, year, quarter, today, post=post)
            due = status.due
            if status.is_late:
                items.append(
                    Item(
                        f"{QUARTER_LABELS[quarter]} {year} — {post.name}",
                        reverse("activity:bilan_post", args=[post.pk, year, quarter]),
                        due.date,
                        overdue=True,
                        late_since=due.late_since,
                        late_reason=due.late_reason(f"{QUARTER_LABELS[quarter]} {year}"),
                    )
                )
    return Section("late-bilans", "Bilans trimestriels en retard", items, "Aucun bilan en retard.")


DONE = (QuarterState.VALIDATED, QuarterState.LOCKED)


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
                missing_what = "aucun chiffre n'est saisi"
            else:
                expected = sizes.get(record.report.grid_version_id, 0)
                missing = max(expected - record.filled, 0)
                status = (
                    "complet" if not missing else f"{missing} indicateur(s) sur {expected} à saisir"
                )
                overdue = bool(missing) and day.month != today.month
                missing_what = f"{missing} indicateur(s) manquent"
            # The month is over on the first day of the next one (today's month).
            month_over = today.replace(day=1)
            items.append(
                Item(
                    f"{post.name} — {label} : {status}",
                    reverse("activity:month_entry", args=[post.pk, day.year, day.month]),
                    overdue=overdue,
                    late_since=month_over if overdue else None,
                    late_reason=f"{label} est terminé et {missing_what}" if overdue else "",
                )
            )
    return Section("months", "Mes chiffres du mois", items, "Aucun poste ne vous est attribué.")


def validated_bilans_section(posts, *, today) -> Section:
    """The latest validated quarter of each post the partner may read, and last year's
    validated annual bilan; a bilan without a single figure is not listed (there is nothing
    to read in it, and « validé » would claim otherwise)."""
    post_ids = [p.pk for p in posts]
    latest = {}
    for report in (
        QuarterReport.objects.filter(post__in=post_ids, state__in=DONE)
        .filter(Exists(MonthlyValue.objects.filter(record__report=OuterRef("pk"))))
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
    year_figures = MonthlyValue.objects.filter(
        record__report__post=OuterRef("post"), record__report__year=OuterRef("year")
    )
    items += [
        Item(
            f"{annual.post.name} — bilan annuel {annual.year}",
            reverse("activity:bilan_post", args=[annual.post_id, annual.year]),
            detail=f"validé le {french_date(annual.validated_at)}",
        )
        for annual in AnnualReport.objects.filter(
            post__in=post_ids, year=today.year - 1, state=AnnualState.VALIDATED
        )
        .filter(Exists(year_figures))
        .select_related("post")
    ]
    return Section("bilans", "Derniers bilans validés", items, "Aucun bilan validé pour l'instant.")
