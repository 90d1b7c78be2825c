"""Downloads of a bilan: XLSX and CSV for any scope and period, the annual PDF of a post."""

from django import forms
from django.http import Http404, HttpResponse
from django.utils.text import slugify
from django.views.decorators.http import require_GET

from activity.bilans import Period, build_bilan
from activity.exports import bilan_csv, bilan_xlsx
from activity.pdf import post_bilan_pdf
from activity.views.bilans import departement_scope, national_scope, post_scope
from activity.views.common import check_period
from config.core.documents import pdf_response


class ExportForm(forms.Form):
    annee = forms.IntegerField(min_value=2000, max_value=2100)
    trimestre = forms.IntegerField(min_value=1, max_value=4, required=False)
    poste = forms.IntegerField(min_value=1, required=False)
    departement = forms.CharField(max_length=3, required=False)


def _bilan(request):
    form = ExportForm(request.GET)
    if not form.is_valid():
        raise Http404("Paramètres d'export invalides.")
    data = form.cleaned_data
    if data["poste"]:
        scope, validated_only = post_scope(request, data["poste"])
    elif data["departement"]:
        scope, validated_only = departement_scope(request, data["departement"])
    else:
        scope, validated_only = national_scope(request)
    return build_bilan(
        scope, Period(data["annee"], data["trimestre"]), validated_only=validated_only
    )


def _filename(bilan, extension):
    return f"bilan-{slugify(bilan.scope.label)}-{bilan.period.slug}.{extension}"


@require_GET
def export_xlsx(request):
    bilan = _bilan(request)
    response = HttpResponse(
        bilan_xlsx(bilan),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{_filename(bilan, "xlsx")}"'
    return response


@require_GET
def export_csv(request):
    bilan = _bilan(request)
    response = HttpResponse(bilan_csv(bilan), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename(bilan, "csv")}"'
    return response


@require_GET
def bilan_pdf(request, post_id: int, year: int):
    check_period(year)
    scope, validated_only = post_scope(request, post_id)
    return pdf_response(
        request,
        lambda: post_bilan_pdf(scope.post, year, validated_only=validated_only),
        f"bilan-{slugify(scope.label)}-{Period(year).slug}.pdf",
    )
