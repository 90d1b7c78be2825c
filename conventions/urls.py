from django.urls import path

from .views import conventions

app_name = "conventions"

urlpatterns = [
    path("", conventions.convention_list_view, name="list"),
    path("nouvelle/", conventions.convention_create, name="create"),
    path(
        "nouvelle/a-partir-d-un-modele/",
        conventions.convention_create_from_view,
        name="create_from",
    ),
    path("<slug:reference>/", conventions.convention_detail, name="detail"),
    path("<slug:reference>/modifier/", conventions.convention_edit, name="edit"),
    path("<slug:reference>/renouveler/", conventions.convention_renew_view, name="renew"),
    path("<slug:reference>/convention-signee/", conventions.convention_scan, name="scan"),
    path(
        "<slug:reference>/convention-signee/deposer/",
        conventions.convention_upload_scan,
        name="upload_scan",
    ),
]
