from django.shortcuts import render
from django.utils import timezone

from ..access import scope_for
from ..deadlines import convention_deadlines
from ..models import Convention


def dashboard(request):
    today = timezone.localdate()
    scope = scope_for(request.user)
    conventions = Convention.objects.filter(
        pk__in=scope.conventions().filter(is_template=False).values("pk")
    ).for_list()
    rows = []
    for convention in conventions:
        events = convention_deadlines(convention, today=today, horizon_days=365)
        rows.append(
            {"convention": convention, "status": convention.status(today), "events": events[:3]}
        )
    return render(request, "dashboard.html", {"rows": rows, "today": today})
