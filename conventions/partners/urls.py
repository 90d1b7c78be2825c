from django.urls import path

from conventions.partners import importing, team, views

app_name = "partners"

urlpatterns = [
    path("", views.organisation_list, name="list"),
    path("nouvelle/", views.organisation_create, name="create"),
    *importing.organisation_imports.urls("", name="", template="modele-organisations"),
    path("<int:pk>/", views.organisation_detail, name="detail"),
    path("<int:pk>/modifier/", views.organisation_edit, name="edit"),
    path("<int:pk>/logo/", views.organisation_logo, name="logo"),
    path("<int:pk>/equipe/", team.team, name="team"),
    path("<int:pk>/equipe/inviter/", team.team_invite, name="team_invite"),
    *importing.team_imports.urls("<int:pk>/equipe/", name="team_", template="modele-invitations"),
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
