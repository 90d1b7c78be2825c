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
    path("postes/<int:post_id>/importer/", views.statistics_import, name="statistics_import"),
    path(
        "postes/<int:post_id>/importer/<str:token>/",
        views.statistics_import_preview,
        name="statistics_import_preview",
    ),
    path(
        "postes/<int:post_id>/modele-statistiques.xlsx",
        views.statistics_template_xlsx,
        name="statistics_template_xlsx",
    ),
    path(
        "postes/<int:post_id>/modele-statistiques.csv",
        views.statistics_template_csv,
        name="statistics_template_csv",
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
    path("bilans/national/<int:year>/", views.bilan_national, name="bilan_national"),
    path("bilans/national/<int:year>/t<int:quarter>/", views.bilan_national, name="bilan_national"),
]
