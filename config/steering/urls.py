from django.urls import path

from config.steering import targets, views

app_name = "steering"

urlpatterns = [
    path("", views.national, name="national"),
    path("departement/<str:departement>/", views.departement, name="departement"),
    path("objectifs/", targets.targets, name="targets"),
]
