from django.contrib.auth import views as auth_views
from django.urls import include, path

from tests.proconnect.provider_userinfo import signed_userinfo

urlpatterns = [
    path("connexion/", auth_views.LoginView.as_view(), name="login"),
    path("o/", include("oauth2_provider.urls", namespace="oauth2_provider")),
    # ProConnect's userinfo answer, a signed JWT (the tests choose it: see the module).
    path("o/userinfo.jwt/<str:variant>/", signed_userinfo, name="signed_userinfo"),
]
