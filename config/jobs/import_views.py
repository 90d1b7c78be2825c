"""The pages of every import, once: upload, preview and confirmation, and the templates.

An import kind (organisations, posts, a team's invitations, a post's statistics…)
subclasses ``SpreadsheetImport`` and says only what is its own: whose import it is and
who may run it (``subject``, which goes through the user's scope and raises 403 or 404),
its columns, its check and its write, its pages' wording and where a confirmed import
leads. ``views()`` gives the view functions its URLs name. The reading side (files,
header, session) is ``config.core.imports``.

A confirmed import is written by a worker (``config.jobs.runs``): up to 5 000 rows, each
through the services of the forms, do not hold a request. The worker checks the cells
again against the database as it is then, and writes every row or none.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.views.decorators.http import require_GET, require_http_methods

from config.core.imports import (
    ERROR,
    Column,
    ImportFileError,
    ImportUploadForm,
    RowResult,
    Table,
    check_header,
    forget,
    stash,
    summary,
    summary_message,
    unstash,
)
from config.jobs.models import Run
from config.jobs.runs import Background, Outcome, Refused, run_redirect, run_start

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV = "text/csv; charset=utf-8"
GONE = "Cet import a déjà été confirmé, ou n'est plus disponible : déposez le fichier de nouveau."
NO_LONGER_ALLOWED = "Rien n'a été importé : vous n'avez plus le droit de faire cet import."
CHANGED = (
    "Rien n'a été importé : depuis votre vérification, {errors} ligne(s) ne peuvent plus "
    "l'être (les données ont changé entre-temps). Déposez le fichier de nouveau pour voir "
    "lesquelles."
)


@dataclass(frozen=True)
class ImportViews:
    upload: Callable
    preview: Callable
    template_xlsx: Callable
    template_csv: Callable

    def urls(self, route: str, *, name: str, template: str) -> list:
        """The four URLs of an import below ``route``, named ``{name}import``,
        ``{name}import_preview``, ``{name}template_xlsx`` and ``{name}template_csv``."""
        return [
            path(f"{route}importer/", self.upload, name=f"{name}import"),
            path(f"{route}importer/<str:token>/", self.preview, name=f"{name}import_preview"),
            path(f"{route}{template}.xlsx", self.template_xlsx, name=f"{name}template_xlsx"),
            path(f"{route}{template}.csv", self.template_csv, name=f"{name}template_csv"),
        ]


class SpreadsheetImport(Background):
    kind: str  # the key of its files in the session (config.core.imports.stash)
    upload_url_name: str
    preview_url_name: str
    upload_template: str
    preview_template = "imports/preview.html"  # its blocks let a kind extend it
    # The preview page's wording.
    preview_heading: str
    subject_label: str  # the heading of the column that says what each row is about
    confirm_label = "Confirmer l'import"
    template_name: str  # of the downloadable templates, without the extension

    # What each kind says of itself ---------------------------------------------------

    def subject(self, request, **url_kwargs) -> Any:
        """What the import is about (a post, an organisation), from the user's scope, or
        None for an import about the whole country (the registry, the posts); raises
        PermissionDenied or Http404 for anybody who may not run it."""
        raise NotImplementedError

    def subject_key(self, subject) -> str:
        """Ties a kept file to its subject: a token of a post is nothing on another."""
        return self.kind if subject is None else str(subject.pk)

    def subject_of(self, user, key: str) -> Any:
        """The subject again, in the worker, from its key and the user's scope as it is
        then; raises ``Refused`` if the user may no longer run the import."""
        raise NotImplementedError

    def url_args(self, subject) -> list:
        return [] if subject is None else [subject.pk]

    def context(self, subject) -> dict:
        """What the kind's templates read, besides the form and the rows."""
        return {}

    def columns(self) -> list[Column]:
        raise NotImplementedError

    def check(self, user, subject, table: Table) -> list[RowResult]:
        raise NotImplementedError

    def write(self, user, subject, results: list[RowResult]) -> dict[str, int]:
        """Writes every row in one transaction; returns the counts of the message."""
        raise NotImplementedError

    def success_message(self, name: str, counts: dict[str, int]) -> str:
        return f"Import de « {name} » terminé : {summary_message(counts)}"

    def success_url(self, subject) -> str:
        raise NotImplementedError

    def preview_title(self, subject) -> str:
        return self.preview_heading

    def lead(self, subject) -> str:
        return ""

    def breadcrumbs(self, subject, upload_url: str) -> list[tuple[str, str]]:
        raise NotImplementedError

    def template_filename(self, subject) -> str:
        return self.template_name

    def template_xlsx(self, subject) -> bytes:
        raise NotImplementedError

    def template_csv(self, subject) -> bytes:
        raise NotImplementedError

    # The pages -----------------------------------------------------------------------

    def upload(self, request, **url_kwargs):
        subject = self.subject(request, **url_kwargs)
        posted = request.method == "POST"
        form = ImportUploadForm(request.POST, request.FILES) if posted else ImportUploadForm()
        if posted and form.is_valid():
            table = form.cleaned_data["fichier"]
            try:
                check_header(table.header, self.columns())
            except ImportFileError as error:
                form.add_error("fichier", error)
            else:
                token = stash(
                    request.session,
                    kind=self.kind,
                    subject=self.subject_key(subject),
                    name=request.FILES["fichier"].name,
                    table=table,
                )
                return redirect(self.preview_url_name, *self.url_args(subject), token)
        return render(
            request,
            self.upload_template,
            {**self.context(subject), "form": form},
            status=400 if form.errors else 200,
        )

    def preview(self, request, token: str, **url_kwargs):
        subject = self.subject(request, **url_kwargs)
        kept = unstash(request.session, token, kind=self.kind, subject=self.subject_key(subject))
        upload_url = reverse(self.upload_url_name, args=self.url_args(subject))
        if kept is None:
            messages.error(request, GONE)
            return redirect(upload_url)
        name, table = kept
        try:
            results = self.check(request.user, subject, table)
        except ImportFileError as error:
            forget(request.session, token)
            messages.error(request, error.message)
            return redirect(upload_url)
        counts = summary(results)
        posted = request.method == "POST"
        if posted and not counts[ERROR]:
            run = run_start(
                user=request.user,
                handler=self,
                # Two confirmations of one file (a double click, two tabs) are one run.
                key=f"import:{token}",
                label=f"Import de « {name} »",
                subject=self.subject_key(subject),
                params={"name": name, "header": table.header, "rows": table.rows},
                back_url=upload_url,
            )
            forget(request.session, token)
            return run_redirect(request, run)
        context = {
            **self.context(subject),
            "name": name,
            "results": results,
            "counts": counts,
            "upload_url": upload_url,
            "refused": posted,
            "title": self.preview_title(subject),
            "heading": self.preview_heading,
            "lead": self.lead(subject),
            "breadcrumbs": self.breadcrumbs(subject, upload_url),
            "subject_label": self.subject_label,
            "confirm_label": self.confirm_label,
        }
        return render(request, self.preview_template, context, status=400 if posted else 200)

    # In the worker ---------------------------------------------------------------------

    def perform(self, run: Run) -> Outcome:
        subject = self.subject_of(run.user, run.subject)
        params = run.params
        rows = [(line, list(cells)) for line, cells in params["rows"]]
        results = self.check(run.user, subject, Table(header=params["header"], rows=rows))
        errors = summary(results)[ERROR]
        if errors:
            raise Refused(CHANGED.format(errors=errors))
        counts = self.write(run.user, subject, results)
        return Outcome(self.success_message(params["name"], counts), self.success_url(subject))

    def template(self, request, extension: str, **url_kwargs):
        subject = self.subject(request, **url_kwargs)
        if extension == "xlsx":
            content, content_type = self.template_xlsx(subject), XLSX
        else:
            content, content_type = self.template_csv(subject), CSV
        response = HttpResponse(content, content_type=content_type)
        filename = f"{self.template_filename(subject)}.{extension}"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response

    def views(self) -> ImportViews:
        def upload(request, **url_kwargs):
            return self.upload(request, **url_kwargs)

        def preview(request, token, **url_kwargs):
            return self.preview(request, token, **url_kwargs)

        def template_xlsx(request, **url_kwargs):
            return self.template(request, "xlsx", **url_kwargs)

        def template_csv(request, **url_kwargs):
            return self.template(request, "csv", **url_kwargs)

        return ImportViews(
            upload=require_http_methods(["GET", "POST"])(upload),
            preview=require_http_methods(["GET", "POST"])(preview),
            template_xlsx=require_GET(template_xlsx),
            template_csv=require_GET(template_csv),
        )
