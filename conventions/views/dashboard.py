from django.shortcuts import render
from django.utils import timezone

from activity.dashboard import statistics_sections

from ..access import scope_for
from ..dashboard import dashboard_sections


def dashboard(request):
    today = timezone.localdate()
    sections = [
        *dashboard_sections(scope_for(request.user), today=today),
        *statistics_sections(request.user, today=today),
    ]
    return render(request, "dashboard.html", {"sections": sections, "today": today})
