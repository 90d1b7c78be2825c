"""The home page: each role's sections, from the conventions and the statistics apps.

The composition root is the one place that knows both apps; each app builds its
own sections from data already scoped by ``scope_for``.
"""

from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from activity import dashboard as activity
from config.core.dashboard import Item, Section
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
from partners.departements import departement_label
from partners.enums import Role


def steering_section(departement: str, *, today) -> Section:
    """The préfecture's way into the steering of its département, and its funding."""
    label = departement_label(departement)
    funding_url = reverse("conventions:departement_funding", args=[departement])
    items = [
        Item(
            f"Pilotage du département — {label}",
            reverse("steering:departement", args=[departement]),
        ),
        Item(f"Financements du département en {today.year}", f"{funding_url}?annee={today.year}"),
    ]
    return Section("pilotage", "Pilotage du département", items)


def national_steering_section(*, today) -> Section:
    """The national administration's way into the country's steering and bilan."""
    last_year = today.year - 1
    items = [
        Item("Pilotage national", reverse("steering:national")),
        Item(
            f"Bilan national d'activité {last_year} (trimestres validés)",
            reverse("activity:bilan_national", args=[last_year]),
        ),
        Item(
            f"Financements des conventions en {today.year}",
            f"{reverse('conventions:funding_overview')}?annee={today.year}",
        ),
    ]
    return Section("pilotage", "Pilotage national", items)


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
        case Role.READ_ONLY_PARTNER | Role.DEPARTEMENTAL_STEERING:
            # The préfecture's steering first: what it reads is its département's.
            departement = scope.organisation.departement
            steering = scope.can_steer(departement)
            return [
                *([steering_section(departement, today=today)] if steering else []),
                *convention_sections(scope, today=today)[:1],
                activity.validated_bilans_section(
                    list(scope.posts().order_by("name")), today=today
                ),
            ]
        case Role.NATIONAL_STEERING:
            return [national_steering_section(today=today), *national_sections(today=today)]
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
