from django.contrib.auth.decorators import login_not_required
from django.urls import include, path, re_path, register_converter
from drf_spectacular.views import SpectacularJSONAPIView
from rest_framework.routers import SimpleRouter

from config.api import docs
from config.api.bilans import BilanViewSet
from config.api.common import IdConverter
from config.api.conventions import ConventionViewSet
from config.api.deliberations import DeliberationViewSet
from config.api.exceptions import not_found
from config.api.funding import PaymentViewSet, YearAmountViewSet
from config.api.organisations import OrganisationViewSet
from config.api.posts import PostViewSet
from config.api.statistics import QuarterListViewSet, QuarterViewSet

app_name = "api"

register_converter(IdConverter, "id")

router = SimpleRouter(use_regex_path=False)
router.register("organisations", OrganisationViewSet, basename="organisation")
router.register("postes", PostViewSet, basename="post")
router.register("conventions", ConventionViewSet, basename="convention")
router.register("deliberations", DeliberationViewSet, basename="deliberation")
router.register("financements", YearAmountViewSet, basename="year-amount")
router.register("versements", PaymentViewSet, basename="payment")
router.register("statistiques", QuarterListViewSet, basename="quarter")

QUARTER = "postes/<id:poste>/trimestres/<int:annee>/<int:trimestre>/"
v1 = [
    *router.urls,
    path(QUARTER, QuarterViewSet.as_view({"get": "retrieve", "put": "update"}), name="quarter"),
    path(
        f"{QUARTER}transmettre/",
        QuarterViewSet.as_view({"post": "submit"}),
        name="quarter-submit",
    ),
    path(
        "bilans/postes/<id:poste>/<int:annee>/",
        BilanViewSet.as_view({"get": "for_post"}),
        name="bilan-post",
    ),
    path(
        "bilans/departements/<str:departement>/<int:annee>/",
        BilanViewSet.as_view({"get": "for_departement"}),
        name="bilan-departement",
    ),
    path(
        "bilans/national/<int:annee>/",
        BilanViewSet.as_view({"get": "for_country"}),
        name="bilan-national",
    ),
]
# The API authenticates each call by its key (config.api.authentication): the login
# page that LoginRequiredMiddleware sends visitors to means nothing to a program.
for pattern in v1:
    pattern.callback = login_not_required(pattern.callback)

urlpatterns = [
    path(
        "openapi.json",
        login_not_required(SpectacularJSONAPIView.as_view(permission_classes=[])),
        name="schema",
    ),
    path("docs", login_not_required(docs.documentation), name="docs"),
    path("v1/", include(v1)),
    # Any other address under /api/: a JSON 404, not the site's HTML page.
    # [\s\S]: an address with a line break in it too.
    re_path(r"^[\s\S]*\Z", login_not_required(not_found), name="not_found"),
]
