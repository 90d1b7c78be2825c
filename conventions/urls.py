from django.urls import path

from .views import deliberations

app_name = "conventions"

# Every deliberation path starts with "deliberations/" so that it can never be read
# as a convention reference: keep these before any "<slug:reference>/" pattern.
urlpatterns = [
    path("deliberations/", deliberations.deliberation_list, name="deliberation_list"),
    path("deliberations/nouvelle/", deliberations.deliberation_create, name="deliberation_create"),
    path("deliberations/<int:pk>/", deliberations.deliberation_detail, name="deliberation_detail"),
    path(
        "deliberations/<int:pk>/modifier/",
        deliberations.deliberation_edit,
        name="deliberation_edit",
    ),
    path(
        "deliberations/<int:pk>/presences/",
        deliberations.deliberation_attendance,
        name="deliberation_attendance",
    ),
    path("deliberations/conseils/", deliberations.council_list, name="council_list"),
    path("deliberations/conseils/<int:pk>/", deliberations.council_detail, name="council_detail"),
    path(
        "deliberations/conseils/membres/<int:pk>/modifier/",
        deliberations.council_member_edit,
        name="council_member_edit",
    ),
]
