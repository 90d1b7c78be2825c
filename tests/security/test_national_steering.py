"""The national administration's steering: every post, convention, contribution and
validated statistic of the country, read only; only the administrator gives the role."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

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
def ministry():
    return OrganisationFactory(prefecture=True, departement="75", name="SG-CIPDR")


@pytest.fixture
def national(ministry):
    return UserFactory(organisation=ministry, role=Role.NATIONAL_STEERING)


def commune_convention(post):
    """A convention the ministry is not party to: a commune and the post's employer sign."""
    convention = ConventionFactory(post=post)
    commune = OrganisationFactory(departement=post.departement)
    PartyFactory(convention=convention, organisation=commune, order=0)
    PartyFactory(convention=convention, organisation=post.employer, order=1)
    return convention


def test_the_national_steering_sees_every_post_and_convention_of_the_country(national):
    posts = [PostFactory(departement=code) for code in ("79", "95", "971", "2A")]
    conventions = [commune_convention(post) for post in posts[:2]]
    scope = scope_for(national)
    assert set(posts) <= set(scope.posts())
    assert set(conventions) <= set(scope.conventions())


def test_the_national_steering_sees_no_council(national):
    CouncilFactory(organisation=OrganisationFactory(departement="79"))
    assert not scope_for(national).councils().exists()


@pytest.mark.parametrize(
    "permission",
    ["can_edit_convention", "can_change_post_holder", "can_edit_post", "can_change_post_sites"],
)
def test_the_national_steering_changes_nothing_of_what_it_sees(national, permission):
    post = PostFactory(departement="79")
    convention = commune_convention(post)
    subject = convention if permission == "can_edit_convention" else post
    assert not getattr(scope_for(national), permission)(subject)


def test_the_national_steering_creates_nothing(national):
    scope = scope_for(national)
    assert not (
        scope.can_create_post
        or scope.can_create_convention
        or scope.can_create_deliberation
        or scope.can_create_organisation
        or scope.can_edit_partners
        or scope.can_edit_organisation(national.organisation)
        or scope.can_edit_organisation(OrganisationFactory(departement="79"))
    )


def test_the_national_steering_opens_every_steering_page_but_not_the_targets(client, national):
    client.force_login(national)
    assert client.get(reverse("steering:national")).status_code == 200
    for code in ("79", "95", "971"):
        page = client.get(reverse("steering:departement", args=[code]))
        assert page.status_code == 200, code
    assert client.get(reverse("steering:targets")).status_code == 404
    assert client.post(reverse("steering:targets"), {"default": "9"}).status_code == 404


def test_the_national_steering_counts_validated_quarters_only(client, national):
    post = PostFactory(departement="95")
    QuarterReportFactory(
        post=post, year=2025, quarter=1, validated=True, filled=True, filled__persons=20
    )
    QuarterReportFactory(
        post=post, year=2025, quarter=2, submitted=True, filled=True, filled__persons=7
    )
    client.force_login(national)
    for url in (
        reverse("activity:bilan_post", args=[post.pk, 2025]),
        reverse("activity:bilan_departement", args=["95", 2025]),
        reverse("activity:bilan_national", args=[2025]),
    ):
        bilan = client.get(url).context["bilan"]
        # Three months of 20 persons: the submitted quarter's 21 are not counted.
        assert bilan.persons.total == 60, url
        assert bilan.validated_only, url
    # The administrator's national bilan counts the submitted quarter too.
    client.force_login(UserFactory(admin=True))
    bilan = client.get(reverse("activity:bilan_national", args=[2025])).context["bilan"]
    assert bilan.persons.total == 81
    assert not bilan.validated_only


def test_the_national_steering_neither_enters_nor_validates_nor_reopens(client, national):
    post = PostFactory(departement="79")
    QuarterReportFactory(post=post, year=2025, quarter=1, validated=True, filled=True)
    submitted = QuarterReportFactory(post=post, year=2025, quarter=2, submitted=True, filled=True)
    client.force_login(national)
    refused = [
        ("get", reverse("activity:quarter_entry", args=[post.pk, 2025, 3])),
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


def test_the_national_steering_reads_every_departement_funding_and_records_nothing(
    client, national
):
    convention = commune_convention(PostFactory(departement="95"))
    commune = convention.parties.get(order=0).organisation
    ContributionFactory(convention=convention, organisation=commune)  # 25 350 € a year
    client.force_login(national)
    page = client.get(reverse("conventions:departement_funding", args=["95"]), {"annee": 2022})
    assert page.status_code == 200
    assert page.context["totals"].expected == Decimal("25350")
    plan = client.get(reverse("conventions:funding_plan", args=[convention.reference]))
    assert plan.status_code == 200
    assert not plan.context["can_edit"]
    for name in ("payment_create", "contribution_create", "edit"):
        url = reverse(f"conventions:{name}", args=[convention.reference])
        assert client.post(url).status_code == 403, name
    assert convention.contributions.count() == 1


def test_the_national_steering_finds_the_country_on_its_home_page(client, national):
    client.force_login(national)
    content = client.get(reverse("dashboard")).content.decode()
    national_url = reverse("steering:national")
    assert "Pilotage national" in content
    assert f'href="{national_url}"' in content
    last_year = timezone.localdate().year - 1
    assert f'href="{reverse("activity:bilan_national", args=[last_year])}"' in content
    assert f'<a class="fr-nav__link" href="{national_url}">Pilotage</a>' in content


def test_the_national_steering_has_no_model_on_the_admin_site(client, ministry):
    client.force_login(
        UserFactory(organisation=ministry, role=Role.NATIONAL_STEERING, is_staff=True)
    )
    response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    assert response.context["app_list"] == []


@pytest.mark.parametrize("giver_role", [Role.DEPARTEMENTAL_STEERING, Role.READ_ONLY_PARTNER])
def test_only_the_administrator_gives_the_national_steering(ministry, giver_role):
    referent = UserFactory(organisation=ministry, role=giver_role, is_referent=True)
    with pytest.raises(ValidationError, match="plus étendu que le vôtre"):
        invitation_send(
            organisation=ministry,
            email="observatoire@interieur.gouv.fr",
            first_name="Anne",
            last_name="Observatoire",
            role=Role.NATIONAL_STEERING,
            by=referent,
        )
    invited = invitation_send(
        organisation=ministry,
        email="observatoire@interieur.gouv.fr",
        first_name="Anne",
        last_name="Observatoire",
        role=Role.NATIONAL_STEERING,
        by=UserFactory(admin=True),
    )
    assert invited.role == Role.NATIONAL_STEERING


def test_a_commune_cannot_be_given_the_national_steering():
    with pytest.raises(ValidationError, match="pas proposé"):
        invitation_send(
            organisation=OrganisationFactory(departement="79"),
            email="agent@niort.fr",
            first_name="Anne",
            last_name="Agent",
            role=Role.NATIONAL_STEERING,
            by=UserFactory(admin=True),
        )
