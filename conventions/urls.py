from django.urls import path, register_converter

from conventions.agreements import document_views as documents
from conventions.agreements import views as conventions
from conventions.deliberations import views as deliberations
from conventions.dossier import views as dossier
from conventions.entry import views as entry
from conventions.funding import views as funding
from conventions.lifecycle import views as lifecycle
from conventions.opendata import views as opendata
from conventions.parts import views as parts
from conventions.posts import importing as posts_importing
from conventions.posts import views as posts

app_name = "conventions"


class EditableFormat:
    """The editable formats of a document (config.core.office.FORMATS): docx or odt."""

    regex = "docx|odt"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(EditableFormat, "editable")

# Fixed prefixes come before "<slug:reference>/" so that no reference hides them.
urlpatterns = [
    path("", conventions.convention_list_view, name="list"),
    path("nouvelle/", entry.convention_create, name="create"),
    path(
        "nouvelle/a-partir-d-un-modele/",
        conventions.convention_create_from_view,
        name="create_from",
    ),
    path("postes/", posts.post_list, name="post_list"),
    path("postes/nouveau/", posts.post_create_view, name="post_create"),
    *posts_importing.post_imports.urls("postes/", name="posts_", template="modele-postes"),
    path("postes/<int:pk>/", posts.post_detail, name="post_detail"),
    path("postes/<int:pk>/modifier/", posts.post_edit, name="post_edit"),
    path(
        "postes/<int:pk>/titulaire/",
        posts.post_holder_change_view,
        name="post_holder_change",
    ),
    path("postes/<int:pk>/sites/", posts.post_sites_edit, name="post_sites"),
    path("deliberations/", deliberations.deliberation_list, name="deliberation_list"),
    path("deliberations/nouvelle/", deliberations.deliberation_create, name="deliberation_create"),
    path("deliberations/<int:pk>/", deliberations.deliberation_detail, name="deliberation_detail"),
    path("deliberations/<int:pk>/pdf/", deliberations.deliberation_pdf, name="deliberation_pdf"),
    path(
        "deliberations/<int:pk>/extrait.<editable:extension>",
        deliberations.deliberation_editable,
        name="deliberation_editable",
    ),
    path(
        "deliberations/<int:pk>/publier/",
        deliberations.deliberation_publish_view,
        name="deliberation_publish",
    ),
    path(
        "deliberations/<int:pk>/retirer-publication/",
        deliberations.deliberation_withdraw_view,
        name="deliberation_withdraw",
    ),
    path(
        "deliberations/<int:pk>/modifier/",
        deliberations.deliberation_edit,
        name="deliberation_edit",
    ),
    path(
        "deliberations/<int:pk>/presences/",
        deliberations.deliberation_attendance,
        name="deliberation_attendance",
    ),
    path("deliberations/conseils/", deliberations.council_list, name="council_list"),
    path("deliberations/conseils/<int:pk>/", deliberations.council_detail, name="council_detail"),
    path(
        "deliberations/conseils/membres/<int:pk>/modifier/",
        deliberations.council_member_edit,
        name="council_member_edit",
    ),
    path("financements/", funding.funding_overview, name="funding_overview"),
    path(
        "financements/departements/<str:departement>/",
        funding.departement_funding,
        name="departement_funding",
    ),
    path("financements/partenaires/<int:pk>/", funding.partner_funding, name="partner_funding"),
    path(
        "financements/versements/<int:pk>/justificatif/",
        funding.payment_proof,
        name="payment_proof",
    ),
    path(
        "financements/versements/<int:pk>/justificatifs/",
        funding.payment_proofs,
        name="payment_proofs",
    ),
    path(
        "financements/versements/<int:pk>/justificatifs/<int:version>/",
        funding.payment_proof_version,
        name="payment_proof_version",
    ),
    path(
        "financements/versements/<int:pk>/annuler/",
        funding.payment_cancel_view,
        name="payment_cancel",
    ),
    path(
        "financements/contributions/<int:pk>/modifier/",
        funding.contribution_update,
        name="contribution_update",
    ),
    path("financements/<slug:reference>/", funding.funding_plan_page, name="funding_plan"),
    path(
        "financements/<slug:reference>/financement.csv",
        funding.funding_plan_csv,
        name="funding_plan_csv",
    ),
    path(
        "financements/<slug:reference>/financement.xlsx",
        funding.funding_plan_xlsx,
        name="funding_plan_xlsx",
    ),
    path(
        "financements/<slug:reference>/versements.csv",
        funding.payments_csv_view,
        name="payments_csv",
    ),
    path(
        "financements/<slug:reference>/versements/nouveau/",
        funding.payment_create,
        name="payment_create",
    ),
    path(
        "financements/<slug:reference>/contributions/nouvelle/",
        funding.contribution_create,
        name="contribution_create",
    ),
    path(
        "financements/<slug:reference>/cout/<int:year>/",
        funding.post_cost_edit,
        name="post_cost_edit",
    ),
    path("donnees-ouvertes/", opendata.opendata, name="opendata"),
    path(
        "donnees-ouvertes/deliberations.csv",
        opendata.opendata_deliberations_csv,
        name="opendata_deliberations_csv",
    ),
    path(
        "donnees-ouvertes/subventions.csv",
        opendata.opendata_subsidies_csv,
        name="opendata_subsidies_csv",
    ),
    path("<slug:reference>/", conventions.convention_detail, name="detail"),
    path("<slug:reference>/modifier/", conventions.convention_edit, name="edit"),
    path("<slug:reference>/saisie/", entry.convention_entry_resume, name="entry_resume"),
    path(
        "<slug:reference>/saisie/recapitulatif/",
        entry.convention_entry_summary,
        name="entry_summary",
    ),
    path(
        "<slug:reference>/saisie/<slug:step>/",
        entry.convention_entry_step,
        name="entry_step",
    ),
    path("<slug:reference>/renouveler/", conventions.convention_renew_view, name="renew"),
    path("<slug:reference>/convention-signee/", conventions.convention_scan, name="scan"),
    path(
        "<slug:reference>/convention-signee/versions/<int:pk>/",
        conventions.convention_scan_version,
        name="scan_version",
    ),
    path(
        "<slug:reference>/convention-signee/deposer/",
        conventions.convention_upload_scan,
        name="upload_scan",
    ),
    path("<slug:reference>/suivi/", parts.convention_follow_up, name="follow_up"),
    path("<slug:reference>/annexes/", parts.convention_annexes, name="annexes"),
    path(
        "<slug:reference>/partenaires-associes/",
        parts.convention_associated_partners,
        name="associated_partners",
    ),
    path("<slug:reference>/pdf/", documents.convention_pdf, name="convention_pdf"),
    path("<slug:reference>/dossier.zip", dossier.convention_dossier, name="dossier"),
    path(
        "<slug:reference>/avenants/<int:number>/pdf/",
        documents.amendment_pdf,
        name="amendment_pdf",
    ),
    path(
        "<slug:reference>/convention.<editable:extension>",
        documents.convention_editable,
        name="convention_editable",
    ),
    path(
        "<slug:reference>/avenants/<int:number>/avenant.<editable:extension>",
        documents.amendment_editable,
        name="amendment_editable",
    ),
    path("<slug:reference>/historique/", lifecycle.lifecycle, name="lifecycle"),
    path(
        "<slug:reference>/texte-consolide/",
        lifecycle.consolidated_text,
        name="consolidated_text",
    ),
    path(
        "<slug:reference>/avenants/nouveau/",
        lifecycle.amendment_create_view,
        name="amendment_create",
    ),
    path(
        "<slug:reference>/avenants/<int:number>/",
        lifecycle.amendment_detail,
        name="amendment_detail",
    ),
    path("<slug:reference>/reconduction/", lifecycle.renewal_create, name="renewal_create"),
    path("<slug:reference>/denonciation/", lifecycle.terminate, name="terminate"),
    path("<slug:reference>/annulation/", lifecycle.cancel, name="cancel"),
]
