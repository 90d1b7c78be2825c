"""The préfecture's departmental steering: every post, convention, contribution and
validated statistic of its département, read only, and nothing of another département."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from activity.enums import QuarterState
from activity.models import QuarterReport
from conventions.access import scope_for
from partners.enums import Role
from partners.invitations import invitation_send
from tests.activity.factories import QuarterReportFactory
from tests.conventions.factories import (
    ContributionFactory,
    ConventionFactory,
    CouncilFactory,
    PartyFactory,
    PostFactory,
)
from tests.partners.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def prefecture():
    return OrganisationFactory(prefecture=True, departement="79", name="Préfecture des Deux-Sèvres")


@pytest.fixture
def steering(prefecture):
    return UserFactory(organisation=prefecture, role=Role.DEPARTEMENTAL_STEERING)


def commune_convention(post):
    """A convention the préfecture is not party to: a commune and the post's employer sign."""
    convention = ConventionFactory(post=post)
    commune = OrganisationFactory(departement=post.departement)
    PartyFactory(convention=convention, organisation=commune, order=0)
    PartyFactory(convention=convention, organisation=post.employer, order=1)
    return convention


def test_the_steering_sees_every_post_of_its_departement_and_none_of_another(steering):
    without_convention = PostFactory(departement="79")
    brigade = PostFactory(departement="79", gendarmerie=True)
    elsewhere = PostFactory(departement="95")
    posts = set(scope_for(steering).posts())
    assert {without_convention, brigade} <= posts
    assert elsewhere not in posts


def test_the_steering_sees_a_convention_of_its_departement_the_prefecture_does_not_sign(steering):
    ours = commune_convention(PostFactory(departement="79"))
    theirs = commune_convention(PostFactory(departement="95"))
    conventions = set(scope_for(steering).conventions())
    assert ours in conventions
    assert theirs not in conventions


def test_a_framework_convention_is_seen_when_one_of_its_posts_is_of_the_departement(steering):
    framework = ConventionFactory(
        posts=[PostFactory(departement="86"), PostFactory(departement="79")]
    )
    assert framework in scope_for(steering).conventions()


def test_the_steering_still_sees_a_convention_of_another_departement_its_prefecture_signs(
    steering, prefecture
):
    convention = commune_convention(PostFactory(departement="95"))
    PartyFactory(convention=convention, organisation=prefecture, order=2)
    assert convention in scope_for(steering).conventions()


def test_the_steering_sees_no_council(steering):
    CouncilFactory(organisation=OrganisationFactory(departement="79"))
    assert not scope_for(steering).councils().exists()


def test_a_steering_user_of_a_prefecture_without_departement_sees_no_post_of_a_departement():
    national = OrganisationFactory(prefecture=True, departement="", name="Ministère")
    user = UserFactory(organisation=national, role=Role.DEPARTEMENTAL_STEERING)
    PostFactory(departement="79")
    assert not scope_for(user).posts().exists()


def test_the_steering_scope_costs_one_query_whatever_the_number_of_posts(
    steering, django_assert_num_queries
):
    for _ in range(2):
        commune_convention(PostFactory(departement="79"))
    scope = scope_for(steering)
    # 1. the posts: its département's, or of a convention its préfecture signs (subqueries)
    with django_assert_num_queries(1):
        few = len(list(scope.posts()))
    for _ in range(5):
        commune_convention(PostFactory(departement="79"))
    # 1. the conventions: the parties' and those with a post of the département (subqueries)
    with django_assert_num_queries(1):
        assert len(list(scope.conventions())) == 7
    # 1. the posts again, seven now
    with django_assert_num_queries(1):
        assert len(list(scope.posts())) == few + 5


@pytest.mark.parametrize(
    "permission",
    [
        "can_edit_convention",
        "can_change_post_holder",
        "can_edit_post",
        "can_change_post_sites",
    ],
)
def test_the_steering_changes_nothing_of_what_it_sees(steering, permission):
    post = PostFactory(departement="79")
    convention = commune_convention(post)
    subject = convention if permission == "can_edit_convention" else post
    assert not getattr(scope_for(steering), permission)(subject)


def test_the_steering_creates_nothing(steering):
    scope = scope_for(steering)
    assert not (
        scope.can_create_post
        or scope.can_create_convention
        or scope.can_create_deliberation
        or scope.can_create_organisation
        or scope.can_edit_partners
        or scope.can_edit_organisation(steering.organisation)
    )


# Statistics ----------------------------------------------------------------------------------


def test_the_steering_reads_a_validated_quarter_and_not_a_submitted_one(client, steering):
    post = PostFactory(departement="79")
    QuarterReportFactory(
        post=post, year=2025, quarter=1, validated=True, filled=True, filled__persons=20
    )
    QuarterReportFactory(
        post=post, year=2025, quarter=2, submitted=True, filled=True, filled__persons=7
    )
    client.force_login(steering)
    for url in (
        reverse("activity:bilan_post", args=[post.pk, 2025]),
        reverse("activity:bilan_departement", args=["79", 2025]),
    ):
        bilan = client.get(url).context["bilan"]
        # Three months of 20 persons: the submitted quarter's 21 are not counted.
        assert bilan.persons.total == 60, url
        assert bilan.validated_only


def test_the_steering_neither_enters_nor_submits_nor_validates_nor_reopens(client, steering):
    post = PostFactory(departement="79")
    QuarterReportFactory(post=post, year=2025, quarter=1, validated=True, filled=True)
    submitted = QuarterReportFactory(post=post, year=2025, quarter=2, submitted=True, filled=True)
    client.force_login(steering)
    refused = [
        ("get", reverse("activity:quarter_entry", args=[post.pk, 2025, 3])),
        ("get", reverse("activity:month_entry", args=[post.pk, 2025, 7])),
        ("post", reverse("activity:quarter_submit", args=[post.pk, 2025, 2])),
        ("post", reverse("activity:quarter_validate", args=[post.pk, 2025, 2])),
        ("post", reverse("activity:quarter_reopen", args=[post.pk, 2025, 1])),
        ("post", reverse("activity:annual_validate", args=[post.pk, 2025])),
    ]
    for method, url in refused:
        assert getattr(client, method)(url).status_code == 403, url
    submitted.refresh_from_db()
    assert submitted.state == QuarterState.SUBMITTED
    assert QuarterReport.objects.get(post=post, quarter=1).state == QuarterState.VALIDATED


def test_the_steering_reads_no_bilan_of_another_departement_nor_the_national_one(client, steering):
    PostFactory(departement="79")
    other = PostFactory(departement="95")
    client.force_login(steering)
    assert client.get(reverse("activity:bilan_departement", args=["95", 2025])).status_code == 404
    assert client.get(reverse("activity:bilan_post", args=[other.pk, 2025])).status_code == 404
    export = reverse("activity:export_xlsx")
    assert client.get(f"{export}?annee=2025&departement=95").status_code == 404
    assert client.get(f"{export}?annee=2025&departement=79").status_code == 200
    # The national bilan is the administrator's page, refused to every role alike.
    assert client.get(reverse("activity:bilan_national", args=[2025])).status_code == 403


# Funding -------------------------------------------------------------------------------------


def test_the_steering_reads_the_funding_of_its_departement_only(client, steering):
    convention = commune_convention(PostFactory(departement="79"))
    commune = convention.parties.get(order=0).organisation
    ContributionFactory(convention=convention, organisation=commune)  # 25 350 € a year
    client.force_login(steering)
    own = client.get(reverse("conventions:departement_funding", args=["79"]), {"annee": 2022})
    assert own.status_code == 200
    assert own.context["totals"].expected == Decimal("25350")
    assert convention.reference in own.content.decode()
    assert client.get(reverse("conventions:departement_funding", args=["95"])).status_code == 404
    plan = client.get(reverse("conventions:funding_plan", args=[convention.reference]))
    assert plan.status_code == 200
    assert not plan.context["can_edit"]


def test_the_steering_records_no_payment_nor_contribution(client, steering):
    convention = commune_convention(PostFactory(departement="79"))
    client.force_login(steering)
    for name in ("payment_create", "contribution_create", "edit"):
        url = reverse(f"conventions:{name}", args=[convention.reference])
        assert client.post(url).status_code == 403, name
    assert not convention.contributions.exists()


# Home page, navigation, administration, invitations -----------------------------------------


def test_the_steering_finds_its_departement_steering_on_its_home_page(client, steering):
    client.force_login(steering)
    content = client.get(reverse("dashboard")).content.decode()
    steering_url = reverse("steering:departement", args=["79"])
    assert "Pilotage du département" in content
    assert f'href="{steering_url}"' in content
    # And in the main navigation.
    assert f'<a class="fr-nav__link" href="{steering_url}">Pilotage</a>' in content


def test_the_administrator_finds_the_national_steering_in_the_navigation(client):
    client.force_login(UserFactory(admin=True))
    content = client.get(reverse("dashboard")).content.decode()
    assert f'href="{reverse("steering:national")}">Pilotage</a>' in content


def test_a_read_only_partner_of_the_prefecture_has_no_steering(client, prefecture):
    client.force_login(UserFactory(organisation=prefecture, role=Role.READ_ONLY_PARTNER))
    content = client.get(reverse("dashboard")).content.decode()
    assert ">Pilotage</a>" not in content
    assert "Pilotage du département" not in content


def test_the_steering_has_no_model_on_the_admin_site(client, prefecture):
    client.force_login(
        UserFactory(organisation=prefecture, role=Role.DEPARTEMENTAL_STEERING, is_staff=True)
    )
    response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    assert response.context["app_list"] == []


def test_a_read_only_referent_may_not_give_the_steering_role(prefecture):
    referent = UserFactory(organisation=prefecture, role=Role.READ_ONLY_PARTNER, is_referent=True)
    with pytest.raises(ValidationError, match="plus étendu que le vôtre"):
        invitation_send(
            organisation=prefecture,
            email="cabinet@deux-sevres.gouv.fr",
            first_name="Anne",
            last_name="Cabinet",
            role=Role.DEPARTEMENTAL_STEERING,
            by=referent,
        )


def test_the_administrator_and_a_steering_referent_give_the_steering_role(prefecture):
    admin = UserFactory(admin=True)
    referent = UserFactory(
        organisation=prefecture, role=Role.DEPARTEMENTAL_STEERING, is_referent=True
    )
    for number, by in enumerate((admin, referent)):
        invited = invitation_send(
            organisation=prefecture,
            email=f"pilotage{number}@deux-sevres.gouv.fr",
            first_name="Anne",
            last_name="Cabinet",
            role=Role.DEPARTEMENTAL_STEERING,
            by=by,
        )
        assert invited.role == Role.DEPARTEMENTAL_STEERING
