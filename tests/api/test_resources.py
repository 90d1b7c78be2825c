"""The data endpoints read exactly what the pages show the key's user."""

import pytest
from rest_framework.test import APIClient

from config.api.throttling import ReadRateThrottle
from partners.enums import Role
from tests.activity.factories import QuarterReportFactory
from tests.conventions.factories import ContributionFactory, DeliberationFactory, PaymentFactory
from tests.partners.factories import UserFactory
from tests.roles import DEPARTEMENTAL_ROLES

pytestmark = pytest.mark.django_db


def ids(response, key="id"):
    return {row[key] for row in response.json()["results"]}


@pytest.mark.parametrize("role", DEPARTEMENTAL_ROLES)
def test_each_role_reads_its_own_departement_only(two_departements, api_as, role):
    user = two_departements["79"]["users"][role]
    api = api_as(user)
    other = two_departements["95"]
    posts = api.get("/api/v1/postes/")
    assert posts.status_code == 200
    assert other["post"].pk not in ids(posts)
    assert api.get(f"/api/v1/postes/{other['post'].pk}/").status_code == 404
    conventions = api.get("/api/v1/conventions/")
    assert other["convention"].reference not in ids(conventions, "reference")
    assert api.get(f"/api/v1/conventions/{other['convention'].reference}/").status_code == 404


def test_a_party_reads_its_convention_with_parties_posts_and_periods(two_departements, api_as):
    world = two_departements["79"]
    api = api_as(world["users"][Role.LOCAL_AUTHORITY])
    response = api.get(f"/api/v1/conventions/{world['convention'].reference}/")
    assert response.status_code == 200
    data = response.json()
    assert data["postes"] == [world["post"].pk]
    assert {p["organisation"]["nom"] for p in data["parties"]} == {
        "Préf 79",
        "Commune 79",
        "DDSP 79",
        "Asso 79",
    }
    assert data["statut"] in {"draft", "approved", "signed", "in_force", "expired"}
    assert isinstance(data["periodes"], list) and isinstance(data["echeances"], list)


@pytest.mark.parametrize(
    ("role", "named"),
    [
        (Role.EMPLOYER_COORDINATION, True),
        (Role.DDSP_SECRETARIAT, True),
        (Role.LOCAL_AUTHORITY, True),
        (Role.READ_ONLY_PARTNER, False),
        (Role.DEPARTEMENTAL_STEERING, False),
        (Role.SOCIAL_WORKER, False),
    ],
)
def test_holders_are_named_only_for_the_roles_that_work_with_them(
    two_departements, api_as, role, named
):
    world = two_departements["79"]
    api = api_as(world["users"][role])
    (holder,) = api.get(f"/api/v1/postes/{world['post'].pk}/").json()["titulaires"]
    assert holder["debut"] == "2021-01-01" and holder["fin"] is None
    assert holder["nom"] == ("Intervenant" if named else None)


def test_the_national_administrator_reads_every_departement(two_departements, api_as):
    api = api_as(UserFactory(admin=True))
    listed = ids(api.get("/api/v1/postes/"))
    assert {two_departements[d]["post"].pk for d in ("79", "95")} <= listed


def test_filters_narrow_the_list_and_a_wrong_one_is_a_400_in_french(two_departements, api_as):
    api = api_as(UserFactory(admin=True))
    only_95 = api.get("/api/v1/conventions/", {"departement": "95"})
    assert ids(only_95, "reference") == {"convention-95"}
    wrong = api.get("/api/v1/conventions/", {"statut": "peut-etre"})
    assert wrong.status_code == 400
    assert "Sélectionnez un choix valide" in wrong.json()["statut"][0]


def test_lists_are_paged_in_a_stable_order(two_departements, api_as):
    api = api_as(UserFactory(admin=True))
    first = api.get("/api/v1/organisations/", {"taille": 3})
    second = api.get(first.json()["next"])
    seen = [row["id"] for row in first.json()["results"] + second.json()["results"]]
    assert seen == sorted(seen) and len(set(seen)) == 6
    assert first.json()["count"] == second.json()["count"] > 6


def test_over_the_limit_a_key_gets_429_with_retry_after(two_departements, api_as, monkeypatch):
    monkeypatch.setattr(ReadRateThrottle, "THROTTLE_RATES", {"lecture": "3/min"})
    api = api_as(two_departements["79"]["users"][Role.LOCAL_AUTHORITY])
    statuses = [api.get("/api/v1/organisations/").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    refused = api.get("/api/v1/organisations/")
    assert 0 < int(refused["Retry-After"]) <= 60
    # Another key is counted apart.
    assert api_as(UserFactory(admin=True)).get("/api/v1/organisations/").status_code == 200


def test_the_description_and_its_documentation_need_no_key(db):
    client = APIClient()
    schema = client.get("/api/openapi.json")
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    assert {"/api/v1/conventions/", "/api/v1/postes/{id}/"} <= set(paths)
    docs = client.get("/api/docs")
    assert docs.status_code == 200
    assert "<h1>Documentation de l'API</h1>" in docs.content.decode()
    assert "/api/v1/conventions/{reference}/" in docs.content.decode()


class TestQueryCounts:
    """A page of a list costs the same number of queries whatever its length."""

    def test_conventions(self, two_departements, api_as, django_assert_num_queries):
        api = api_as(UserFactory(admin=True))
        api.get("/api/v1/conventions/")
        # The request's savepoint and its release, the key, count, page, then the list's
        # prefetches: sections with their posts, sites, parties, their organisations,
        # renewals, amendments, reporting rules, renewing conventions (their parties
        # only when there are some), deliberations.
        with django_assert_num_queries(14):
            api.get("/api/v1/conventions/")

    def test_posts(self, two_departements, api_as, django_assert_num_queries):
        api = api_as(UserFactory(admin=True))
        api.get("/api/v1/postes/")
        # The request's savepoint and its release, the key, count, page, sites, holders,
        # sections with their conventions, the posts whose holders are named.
        with django_assert_num_queries(9):
            api.get("/api/v1/postes/")

    def test_deliberations(self, two_departements, api_as, django_assert_num_queries):
        for world in two_departements.values():
            commune = world["users"][Role.LOCAL_AUTHORITY].organisation
            DeliberationFactory(organisation=commune).conventions.add(world["convention"])
        api = api_as(UserFactory(admin=True))
        api.get("/api/v1/deliberations/")
        # The request's savepoint and its release, the key, count, page (with the
        # organisation), the linked conventions.
        with django_assert_num_queries(6):
            api.get("/api/v1/deliberations/")

    def test_payments(self, two_departements, api_as, django_assert_num_queries):
        for world in two_departements.values():
            commune = world["users"][Role.LOCAL_AUTHORITY].organisation
            contribution = ContributionFactory(convention=world["convention"], organisation=commune)
            PaymentFactory.create_batch(2, contribution=contribution)
        api = api_as(UserFactory(admin=True))
        api.get("/api/v1/versements/")
        # The request's savepoint and its release, the key, count, page (with the
        # contribution's convention).
        with django_assert_num_queries(5):
            api.get("/api/v1/versements/")

    def test_quarters(self, two_departements, api_as, django_assert_num_queries):
        for world in two_departements.values():
            for quarter in (1, 2):
                QuarterReportFactory(
                    post=world["post"], quarter=quarter, validated=True, filled=True
                )
        api = api_as(UserFactory(admin=True))
        api.get("/api/v1/statistiques/")
        # The request's savepoint and its release, the key, count, page, the months, their
        # values with their indicators.
        with django_assert_num_queries(7):
            api.get("/api/v1/statistiques/")

    def test_year_amounts(self, two_departements, api_as, django_assert_num_queries):
        for world in two_departements.values():
            commune = world["users"][Role.LOCAL_AUTHORITY].organisation
            ContributionFactory(
                convention=world["convention"],
                organisation=commune,
                first_year=2025,
                last_year=2027,
            )
        api = api_as(UserFactory(admin=True))
        api.get("/api/v1/financements/", {"annee": 2025})
        # The request's savepoint and its release, the key, then the funding figures of
        # every convention at once (conventions.funding.yearly: the contributions, the
        # amounts amendments change, the withdrawn parties, the sums paid, the post
        # costs, the aids in kind), the conventions' references, the funders.
        with django_assert_num_queries(11):
            api.get("/api/v1/financements/", {"annee": 2025})

    def test_organisations(self, two_departements, api_as, django_assert_num_queries):
        api = api_as(UserFactory(admin=True))
        api.get("/api/v1/organisations/")
        # The request's savepoint and its release, the key, count, page.
        with django_assert_num_queries(5):
            api.get("/api/v1/organisations/")


def test_deliberations_are_read_in_scope_with_their_votes(two_departements, api_as):
    world = two_departements["79"]
    commune = world["users"][Role.LOCAL_AUTHORITY].organisation
    deliberation = DeliberationFactory(organisation=commune, votes_for=25, votes_against=2)
    deliberation.conventions.add(world["convention"])
    api = api_as(world["users"][Role.LOCAL_AUTHORITY])
    (row,) = api.get("/api/v1/deliberations/").json()["results"]
    assert row["id"] == deliberation.pk
    assert (row["votes"]["pour"], row["votes"]["contre"]) == (25, 2)
    assert row["conventions"] == ["convention-79"]
    other = api_as(two_departements["95"]["users"][Role.LOCAL_AUTHORITY])
    assert other.get(f"/api/v1/deliberations/{deliberation.pk}/").status_code == 404


def test_a_request_refused_before_any_view_answers_json_on_the_api(client):
    """An empty Host header (schemathesis sent one): the API's description promises JSON."""
    response = client.get("/api/v1/deliberations/", HTTP_HOST="")
    assert response.status_code == 400
    assert response.json() == {"detail": "Requête invalide."}
    site = client.get("/connexion/", HTTP_HOST="")
    assert site.status_code == 400
    assert site["Content-Type"].startswith("text/html")
