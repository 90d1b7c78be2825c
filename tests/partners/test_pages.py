"""Partner pages: the registry any user reads, scoped conventions and posts on it."""

import datetime

import pytest
from django.urls import reverse

from partners.enums import OrganisationKind, Role
from partners.models import Organisation
from tests.conventions.factories import ConventionFactory, PartyFactory, PostFactory
from tests.partners.factories import OrganisationFactory, RepresentativeFactory, UserFactory

pytestmark = pytest.mark.django_db
LIST_URL = reverse("partners:list")


def names(response):
    return [o.name for o in response.context["page"].object_list]


@pytest.fixture
def reader(db):
    return UserFactory(role=Role.READ_ONLY_PARTNER)


def test_the_list_finds_an_organisation_by_name_short_name_or_city(client, reader):
    OrganisationFactory(name="France Victimes 79", short_name="FV79", city="NIORT")
    OrganisationFactory(name="Préfecture du Val-d'Oise", short_name="Préf 95", city="Cergy")
    client.force_login(reader)
    for text in ("victimes", "fv79", "niort"):
        found = names(client.get(LIST_URL, {"q": text}))
        assert "France Victimes 79" in found and "Préfecture du Val-d'Oise" not in found, text


def test_the_list_filters_by_kind_and_departement(client, reader):
    OrganisationFactory(name="Asso 79", association=True, departement="79")
    OrganisationFactory(name="Asso 95", association=True, val_doise=True)
    OrganisationFactory(name="Commune 95", val_doise=True)
    client.force_login(reader)
    response = client.get(LIST_URL, {"kind": OrganisationKind.ASSOCIATION, "departement": "95"})
    assert names(response) == ["Asso 95"]


def test_the_departement_filter_offers_the_departements_in_the_registry(client, reader):
    OrganisationFactory(val_doise=True)
    client.force_login(reader)
    choices = dict(client.get(LIST_URL).context["form"].fields["departement"].choices)
    assert set(choices) == {"", "79", "95"}


def test_the_list_shows_fifty_organisations_a_page(client, reader):
    OrganisationFactory.create_batch(55)
    client.force_login(reader)
    first = client.get(LIST_URL)
    second = client.get(LIST_URL, {"page": 2})
    assert len(names(first)) == 50
    assert len(names(second)) == 56 - 50  # the reader's own organisation is listed too
    assert "Page suivante" in first.content.decode()


def test_the_list_keeps_the_filters_in_the_page_links(client, reader):
    OrganisationFactory.create_batch(51, association=True)
    client.force_login(reader)
    content = client.get(LIST_URL, {"kind": "association"}).content.decode()
    assert "?kind=association&amp;page=2" in content


def test_the_list_costs_the_same_queries_whatever_the_number_of_organisations(
    client, reader, django_assert_num_queries
):
    OrganisationFactory.create_batch(3)
    client.force_login(reader)
    # session, user, savepoint (ATOMIC_REQUESTS), the départements of the filter, the
    # count, the page of organisations, the user's organisation (header), release
    # savepoint
    with django_assert_num_queries(8):
        client.get(LIST_URL, {"q": "organisation"})
    OrganisationFactory.create_batch(80)
    with django_assert_num_queries(8):
        client.get(LIST_URL, {"q": "organisation"})


# Detail -----------------------------------------------------------------------


def test_the_detail_shows_identity_and_contact(client, reader):
    organisation = OrganisationFactory(
        name="France Victimes 79",
        association=True,
        street="7A rue Max Linder",
        postal_code="79000",
        city="NIORT",
        rna="W791000123",
        phone="05 49 00 00 00",
        email="contact@fv79.invalid",
    )
    client.force_login(reader)
    content = client.get(organisation.get_absolute_url()).content.decode()
    for text in (
        "7A rue Max Linder - 79000 NIORT",
        organisation.siret,
        "W791000123",
        "05 49 00 00 00",
        "contact@fv79.invalid",
    ):
        assert text in content


def test_representatives_in_office_come_before_former_ones(client, reader):
    organisation = OrganisationFactory()
    RepresentativeFactory(
        organisation=organisation,
        last_name="ANCIEN",
        mandate_start=datetime.date(2008, 3, 1),
        mandate_end=datetime.date(2014, 3, 1),
    )
    RepresentativeFactory(
        organisation=organisation, last_name="ACTUEL", mandate_start=datetime.date(2020, 7, 1)
    )
    RepresentativeFactory(
        organisation=organisation,
        last_name="PRECEDENT",
        mandate_start=datetime.date(2014, 3, 2),
        mandate_end=datetime.date(2020, 6, 30),
    )
    client.force_login(reader)
    response = client.get(organisation.get_absolute_url())
    assert [r.last_name for r in response.context["representatives"]] == [
        "ACTUEL",
        "PRECEDENT",
        "ANCIEN",
    ]
    content = response.content.decode()
    assert "En fonction" in content and "depuis le 1er juillet 2020" in content


def test_a_val_doise_user_does_not_see_niort_conventions_on_a_partner_page(
    client, two_departements
):
    # The État signs in both départements: one organisation party to both conventions.
    state = OrganisationFactory(name="Ministère de l'Intérieur", prefecture=True)
    for dep in ("79", "95"):
        PartyFactory(convention=two_departements[dep]["convention"], organisation=state)
    client.force_login(two_departements["95"]["users"][Role.LOCAL_AUTHORITY])
    response = client.get(state.get_absolute_url())
    assert response.status_code == 200
    listed = [row["convention"] for row in response.context["convention_rows"]]
    assert listed == [two_departements["95"]["convention"]]
    assert "convention-79" not in response.content.decode()


def test_a_partner_page_lists_only_the_posts_in_the_users_scope(client, two_departements):
    employer = two_departements["79"]["post"].employer
    client.force_login(two_departements["95"]["users"][Role.DDSP_SECRETARIAT])
    response = client.get(employer.get_absolute_url())
    assert response.status_code == 200
    assert list(response.context["posts"]) == []
    client.force_login(two_departements["79"]["users"][Role.DDSP_SECRETARIAT])
    response = client.get(employer.get_absolute_url())
    assert list(response.context["posts"]) == [two_departements["79"]["post"]]


def test_a_partner_page_tells_the_role_of_the_organisation_in_each_convention(
    client, two_departements
):
    employer = two_departements["79"]["post"].employer
    party = employer.parties.get()
    party.is_employer = True
    party.save()
    client.force_login(two_departements["79"]["users"][Role.LOCAL_AUTHORITY])
    content = client.get(employer.get_absolute_url()).content.decode()
    assert "Partie signataire : employeur (autorité hiérarchique)" in content


def add_signed_conventions(organisation, count):
    start = organisation.parties.count()
    for index in range(start, start + count):
        # An explicit reference: the factory's sequence may meet the fixtures' "convention-79".
        convention = ConventionFactory(
            post=PostFactory(employer=organisation), reference=f"partenaire-{index}"
        )
        PartyFactory(convention=convention, organisation=organisation, signed_on="2022-01-10")
        PartyFactory(convention=convention, signed_on="2022-01-12")
        RepresentativeFactory(organisation=organisation)


def test_the_detail_costs_the_same_queries_whatever_the_number_of_conventions(
    client, django_assert_num_queries
):
    organisation = OrganisationFactory(association=True)
    user = UserFactory(organisation=organisation, role=Role.EMPLOYER_COORDINATION)
    add_signed_conventions(organisation, 1)
    client.force_login(user)
    # session, user, savepoint (ATOMIC_REQUESTS), the organisation, its representatives,
    # the user's organisation (scope), the conventions in scope, their sections with their
    # posts, the posts' sites, their parties, their renewals, their amendments, the
    # conventions that renew them, their linked deliberations (the status of one not yet
    # signed), the posts in scope, their sites, release savepoint
    with django_assert_num_queries(17):
        response = client.get(organisation.get_absolute_url())
    assert len(response.context["convention_rows"]) == 1
    add_signed_conventions(organisation, 6)
    for index in range(3):  # not yet signed: their status reads their deliberations
        convention = ConventionFactory(
            post=PostFactory(employer=organisation), reference=f"projet-{index}"
        )
        PartyFactory(convention=convention, organisation=organisation)
    with django_assert_num_queries(17):
        response = client.get(organisation.get_absolute_url())
    assert len(response.context["convention_rows"]) == 10


# Editing: administrators only ------------------------------------------------------

VALID = {
    "name": "France Victimes 79",
    "short_name": "France Victimes 79",
    "kind": "association",
    "departement": "79",
    "street": "7A rue Max Linder",
    "postal_code": "79000",
    "city": "NIORT",
    "siret": "",
    "rna": "",
    "premises": "",
    "phone": "",
    "email": "",
}


NOT_LOCAL_AUTHORITIES = [role for role in Role if role != Role.LOCAL_AUTHORITY]


@pytest.mark.parametrize("role", NOT_LOCAL_AUTHORITIES)
def test_only_the_administrator_and_local_authorities_create_organisations(client, role):
    client.force_login(UserFactory(role=role))
    assert client.get(reverse("partners:create")).status_code == 403
    assert client.post(reverse("partners:create"), VALID).status_code == 403
    assert not Organisation.objects.filter(name="France Victimes 79").exists()


def test_a_local_authority_creates_a_partner_of_its_departement(client):
    user = UserFactory(role=Role.LOCAL_AUTHORITY, organisation__departement="79")
    client.force_login(user)
    assert client.get(reverse("partners:create")).status_code == 200
    response = client.post(reverse("partners:create"), {**VALID, "departement": "95"})
    organisation = Organisation.objects.get(name="France Victimes 79")
    assert response["Location"] == organisation.get_absolute_url()
    # The département is its own, whatever the request says.
    assert organisation.departement == "79"


def test_a_local_authority_is_told_in_french_of_a_wrong_siret(client):
    client.force_login(UserFactory(role=Role.LOCAL_AUTHORITY))
    response = client.post(reverse("partners:create"), {**VALID, "siret": "12345678901234"})
    assert response.status_code == 200
    assert "clé de contrôle incorrecte" in response.context["form"].errors["siret"][0]


def editor_urls(organisation, representative):
    return (
        reverse("partners:edit", args=[organisation.pk]),
        reverse("partners:representative_create", args=[organisation.pk]),
        reverse("partners:representative_edit", args=[organisation.pk, representative.pk]),
    )


@pytest.mark.parametrize("role", NOT_LOCAL_AUTHORITIES)
def test_only_the_administrator_and_local_authorities_edit_organisations(client, role):
    representative = RepresentativeFactory()
    client.force_login(UserFactory(role=role))
    for url in editor_urls(representative.organisation, representative):
        assert client.get(url).status_code == 403, url


def test_a_local_authority_edits_the_partners_of_its_departement_only(client):
    ours = RepresentativeFactory(organisation__departement="79")
    theirs = RepresentativeFactory(organisation=OrganisationFactory(val_doise=True))
    client.force_login(UserFactory(role=Role.LOCAL_AUTHORITY, organisation__departement="79"))
    for url in editor_urls(ours.organisation, ours):
        assert client.get(url).status_code == 200, url
    for url in editor_urls(theirs.organisation, theirs):
        assert client.get(url).status_code == 403, url
    page = client.get(reverse("partners:detail", args=[theirs.organisation.pk]))
    assert reverse("partners:edit", args=[theirs.organisation.pk]) not in page.content.decode()


def test_a_local_authority_adds_an_interim_representative_without_civility(client):
    organisation = OrganisationFactory(departement="79", prefecture=True)
    client.force_login(UserFactory(role=Role.LOCAL_AUTHORITY, organisation__departement="79"))
    response = client.post(
        reverse("partners:representative_create", args=[organisation.pk]),
        {
            "civility": "",
            "first_name": "Claude",
            "last_name": "MARTIN",
            "title": "Préfet des Deux-Sèvres",
            "acting": "on",
            "mandate_start": "2025-09-01",
        },
    )
    assert response.status_code == 302
    representative = organisation.representatives.get()
    assert (representative.civility, representative.acting) == ("", True)


def test_an_administrator_creates_an_organisation(client, admin_user):
    client.force_login(admin_user)
    response = client.post(reverse("partners:create"), VALID)
    organisation = Organisation.objects.get(name="France Victimes 79")
    assert response.status_code == 302
    assert response["Location"] == organisation.get_absolute_url()


def post_organisation(client, admin_user, **changes):
    client.force_login(admin_user)
    response = client.post(reverse("partners:create"), {**VALID, **changes})
    assert response.status_code == 200, "the invalid form is shown again"
    return response.context["form"].errors


def test_it_rejects_a_siret_with_a_wrong_check_digit(client, admin_user):
    errors = post_organisation(client, admin_user, siret="12345678901234")
    assert errors["siret"] == [
        "Ce SIRET n'est pas valide (clé de contrôle incorrecte) : vérifiez les 14 chiffres."
    ]


def test_it_rejects_a_siret_of_the_wrong_length(client, admin_user):
    errors = post_organisation(client, admin_user, siret="1234567890")
    assert errors["siret"] == ["Le SIRET doit comporter exactement 14 chiffres."]


def test_it_accepts_a_siret_typed_with_spaces(client, admin_user):
    client.force_login(admin_user)
    client.post(reverse("partners:create"), {**VALID, "siret": "732 829 320 00074"})
    assert Organisation.objects.get(name="France Victimes 79").siret == "73282932000074"


def test_it_rejects_a_malformed_rna(client, admin_user):
    errors = post_organisation(client, admin_user, rna="W79100")
    assert errors["rna"] == [
        "Le numéro RNA s'écrit W suivi de 9 chiffres (par exemple W791000123)."
    ]


def test_it_rejects_an_rna_for_an_organisation_that_is_not_an_association(client, admin_user):
    errors = post_organisation(client, admin_user, kind="commune", rna="W791000123")
    assert "Seule une association a un numéro RNA" in errors["rna"][0]


def test_it_rejects_a_near_duplicate_name_and_names_the_existing_organisation(client, admin_user):
    OrganisationFactory(name="France Victimes 79", association=True, departement="79")
    errors = post_organisation(client, admin_user, name="France victime 79")
    assert errors["name"] == [
        "« France Victimes 79 » existe déjà parmi les organisations de type « Association » "
        "du département 79 : ce nom est presque identique. Modifiez l'organisation existante "
        "plutôt que d'en créer une seconde."
    ]
    assert Organisation.objects.filter(departement="79", kind="association").count() == 1


def test_the_same_name_is_allowed_in_another_departement(client, admin_user):
    OrganisationFactory(name="France Victimes 79", association=True, val_doise=True)
    client.force_login(admin_user)
    response = client.post(reverse("partners:create"), VALID)
    assert response.status_code == 302


def test_an_organisation_keeps_its_own_name_when_edited(client, admin_user):
    organisation = OrganisationFactory(name="France Victimes 79", association=True)
    client.force_login(admin_user)
    response = client.post(
        reverse("partners:edit", args=[organisation.pk]),
        {**VALID, "phone": "05 49 00 00 00", "version": organisation.version},
    )
    assert response.status_code == 302
    organisation.refresh_from_db()
    assert organisation.phone == "05 49 00 00 00"


def test_an_administrator_adds_a_representative_with_a_mandate(client, admin_user):
    organisation = OrganisationFactory()
    client.force_login(admin_user)
    response = client.post(
        reverse("partners:representative_create", args=[organisation.pk]),
        {
            "civility": "M.",
            "first_name": "Jérôme",
            "last_name": "Baloge",
            "title": "Maire",
            "mandate_start": "2020-07-04",
            "mandate_end": "",
        },
    )
    assert response.status_code == 302
    representative = organisation.representatives.get()
    assert representative.full_name == "M. Jérôme BALOGE"
    assert representative.mandate_start == datetime.date(2020, 7, 4)


def test_it_rejects_a_mandate_that_ends_before_it_starts(client, admin_user):
    representative = RepresentativeFactory(mandate_start=datetime.date(2020, 7, 4))
    client.force_login(admin_user)
    response = client.post(
        reverse(
            "partners:representative_edit",
            args=[representative.organisation.pk, representative.pk],
        ),
        {
            "civility": "M.",
            "first_name": "Jérôme",
            "last_name": "Baloge",
            "title": "Maire",
            "mandate_start": "2020-07-04",
            "mandate_end": "2014-03-01",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["mandate_end"] == [
        "La fin du mandat (01/03/2014) ne peut précéder son début (04/07/2020)."
    ]
    representative.refresh_from_db()
    assert representative.mandate_end is None


def test_it_accepts_an_rna_typed_in_lower_case_with_spaces(client, admin_user):
    client.force_login(admin_user)
    client.post(reverse("partners:create"), {**VALID, "rna": "w791 000 123"})
    assert Organisation.objects.get(name="France Victimes 79").rna == "W791000123"
