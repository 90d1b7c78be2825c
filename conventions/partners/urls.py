from django.urls import path

from conventions.partners import importing, team, views

app_name = "partners"

urlpatterns = [
    path("", views.organisation_list, name="list"),
    path("nouvelle/", views.organisation_create, name="create"),
    path("importer/", importing.organisations_import, name="import"),
    path(
        "importer/<str:token>/",
        importing.organisations_import_preview,
        name="import_preview",
    ),
    path("modele-organisations.xlsx", importing.organisations_template_xlsx, name="template_xlsx"),
    path("modele-organisations.csv", importing.organisations_template_csv, name="template_csv"),
    path("<int:pk>/", views.organisation_detail, name="detail"),
    path("<int:pk>/modifier/", views.organisation_edit, name="edit"),
    path("<int:pk>/equipe/", team.team, name="team"),
    path("<int:pk>/equipe/inviter/", team.team_invite, name="team_invite"),
    path("<int:pk>/equipe/importer/", importing.team_import, name="team_import"),
    path(
        "<int:pk>/equipe/importer/<str:token>/",
        importing.team_import_preview,
        name="team_import_preview",
    ),
    path(
        "<int:pk>/equipe/modele-invitations.xlsx",
        importing.team_template_xlsx,
        name="team_template_xlsx",
    ),
    path(
        "<int:pk>/equipe/modele-invitations.csv",
        importing.team_template_csv,
        name="team_template_csv",
    ),
    path(
        "<int:pk>/equipe/<int:user_pk>/<slug:action>/",
        team.team_member_action,
        name="team_member_action",
    ),
    path(
        "<int:pk>/representants/nouveau/",
        views.representative_create,
        name="representative_create",
    ),
    path(
        "<int:pk>/representants/<int:representative_pk>/modifier/",
        views.representative_edit,
        name="representative_edit",
    ),
]
