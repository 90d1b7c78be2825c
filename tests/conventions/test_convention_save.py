"""convention_save, called with plain data as any caller would: the convention's values
and the rows of its parties, visas and articles that change."""

import datetime
from dataclasses import fields

import pytest
from django.core.exceptions import ValidationError

from config.core.writes import RowChange
from conventions.agreements.services import (
    ArticleData,
    ConventionData,
    LegalReferenceData,
    PartyData,
    convention_save,
)
from conventions.enums import Side
from conventions.models import Article, Convention
from partners.enums import Role
from tests.conventions.factories import ArticleFactory, ConventionFactory
from tests.partners.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db
D = datetime.date


def data_of(convention: Convention, **changes) -> ConventionData:
    """The convention's values as the edit page would send them back, with ``changes``."""
    # The posts (sections) are left as they are (None) unless ``changes`` says.
    values = {
        field.name: getattr(convention, field.name)
        for field in fields(ConventionData)
        if field.name != "posts"
    }
    return ConventionData(**values | changes)


@pytest.fixture
def admin(db):
    return UserFactory(admin=True)


def test_it_creates_a_convention_with_its_parties_visas_and_articles(admin):
    organisation = OrganisationFactory(premises="la Mairie", street="1 place de la Mairie")
    convention = convention_save(
        convention=Convention(),
        data=data_of(Convention(), reference="chauray-2025", title="Chauray", duration_years=3),
        parties=[RowChange(data=PartyData(organisation=organisation, side=Side.FIRST))],
        references=[RowChange(data=LegalReferenceData(kind="vu", text="la loi ;"))],
        articles=[RowChange(data=ArticleData(number=1, title="Objet", body="…"))],
        user=admin,
    )
    saved = Convention.objects.get(reference="chauray-2025")
    assert saved == convention and saved.version == 1
    party = saved.parties.get()
    assert party.domicile == "à la Mairie, 1 place de la Mairie - 79000 NIORT"
    assert saved.references.get().text == "la loi ;"
    assert saved.articles.get().history.get().history_type == "+"


def test_an_edit_bumps_the_version_and_writes_only_the_rows_it_is_given(admin):
    convention = ConventionFactory()
    kept, changed, deleted = (ArticleFactory(convention=convention, number=n) for n in (1, 2, 3))
    deleted_pk = deleted.pk
    convention_save(
        convention=convention,
        data=data_of(convention, title="Nouveau titre"),
        expected_version=1,
        articles=[
            RowChange(row=changed, data=ArticleData(number=2, title="Missions", body="…")),
            RowChange(row=deleted),
            RowChange(data=ArticleData(number=4, title="Durée", body="…")),
        ],
        user=admin,
    )
    convention.refresh_from_db()
    assert (convention.title, convention.version) == ("Nouveau titre", 2)
    assert [(a.number, a.title) for a in convention.articles.all()] == [
        (1, "Objet"),
        (2, "Missions"),
        (4, "Durée"),
    ]
    assert kept.history.count() == 1, "an unchanged row is not saved again"
    assert Article.history.filter(id=deleted_pk).latest("history_date").history_type == "-"


def test_a_save_from_a_stale_version_is_refused_in_french(admin):
    convention = ConventionFactory(title="Titre enregistré", version=3)
    with pytest.raises(ValidationError) as refused:
        convention_save(
            convention=convention,
            data=data_of(convention, title="Titre d'avant"),
            expected_version=2,
            user=admin,
        )
    assert refused.value.code == "stale"
    assert "Quelqu'un d'autre a enregistré cette convention" in refused.value.message
    assert Convention.objects.get(pk=convention.pk).title == "Titre enregistré"


def test_it_refuses_an_end_before_the_start_next_to_the_field_and_writes_nothing(admin):
    convention = ConventionFactory()
    with pytest.raises(ValidationError) as refused:
        convention_save(
            convention=convention,
            data=data_of(
                convention,
                title="Changé",
                start_rule="date",
                stated_start_date=D(2025, 1, 1),
                end_date=D(2024, 12, 31),
            ),
            expected_version=1,
            articles=[RowChange(data=ArticleData(number=1, title="Objet", body="…"))],
            user=admin,
        )
    assert refused.value.message_dict["end_date"] == [
        "La date de fin doit être postérieure à la date de début."
    ]
    convention.refresh_from_db()
    assert convention.title != "Changé" and convention.version == 1
    assert not convention.articles.exists()


def test_a_row_at_fault_is_refused_under_its_list_before_anything_is_written(admin):
    convention = ConventionFactory()
    with pytest.raises(ValidationError) as refused:
        convention_save(
            convention=convention,
            data=data_of(convention, title="Changé"),
            expected_version=1,
            articles=[RowChange(data=ArticleData(number=0, title="Objet", body="…"))],
            user=admin,
        )
    assert refused.value.message_dict == {
        "articles": ["Les articles sont numérotés à partir de 1."]
    }
    assert Convention.objects.get(pk=convention.pk).title != "Changé"


def test_a_local_authority_may_not_drop_its_own_organisation(two_departements):
    world = two_departements["79"]
    convention = world["convention"]
    user = world["users"][Role.LOCAL_AUTHORITY]
    own = convention.parties.get(organisation=user.organisation)
    with pytest.raises(ValidationError, match=r"Votre organisation \(Commune 79\) doit être"):
        convention_save(
            convention=convention,
            data=data_of(convention),
            expected_version=convention.version,
            parties=[RowChange(row=own)],
            user=user,
        )
    assert convention.parties.filter(organisation=user.organisation).exists()
