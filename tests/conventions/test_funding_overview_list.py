"""The funding overview as a list: filters and order that keep the year shown."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db
URL = reverse("conventions:funding_overview")


def references(response):
    return [item["plan"].convention.reference for item in response.context["rows"]]


def test_it_filters_by_departement_and_the_filters_keep_the_year(
    client, two_departements, admin_user
):
    client.force_login(admin_user)
    response = client.get(URL, {"annee": 2022, "departement": "95"})
    assert references(response) == ["convention-95"]
    assert 'name="annee" value="2022"' in response.content.decode()


@pytest.mark.parametrize(
    "tri,expected",
    [
        ("convention", ["convention-79", "convention-95"]),
        ("-convention", ["convention-95", "convention-79"]),
    ],
)
def test_it_sorts_by_convention_both_ways(client, two_departements, admin_user, tri, expected):
    client.force_login(admin_user)
    assert references(client.get(URL, {"tri": tri})) == expected


def test_the_search_finds_a_convention_by_partner_and_says_when_none_matches(
    client, two_departements, admin_user
):
    client.force_login(admin_user)
    assert references(client.get(URL, {"q": "commune 95"})) == ["convention-95"]
    content = client.get(URL, {"q": "introuvable"}).content.decode()
    assert "Aucune convention ne correspond à ces filtres." in content
