"""Importing posts and their sites: upload, preview, confirmation, templates. Posts are
created by the national administrators (no other page creates one)."""

from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from config.core.imports import (
    ERROR,
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
from conventions.posts import imports

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SUBJECT = "postes"  # every post of the country


def administrator_required(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not scope_for(request.user).is_admin:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


@administrator_required
@require_http_methods(["GET", "POST"])
def posts_import(request):
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
            return redirect("conventions:posts_import_preview", token)
    return render(
        request,
        "conventions/posts_import.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


@administrator_required
@require_http_methods(["GET", "POST"])
def posts_import_preview(request, token: str):
    kept = unstash(request.session, token, kind=imports.KIND, subject=SUBJECT)
    upload_url = reverse("conventions:posts_import")
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
        counts = imports.posts_import(results=results)
        forget(request.session, token)
        messages.success(request, f"Import de « {name} » terminé : {summary_message(counts)}")
        return redirect("conventions:post_list")
    context = {
        "name": name,
        "results": results,
        "counts": counts,
        "upload_url": upload_url,
        "refused": request.method == "POST",
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "conventions/posts_import_preview.html", context, status=status)


def _attachment(content: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@administrator_required
@require_GET
def posts_template_xlsx(request):
    return _attachment(imports.template_xlsx(), "modele-postes.xlsx", XLSX)


@administrator_required
@require_GET
def posts_template_csv(request):
    return _attachment(imports.template_csv(), "modele-postes.csv", "text/csv; charset=utf-8")
