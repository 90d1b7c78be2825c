"""Importing posts and their sites. Posts are created by the national administrators (no
other page creates one). The pages are config.jobs.import_views'."""

from django.core.exceptions import PermissionDenied
from django.urls import reverse

from config.jobs.import_views import NO_LONGER_ALLOWED, SpreadsheetImport
from config.jobs.runs import Refused
from conventions.access import scope_for
from conventions.posts import imports


class PostsImport(SpreadsheetImport):
    kind = imports.KIND
    upload_url_name = "conventions:posts_import"
    preview_url_name = "conventions:posts_import_preview"
    upload_template = "conventions/posts_import.html"
    preview_heading = "Vérifier l'import des postes"
    subject_label = "Poste — site"
    template_name = "modele-postes"

    def subject(self, request):
        if not scope_for(request.user).is_admin:
            raise PermissionDenied
        return None  # every post of the country

    def subject_of(self, user, key):
        if not scope_for(user).is_admin:
            raise Refused(NO_LONGER_ALLOWED)

    def columns(self):
        return imports.COLUMNS

    def check(self, user, subject, table):
        return imports.check_rows(table=table)

    def write(self, user, subject, results):
        return imports.posts_import(results=results)

    def success_url(self, subject) -> str:
        return reverse("conventions:post_list")

    def breadcrumbs(self, subject, upload_url):
        return [("Postes", reverse("conventions:post_list")), ("Importer des postes", upload_url)]

    def template_xlsx(self, subject) -> bytes:
        return imports.template_xlsx()

    def template_csv(self, subject) -> bytes:
        return imports.template_csv()


post_imports = PostsImport().views()
