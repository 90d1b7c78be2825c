"""Post pages: who holds the post over time, and the conventions that fund it."""

import datetime

import pytest
from django.urls import reverse

from conventions.models import PostHolder, Renewal
from partners.enums import Role
from tests.conventions.factories import (
    ConventionFactory,
    PartyFactory,
    PostFactory,
    PostHolderFactory,
)
from tests.partners.factories import UserFactory
from tests.roles import DEPARTEMENTAL_ROLES

pytestmark = pytest.mark.django_db
D = datetime.date


def detail_url(post):
    return reverse("conventions:post_detail", args=[post.pk])


def holder_url(post):
    return reverse("conventions:post_holder_change", args=[post.pk])


def test_the_post_page_shows_the_site_the_employer_and_the_functional_authority(
    client, two_departements
):
    post = two_departements["79"]["post"]
    post.sites.update(address="2 rue de la Préfecture - 79000 NIORT")
    client.force_login(two_departements["79"]["users"][Role.READ_ONLY_PARTNER])
    content = client.get(detail_url(post)).content.decode()
    for text in (
        post.site_names,
        "2 rue de la Préfecture - 79000 NIORT",
        "1 ETP",
        "Asso 79",
        "DDSP 79",
    ):
        assert text in content


def test_the_post_page_lists_its_conventions_in_order_with_their_periods(client, two_departements):
    post = two_departements["79"]["post"]
    first = two_departements["79"]["convention"]
    for party in first.parties.all():
        party.signed_on = D(2018, 1, 15)
        party.save()
    Renewal.objects.create(convention=first, number=1, start=D(2021, 1, 15), end=D(2024, 1, 14))
    second = ConventionFactory(post=post, reference="convention-79-bis", renews=first)
    for party in first.parties.all():
        PartyFactory(convention=second, organisation=party.organisation, signed_on=D(2024, 1, 10))
    client.force_login(two_departements["79"]["users"][Role.LOCAL_AUTHORITY])
    response = client.get(detail_url(post))
    rows = response.context["rows"]
    assert [r["convention"] for r in rows] == [first, second]
    assert [(p.number, p.start, p.end) for p in rows[0]["periods"]] == [
        (1, D(2018, 1, 15), D(2021, 1, 14)),
        (2, D(2021, 1, 15), D(2024, 1, 14)),
    ]
    assert "Reconduction n° 1" in response.content.decode()


def test_the_post_page_shows_the_holders_over_time(client, two_departements):
    post = two_departements["79"]["post"]
    post.holders.update(end=D(2022, 8, 31))
    PostHolderFactory(post=post, name="Nouvelle Titulaire", start=D(2022, 9, 1))
    client.force_login(two_departements["79"]["users"][Role.DDSP_SECRETARIAT])
    response = client.get(detail_url(post))
    assert [h.name for h in response.context["holders"]] == ["Nouvelle Titulaire", "Intervenant"]
    assert response.context["current_holder"].name == "Nouvelle Titulaire"


@pytest.mark.parametrize("role", DEPARTEMENTAL_ROLES)
def test_a_post_outside_the_users_scope_is_not_found(client, two_departements, role):
    client.force_login(two_departements["95"]["users"][role])
    assert client.get(detail_url(two_departements["79"]["post"])).status_code == 404
    assert client.get(holder_url(two_departements["79"]["post"])).status_code == 404


def add_signed_convention(post, local_authority, index):
    # An explicit reference: the factory's sequence may meet the fixtures' "convention-79".
    convention = ConventionFactory(post=post, reference=f"historique-{index}")
    PartyFactory(convention=convention, organisation=local_authority, signed_on=D(2022, 1, 3))
    PartyFactory(convention=convention, signed_on=D(2022, 1, 5))
    Renewal.objects.create(convention=convention, number=1, start=D(2025, 1, 5), end=D(2028, 1, 4))
    PostHolderFactory(post=post, start=D(2019, 1, 1), end=D(2019, 12, 31))


def test_the_post_page_costs_the_same_queries_whatever_the_history(
    client, two_departements, django_assert_num_queries
):
    post = two_departements["79"]["post"]
    user = two_departements["79"]["users"][Role.LOCAL_AUTHORITY]
    client.force_login(user)
    # session, user, savepoint (ATOMIC_REQUESTS), the user's organisation (scope), the
    # post with its employer, its sites with their functional authorities, its holders, the
    # conventions in scope with the one they renew, their parties, their renewals, their
    # amendments, the conventions that renew them, their linked deliberations (approval status),
    # the post's annex in each with the amendments adding or removing it,
    # whether the user's organisation is party (may change the holder and the sites), the history's
    # latest entries with the states they follow, for the post, its holders and its
    # costs, release savepoint
    with django_assert_num_queries(19):
        response = client.get(detail_url(post))
    assert len(response.context["rows"]) == 1
    for index in range(4):
        add_signed_convention(post, user.organisation, index)
    with django_assert_num_queries(19):
        response = client.get(detail_url(post))
    assert len(response.context["rows"]) == 5


# Changing the holder ------------------------------------------------------------


def test_a_new_holder_ends_the_current_one_the_day_before(client, admin_user):
    post = PostFactory()
    current = PostHolderFactory(post=post, name="Camille", start=D(2021, 10, 18))
    client.force_login(admin_user)
    response = client.post(holder_url(post), {"name": "Dominique", "start": "2024-09-02"})
    assert response.status_code == 302
    current.refresh_from_db()
    assert current.end == D(2024, 9, 1)
    assert post.holders.get(end__isnull=True).name == "Dominique"


def test_the_current_holder_may_leave_earlier_than_the_day_before(client, admin_user):
    post = PostFactory()
    current = PostHolderFactory(post=post, name="Camille", start=D(2021, 10, 18))
    client.force_login(admin_user)
    client.post(
        holder_url(post),
        {"name": "Dominique", "start": "2024-09-02", "previous_end": "2024-06-30"},
    )
    current.refresh_from_db()
    assert current.end == D(2024, 6, 30)


def test_it_rejects_a_holder_overlapping_a_previous_one_in_french(client, admin_user):
    post = PostFactory()
    PostHolderFactory(post=post, name="Camille", start=D(2021, 10, 18), end=D(2024, 6, 30))
    client.force_login(admin_user)
    response = client.post(holder_url(post), {"name": "Dominique", "start": "2024-03-01"})
    assert response.status_code == 200
    assert response.context["form"].errors["start"] == [
        "Le poste a déjà un titulaire sur cette période (Camille, depuis le 18/10/2021). "
        "Indiquez d'abord la fin de sa période."
    ]
    assert post.holders.count() == 1


def test_a_current_holder_kept_past_the_new_start_is_an_overlap_and_nothing_changes(
    client, admin_user
):
    post = PostFactory()
    current = PostHolderFactory(post=post, name="Camille", start=D(2021, 10, 18))
    client.force_login(admin_user)
    response = client.post(
        holder_url(post),
        {"name": "Dominique", "start": "2024-09-02", "previous_end": "2024-12-31"},
    )
    assert (
        "Le poste a déjà un titulaire sur cette période"
        in response.context["form"].errors["start"][0]
    )
    current.refresh_from_db()
    assert current.end is None


def test_it_rejects_an_end_of_the_current_holder_before_their_start(client, admin_user):
    post = PostFactory()
    PostHolderFactory(post=post, name="Camille", start=D(2021, 10, 18))
    client.force_login(admin_user)
    response = client.post(
        holder_url(post),
        {"name": "Dominique", "start": "2024-09-02", "previous_end": "2020-01-01"},
    )
    assert response.context["form"].errors["previous_end"] == [
        "Camille occupe le poste depuis le 18 octobre 2021 : sa fin ne peut pas précéder "
        "cette date."
    ]


def test_the_employers_coordination_may_change_the_holder(client, two_departements):
    post = two_departements["79"]["post"]
    client.force_login(two_departements["79"]["users"][Role.EMPLOYER_COORDINATION])
    response = client.post(holder_url(post), {"name": "Dominique", "start": "2024-09-02"})
    assert response.status_code == 302
    assert post.holder_on(D(2024, 9, 2)).name == "Dominique"


def test_a_local_authority_party_to_the_posts_convention_may_change_the_holder(
    client, two_departements
):
    post = two_departements["79"]["post"]
    client.force_login(two_departements["79"]["users"][Role.LOCAL_AUTHORITY])
    assert client.get(holder_url(post)).status_code == 200


@pytest.mark.parametrize(
    "role", [Role.DDSP_SECRETARIAT, Role.READ_ONLY_PARTNER, Role.SOCIAL_WORKER]
)
def test_other_roles_may_see_the_post_but_not_change_its_holder(client, two_departements, role):
    post = two_departements["79"]["post"]
    client.force_login(two_departements["79"]["users"][role])
    assert client.get(detail_url(post)).status_code == 200
    assert client.get(holder_url(post)).status_code == 403
    response = client.post(holder_url(post), {"name": "Dominique", "start": "2024-09-02"})
    assert response.status_code == 403
    assert not PostHolder.objects.filter(name="Dominique").exists()


def test_a_coordinator_of_another_employer_in_scope_through_no_post_gets_not_found(
    client, two_departements
):
    other = UserFactory(role=Role.EMPLOYER_COORDINATION)
    client.force_login(other)
    assert client.get(holder_url(two_departements["79"]["post"])).status_code == 404
