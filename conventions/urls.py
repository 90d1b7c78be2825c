from django.urls import path

from .views import funding

app_name = "conventions"

urlpatterns = [
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
        "financements/versements/<int:pk>/supprimer/",
        funding.payment_delete_view,
        name="payment_delete",
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
]
