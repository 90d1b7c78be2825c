from django.urls import path

from activity import views

app_name = "activity"

POST_QUARTER = "postes/<int:post_id>/<int:year>/t<int:quarter>/"

urlpatterns = [
    path("", views.home, name="home"),
    path("tableau/", views.status_board, name="status_board"),
    path(f"{POST_QUARTER}saisie/", views.quarter_entry, name="quarter_entry"),
    path(f"{POST_QUARTER}transmettre/", views.quarter_submit_view, name="quarter_submit"),
    path(f"{POST_QUARTER}valider/", views.quarter_validate_view, name="quarter_validate"),
    path(f"{POST_QUARTER}rouvrir/", views.quarter_reopen_view, name="quarter_reopen"),
    path(
        "postes/<int:post_id>/<int:year>/mois-<int:month>/saisie/",
        views.month_entry,
        name="month_entry",
    ),
    *views.statistics_imports.urls(
        "postes/<int:post_id>/", name="statistics_", template="modele-statistiques"
    ),
    path(
        "postes/<int:post_id>/<int:year>/valider-l-annee/",
        views.annual_validate_view,
        name="annual_validate",
    ),
    path("bilans/postes/<int:post_id>/<int:year>/", views.bilan_post, name="bilan_post"),
    path(
        "bilans/postes/<int:post_id>/<int:year>/t<int:quarter>/",
        views.bilan_post,
        name="bilan_post",
    ),
    path(
        "bilans/departements/<str:departement>/<int:year>/",
        views.bilan_departement,
        name="bilan_departement",
    ),
    path(
        "bilans/departements/<str:departement>/<int:year>/t<int:quarter>/",
        views.bilan_departement,
        name="bilan_departement",
    ),
    path("bilans/postes/<int:post_id>/<int:year>/pdf/", views.bilan_pdf, name="bilan_pdf"),
    path("bilans/export.xlsx", views.export_xlsx, name="export_xlsx"),
    path("bilans/export.csv", views.export_csv, name="export_csv"),
    path("bilans/export-national/", views.export_national, name="export_national"),
    path("bilans/national/<int:year>/", views.bilan_national, name="bilan_national"),
    path("bilans/national/<int:year>/t<int:quarter>/", views.bilan_national, name="bilan_national"),
]
