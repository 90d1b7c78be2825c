"""Importing organisations and their representatives (like every change to the partner
registry, reserved to administrators), and an organisation's team as invitations. The
pages are config.jobs.import_views'; here, what each import is."""

from django.core.exceptions import PermissionDenied
from django.urls import reverse

from config.core.imports import CREATE, UNCHANGED
from config.jobs.import_views import NO_LONGER_ALLOWED, SpreadsheetImport
from config.jobs.runs import Refused
from conventions.access import scope_for
from conventions.partners.team import team_organisation
from partners import imports, invitation_imports
from partners.models import Organisation


class OrganisationsImport(SpreadsheetImport):
    kind = imports.KIND
    upload_url_name = "partners:import"
    preview_url_name = "partners:import_preview"
    upload_template = "partners/organisations_import.html"
    preview_heading = "Vérifier l'import des organisations"
    subject_label = "Organisation"
    template_name = "modele-organisations"

    def subject(self, request):
        # The registry of the whole country is imported by administrators only (a local
        # authority creates and edits the organisations of its département one by one).
        if not scope_for(request.user).can_edit_partners:
            raise PermissionDenied
        return None  # one registry for the whole country

    def subject_of(self, user, key):
        if not scope_for(user).can_edit_partners:
            raise Refused(NO_LONGER_ALLOWED)

    def columns(self):
        return imports.COLUMNS

    def check(self, user, subject, table):
        return imports.check_rows(table=table)

    def write(self, user, subject, results):
        return imports.organisations_import(results=results)

    def success_url(self, subject) -> str:
        return reverse("partners:list")

    def breadcrumbs(self, subject, upload_url):
        return [
            ("Partenaires", reverse("partners:list")),
            ("Importer des organisations", upload_url),
        ]

    def template_xlsx(self, subject) -> bytes:
        return imports.template_xlsx()

    def template_csv(self, subject) -> bytes:
        return imports.template_csv()


class TeamImport(SpreadsheetImport):
    """An organisation's team, invited from a file: whoever manages the team (the national
    administrator, the organisation's referent); anybody else gets 404, as on the team
    page."""

    kind = invitation_imports.KIND
    upload_url_name = "partners:team_import"
    preview_url_name = "partners:team_import_preview"
    upload_template = "partners/team_import.html"
    preview_heading = "Vérifier les invitations à importer"
    subject_label = "Courriel"
    confirm_label = "Envoyer les invitations"
    template_name = "modele-invitations"

    def subject(self, request, pk):
        return team_organisation(request, pk)

    def subject_of(self, user, key):
        organisation = Organisation.objects.filter(pk=key).first()
        if organisation is None or not scope_for(user).can_manage_team(organisation):
            raise Refused(NO_LONGER_ALLOWED)
        return organisation

    def context(self, subject) -> dict:
        return {"organisation": subject}

    def columns(self):
        return invitation_imports.COLUMNS

    def check(self, user, subject, table):
        return invitation_imports.check_rows(table=table, organisation=subject, by=user)

    def write(self, user, subject, results):
        return invitation_imports.invitations_import(results=results, organisation=subject, by=user)

    def success_message(self, name, counts) -> str:
        invited, existing = counts[CREATE], counts[UNCHANGED]
        return (
            f"Import de « {name} » terminé : {invited} invitation"
            f"{'s' if invited > 1 else ''} envoyée{'s' if invited > 1 else ''}, "
            f"{existing} compte{'s' if existing > 1 else ''} déjà "
            f"existant{'s' if existing > 1 else ''}."
        )

    def success_url(self, subject) -> str:
        return reverse("partners:team", kwargs={"pk": subject.pk})

    def breadcrumbs(self, subject, upload_url):
        team_url = reverse("partners:team", args=[subject.pk])
        return [(f"Équipe de {subject}", team_url), ("Importer des invitations", upload_url)]

    def template_xlsx(self, subject) -> bytes:
        return invitation_imports.template_xlsx(subject)

    def template_csv(self, subject) -> bytes:
        return invitation_imports.template_csv(subject)


organisation_imports = OrganisationsImport().views()
team_imports = TeamImport().views()
