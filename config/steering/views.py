"""The steering pages: national (the administrator) and per département (the administrator
and the préfecture's steering users). Outside the user's steering, 404."""

from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from config.steering.area import Area
from config.steering.report import steering_report
from conventions.access import scope_for
from partners.departements import BY_CODE


def _year(request, today) -> int:
    try:
        year = int(request.GET.get("annee", ""))
    except ValueError:
        return today.year
    return year if 2000 <= year <= today.year + 1 else today.year


def _page(request, area: Area):
    if not scope_for(request.user).can_steer(area.departement):
        raise Http404
    today = timezone.localdate()
    report = steering_report(area, year=_year(request, today), today=today)
    return render(request, "steering/page.html", {"report": report, "area": area})


def national(request):
    return _page(request, Area())


def departement(request, departement: str):
    if departement not in BY_CODE:
        raise Http404
    return _page(request, Area(departement))
