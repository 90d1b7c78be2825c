from django.urls import path

from config.steering import targets, views

app_name = "steering"

urlpatterns = [
    path("", views.national, name="national"),
    path("rapport-<int:year>.pdf", views.national_pdf, name="national_pdf"),
    path("rapport-<int:year>.xlsx", views.national_xlsx, name="national_xlsx"),
    path("departement/<str:departement>/", views.departement, name="departement"),
    path(
        "departement/<str:departement>/rapport-<int:year>.pdf",
        views.departement_pdf,
        name="departement_pdf",
    ),
    path(
        "departement/<str:departement>/rapport-<int:year>.xlsx",
        views.departement_xlsx,
        name="departement_xlsx",
    ),
    path("objectifs/", targets.targets, name="targets"),
]
