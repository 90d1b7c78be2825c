from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from drf_spectacular.views import SpectacularJSONAPIView
from rest_framework.routers import SimpleRouter

from config.api import docs
from config.api.conventions import ConventionViewSet
from config.api.organisations import OrganisationViewSet
from config.api.posts import PostViewSet

app_name = "api"

router = SimpleRouter(use_regex_path=False)
router.register("organisations", OrganisationViewSet, basename="organisation")
router.register("postes", PostViewSet, basename="post")
router.register("conventions", ConventionViewSet, basename="convention")

# The API authenticates each call by its key (config.api.authentication): the login
# page that LoginRequiredMiddleware sends visitors to means nothing to a program.
urlpatterns = [
    path(
        "openapi.json",
        login_not_required(SpectacularJSONAPIView.as_view(permission_classes=[])),
        name="schema",
    ),
    path("docs", login_not_required(docs.documentation), name="docs"),
]
for pattern in router.urls:
    pattern.callback = login_not_required(pattern.callback)
urlpatterns += [path("v1/", include(router.urls))]
