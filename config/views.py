"""The home page: each role's sections, from the conventions and the statistics apps.

The composition root is the one place that knows both apps; each app builds its
own sections from data already scoped by ``scope_for``.
"""

from django.shortcuts import render
from django.utils import timezone

from activity import dashboard as activity
from config.core.dashboard import Section
from conventions.access import scope_for
from conventions.dashboard import (
    convention_sections,
    conventions_in_scope,
    deliberation_sections,
    funding_sections,
    national_sections,
    passed_deadline_alerts,
    report_and_meeting_sections,
)
from conventions.models import Convention
from partners.enums import Role


def dashboard_sections(scope, *, today) -> list[Section]:
    if scope.is_admin:
        return [
            *national_sections(today=today),
            activity.late_bilans_section(scope.user, today=today),
            *funding_sections(
                Convention.objects.agreements().not_cancelled(), today=today, gaps=True
            ),
        ]
    match scope.role:
        case Role.DDSP_SECRETARIAT | Role.GENDARMERIE_SECRETARIAT:
            return [
                *activity.statistics_sections(scope.user, today=today),
                *report_and_meeting_sections(scope, today=today),
            ]
        case Role.SOCIAL_WORKER:
            return [
                activity.month_section(scope.user, list(scope.posts()), today=today),
                *activity.statistics_sections(scope.user, today=today),
            ]
        case Role.READ_ONLY_PARTNER:
            return [
                *convention_sections(scope, today=today)[:1],
                activity.validated_bilans_section(
                    list(scope.posts().order_by("name")), today=today
                ),
            ]
        case Role.LOCAL_AUTHORITY:
            return [
                *convention_sections(scope, today=today),
                *funding_sections(conventions_in_scope(scope), today=today),
                *deliberation_sections(scope, today=today),
            ]
        case Role.EMPLOYER_COORDINATION:
            return [
                *convention_sections(scope, today=today),
                *funding_sections(conventions_in_scope(scope), today=today),
                *activity.statistics_sections(scope.user, today=today),
            ]
    return []


def dashboard(request):
    today = timezone.localdate()
    scope = scope_for(request.user)
    return render(
        request,
        "dashboard.html",
        {
            "alerts": passed_deadline_alerts(scope, today=today),
            "sections": dashboard_sections(scope, today=today),
            "today": today,
        },
    )
