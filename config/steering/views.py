"""The steering pages: national (the administrator) and per département (the administrator
and the préfecture's steering users), and their annual report as PDF and XLSX. Outside
the user's steering, 404."""

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from config.core.documents import pdf_response
from config.steering.area import Area
from config.steering.documents import XLSX_TYPE, render_report_pdf, report_filename, report_xlsx
from config.steering.rendering import INDICATOR_PARAMETER, map_view, part_views
from config.steering.report import Report, cached_document, cached_steering_report
from conventions.access import scope_for
from partners.departements import BY_CODE

FIRST_YEAR = 2000


def _area(request, departement: str | None) -> Area:
    if departement is not None and departement not in BY_CODE:
        raise Http404
    if not scope_for(request.user).can_steer(departement):
        raise Http404
    return Area(departement)


def _year(request, today) -> int:
    try:
        year = int(request.GET.get("annee", ""))
    except ValueError:
        return today.year
    return year if FIRST_YEAR <= year <= today.year + 1 else today.year


def _report(area: Area, year: int) -> Report:
    today = timezone.localdate()
    if not FIRST_YEAR <= year <= today.year + 1:
        raise Http404
    return cached_steering_report(area, year=year, today=today)


def _document_urls(area: Area, year: int) -> dict[str, str]:
    if area.is_national:
        return {
            "pdf": reverse("steering:national_pdf", args=[year]),
            "xlsx": reverse("steering:national_xlsx", args=[year]),
        }
    return {
        "pdf": reverse("steering:departement_pdf", args=[area.departement, year]),
        "xlsx": reverse("steering:departement_xlsx", args=[area.departement, year]),
    }


def _page(request, departement: str | None):
    area = _area(request, departement)
    today = timezone.localdate()
    year = _year(request, today)
    report = _report(area, year)
    return render(
        request,
        "steering/page.html",
        {
            "report": report,
            "area": area,
            "parts": part_views(report, request.GET),
            "map": map_view(report, request.GET.get(INDICATOR_PARAMETER, "")),
            "years": list(range(today.year + 1, FIRST_YEAR - 1, -1))[:12],
            "documents": _document_urls(area, year),
            "targets_url": reverse("steering:targets")
            if scope_for(request.user).is_admin
            else None,
            # The way back to the national page, for whoever may see it (the administrator).
            "national_url": (
                reverse("steering:national")
                if not area.is_national and scope_for(request.user).can_steer(None)
                else None
            ),
        },
    )


def national(request):
    return _page(request, None)


def departement(request, departement: str):
    return _page(request, departement)


def _pdf(request, departement: str | None, year: int):
    report = _report(_area(request, departement), year)
    return pdf_response(
        request,
        lambda: cached_document(report, "pdf", render_report_pdf),
        report_filename(report, "pdf"),
    )


def _xlsx(request, departement: str | None, year: int):
    report = _report(_area(request, departement), year)
    response = HttpResponse(cached_document(report, "xlsx", report_xlsx), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{report_filename(report, "xlsx")}"'
    return response


def national_pdf(request, year: int):
    return _pdf(request, None, year)


def national_xlsx(request, year: int):
    return _xlsx(request, None, year)


def departement_pdf(request, departement: str, year: int):
    return _pdf(request, departement, year)


def departement_xlsx(request, departement: str, year: int):
    return _xlsx(request, departement, year)
