"""Downloads of a bilan: XLSX and CSV for a post or a département, the annual PDF of a
post; the national bilan's file, made by a worker (``NationalBilanExport``): every post of
the country does not hold a request."""

import uuid

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.text import slugify
from django.views.decorators.http import require_GET, require_POST

from activity.bilans import Period, build_bilan
from activity.exports import bilan_csv, bilan_xlsx
from activity.forms import NationalExportForm
from activity.pdf import post_bilan_pdf
from activity.views.bilans import departement_scope, national_scope, national_scope_of, post_scope
from activity.views.common import check_period
from config.core.documents import pdf_response
from config.core.idempotency import submitted_once
from config.jobs.runs import Background, Outcome, Refused, run_redirect, run_start

WRITERS = {"xlsx": bilan_xlsx, "csv": bilan_csv}
NATIONAL_EXPORT_MESSAGE = (
    "L'export du bilan national se prépare sur le serveur : choisissez « Préparer "
    "l'export » sur cette page, puis téléchargez le fichier quand il est prêt."
)


class ExportForm(forms.Form):
    annee = forms.IntegerField(min_value=2000, max_value=2100)
    trimestre = forms.IntegerField(min_value=1, max_value=4, required=False)
    poste = forms.IntegerField(min_value=1, required=False)
    departement = forms.CharField(max_length=3, required=False)


class NationalExportRequired(Exception):
    def __init__(self, period):
        self.period = period


def _bilan(request):
    form = ExportForm(request.GET)
    if not form.is_valid():
        raise Http404("Paramètres d'export invalides.")
    data = form.cleaned_data
    period = Period(data["annee"], data["trimestre"])
    if data["poste"]:
        scope, validated_only = post_scope(request, data["poste"])
    elif data["departement"]:
        scope, validated_only = departement_scope(request, data["departement"])
    else:
        national_scope(request)  # 403 for anybody who may not read it
        raise NationalExportRequired(period)
    return build_bilan(scope, period, validated_only=validated_only)


def _national_url(period) -> str:
    args = [period.year] + ([period.quarter] if period.quarter else [])
    return reverse("activity:bilan_national", args=args)


def _national_page(request, period):
    messages.info(request, NATIONAL_EXPORT_MESSAGE)
    return redirect(_national_url(period))


def _filename(bilan, extension):
    return f"bilan-{slugify(bilan.scope.label)}-{bilan.period.slug}.{extension}"


@require_GET
def export_xlsx(request):
    try:
        bilan = _bilan(request)
    except NationalExportRequired as national:
        return _national_page(request, national.period)
    response = HttpResponse(
        bilan_xlsx(bilan),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{_filename(bilan, "xlsx")}"'
    return response


@require_GET
def export_csv(request):
    try:
        bilan = _bilan(request)
    except NationalExportRequired as national:
        return _national_page(request, national.period)
    response = HttpResponse(bilan_csv(bilan), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename(bilan, "csv")}"'
    return response


class NationalBilanExport(Background):
    """The national bilan of a period as a spreadsheet, for whoever asked (validated
    quarters only for the national steering, as on the page)."""

    def perform(self, run):
        try:
            scope, validated_only = national_scope_of(run.user)
        except PermissionDenied as error:
            raise Refused("Vous n'avez plus accès au bilan national.") from error
        params = run.params
        bilan = build_bilan(
            scope, Period(params["annee"], params["trimestre"]), validated_only=validated_only
        )
        extension = params["format"]
        return Outcome(
            message=f"Le fichier du bilan national ({bilan.period.label}) est prêt.",
            file_name=_filename(bilan, extension),
            content=WRITERS[extension](bilan),
        )


@require_POST
@submitted_once
def export_national(request):
    national_scope(request)  # 403 for anybody who may not read it
    form = NationalExportForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest("Paramètres d'export invalides.")
    data = form.cleaned_data
    period = Period(data["annee"], data["trimestre"])
    run = run_start(
        user=request.user,
        handler=NationalBilanExport(),
        key=f"export:{uuid.uuid4()}",
        label=f"Bilan national — {period.label} ({data['format'].upper()})",
        params={"annee": period.year, "trimestre": period.quarter, "format": data["format"]},
        back_url=_national_url(period),
    )
    return run_redirect(request, run)


@require_GET
def bilan_pdf(request, post_id: int, year: int):
    check_period(year)
    scope, validated_only = post_scope(request, post_id)
    return pdf_response(
        request,
        lambda: post_bilan_pdf(scope.post, year, validated_only=validated_only),
        f"bilan-{slugify(scope.label)}-{Period(year).slug}.pdf",
    )
