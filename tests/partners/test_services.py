"""The partner services, called with plain data as any caller would, without a form."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from partners.enums import Civility, OrganisationKind
from partners.models import Organisation
from partners.services import organisation_save, representative_save
from tests.partners.factories import OrganisationFactory, RepresentativeFactory

pytestmark = pytest.mark.django_db


def test_organisation_save_creates_an_organisation_with_its_history():
    organisation = organisation_save(
        name="France Victimes 79",
        kind=OrganisationKind.ASSOCIATION,
        departement="79",
        postal_code="79000",
        rna="W791000123",
    )
    assert Organisation.objects.get(pk=organisation.pk).name_key == "france victime 79"
    assert organisation.history.get().history_type == "+"


def test_organisation_save_changes_the_organisation_it_is_given():
    organisation = OrganisationFactory(name="Commune de Niort")
    organisation_save(
        organisation=organisation,
        expected_version=organisation.version,
        name="Ville de Niort",
        kind=organisation.kind,
        departement="79",
        phone="05 49 78 79 80",
    )
    organisation.refresh_from_db()
    assert (organisation.name, organisation.phone) == ("Ville de Niort", "05 49 78 79 80")


def test_organisation_save_refuses_a_near_duplicate_next_to_the_name_only():
    OrganisationFactory(name="France Victimes 79", association=True, departement="79")
    with pytest.raises(ValidationError) as refused:
        organisation_save(
            name="France victime 79", kind=OrganisationKind.ASSOCIATION, departement="79"
        )
    assert list(refused.value.message_dict) == ["name"]
    assert "« France Victimes 79 » existe déjà" in refused.value.message_dict["name"][0]
    assert Organisation.objects.count() == 1


def test_organisation_save_says_in_french_what_is_wrong_next_to_each_field():
    with pytest.raises(ValidationError) as refused:
        organisation_save(
            name="Commune",
            kind=OrganisationKind.COMMUNE,
            departement="79",
            postal_code="7900",
            siret="12345678901234",
            rna="W791000123",
        )
    errors = refused.value.message_dict
    assert errors["postal_code"] == ["Le code postal comporte 5 chiffres."]
    assert errors["siret"] == [
        "Ce SIRET n'est pas valide (clé de contrôle incorrecte) : vérifiez les 14 chiffres."
    ]
    assert "Seule une association a un numéro RNA" in errors["rna"][0]
    assert not Organisation.objects.filter(name="Commune").exists()


def test_representative_save_adds_a_representative_to_the_organisation():
    organisation = OrganisationFactory()
    representative = representative_save(
        organisation=organisation,
        civility=Civility.MR,
        first_name="Jérôme",
        last_name="Baloge",
        title="Maire",
        mandate_start=datetime.date(2020, 7, 4),
    )
    assert organisation.representatives.get() == representative
    assert representative.full_name == "M. Jérôme BALOGE"
    assert representative.history.get().history_type == "+"


def test_representative_save_refuses_a_mandate_that_ends_before_it_starts():
    representative = RepresentativeFactory(mandate_start=datetime.date(2020, 7, 4))
    with pytest.raises(ValidationError) as refused:
        representative_save(
            organisation=representative.organisation,
            representative=representative,
            civility=Civility.MR,
            title="Maire",
            mandate_start=datetime.date(2020, 7, 4),
            mandate_end=datetime.date(2014, 3, 1),
        )
    assert refused.value.message_dict["mandate_end"] == [
        "La fin du mandat (01/03/2014) ne peut précéder son début (04/07/2020)."
    ]
    representative.refresh_from_db()
    assert representative.mandate_end is None


def test_representative_save_refuses_a_representative_of_another_organisation():
    representative = RepresentativeFactory()
    with pytest.raises(ValueError, match="another organisation"):
        representative_save(
            organisation=OrganisationFactory(),
            representative=representative,
            civility=Civility.MRS,
            title="Maire",
        )
