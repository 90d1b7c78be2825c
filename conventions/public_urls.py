"""The public addresses (no login): published deliberations and the SCDL files.

Each view here is marked ``login_not_required``; the login middleware lets exactly
these through (tests/security/test_access_matrix.py).
"""

from django.urls import path

from conventions import public

app_name = "public"

urlpatterns = [
    path(
        "organisations/<int:pk>/deliberations/",
        public.organisation_deliberations,
        name="organisation_deliberations",
    ),
    path(
        "organisations/<int:pk>/deliberations.csv",
        public.deliberations_csv,
        name="deliberations_csv",
    ),
    path("organisations/<int:pk>/subventions.csv", public.subsidies_csv, name="subsidies_csv"),
    path(
        "deliberations/<uuid:public_id>.pdf",
        public.deliberation_pdf,
        name="deliberation_pdf",
    ),
]
