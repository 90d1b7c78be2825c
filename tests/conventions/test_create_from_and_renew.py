"""New drafts from a model convention or an own convention, and renewals."""

import datetime

import pytest
from django.urls import reverse

from config.devtools.demo import model_convention as demo_models
from conventions.models import Convention
from partners.enums import Role
from tests.conventions.factories import (
    ArticleFactory,
    AssociatedPartnerFactory,
    CommitteeMemberFactory,
    LegalReferenceFactory,
    PartyFactory,
    ReportingRuleFactory,
    signed_convention,
)
from tests.partners.factories import RepresentativeFactory

pytestmark = pytest.mark.django_db
D = datetime.date
CREATE_FROM_URL = reverse("conventions:create_from")


@pytest.fixture
def model_convention(db):
    return demo_models.load()


def test_a_draft_from_the_model_fills_the_placeholders_from_the_post_and_parties(
    client, two_departements, model_convention
):
    world = two_departements["79"]
    post = world["post"]
    prefecture = world["convention"].parties.get(order=0).organisation
    RepresentativeFactory(organisation=prefecture, title="Préfet des Deux-Sèvres")
    post.employer.name = "France Victimes 79"
    post.employer.save()
    commune = world["users"][Role.LOCAL_AUTHORITY].organisation
    commune.name = "Commune de Chauray"
    commune.save()
    client.force_login(world["users"][Role.LOCAL_AUTHORITY])
    response = client.post(
        CREATE_FROM_URL,
        {"source": model_convention.pk, "reference": "commune-79-2025", "post": post.pk},
    )
    draft = Convention.objects.get(reference="commune-79-2025")
    assert response.status_code == 302
    assert response["Location"] == reverse("conventions:edit", args=[draft.reference])
    articles = {a.number: a.body for a in draft.articles.all()}
    assert len(articles) == len(demo_models.ARTICLES)
    assert "lien hiérarchique avec France Victimes 79" in articles[4]
    assert f"positionné au {post.site_names}." in articles[4]
    assert "à hauteur de 1 ETP" in articles[5]
    assert "sur l'ensemble de la commune de Chauray dans" in articles[8]
    assert "communiqués au Préfet des Deux-Sèvres (service des sécurités)" in articles[11]
    assert articles[12].startswith("La présente convention de trois ans")
    assert "{" not in "".join(articles.values())
    assert "la ville de Chauray en matière" in draft.references.get(kind="considerant").text


def test_a_draft_from_the_model_has_the_usual_four_parties_unsigned(
    client, two_departements, model_convention
):
    world = two_departements["79"]
    client.force_login(world["users"][Role.LOCAL_AUTHORITY])
    client.post(
        CREATE_FROM_URL,
        {"source": model_convention.pk, "reference": "commune-79-2025", "post": world["post"].pk},
    )
    draft = Convention.objects.get(reference="commune-79-2025")
    parties = list(draft.parties.all())
    assert [p.organisation.name for p in parties] == ["Préf 79", "Commune 79", "DDSP 79", "Asso 79"]
    assert [p.side for p in parties] == ["first", "first", "second", "second"]
    assert all(p.signed_on is None for p in parties)
    assert parties[3].is_employer and parties[2].is_functional_authority
    assert not draft.is_template


def test_an_unfilled_placeholder_stays_and_is_pointed_out(
    client, two_departements, model_convention
):
    world = two_departements["79"]
    client.force_login(world["users"][Role.LOCAL_AUTHORITY])
    # No post: neither site nor ETP is known.
    response = client.post(
        CREATE_FROM_URL,
        {"source": model_convention.pk, "reference": "sans-poste"},
        follow=True,
    )
    draft = Convention.objects.get(reference="sans-poste")
    assert "{site}" in draft.articles.get(number=4).body
    assert "Restent à compléter à la main dans les textes : " in response.content.decode()
    assert "{etp}" in response.content.decode()


def test_a_draft_from_an_own_convention_copies_its_texts_and_parties_without_signatures(
    client, two_departements
):
    world = two_departements["79"]
    source = world["convention"]
    world["convention"].parties.update(signed_on=D(2021, 10, 5))
    LegalReferenceFactory(convention=source, text="la loi du 5 mars 2007 ;")
    ArticleFactory(convention=source, number=1, title="Objet", body="Pour {site}.")
    ReportingRuleFactory(convention=source)
    CommitteeMemberFactory(convention=source, member="Madame la Maire")
    AssociatedPartnerFactory(convention=source)
    client.force_login(world["users"][Role.LOCAL_AUTHORITY])
    client.post(CREATE_FROM_URL, {"source": source.pk, "reference": "copie"})
    draft = Convention.objects.get(reference="copie")
    assert draft.title == source.title
    assert draft.references.get().text == "la loi du 5 mars 2007 ;"
    assert draft.articles.get().title == "Objet"
    assert draft.reporting_rules.get().due_month == 4
    assert draft.committee_members.get().member == "Madame la Maire"
    assert draft.associated_partners.count() == 1
    assert set(draft.parties.values_list("organisation", flat=True)) == set(
        source.parties.values_list("organisation", flat=True)
    )
    assert not draft.parties.filter(signed_on__isnull=False).exists()


def test_a_convention_of_another_departement_is_no_starting_point(client, two_departements):
    world = two_departements["79"]
    client.force_login(world["users"][Role.LOCAL_AUTHORITY])
    response = client.post(
        CREATE_FROM_URL,
        {"source": two_departements["95"]["convention"].pk, "reference": "copie"},
    )
    assert "Sélectionnez un choix valide" in response.content.decode()
    assert not Convention.objects.filter(reference="copie").exists()


def test_a_reference_already_taken_is_refused(client, two_departements, model_convention):
    world = two_departements["79"]
    client.force_login(world["users"][Role.LOCAL_AUTHORITY])
    response = client.post(
        CREATE_FROM_URL, {"source": model_convention.pk, "reference": "convention-95"}
    )
    assert "Une convention porte déjà cette référence." in response.content.decode()


def test_the_model_form_documents_the_placeholders(client, two_departements):
    client.force_login(two_departements["79"]["users"][Role.LOCAL_AUTHORITY])
    content = client.get(CREATE_FROM_URL).content.decode()
    for name in ("{employeur}", "{site}", "{commune}", "{etp}", "{prefet}", "{duree}"):
        assert name in content


def test_loading_the_model_convention_twice_changes_nothing(model_convention):
    before = (model_convention.articles.count(), model_convention.references.count())
    demo_models.load()
    assert Convention.objects.filter(reference=demo_models.REFERENCE).count() == 1
    assert (model_convention.articles.count(), model_convention.references.count()) == before


# Renewal ------------------------------------------------------------------------


@pytest.fixture
def niort_2021(two_departements):
    world = two_departements["79"]
    organisations = [p.organisation for p in world["convention"].parties.all()]
    convention = signed_convention(
        post=world["post"],
        signed_on=D(2021, 10, 12),
        organisations=organisations,
        reference="niort-2021",
        end_date=D(2023, 12, 31),
        duration_years=3,
    )
    ArticleFactory(convention=convention, number=1, title="Objet")
    ReportingRuleFactory(convention=convention)
    return convention


def renew(client, convention):
    return client.post(reverse("conventions:renew", args=[convention.reference]))


def test_renewing_creates_the_next_convention_and_opens_its_edit_page(
    client, two_departements, niort_2021
):
    client.force_login(two_departements["79"]["users"][Role.LOCAL_AUTHORITY])
    response = renew(client, niort_2021)
    renewal = Convention.objects.get(renews=niort_2021)
    assert renewal.reference == "niort-2024"
    assert response["Location"] == reverse("conventions:edit", args=["niort-2024"])


def test_the_renewal_keeps_post_parties_and_texts_without_signatures(
    client, two_departements, niort_2021
):
    client.force_login(two_departements["79"]["users"][Role.LOCAL_AUTHORITY])
    renew(client, niort_2021)
    renewal = Convention.objects.get(renews=niort_2021)
    assert list(renewal.posts.all()) == list(niort_2021.posts.all())
    assert list(renewal.parties.values_list("organisation", flat=True)) == list(
        niort_2021.parties.values_list("organisation", flat=True)
    )
    assert not renewal.parties.filter(signed_on__isnull=False).exists()
    assert renewal.articles.get().title == "Objet"
    assert renewal.reporting_rules.count() == 1
    # The written end date moves on by the three-year duration.
    assert renewal.end_date == D(2026, 12, 31)


def test_renewing_twice_opens_the_existing_renewal(client, two_departements, niort_2021):
    client.force_login(two_departements["79"]["users"][Role.LOCAL_AUTHORITY])
    renew(client, niort_2021)
    response = renew(client, niort_2021)
    assert Convention.objects.filter(renews=niort_2021).count() == 1
    assert response["Location"] == reverse("conventions:edit", args=["niort-2024"])


def test_a_taken_renewal_reference_gets_a_suffix(client, two_departements, niort_2021):
    PartyFactory(
        convention=Convention.objects.create(reference="niort-2024", title="Autre"),
    )
    client.force_login(two_departements["79"]["users"][Role.LOCAL_AUTHORITY])
    renew(client, niort_2021)
    assert Convention.objects.get(renews=niort_2021).reference == "niort-2024-2"


def test_a_read_only_partner_cannot_renew(client, two_departements, niort_2021):
    client.force_login(two_departements["79"]["users"][Role.READ_ONLY_PARTNER])
    assert renew(client, niort_2021).status_code == 403
    assert not Convention.objects.filter(renews=niort_2021).exists()


def test_renewing_needs_a_post_request(client, two_departements, niort_2021):
    client.force_login(two_departements["79"]["users"][Role.LOCAL_AUTHORITY])
    response = client.get(reverse("conventions:renew", args=[niort_2021.reference]))
    assert response.status_code == 405
    assert not Convention.objects.filter(renews=niort_2021).exists()


def test_the_renewal_is_printed_like_the_convention_it_renews(client, two_departements, niort_2021):
    niort_2021.parties_opening, niort_2021.parties_group_link = "Entre", "Et"
    niort_2021.first_side_closing = niort_2021.second_side_closing = ""
    niort_2021.save()
    first, second = niort_2021.parties.all()[:2]
    for party, column in ((first, 2), (second, 1)):
        party.signature_row, party.signature_column = 1, column
        party.save()
    client.force_login(two_departements["79"]["users"][Role.LOCAL_AUTHORITY])
    renew(client, niort_2021)
    renewal = Convention.objects.get(renews=niort_2021)
    layout = ("Entre", "ET", "Et", "", "")
    assert (
        renewal.parties_opening,
        renewal.parties_member_link,
        renewal.parties_group_link,
        renewal.first_side_closing,
        renewal.second_side_closing,
    ) == layout
    cells = [(p.signature_row, p.signature_column) for p in renewal.parties.all()[:2]]
    assert cells == [(1, 2), (1, 1)]
