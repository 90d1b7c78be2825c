"""The one scoping function: each role sees exactly its organisation's share."""

import pytest

from conventions.access import scope_for
from partners.enums import Role
from tests.conventions.factories import ConventionFactory, PostFactory
from tests.partners.factories import UserFactory
from tests.roles import DEPARTEMENTAL_ROLES

pytestmark = pytest.mark.django_db


def visible(user):
    scope = scope_for(user)
    return set(scope.conventions()), set(scope.posts())


@pytest.mark.parametrize("role", DEPARTEMENTAL_ROLES)
@pytest.mark.parametrize("dep,other", [("79", "95"), ("95", "79")])
def test_each_role_sees_its_departement_convention_and_post_only(
    two_departements, role, dep, other
):
    world = two_departements[dep]
    conventions, posts = visible(world["users"][role])
    if role == Role.GENDARMERIE_SECRETARIAT:
        # The groupement is the authority of the brigade's post only, which has no
        # convention yet; the commissariat's convention is not its business.
        assert (conventions, posts) == (set(), {world["gendarmerie_post"]})
    elif role == Role.DEPARTEMENTAL_STEERING:
        # The préfecture steers every post of its département, with a convention or not.
        assert conventions == {world["convention"]}
        assert posts == {world["post"], world["gendarmerie_post"]}
    else:
        assert conventions == {world["convention"]}
        assert posts == {world["post"]}


@pytest.mark.parametrize(
    "role, sees_police_post, sees_gendarmerie_post",
    [
        # Issue #18: each secretariat validates the posts it is the functional authority
        # of; a police and a gendarmerie secretariat of one département never see each
        # other's posts.
        (Role.DDSP_SECRETARIAT, True, False),
        (Role.GENDARMERIE_SECRETARIAT, False, True),
    ],
)
def test_a_secretariat_sees_the_posts_of_its_authority_even_without_being_party(
    two_departements, role, sees_police_post, sees_gendarmerie_post
):
    world = two_departements["79"]
    police_post = PostFactory(
        departement="79", functional_authority=world["post"].functional_authorities[0]
    )
    police_convention = ConventionFactory(post=police_post)
    gendarmerie_convention = ConventionFactory(post=world["gendarmerie_post"])
    conventions, posts = visible(world["users"][role])
    assert (police_post in posts, police_convention in conventions) == (sees_police_post,) * 2
    assert (
        world["gendarmerie_post"] in posts,
        gendarmerie_convention in conventions,
    ) == (sees_gendarmerie_post,) * 2
    conventions, posts = visible(two_departements["95"]["users"][role])
    assert police_post not in posts and police_convention not in conventions


@pytest.mark.parametrize("role", [Role.DDSP_SECRETARIAT, Role.GENDARMERIE_SECRETARIAT])
def test_both_secretariats_see_a_mixed_post(two_departements, role):
    world = two_departements["79"]
    mixed = PostFactory(
        departement="79", functional_authority=world["post"].functional_authorities[0]
    )
    mixed.sites.create(
        name="Brigade de Mauzé",
        kind="brigade",
        force="gendarmerie",
        functional_authority=world["gendarmerie_post"].functional_authorities[0],
        order=2,
    )
    _, posts = visible(world["users"][role])
    assert mixed in posts


def test_an_employer_coordinator_sees_only_the_posts_it_employs(two_departements):
    employer = two_departements["79"]["post"].employer
    second = PostFactory(employer=employer)
    foreign = PostFactory()
    _, posts = visible(two_departements["79"]["users"][Role.EMPLOYER_COORDINATION])
    assert second in posts
    assert foreign not in posts


def test_a_social_worker_no_longer_sees_a_post_they_have_left(two_departements):
    user = two_departements["79"]["users"][Role.SOCIAL_WORKER]
    user.held_posts.update(end="2022-12-31")
    conventions, posts = visible(user)
    assert posts == set() and conventions == set()


def test_an_administrator_sees_everything(two_departements, admin_user):
    conventions, posts = visible(admin_user)
    assert conventions == {two_departements[d]["convention"] for d in ("79", "95")}
    assert posts == {
        two_departements[d][name] for d in ("79", "95") for name in ("post", "gendarmerie_post")
    }


def test_a_user_without_role_sees_nothing(two_departements):
    # The database refuses such an account (a role unless superuser): the scope does not
    # count on it.
    user = UserFactory.build(organisation=two_departements["79"]["post"].employer, role="")
    assert visible(user) == (set(), set())


def test_only_a_party_local_authority_may_edit_a_convention(two_departements):
    convention = two_departements["79"]["convention"]
    assert scope_for(two_departements["79"]["users"][Role.LOCAL_AUTHORITY]).can_edit_convention(
        convention
    )
    for role in (
        Role.DDSP_SECRETARIAT,
        Role.GENDARMERIE_SECRETARIAT,
        Role.READ_ONLY_PARTNER,
        Role.SOCIAL_WORKER,
    ):
        assert not scope_for(two_departements["79"]["users"][role]).can_edit_convention(convention)
    assert not scope_for(two_departements["95"]["users"][Role.LOCAL_AUTHORITY]).can_edit_convention(
        convention
    )
