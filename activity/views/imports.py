"""Importing past monthly statistics of a post: upload, preview, confirmation, templates.

Whoever may enter the post's figures may import them (``rules.Permissions``); the
post comes from the user's scope (404 otherwise). The file's cells are kept in the
session under a token between the preview and the confirmation (``config.core.imports``).
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.views.decorators.http import require_GET, require_http_methods

from activity import imports
from activity.rules import permissions
from activity.views.common import scoped_post
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

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _importing_post(request, post_id):
    post = scoped_post(request, post_id)
    if permissions(request.user, post).capacity is None:
        raise PermissionDenied
    return post


@require_http_methods(["GET", "POST"])
def statistics_import(request, post_id: int):
    post = _importing_post(request, post_id)
    posted = request.method == "POST"
    form = ImportUploadForm(request.POST, request.FILES) if posted else ImportUploadForm()
    if posted and form.is_valid():
        table = form.cleaned_data["fichier"]
        try:
            check_header(table.header, imports.columns())
        except ImportFileError as error:
            form.add_error("fichier", error)
        else:
            token = stash(
                request.session,
                kind=imports.KIND,
                subject=str(post.pk),
                name=request.FILES["fichier"].name,
                table=table,
            )
            return redirect("activity:statistics_import_preview", post.pk, token)
    context = {"post": post, "form": form}
    return render(
        request, "activity/statistics_import.html", context, status=400 if form.errors else 200
    )


@require_http_methods(["GET", "POST"])
def statistics_import_preview(request, post_id: int, token: str):
    post = _importing_post(request, post_id)
    kept = unstash(request.session, token, kind=imports.KIND, subject=str(post.pk))
    upload_url = reverse("activity:statistics_import", args=[post.pk])
    if kept is None:
        messages.error(
            request,
            "Cet import a déjà été confirmé, ou n'est plus disponible : déposez le fichier "
            "de nouveau.",
        )
        return redirect(upload_url)
    name, table = kept
    try:
        results = imports.check_rows(post=post, user=request.user, table=table)
    except ImportFileError as error:
        forget(request.session, token)
        messages.error(request, error.message)
        return redirect(upload_url)
    counts = summary(results)
    if request.method == "POST" and not counts[ERROR]:
        imports.statistics_import(post=post, user=request.user, results=results)
        forget(request.session, token)
        messages.success(
            request,
            f"Import de « {name} » terminé : {summary_message(counts)} Les trimestres "
            "importés sont des brouillons, à transmettre comme une saisie.",
        )
        return redirect(upload_url)
    context = {
        "post": post,
        "name": name,
        "results": results,
        "counts": counts,
        "upload_url": upload_url,
        "refused": request.method == "POST",
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "activity/statistics_import_preview.html", context, status=status)


def _template_response(post, content: bytes, extension: str, content_type: str):
    response = HttpResponse(content, content_type=content_type)
    filename = f"modele-statistiques-{slugify(post.name)}.{extension}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_GET
def statistics_template_xlsx(request, post_id: int):
    post = _importing_post(request, post_id)
    return _template_response(post, imports.template_xlsx(post), "xlsx", XLSX)


@require_GET
def statistics_template_csv(request, post_id: int):
    post = _importing_post(request, post_id)
    return _template_response(post, imports.template_csv(post), "csv", "text/csv; charset=utf-8")
