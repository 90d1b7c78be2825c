from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from config import health, legal, profile, runs
from config.api import subscriptions
from config.views import dashboard
from conventions.admin.scoping import view_on_site
from conventions.calendar.views import calendar_feed
from conventions.partners.team import invitation_page
from partners import proconnect
from partners.forms import PasswordResetByTaskForm

admin.site.site_header = "Conventions ISCG — administration"
admin.site.site_title = "Conventions ISCG"
admin.site.index_title = "Administration"
# The side menu of every admin page takes a quarter of a 1 280 px screen from the lists;
# the home page and the breadcrumbs lead to the other tables.
admin.site.enable_nav_sidebar = False

urlpatterns = [
    path("", dashboard, name="dashboard"),
    # For the load balancer and the monitoring: no login, nothing private.
    path("healthz", health.healthz, name="healthz"),
    path("connexion/", proconnect.LoginWithProConnectView.as_view(), name="login"),
    path("deconnexion/", proconnect.ProConnectAwareLogoutView.as_view(), name="logout"),
    # ProConnect (partners.proconnect): 404 unless configured.
    path(
        "proconnect/connexion/", proconnect.ProConnectLoginView.as_view(), name="proconnect_login"
    ),
    path(
        "proconnect/retour/",
        proconnect.ProConnectCallbackView.as_view(),
        name="proconnect_callback",
    ),
    path(
        "mot-de-passe/",
        auth_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "mot-de-passe/modifie/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    # Forgotten password: the same page whether the address is known or not (Django's
    # views); the link works once and expires after PASSWORD_RESET_TIMEOUT.
    path(
        "mot-de-passe-oublie/",
        auth_views.PasswordResetView.as_view(form_class=PasswordResetByTaskForm),
        name="password_reset",
    ),
    path(
        "mot-de-passe-oublie/envoye/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "mot-de-passe-oublie/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "mot-de-passe-oublie/termine/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("invitation/<uidb64>/<token>/", invitation_page, name="invitation_accept"),
    path("profil/", profile.profile, name="profile"),
    path("profil/cles-api/", profile.api_token_create_view, name="api_token_create"),
    path(
        "profil/cles-api/<int:pk>/revoquer/",
        profile.api_token_revoke_view,
        name="api_token_revoke",
    ),
    path("accessibilite/", legal.accessibility, name="accessibility"),
    path("mentions-legales/", legal.legal_notice, name="legal_notice"),
    path("donnees-personnelles/", legal.personal_data, name="personal_data"),
    path("aide/", legal.help_and_contact, name="help"),
    path("calendrier/<str:token>.ics", calendar_feed, name="calendar_feed"),
    # An organisation's webhooks: on its pages, served by the API's package.
    path("partenaires/<int:pk>/evenements/", subscriptions.webhooks, name="webhooks"),
    path(
        "partenaires/<int:pk>/evenements/<int:subscription>/supprimer/",
        subscriptions.webhook_delete,
        name="webhook_delete",
    ),
    path("partenaires/", include("conventions.partners.urls")),
    path("conventions/", include("conventions.urls")),
    # Published deliberations and SCDL files, readable without an account.
    path("public/", include("conventions.public_urls")),
    path("statistiques/", include("activity.urls")),
    path("pilotage/", include("config.steering.urls")),
    path("api/", include("config.api.urls")),
    path("notifications/", include("config.notifications.urls")),
    path("traitements/", include(runs.urls)),
    # Before the admin's own "view on site" redirect, which does not check the scope.
    path(
        "admin/r/<int:content_type_id>/<path:object_id>/",
        admin.site.admin_view(view_on_site),
        name="scoped_view_on_site",
    ),
    path("admin/", admin.site.urls),
]

handler400 = legal.bad_request
handler500 = legal.server_error
