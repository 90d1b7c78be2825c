"""The partner registry as a list: sortable columns, a search by SIRET and by the names
of the representatives, empty states."""

import pytest
from django.urls import reverse

from partners.enums import Role
from tests.partners.factories import OrganisationFactory, RepresentativeFactory, UserFactory

pytestmark = pytest.mark.django_db
LIST_URL = reverse("partners:list")


def names(response):
    return [o.name for o in response.context["page"].object_list]


@pytest.fixture
def reader(db):
    return UserFactory(role=Role.READ_ONLY_PARTNER)


@pytest.fixture
def three(reader):
    OrganisationFactory(name="Bêta partenaire", city="Niort", departement="79")
    OrganisationFactory(name="Alpha partenaire", city="Ermont", val_doise=True)
    OrganisationFactory(name="Gamma partenaire", city="Chauray", departement="79")
    return reader


@pytest.mark.parametrize(
    "tri,expected",
    [
        ("nom", ["Alpha partenaire", "Bêta partenaire", "Gamma partenaire"]),
        ("-nom", ["Gamma partenaire", "Bêta partenaire", "Alpha partenaire"]),
        ("commune", ["Gamma partenaire", "Alpha partenaire", "Bêta partenaire"]),
        ("-departement", ["Alpha partenaire", "Gamma partenaire", "Bêta partenaire"]),
        ("inconnu", ["Bêta partenaire", "Gamma partenaire", "Alpha partenaire"]),
    ],
)
def test_it_sorts_the_partners_by_the_chosen_column(client, three, tri, expected):
    client.force_login(three)
    response = client.get(LIST_URL, {"q": "partenaire", "tri": tri})
    assert response.status_code == 200
    assert names(response) == expected


def test_the_search_finds_a_partner_by_its_representative(client, reader):
    mairie = OrganisationFactory(name="Ville de Niort")
    RepresentativeFactory(organisation=mairie, first_name="Jérôme", last_name="BALOGE")
    OrganisationFactory(name="Ville d'Ermont")
    client.force_login(reader)
    assert names(client.get(LIST_URL, {"q": "jérôme baloge"})) == ["Ville de Niort"]


def test_the_search_finds_a_partner_by_its_siret_typed_with_spaces(client, reader):
    OrganisationFactory(name="Ville de Niort", siret="21790191700019")
    client.force_login(reader)
    assert names(client.get(LIST_URL, {"q": "217 901 917 00019"})) == ["Ville de Niort"]


def test_a_partner_with_two_matching_representatives_is_listed_once(client, reader):
    mairie = OrganisationFactory(name="Ville de Niort")
    RepresentativeFactory.create_batch(2, organisation=mairie, first_name="Anne")
    client.force_login(reader)
    assert names(client.get(LIST_URL, {"q": "anne"})) == ["Ville de Niort"]


def test_a_search_without_result_offers_to_clear_the_filters(client, reader):
    client.force_login(reader)
    content = client.get(LIST_URL, {"q": "introuvable"}).content.decode()
    assert "Aucune organisation ne correspond à ces filtres." in content
    assert f'href="{LIST_URL}">Effacer les filtres</a>' in content
