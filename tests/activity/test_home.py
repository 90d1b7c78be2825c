"""The statistics entry point of each role."""

import pytest
from django.urls import reverse
from django.utils import timezone

from partners.enums import Role
from tests.conventions.factories import ConventionFactory, PartyFactory, PostFactory

pytestmark = pytest.mark.django_db

HOME = reverse("activity:home")


def test_the_local_authority_sees_the_bilans_of_its_posts_without_entry_links(
    client, two_departements
):
    world = two_departements["79"]
    client.force_login(world["users"][Role.LOCAL_AUTHORITY])
    content = client.get(HOME).content.decode()
    assert world["post"].name in content
    this_year = timezone.localdate().year
    assert reverse("activity:bilan_post", args=[world["post"].pk, this_year]) in content
    assert "Saisir les chiffres" not in content
    assert two_departements["95"]["post"].name not in content


def test_the_employer_coordinator_gets_entry_links_and_the_status_board(client, two_departements):
    world = two_departements["79"]
    client.force_login(world["users"][Role.EMPLOYER_COORDINATION])
    content = client.get(HOME).content.decode()
    assert "Saisir les chiffres" in content
    assert reverse("activity:status_board") in content


def test_the_home_page_runs_a_fixed_number_of_queries(
    client, two_departements, django_assert_num_queries
):
    world = two_departements["79"]
    user = world["users"][Role.LOCAL_AUTHORITY]
    client.force_login(user)
    # Savepoint and release, session, user, organisation; the posts in scope with
    # their employer; their holders.
    with django_assert_num_queries(7):
        client.get(HOME)
    for _ in range(3):
        post = PostFactory(departement="79")
        PartyFactory(convention=ConventionFactory(post=post), organisation=user.organisation)
    with django_assert_num_queries(7):
        response = client.get(HOME)
    assert len(response.context["rows"]) == 4
