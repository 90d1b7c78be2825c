"""A convention says who validates its post's statistics: each functional authority of
the post's sites, or the one it names (issue #18, item 2)."""

import pytest
from django.db import IntegrityError
from django.urls import reverse

from conventions.enums import StatisticsValidation
from partners.enums import Role
from tests.conventions.factories import ConventionFactory, PostSiteFactory
from tests.conventions.test_convention_form import page_data
from tests.partners.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def niort(two_departements, client):
    """Niort's post made mixed: its commissariat (DDSP 79) and a brigade (Groupement 79)."""
    world = two_departements["79"]
    world["groupement"] = world["gendarmerie_post"].functional_authorities[0]
    world["ddsp"] = world["post"].functional_authorities[0]
    PostSiteFactory(
        post=world["post"], gendarmerie=True, order=2, functional_authority=world["groupement"]
    )
    client.force_login(world["users"][Role.LOCAL_AUTHORITY])
    return world


def edit(client, convention, **fields):
    url = reverse("conventions:edit", args=[convention.reference])
    data = page_data(client.get(url))
    data.update(fields)
    return client.post(url, data)


def test_it_saves_the_named_authority_of_a_mixed_post(client, niort):
    response = edit(
        client,
        niort["convention"],
        statistics_validation=StatisticsValidation.NAMED_AUTHORITY,
        statistics_validator=niort["groupement"].pk,
    )
    assert response.status_code == 302
    niort["convention"].refresh_from_db()
    assert niort["convention"].statistics_validator == niort["groupement"]
    page = client.get(niort["convention"].get_absolute_url()).content.decode()
    assert f"par {niort['groupement'].name} seule" in page


def test_it_refuses_one_authority_without_naming_it_in_french(client, niort):
    response = edit(
        client, niort["convention"], statistics_validation=StatisticsValidation.NAMED_AUTHORITY
    )
    assert response.status_code == 200
    errors = response.context["form"].errors["statistics_validator"]
    assert errors[0].startswith("Indiquez l'autorité qui valide seule les statistiques")


def test_it_refuses_an_organisation_that_is_no_authority_of_the_post(client, niort):
    stranger = OrganisationFactory(ddsp=True, departement="95", name="DDSP lointaine")
    PostSiteFactory(functional_authority=stranger)  # an authority, of another post
    response = edit(
        client,
        niort["convention"],
        statistics_validation=StatisticsValidation.NAMED_AUTHORITY,
        statistics_validator=stranger.pk,
    )
    assert response.status_code == 200
    (error,) = response.context["form"].errors["statistics_validator"]
    assert "n'est l'autorité fonctionnelle d'aucun site du poste" in error


def test_the_default_is_that_each_authority_validates(client, niort):
    page = client.get(niort["convention"].get_absolute_url()).content.decode()
    assert "par chaque autorité fonctionnelle du poste" in page


def test_the_database_refuses_one_authority_without_a_validator():
    with pytest.raises(IntegrityError):
        ConventionFactory(statistics_validation=StatisticsValidation.NAMED_AUTHORITY)
