"""Importing organisations and their representatives (like every change to the partner
registry, reserved to administrators), and an organisation's team as invitations:
upload, preview, confirmation, templates."""

from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from config.core.imports import (
    CREATE,
    ERROR,
    UNCHANGED,
    ImportFileError,
    ImportUploadForm,
    check_header,
    forget,
    stash,
    summary,
    summary_message,
    unstash,
)
from conventions.access import scope_for
from conventions.partners.team import team_organisation
from partners import imports, invitation_imports

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def partner_editor_required(view):
    """The registry of the whole country is imported by administrators only (a local
    authority creates and edits the organisations of its département one by one)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not scope_for(request.user).can_edit_partners:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


SUBJECT = "registre"  # one registry for the whole country


@partner_editor_required
@require_http_methods(["GET", "POST"])
def organisations_import(request):
    posted = request.method == "POST"
    form = ImportUploadForm(request.POST, request.FILES) if posted else ImportUploadForm()
    if posted and form.is_valid():
        table = form.cleaned_data["fichier"]
        try:
            check_header(table.header, imports.COLUMNS)
        except ImportFileError as error:
            form.add_error("fichier", error)
        else:
            token = stash(
                request.session,
                kind=imports.KIND,
                subject=SUBJECT,
                name=request.FILES["fichier"].name,
                table=table,
            )
            return redirect("partners:import_preview", token)
    return render(
        request,
        "partners/organisations_import.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


@partner_editor_required
@require_http_methods(["GET", "POST"])
def organisations_import_preview(request, token: str):
    kept = unstash(request.session, token, kind=imports.KIND, subject=SUBJECT)
    upload_url = reverse("partners:import")
    if kept is None:
        messages.error(
            request,
            "Cet import a déjà été confirmé, ou n'est plus disponible : déposez le fichier "
            "de nouveau.",
        )
        return redirect(upload_url)
    name, table = kept
    try:
        results = imports.check_rows(table=table)
    except ImportFileError as error:
        forget(request.session, token)
        messages.error(request, error.message)
        return redirect(upload_url)
    counts = summary(results)
    if request.method == "POST" and not counts[ERROR]:
        counts = imports.organisations_import(results=results)
        forget(request.session, token)
        messages.success(request, f"Import de « {name} » terminé : {summary_message(counts)}")
        return redirect("partners:list")
    context = {
        "name": name,
        "results": results,
        "counts": counts,
        "upload_url": upload_url,
        "refused": request.method == "POST",
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "partners/organisations_import_preview.html", context, status=status)


def _attachment(content: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@partner_editor_required
@require_GET
def organisations_template_xlsx(request):
    return _attachment(imports.template_xlsx(), "modele-organisations.xlsx", XLSX)


@partner_editor_required
@require_GET
def organisations_template_csv(request):
    return _attachment(
        imports.template_csv(), "modele-organisations.csv", "text/csv; charset=utf-8"
    )


# An organisation's team, invited from a file: whoever manages the team (the national
# administrator, the organisation's referent); anybody else gets 404, as on the team page.


@require_http_methods(["GET", "POST"])
def team_import(request, pk):
    organisation = team_organisation(request, pk)
    posted = request.method == "POST"
    form = ImportUploadForm(request.POST, request.FILES) if posted else ImportUploadForm()
    if posted and form.is_valid():
        table = form.cleaned_data["fichier"]
        try:
            check_header(table.header, invitation_imports.COLUMNS)
        except ImportFileError as error:
            form.add_error("fichier", error)
        else:
            token = stash(
                request.session,
                kind=invitation_imports.KIND,
                subject=str(organisation.pk),
                name=request.FILES["fichier"].name,
                table=table,
            )
            return redirect("partners:team_import_preview", organisation.pk, token)
    return render(
        request,
        "partners/team_import.html",
        {"organisation": organisation, "form": form},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
def team_import_preview(request, pk, token: str):
    organisation = team_organisation(request, pk)
    kept = unstash(
        request.session, token, kind=invitation_imports.KIND, subject=str(organisation.pk)
    )
    upload_url = reverse("partners:team_import", args=[organisation.pk])
    if kept is None:
        messages.error(
            request,
            "Cet import a déjà été confirmé, ou n'est plus disponible : déposez le fichier "
            "de nouveau.",
        )
        return redirect(upload_url)
    name, table = kept
    checked = {"organisation": organisation, "by": request.user}
    try:
        results = invitation_imports.check_rows(table=table, **checked)
    except ImportFileError as error:
        forget(request.session, token)
        messages.error(request, error.message)
        return redirect(upload_url)
    counts = summary(results)
    if request.method == "POST" and not counts[ERROR]:
        counts = invitation_imports.invitations_import(results=results, **checked)
        forget(request.session, token)
        messages.success(
            request,
            f"Import de « {name} » terminé : {counts[CREATE]} invitation"
            f"{'s' if counts[CREATE] > 1 else ''} envoyée{'s' if counts[CREATE] > 1 else ''}, "
            f"{counts[UNCHANGED]} compte{'s' if counts[UNCHANGED] > 1 else ''} déjà "
            f"existant{'s' if counts[UNCHANGED] > 1 else ''}.",
        )
        return redirect("partners:team", pk=organisation.pk)
    context = {
        "organisation": organisation,
        "name": name,
        "results": results,
        "counts": counts,
        "upload_url": upload_url,
        "refused": request.method == "POST",
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "partners/team_import_preview.html", context, status=status)


@require_GET
def team_template_xlsx(request, pk):
    organisation = team_organisation(request, pk)
    return _attachment(
        invitation_imports.template_xlsx(organisation), "modele-invitations.xlsx", XLSX
    )


@require_GET
def team_template_csv(request, pk):
    organisation = team_organisation(request, pk)
    return _attachment(
        invitation_imports.template_csv(organisation),
        "modele-invitations.csv",
        "text/csv; charset=utf-8",
    )
