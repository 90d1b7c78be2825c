"""Importing past monthly statistics of a post.

Whoever may enter the post's figures may import them (``rules.Permissions``); the
post comes from the user's scope (404 otherwise). The pages are those of every import
(``config.jobs.import_views``).
"""

from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.text import slugify

from activity import imports
from activity.rules import permissions
from activity.views.common import entry_posts, scoped_post
from config.core.imports import summary
from config.jobs.import_views import NO_LONGER_ALLOWED, SpreadsheetImport
from config.jobs.runs import Refused


class StatisticsImport(SpreadsheetImport):
    kind = imports.KIND
    upload_url_name = "activity:statistics_import"
    preview_url_name = "activity:statistics_import_preview"
    upload_template = "activity/statistics_import.html"
    preview_heading = "Vérifier l'import des statistiques"
    subject_label = "Mois"

    def subject(self, request, post_id):
        post = scoped_post(request, post_id)
        if permissions(request.user, post).capacity is None:
            raise PermissionDenied
        return post

    def subject_of(self, user, key):
        post = entry_posts(user).filter(pk=key).first()
        if post is None or permissions(user, post).capacity is None:
            raise Refused(NO_LONGER_ALLOWED)
        return post

    def context(self, subject) -> dict:
        return {"post": subject}

    def columns(self):
        return imports.columns()

    def check(self, user, subject, table):
        return imports.check_rows(post=subject, user=user, table=table)

    def write(self, user, subject, results):
        imports.statistics_import(post=subject, user=user, results=results)
        return summary(results)

    def success_message(self, name, counts) -> str:
        return (
            super().success_message(name, counts)
            + " Les trimestres importés sont des brouillons, à transmettre comme une saisie."
        )

    def success_url(self, subject) -> str:
        return reverse(self.upload_url_name, args=[subject.pk])

    def preview_title(self, subject) -> str:
        return f"Vérifier l'import — {subject.name}"

    def lead(self, subject) -> str:
        return subject.name

    def breadcrumbs(self, subject, upload_url):
        return [
            ("Statistiques d'activité", reverse("activity:home")),
            ("Importer des statistiques", upload_url),
        ]

    def template_filename(self, subject) -> str:
        return f"modele-statistiques-{slugify(subject.name)}"

    def template_xlsx(self, subject) -> bytes:
        return imports.template_xlsx(subject)

    def template_csv(self, subject) -> bytes:
        return imports.template_csv(subject)


statistics_imports = StatisticsImport().views()
