"""The convention list people work with: sortable columns, search by partner and
representative, pages that keep filters and order, empty states, always within scope."""

import pytest
from django.urls import reverse

from conventions.agreements import views as list_views
from partners.enums import Role
from tests.conventions.factories import ConventionFactory, PartyFactory, PostFactory
from tests.partners.factories import OrganisationFactory, RepresentativeFactory

pytestmark = pytest.mark.django_db
URL = reverse("conventions:list")


def references(response):
    return [row["convention"].reference for row in response.context["rows"]]


@pytest.fixture
def three_titles(two_departements):
    """Deux-Sèvres: three conventions whose reference, title and post name sort differently."""
    world = two_departements["79"]
    employer = world["post"].employer
    ddsp = world["post"].functional_authorities[0]
    for reference, title, post in (
        ("b-2022", "Convention de Chauray", "Poste C"),
        ("c-2023", "Avenant de Bessines", "Poste A"),
        ("a-2021", "Bilan de Niort", "Poste B"),
    ):
        ConventionFactory(
            reference=reference,
            title=title,
            post=PostFactory(
                name=post, departement="79", employer=employer, functional_authority=ddsp
            ),
        )
    client_user = world["users"][Role.DDSP_SECRETARIAT]
    return world, client_user


@pytest.mark.parametrize(
    "tri,expected",
    [
        ("reference", ["a-2021", "b-2022", "c-2023"]),
        ("-reference", ["c-2023", "b-2022", "a-2021"]),
        ("titre", ["c-2023", "a-2021", "b-2022"]),
        ("-titre", ["b-2022", "a-2021", "c-2023"]),
        ("poste", ["c-2023", "a-2021", "b-2022"]),
        ("-poste", ["b-2022", "a-2021", "c-2023"]),
    ],
)
def test_it_sorts_by_the_column_the_user_chose(client, three_titles, tri, expected):
    _, user = three_titles
    client.force_login(user)
    response = client.get(URL, {"q": "-202", "tri": tri})
    assert references(response) == expected


def test_the_sorted_column_says_its_order_to_screen_readers(client, three_titles):
    _, user = three_titles
    client.force_login(user)
    content = client.get(URL, {"tri": "-titre", "q": "202"}).content.decode()
    assert '<th scope="col" aria-sort="descending">' in content
    # The next click on the same column sorts it the other way, keeping the search.
    assert 'href="?tri=titre&amp;q=202"' in content or 'href="?q=202&amp;tri=titre"' in content
    assert "Trier par titre, ordre croissant" in content


def test_an_unknown_sort_key_shows_the_default_order(client, three_titles):
    _, user = three_titles
    client.force_login(user)
    response = client.get(URL, {"q": "-202", "tri": "-mot_de_passe"})
    assert response.status_code == 200
    assert references(response) == ["a-2021", "b-2022", "c-2023"]


def test_the_page_links_keep_the_search_and_the_order(client, three_titles, monkeypatch):
    monkeypatch.setattr(list_views, "PAGE_SIZE", 2)
    _, user = three_titles
    client.force_login(user)
    first = client.get(URL, {"q": "-202", "tri": "-reference"})
    assert references(first) == ["c-2023", "b-2022"]
    assert "?q=-202&amp;tri=-reference&amp;page=2" in first.content.decode()
    second = client.get(URL, {"q": "-202", "tri": "-reference", "page": 2})
    assert references(second) == ["a-2021"]


def test_the_search_finds_a_convention_by_its_representative_name(client, two_departements):
    world = two_departements["79"]
    convention = ConventionFactory(post=world["post"], reference="signee-par-bely")
    mairie = OrganisationFactory(name="Ville de Niort")
    PartyFactory(
        convention=convention,
        organisation=mairie,
        representative=RepresentativeFactory(
            organisation=mairie, first_name="Valérie", last_name="BELY-VOLLAND"
        ),
    )
    client.force_login(world["users"][Role.DDSP_SECRETARIAT])
    assert references(client.get(URL, {"q": "valérie bely"})) == ["signee-par-bely"]
    assert references(client.get(URL, {"q": "Bely Niort"})) == ["signee-par-bely"]


def test_the_search_finds_a_convention_by_its_partner_name_or_post(client, two_departements):
    world = two_departements["79"]
    convention = ConventionFactory(post=world["post"], reference="avec-bessines")
    PartyFactory(convention=convention, organisation=OrganisationFactory(name="CCAS de Bessines"))
    client.force_login(world["users"][Role.DDSP_SECRETARIAT])
    assert references(client.get(URL, {"q": "ccas bessines"})) == ["avec-bessines"]
    found = references(client.get(URL, {"q": world["post"].name}))
    assert set(found) == {"avec-bessines", "convention-79"}


def test_an_out_of_scope_convention_never_appears_even_when_the_search_matches(
    client, two_departements
):
    elsewhere = two_departements["95"]["convention"]
    mairie = OrganisationFactory(name="Mairie d'Ermont")
    PartyFactory(
        convention=elsewhere,
        organisation=mairie,
        representative=RepresentativeFactory(organisation=mairie, last_name="Introuvable"),
    )
    client.force_login(two_departements["79"]["users"][Role.DDSP_SECRETARIAT])
    response = client.get(URL, {"q": "introuvable"})
    assert references(response) == []
    assert elsewhere.reference not in response.content.decode()


def test_a_search_without_result_says_so_and_offers_to_clear_the_filters(client, two_departements):
    client.force_login(two_departements["79"]["users"][Role.DDSP_SECRETARIAT])
    content = client.get(URL, {"q": "aucune-chance", "tri": "titre"}).content.decode()
    assert "0 convention" in content
    assert "Aucune convention ne correspond à ces filtres." in content
    assert f'href="{URL}">Effacer les filtres</a>' in content


def test_a_user_without_any_convention_is_told_they_have_none_yet(client, two_departements):
    client.force_login(two_departements["79"]["users"][Role.GENDARMERIE_SECRETARIAT])
    content = client.get(URL).content.decode()
    assert "Vous n'avez encore aucune convention" in content
    assert "ne correspond à ces filtres" not in content


def test_a_page_of_sorted_and_searched_conventions_runs_a_bounded_number_of_queries(
    client, three_titles, django_assert_num_queries
):
    _, user = three_titles
    client.force_login(user)
    # As the unsorted list (test_convention_list), sorting and searching in the same
    # queries: 1 session, 2 user, 3 savepoint, 4 user's organisation, 5 départements,
    # 6 partner organisations, 7 count, 8 the page's conventions, 9 their sections with
    # their posts, 10 the posts' sites, 11 parties, 12 their organisations, 13 renewals,
    # 14 amendments, 15 reporting rules, 16 renewing conventions (none here, so no query
    # for their parties), 17 deliberations, 18 release savepoint.
    with django_assert_num_queries(18):
        response = client.get(URL, {"q": "convention", "tri": "-poste"})
    assert response.status_code == 200
