from django.urls import path

from conventions.partners import views

app_name = "partners"

urlpatterns = [
    path("", views.organisation_list, name="list"),
    path("nouvelle/", views.organisation_create, name="create"),
    path("<int:pk>/", views.organisation_detail, name="detail"),
    path("<int:pk>/modifier/", views.organisation_edit, name="edit"),
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
