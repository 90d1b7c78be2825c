"""The product's pages plus one that fails, for the error-tracking tests."""

from django.contrib.auth.decorators import login_not_required
from django.urls import include, path


class DeliberateFailure(Exception):
    pass


@login_not_required
def failing_view(request, token=None):
    raise DeliberateFailure("panne voulue par le test")


urlpatterns = [
    path("panne/", failing_view),
    # An address with a secret part, as a calendar's private address.
    path("panne/<str:token>/", failing_view),
    path("", include("config.urls")),
]

handler500 = "config.legal.server_error"
