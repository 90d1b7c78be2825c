"""The deliberation list: sortable columns, a search that finds the rapporteur and the
organisation, empty states, and the scope."""

import datetime

import pytest
from django.urls import reverse

from partners.enums import Role
from tests.conventions.factories import (
    CouncilFactory,
    CouncilMemberFactory,
    DeliberationFactory,
)
from tests.partners.factories import OrganisationFactory

pytestmark = pytest.mark.django_db
URL = reverse("conventions:deliberation_list")


def numbers(response):
    return [deliberation.number for deliberation in response.context["page"].object_list]


@pytest.fixture
def niort(two_departements):
    """Three deliberations of the Deux-Sèvres commune, numbers and dates in other orders."""
    commune = two_departements["79"]["convention"].parties.get(organisation__name="Commune 79")
    council = CouncilFactory(organisation=commune.organisation)
    rapporteur = CouncilMemberFactory(council=council, first_name="Valérie", last_name="BELY")
    for number, day in (("D-2", 3), ("D-3", 1), ("D-1", 2)):
        DeliberationFactory(
            council=council,
            number=number,
            session_date=datetime.date(2024, 3, day),
            rapporteur=rapporteur if number == "D-3" else None,
        )
    return two_departements["79"]["users"][Role.LOCAL_AUTHORITY]


@pytest.mark.parametrize(
    "tri,expected",
    [
        (None, ["D-2", "D-1", "D-3"]),  # the most recent session first
        ("seance", ["D-3", "D-1", "D-2"]),
        ("numero", ["D-1", "D-2", "D-3"]),
        ("-numero", ["D-3", "D-2", "D-1"]),
        ("n'importe-quoi", ["D-2", "D-1", "D-3"]),
    ],
)
def test_it_sorts_the_deliberations_by_the_chosen_column(client, niort, tri, expected):
    client.force_login(niort)
    query = {"q": "D-"} | ({"tri": tri} if tri else {})
    response = client.get(URL, query)
    assert response.status_code == 200
    assert numbers(response) == expected


def test_the_search_finds_a_deliberation_by_its_rapporteur(client, niort):
    client.force_login(niort)
    assert numbers(client.get(URL, {"q": "valérie bely"})) == ["D-3"]


def test_the_search_finds_a_deliberation_by_its_organisation(client, niort):
    client.force_login(niort)
    assert set(numbers(client.get(URL, {"q": "commune 79", "tri": "numero"}))) >= {
        "D-1",
        "D-2",
        "D-3",
    }


def test_the_search_never_shows_another_organisation_s_deliberation(client, niort):
    DeliberationFactory(
        council=CouncilFactory(organisation=OrganisationFactory(name="Ville d'Ermont")),
        number="D-ERMONT",
    )
    client.force_login(niort)
    assert numbers(client.get(URL, {"q": "ermont"})) == []


def test_a_search_without_result_offers_to_clear_the_filters(client, niort):
    client.force_login(niort)
    content = client.get(URL, {"q": "introuvable"}).content.decode()
    assert "Aucune délibération ne correspond à ces filtres." in content
    assert f'href="{URL}">Effacer les filtres</a>' in content
