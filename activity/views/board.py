"""The status board of a secretariat (DDSP, groupement): each post it is the functional
authority of × every quarter."""

import datetime
from collections import defaultdict

from django.db.models import Prefetch
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from activity.enums import AnnualState, QuarterState
from activity.governing import schedule_prefetches
from activity.models import AnnualReport, QuarterReport, QuarterValidation
from activity.rules import Action, allowed_actions, permissions
from activity.schedule import Lateness, quarter_status
from activity.validation import may_validate_year
from activity.views.common import QUARTER_LABELS, check_period
from conventions.access import scope_for
from conventions.models import Convention
from partners.enums import AUTHORITY_SECRETARIAT_ROLES, Role


def _year(request, default):
    try:
        year = int(request.GET.get("annee", default))
    except ValueError:
        return default
    return year if 2000 <= year <= 2100 else default


def board_posts(user, departement: str = "", *, between=None, leaving_out=None):
    """The posts of the user's board with what their due dates read; ``between``
    (first, last): only the conventions that may govern a day of that window;
    ``leaving_out``: posts (a queryset of ids) the caller does not need."""
    posts = scope_for(user).posts()
    if leaving_out is not None:
        posts = posts.exclude(pk__in=leaving_out)
    if user.role in AUTHORITY_SECRETARIAT_ROLES:
        # Its sites: what the rules read to know that the secretariat is its authority.
        posts = posts.supervised_by(user.organisation).with_sites()
    elif departement:
        posts = posts.filter(departement=departement)
    conventions = Convention.objects.all()
    if between is not None:
        conventions = conventions.may_govern_between(*between, posts=posts)
    return posts.select_related("employer").prefetch_related(
        "holders",
        Prefetch(
            "conventions",
            queryset=conventions.prefetch_related(*schedule_prefetches()),
        ),
    )


def quarter_url(post, year, quarter, actions):
    if Action.ENTER_QUARTER in actions:
        return reverse("activity:quarter_entry", args=[post.pk, year, quarter])
    if Action.ENTER_MONTH in actions:
        return reverse("activity:month_entry", args=[post.pk, year, 3 * quarter - 2])
    return reverse("activity:bilan_post", args=[post.pk, year, quarter])


def _state_label(status, user, capacity) -> str:
    """« Transmis, à valider », « Transmis, validé par vous, en attente de Y »: the words of
    the dashboard (``QuarterStatus.validation_label``)."""
    if status.report is None:
        return "Rien de saisi"
    # The enum's label: get_state_display() rebuilds the field's choices at each call, and
    # a board has four cells a post.
    label = QuarterState(status.report.state).label
    validation = status.validation_label(user, capacity)
    return f"{label}, {validation}" if validation else label


def status_board(request):
    today = timezone.localdate()
    year = _year(request, today.year)
    check_period(year)
    departement = request.GET.get("departement", "").strip()[:3]
    posts = list(board_posts(request.user, departement))
    reports = defaultdict(dict)
    # With the authorities that validated a submitted quarter of a mixed post.
    validations = Prefetch(
        "validations", queryset=QuarterValidation.objects.select_related("authority")
    )
    for report in QuarterReport.objects.filter(
        post__in=[p.pk for p in posts], year=year
    ).prefetch_related(validations):
        reports[report.post_id][report.quarter] = report
    annuals = {
        a.post_id: a for a in AnnualReport.objects.filter(post__in=[p.pk for p in posts], year=year)
    }
    rows = []
    late_count = to_validate_count = 0
    for post in posts:
        allowed = permissions(request.user, post)
        actions = allowed.actions
        conventions = [c for c in post.conventions.all() if not c.is_template]
        cells = []
        for quarter in range(1, 5):
            report = reports[post.pk].get(quarter)
            # The dashboard reads the same status: both give the same counts.
            status = quarter_status(conventions, report, year, quarter, today, post=post)
            due, state = status.due, status.state
            late_count += status.is_late
            to_validate_count += status.to_validate_by(request.user, allowed.capacity)
            cells.append(
                {
                    "quarter": quarter,
                    "label": QUARTER_LABELS[quarter],
                    "report": report,
                    "state": state,
                    "state_label": _state_label(status, request.user, allowed.capacity),
                    "due": due,
                    "late": status.is_late,
                    "late_reason": due.late_reason(f"{QUARTER_LABELS[quarter]} {year}")
                    if status.is_late
                    else "",
                    "submitted_late": status.lateness == Lateness.SUBMITTED_LATE,
                    "url": quarter_url(post, year, quarter, actions),
                }
            )
        annual = annuals.get(post.pk)
        rows.append(
            {
                "post": post,
                "bilan_url": reverse("activity:bilan_post", args=[post.pk, year]),
                "cells": cells,
                "annual": annual,
                "annual_validated": annual is not None and annual.state == AnnualState.VALIDATED,
                "can_validate_year": Action.VALIDATE_YEAR in actions
                and all(c["state"] == QuarterState.VALIDATED for c in cells)
                and may_validate_year(post, year, request.user, allowed.capacity, conventions),
            }
        )
    return render(
        request,
        "activity/status_board.html",
        {
            "year": year,
            "years": range(today.year - 3, today.year + 1),
            "rows": rows,
            "late_count": late_count,
            "submitted_count": to_validate_count,
            "departement": departement,
            "is_secretariat": request.user.role in AUTHORITY_SECRETARIAT_ROLES,
            "today": today,
        },
    )


def home(request):
    """The statistics entry point: what the user's role works on first.

    The DDSP secretariat lands on its status board, a social worker on the
    last month of their post; everyone else on the list of the posts in scope.
    """
    user = request.user
    today = timezone.localdate()
    last_month = today.replace(day=1) - datetime.timedelta(days=1)
    if user.role in AUTHORITY_SECRETARIAT_ROLES:
        return redirect("activity:status_board")
    posts = list(scope_for(user).posts().select_related("employer").prefetch_related("holders"))
    if user.role == Role.SOCIAL_WORKER and len(posts) == 1:
        return redirect("activity:month_entry", posts[0].pk, last_month.year, last_month.month)
    rows = []
    for post in posts:
        actions = allowed_actions(user, post)
        quarter = (last_month.month - 1) // 3 + 1
        rows.append(
            {
                "post": post,
                "entry_url": quarter_url(post, last_month.year, quarter, actions)
                if actions & {Action.ENTER_MONTH, Action.ENTER_QUARTER}
                else "",
                # Whoever may enter the figures may import past ones (views.imports).
                "import_url": reverse("activity:statistics_import", args=[post.pk])
                if actions & {Action.ENTER_MONTH, Action.ENTER_QUARTER}
                else "",
                "bilans": [
                    (f"Bilan annuel {y}", reverse("activity:bilan_post", args=[post.pk, y]))
                    for y in (today.year, today.year - 1)
                ],
            }
        )
    departements = sorted({post.departement for post in posts})
    return render(
        request,
        "activity/home.html",
        {
            "rows": rows,
            "year": today.year,
            "departements": departements,
            "show_board": user.is_superuser or user.role == Role.EMPLOYER_COORDINATION,
        },
    )
