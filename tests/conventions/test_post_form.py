"""A post created and changed from the site (issue #20, item 4): by the national
administrator, and by a local authority for its département; the post it creates stays
in its scope, and in nobody else's."""

from urllib.parse import quote

import pytest
from django.urls import reverse

from config.core.idempotency import SUBMISSION_FIELD, new_token
from conventions.access import scope_for
from conventions.enums import Force, SiteKind
from conventions.models import Post
from partners.enums import Role
from tests.conventions.factories import PostFactory
from tests.partners.factories import OrganisationFactory

pytestmark = pytest.mark.django_db
CREATE_URL = reverse("conventions:post_create")


def edit_url(post):
    return reverse("conventions:post_edit", args=[post.pk])


def site(authority, **changes):
    return {
        "order": 1,
        "kind": SiteKind.COMMISSARIAT,
        "name": "Commissariat de Parthenay",
        "address": "",
        "force": Force.POLICE,
        "functional_authority": authority.pk,
        **changes,
    }


def create_data(employer, sites, **fields):
    data = {
        "name": "ISC de Parthenay",
        "departement": "79",
        "fte": "0,5",
        "employer": employer.pk,
        "sites-TOTAL_FORMS": len(sites),
        "sites-INITIAL_FORMS": 0,
        "sites-MIN_NUM_FORMS": 0,
        "sites-MAX_NUM_FORMS": 12,
        **fields,
    }
    for index, row in enumerate(sites):
        for name, value in row.items():
            data[f"sites-{index}-{name}"] = value
    return data


@pytest.fixture
def world(two_departements):
    return two_departements


@pytest.fixture
def local_authority(world):
    return world["79"]["users"][Role.LOCAL_AUTHORITY]


@pytest.fixture
def ddsp(world):
    return world["79"]["post"].sites.get().functional_authority


@pytest.fixture
def employer(world):
    return world["79"]["post"].employer


def test_a_local_authority_creates_a_post_with_its_site_and_then_sees_it(
    client, local_authority, ddsp, employer
):
    client.force_login(local_authority)
    assert client.get(CREATE_URL).status_code == 200
    response = client.post(CREATE_URL, create_data(employer, [site(ddsp)]))
    post = Post.objects.get(name="ISC de Parthenay")
    assert response.status_code == 302
    assert response["Location"] == post.get_absolute_url()
    assert (post.departement, str(post.fte), post.employer) == ("79", "0.50", employer)
    assert [(s.name, s.force, s.functional_authority) for s in post.sites.all()] == [
        ("Commissariat de Parthenay", Force.POLICE, ddsp)
    ]
    assert post.created_by_organisation == local_authority.organisation
    page = client.get(post.get_absolute_url())
    assert page.status_code == 200
    assert "ISC de Parthenay" in client.get(reverse("conventions:post_list")).content.decode()


def test_the_post_a_local_authority_created_is_out_of_the_scope_of_others(
    client, world, local_authority, ddsp, employer
):
    client.force_login(local_authority)
    client.post(CREATE_URL, create_data(employer, [site(ddsp)]))
    post = Post.objects.get(name="ISC de Parthenay")
    # The other département's local authority, and the employer's coordination (the
    # employer sees the posts it employs: this one it does), the prefecture's reader.
    assert not scope_for(world["95"]["users"][Role.LOCAL_AUTHORITY]).posts().filter(pk=post.pk)
    assert not scope_for(world["79"]["users"][Role.READ_ONLY_PARTNER]).posts().filter(pk=post.pk)
    client.force_login(world["95"]["users"][Role.LOCAL_AUTHORITY])
    assert client.get(post.get_absolute_url()).status_code == 404
    assert client.get(edit_url(post)).status_code == 404
    # Creating a post opens no convention: the creator sees the same conventions.
    assert list(scope_for(local_authority).conventions()) == [world["79"]["convention"]]


def test_a_local_authority_creates_a_post_of_its_own_departement_only(
    client, local_authority, ddsp, employer
):
    client.force_login(local_authority)
    client.post(CREATE_URL, create_data(employer, [site(ddsp)], departement="95"))
    assert Post.objects.get(name="ISC de Parthenay").departement == "79"


def test_a_post_without_a_site_is_refused_in_french(client, local_authority, employer):
    client.force_login(local_authority)
    response = client.post(CREATE_URL, create_data(employer, []))
    assert response.status_code == 200
    assert "Un poste a au moins un site" in response.content.decode()
    assert not Post.objects.filter(name="ISC de Parthenay").exists()


def test_a_fte_over_one_is_refused_next_to_the_field(client, local_authority, ddsp, employer):
    client.force_login(local_authority)
    response = client.post(CREATE_URL, create_data(employer, [site(ddsp)], fte="1,5"))
    assert response.status_code == 200
    assert response.context["form"].errors["fte"]
    assert "inférieure ou égale à 1" in response.context["form"].errors["fte"][0]
    assert not Post.objects.filter(name="ISC de Parthenay").exists()


def test_an_authority_of_another_departement_is_not_offered_to_a_local_authority(
    client, world, local_authority, employer
):
    other_ddsp = world["95"]["post"].sites.get().functional_authority
    client.force_login(local_authority)
    response = client.post(CREATE_URL, create_data(employer, [site(other_ddsp)]))
    assert response.status_code == 200
    assert response.context["sites"].forms[0].errors["functional_authority"]
    assert not Post.objects.filter(name="ISC de Parthenay").exists()


def test_the_same_creation_sent_twice_makes_one_post(client, local_authority, ddsp, employer):
    client.force_login(local_authority)
    data = create_data(employer, [site(ddsp)], **{SUBMISSION_FIELD: new_token()})
    assert client.post(CREATE_URL, data).status_code == 302
    assert client.post(CREATE_URL, data).status_code == 302
    assert Post.objects.filter(name="ISC de Parthenay").count() == 1


def test_the_new_post_sends_back_to_the_convention_form_that_needed_it(
    client, local_authority, ddsp, employer, world
):
    convention = world["79"]["convention"]
    form_url = reverse("conventions:edit", args=[convention.reference])
    client.force_login(local_authority)
    form_page = client.get(form_url).content.decode()
    assert f"{CREATE_URL}?next={quote(form_url)}" in form_page
    response = client.post(f"{CREATE_URL}?next={form_url}", create_data(employer, [site(ddsp)]))
    assert response["Location"] == form_url
    post = Post.objects.get(name="ISC de Parthenay")
    choices = client.get(form_url).context["form"].fields["posts"].queryset
    assert post in choices


def test_a_next_address_of_another_site_is_ignored(client, local_authority, ddsp, employer):
    client.force_login(local_authority)
    response = client.post(
        f"{CREATE_URL}?next=https://example.org/", create_data(employer, [site(ddsp)])
    )
    assert response["Location"] == Post.objects.get(name="ISC de Parthenay").get_absolute_url()


@pytest.mark.parametrize(
    "role",
    [
        Role.DDSP_SECRETARIAT,
        Role.EMPLOYER_COORDINATION,
        Role.READ_ONLY_PARTNER,
        Role.SOCIAL_WORKER,
    ],
)
def test_only_local_authorities_and_the_administrator_create_posts(client, world, role):
    client.force_login(world["79"]["users"][role])
    assert client.get(CREATE_URL).status_code == 403


def test_the_administrator_creates_a_post_in_any_departement(client, admin_user, world):
    groupement = OrganisationFactory(departement="2A", groupement=True)
    employer = OrganisationFactory(departement="2A", association=True)
    client.force_login(admin_user)
    response = client.post(
        CREATE_URL,
        create_data(
            employer,
            [
                site(
                    groupement,
                    kind=SiteKind.GENDARMERIE_BRIGADE,
                    name="Brigade d'Ajaccio",
                    force=Force.GENDARMERIE,
                )
            ],
            departement="2A",
            name="ISC d'Ajaccio",
        ),
    )
    assert response.status_code == 302
    post = Post.objects.get(name="ISC d'Ajaccio")
    assert post.departement == "2A"
    assert post.created_by_organisation is None


# Changing a post ------------------------------------------------------------------------


def test_a_local_authority_changes_a_post_it_funds(client, world, local_authority):
    post = world["79"]["post"]
    client.force_login(local_authority)
    assert client.get(edit_url(post)).status_code == 200
    response = client.post(
        edit_url(post),
        {
            "name": "ISC de Niort",
            "departement": "79",
            "fte": "0,8",
            "employer": post.employer_id,
            "version": post.version,
        },
    )
    assert response.status_code == 302
    post.refresh_from_db()
    assert (post.name, str(post.fte)) == ("ISC de Niort", "0.80")
    assert "Modifier" in client.get(post.get_absolute_url()).content.decode()


def test_a_post_changed_meanwhile_refuses_the_stale_edit_in_french(client, world, local_authority):
    post = world["79"]["post"]
    client.force_login(local_authority)
    data = {
        "name": "ISC de Niort",
        "departement": "79",
        "fte": "0,8",
        "employer": post.employer_id,
        "version": post.version,
    }
    assert client.post(edit_url(post), data).status_code == 302
    response = client.post(edit_url(post), {**data, "name": "Autre nom"})
    assert response.status_code == 200
    assert "Quelqu&#x27;un d&#x27;autre a enregistré ce poste" in response.content.decode()
    post.refresh_from_db()
    assert post.name == "ISC de Niort"


@pytest.mark.parametrize(
    "role", [Role.DDSP_SECRETARIAT, Role.EMPLOYER_COORDINATION, Role.READ_ONLY_PARTNER]
)
def test_who_does_not_fund_the_post_may_not_change_it(client, world, role):
    post = world["79"]["post"]
    client.force_login(world["79"]["users"][role])
    assert client.get(edit_url(post)).status_code in (403, 404)
    page = client.get(post.get_absolute_url())
    if page.status_code == 200:
        assert edit_url(post) not in page.content.decode()


def test_a_post_of_another_departement_is_not_found(client, world, local_authority):
    client.force_login(local_authority)
    assert client.get(edit_url(world["95"]["post"])).status_code == 404


def test_the_post_creation_page_costs_a_fixed_number_of_queries(
    client, local_authority, django_assert_num_queries
):
    client.force_login(local_authority)
    for _ in range(3):
        PostFactory(departement="79")
    # session, user, savepoint (ATOMIC_REQUESTS), the user's organisation (scope), the
    # employers offered, the authorities offered for the blank row and again for the
    # template of a new row, release savepoint
    with django_assert_num_queries(8):
        client.get(CREATE_URL)


def test_the_post_edit_page_costs_a_fixed_number_of_queries(
    client, world, local_authority, django_assert_num_queries
):
    post = world["79"]["post"]
    client.force_login(local_authority)
    # session, user, savepoint (ATOMIC_REQUESTS), the user's organisation (scope), the post
    # in scope with its employer, its sites with their authorities, its holders, whether
    # the user's organisation is party to one of its conventions, the employers offered,
    # release savepoint
    with django_assert_num_queries(10):
        client.get(edit_url(post))
