"""The one scoping function: each role sees exactly its organisation's share."""

import pytest

from conventions.access import scope_for
from partners.enums import Role
from tests.conventions.factories import ConventionFactory, PostFactory
from tests.partners.factories import UserFactory

pytestmark = pytest.mark.django_db


def visible(user):
    scope = scope_for(user)
    return set(scope.conventions()), set(scope.posts())


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("dep,other", [("79", "95"), ("95", "79")])
def test_each_role_sees_its_departement_convention_and_post_only(
    two_departements, role, dep, other
):
    user = two_departements[dep]["users"][role]
    conventions, posts = visible(user)
    assert conventions == {two_departements[dep]["convention"]}
    assert posts == {two_departements[dep]["post"]}


def test_the_ddsp_secretariat_sees_every_post_of_its_departement_even_without_being_party(
    two_departements,
):
    other_post = PostFactory(departement="79")
    other_convention = ConventionFactory(post=other_post)
    conventions, posts = visible(two_departements["79"]["users"][Role.DDSP_SECRETARIAT])
    assert other_post in posts and other_convention in conventions
    conventions, posts = visible(two_departements["95"]["users"][Role.DDSP_SECRETARIAT])
    assert other_post not in posts and other_convention not in conventions


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
    assert posts == {two_departements[d]["post"] for d in ("79", "95")}


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
    for role in (Role.DDSP_SECRETARIAT, Role.READ_ONLY_PARTNER, Role.SOCIAL_WORKER):
        assert not scope_for(two_departements["79"]["users"][role]).can_edit_convention(convention)
    assert not scope_for(two_departements["95"]["users"][Role.LOCAL_AUTHORITY]).can_edit_convention(
        convention
    )
