from django.shortcuts import render
from django.utils import timezone

from conventions.access import scope_for
from conventions.dashboard import dashboard_sections


def dashboard(request):
    today = timezone.localdate()
    sections = dashboard_sections(scope_for(request.user), today=today)
    return render(request, "dashboard.html", {"sections": sections, "today": today})
