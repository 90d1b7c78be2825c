"""The council list (« Conseils et membres ») on the list mechanism: sortable columns, a
search that finds a member, filters, counts, empty states, pagination and the scope."""

import datetime

import pytest
from django.urls import reverse

from conventions.deliberations import views
from partners.enums import Role
from tests.conventions.factories import CouncilFactory, CouncilMemberFactory
from tests.partners.factories import OrganisationFactory

pytestmark = pytest.mark.django_db
URL = reverse("conventions:council_list")
TODAY = datetime.date(2026, 11, 22)


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: TODAY)


def labels(response):
    return [
        (council.organisation.name, council.term_start_year)
        for council in response.context["page"].object_list
    ]


@pytest.fixture
def councils(two_departements):
    """The Deux-Sèvres commune's council for two terms (the later one with two members),
    and another organisation's council, out of the commune's scope."""
    commune = two_departements["79"]["users"][Role.LOCAL_AUTHORITY].organisation
    old = CouncilFactory(organisation=commune, term_start_year=2014, term_end_year=2019)
    current = CouncilFactory(organisation=commune, term_start_year=2020, term_end_year=None)
    CouncilMemberFactory(council=current, first_name="Valérie", last_name="BELY")
    CouncilMemberFactory(council=current, first_name="Jean", last_name="MARTIN")
    CouncilMemberFactory(council=old, first_name="Paul", last_name="DURAND")
    CouncilFactory(organisation=OrganisationFactory(name="Autre commune"), term_start_year=2020)
    return {"commune": commune, "old": old, "current": current}


def test_it_lists_the_councils_in_scope_with_their_count(client, two_departements, councils):
    client.force_login(two_departements["79"]["users"][Role.LOCAL_AUTHORITY])
    response = client.get(URL)
    assert response.status_code == 200
    assert response.context["count"] == 2
    assert "Autre commune" not in response.content.decode()
    assert "2 conseils" in response.content.decode()


@pytest.mark.parametrize(
    "tri,expected",
    [
        (None, [2014, 2020]),  # by organisation, then term
        ("mandat", [2014, 2020]),
        ("-mandat", [2020, 2014]),
        ("membres", [2014, 2020]),  # one member, then two
        ("-membres", [2020, 2014]),
        ("-organisation", [2020, 2014]),
        ("n'importe-quoi", [2014, 2020]),
    ],
)
def test_it_sorts_the_councils_by_the_chosen_column(
    client, two_departements, councils, tri, expected
):
    client.force_login(two_departements["79"]["users"][Role.LOCAL_AUTHORITY])
    response = client.get(URL, {"tri": tri} if tri else {})
    assert [year for _, year in labels(response)] == expected
    descending = tri is not None and tri.startswith("-")
    sort = 'aria-sort="descending"' if descending else 'aria-sort="ascending"'
    assert sort in response.content.decode()


def test_the_search_finds_a_council_by_one_of_its_members(client, two_departements, councils):
    client.force_login(two_departements["79"]["users"][Role.LOCAL_AUTHORITY])
    response = client.get(URL, {"q": "valérie bely"})
    assert labels(response) == [(councils["commune"].name, 2020)]


def test_the_current_term_filter_leaves_out_the_ended_ones(client, two_departements, councils):
    client.force_login(two_departements["79"]["users"][Role.LOCAL_AUTHORITY])
    assert labels(client.get(URL, {"current": "en-cours"})) == [(councils["commune"].name, 2020)]
    assert labels(client.get(URL, {"current": "termine"})) == [(councils["commune"].name, 2014)]


def test_a_search_that_finds_nothing_offers_to_clear_the_filters(
    client, two_departements, councils
):
    client.force_login(two_departements["79"]["users"][Role.LOCAL_AUTHORITY])
    content = client.get(URL, {"q": "personne"}).content.decode()
    assert "Aucun conseil ne correspond à ces filtres." in content
    assert "Effacer les filtres" in content


def test_without_any_council_it_says_what_to_do(client, two_departements):
    client.force_login(two_departements["79"]["users"][Role.LOCAL_AUTHORITY])
    content = client.get(URL).content.decode()
    assert "Aucun conseil enregistré" in content


def test_a_bad_filter_value_is_a_message_not_an_error(client, two_departements, councils):
    client.force_login(two_departements["79"]["users"][Role.LOCAL_AUTHORITY])
    response = client.get(URL, {"organisation": "x", "current": "jamais"})
    assert response.status_code == 200
    assert response.context["filters"].errors


def test_it_pages_the_councils(client, two_departements, councils, monkeypatch):
    monkeypatch.setattr(views, "PAGE_SIZE", 1)
    client.force_login(two_departements["79"]["users"][Role.LOCAL_AUTHORITY])
    response = client.get(URL, {"page": 2, "tri": "mandat"})
    assert labels(response) == [(councils["commune"].name, 2020)]
    assert 'class="fr-pagination"' in response.content.decode()


@pytest.mark.parametrize("count", [3, 30])
def test_the_list_runs_the_same_queries_for_3_and_30_councils(
    client, two_departements, admin_user, django_assert_num_queries, count
):
    for year in range(count):
        council = CouncilFactory(term_start_year=1990 + year, term_end_year=1990 + year)
        CouncilMemberFactory(council=council)
    client.force_login(admin_user)
    # 1 session, 2 user, 3 savepoint (ATOMIC_REQUESTS), 4 count for the pages,
    # 5 organisations of the councils (filter choices), 6 the page's councils with their
    # organisation and member count, 7 organisations of the new council form,
    # 8 release savepoint.
    with django_assert_num_queries(8):
        response = client.get(URL)
    assert response.context["count"] == count
