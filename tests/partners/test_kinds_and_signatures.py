"""Organisation kinds of the whole country, and who signs for an organisation (issue #18,
items 4 and 6): « Autre » with its own label, civility optional, « par intérim », and
signatures by delegation (« Pour le Préfet et par délégation »)."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from partners.enums import Civility, OrganisationKind
from partners.models import Representative
from partners.services import organisation_save, representative_save
from tests.partners.factories import OrganisationFactory, RepresentativeFactory, UserFactory

pytestmark = pytest.mark.django_db


# Kinds -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "label", "printed"),
    [
        pytest.param(OrganisationKind.REGION, "", "Région", id="région (funder, issue #18)"),
        pytest.param(
            OrganisationKind.MIXED_SYNDICATE, "", "Syndicat mixte", id="syndicat mixte (funder)"
        ),
        pytest.param(
            OrganisationKind.PUBLIC_INTEREST_GROUP,
            "",
            "GIP (groupement d'intérêt public)",
            id="GIP (employer)",
        ),
        pytest.param(
            OrganisationKind.HOSPITAL, "", "Établissement hospitalier", id="hospital (employer)"
        ),
        pytest.param(
            OrganisationKind.OTHER,
            "Office public de l'habitat",
            "Office public de l'habitat",
            id="Autre prints its own label, never « Autre »",
        ),
    ],
)
def test_the_kind_is_printed_as_documents_need_it(kind, label, printed):
    organisation = OrganisationFactory(kind=kind, kind_label=label)
    assert organisation.kind_display == printed


def test_a_kind_autre_without_its_label_is_refused_next_to_the_field():
    with pytest.raises(ValidationError) as error:
        organisation_save(name="Office HLM", kind=OrganisationKind.OTHER, departement="79")
    assert "Pour le type « Autre », écrivez le type" in error.value.message_dict["kind_label"][0]


def test_a_label_with_another_kind_is_refused_next_to_the_field():
    with pytest.raises(ValidationError) as error:
        organisation_save(
            name="Ville", kind=OrganisationKind.COMMUNE, kind_label="Ville", departement="79"
        )
    assert "Seul le type « Autre »" in error.value.message_dict["kind_label"][0]


def test_the_database_refuses_a_kind_autre_without_label():
    with pytest.raises(IntegrityError), transaction.atomic():
        OrganisationFactory(kind=OrganisationKind.OTHER, kind_label="")


def test_the_organisation_page_prints_the_label_of_a_kind_autre(client):
    organisation = OrganisationFactory(
        kind=OrganisationKind.OTHER, kind_label="Office public de l'habitat"
    )
    client.force_login(UserFactory(admin=True))
    page = client.get(reverse("partners:detail", args=[organisation.pk])).content.decode()
    assert "Office public de l&#x27;habitat · département 79" in page


# Representatives ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("civility", "full_name"),
    [
        pytest.param(Civility.MRS, "Mme Claire MARTIN", id="known civility printed"),
        pytest.param("", "Claire MARTIN", id="no civility: neither « M. » nor « Mme »"),
    ],
)
def test_the_civility_is_printed_only_when_known(civility, full_name):
    representative = RepresentativeFactory(
        civility=civility, first_name="Claire", last_name="Martin"
    )
    assert representative.full_name == full_name


def test_a_representative_is_saved_without_civility():
    organisation = OrganisationFactory()
    representative = representative_save(
        organisation=organisation, title="Maire", first_name="Claire", last_name="Martin"
    )
    assert representative.civility == ""


SIGNING_CASES = [
    pytest.param(
        {"title": "Maire"},
        "",
        id="in their own right: nothing above the name",
    ),
    pytest.param(
        {"title": "Maire", "acting": True, "civility": Civility.MR},
        "Le Maire par intérim",
        id="acting mayor: « Le maire par intérim »",
    ),
    pytest.param(
        {
            "title": "Sous-préfète chargée de mission",
            "civility": Civility.MRS,
            "delegated_by_title": "le Préfet",
        },
        "Pour le Préfet et par délégation, la Sous-préfète chargée de mission",
        id="delegation written by title (arrêté de délégation de signature)",
    ),
    pytest.param(
        {
            "title": "Adjointe déléguée",
            "civility": Civility.MRS,
            "delegated_by_title": "le Maire",
            "acting": True,
        },
        "Pour le Maire et par délégation, l'Adjointe déléguée par intérim",
        id="delegation to an acting deputy, elided article",
    ),
]


@pytest.mark.parametrize(("fields", "capacity"), SIGNING_CASES)
def test_who_signs_for_whom_is_written_as_such(fields, capacity):
    assert RepresentativeFactory(**fields).signing_capacity == capacity


def test_a_delegation_from_a_registered_representative_names_their_title():
    prefect = RepresentativeFactory(civility=Civility.MRS, title="Préfète des Deux-Sèvres")
    deputy = RepresentativeFactory(
        organisation=prefect.organisation,
        civility=Civility.MRS,
        title="Sous-préfète chargée de mission",
        delegated_by=prefect,
    )
    assert deputy.signing_capacity == (
        "Pour la Préfète des Deux-Sèvres et par délégation, la Sous-préfète chargée de mission"
    )


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        pytest.param(
            {"delegated_by": "other organisation"},
            "delegated_by",
            "Choisissez un représentant de la même organisation",
            id="delegation stays within the organisation",
        ),
        pytest.param(
            {"delegated_by": "same organisation", "delegated_by_title": "le Préfet"},
            "delegated_by_title",
            "Le représentant qui délègue est déjà choisi",
            id="who delegates is said once",
        ),
        pytest.param(
            {"delegation_reference": "arrêté n° 2024-12"},
            "delegation_reference",
            "Indiquez d'abord qui délègue sa signature",
            id="an act of delegation needs someone who delegates",
        ),
    ],
)
def test_an_inconsistent_delegation_is_refused_in_french(fields, field, message):
    organisation = OrganisationFactory(prefecture=True)
    delegator = {
        "other organisation": RepresentativeFactory(),
        "same organisation": RepresentativeFactory(organisation=organisation),
    }
    if "delegated_by" in fields:
        fields = {**fields, "delegated_by": delegator[fields["delegated_by"]]}
    with pytest.raises(ValidationError) as error:
        representative_save(organisation=organisation, title="Sous-préfète", **fields)
    assert message in error.value.message_dict[field][0]


def test_the_representative_form_records_acting_and_delegation(client):
    organisation = OrganisationFactory(prefecture=True)
    prefect = RepresentativeFactory(organisation=organisation, title="Préfet")
    client.force_login(UserFactory(admin=True))
    url = reverse("partners:representative_create", args=[organisation.pk])
    page = client.get(url).content.decode()
    assert "par intérim" in page and "Signature par délégation" in page
    response = client.post(
        url,
        {
            "civility": "",
            "first_name": "Inès",
            "last_name": "Duval",
            "title": "Sous-préfète chargée de mission",
            "delegated_by": prefect.pk,
            "delegated_by_title": "",
            "delegation_reference": "arrêté n° 2024-12 du 2 janvier 2024",
        },
    )
    assert response.status_code == 302
    deputy = Representative.objects.get(last_name="Duval")
    assert (deputy.civility, deputy.delegated_by, deputy.acting) == ("", prefect, False)


def test_the_form_offers_only_representatives_of_the_same_organisation(client):
    organisation = OrganisationFactory(prefecture=True)
    own = RepresentativeFactory(organisation=organisation, title="Préfet")
    other = RepresentativeFactory(title="Maire d'ailleurs")
    client.force_login(UserFactory(admin=True))
    page = client.get(
        reverse("partners:representative_create", args=[organisation.pk])
    ).content.decode()
    assert f'<option value="{own.pk}">' in page
    assert f'<option value="{other.pk}">' not in page
