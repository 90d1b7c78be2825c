"""Framework conventions (issue #18 item 3): one convention covering several posts, one
section (annex) each, funded post by post, with totals for the convention."""

import datetime
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from conventions.access import scope_for
from conventions.funding.build import funding_plan
from conventions.funding.due import funding_due
from conventions.models import Convention, ConventionPost
from partners.enums import Role
from tests.conventions.factories import (
    AmendmentFactory,
    ContributionFactory,
    ConventionFactory,
    PartyFactory,
    PostCostFactory,
    PostFactory,
)
from tests.partners.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def framework():
    """A 2022–2024 framework convention of three posts of Deux-Sèvres: the State pays a
    fixed 10 000 € for each, the employer the balance of each post's own cost."""
    posts = [
        PostFactory(departement="79", name=f"ISC {n}") for n in ("Niort", "Parthenay", "Melle")
    ]
    convention = ConventionFactory(reference="cadre-79", posts=posts)
    state = PartyFactory(convention=convention, organisation__prefecture=True, order=1).organisation
    employer = PartyFactory(convention=convention, organisation=posts[0].employer, order=2)
    costs = {posts[0]: "40000", posts[1]: "30000", posts[2]: "20000"}
    for post, total in costs.items():
        PostCostFactory(post=post, year=2022, total=D(total))
        ContributionFactory(
            convention=convention,
            organisation=state,
            post=post,
            amount=D("10000"),
            first_year=2022,
            last_year=2022,
        )
        ContributionFactory(
            convention=convention,
            organisation=employer.organisation,
            post=post,
            balance=True,
            first_year=2022,
            last_year=2022,
        )
    return convention, posts


def loaded(convention):
    return Convention.objects.with_funding().get(pk=convention.pk)


def test_it_refuses_the_same_post_twice_in_a_convention():
    post = PostFactory()
    convention = ConventionFactory(post=post)
    with pytest.raises(IntegrityError), transaction.atomic():
        ConventionPost.objects.create(convention=convention, post=post, number=2)


def test_it_refuses_two_annexes_with_the_same_number():
    convention = ConventionFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        ConventionPost.objects.create(convention=convention, post=PostFactory(), number=1)


def test_it_refuses_a_post_added_and_removed_by_the_same_amendment():
    convention = ConventionFactory()
    amendment = AmendmentFactory(convention=convention)
    section = ConventionPost(
        convention=convention,
        post=PostFactory(),
        number=2,
        added_by=amendment,
        removed_by=amendment,
    )
    with pytest.raises(ValidationError, match="à la fois ajouter et retirer"):
        section.full_clean()


def test_a_simple_convention_is_a_framework_convention_with_one_post():
    post = PostFactory()
    convention = ConventionFactory(post=post)
    assert convention.single_post == post
    assert list(convention.posts.all()) == [post]
    assert list(post.conventions.all()) == [convention]
    assert [s.number for s in convention.sections.all()] == [1]


def test_a_framework_convention_has_no_single_post(framework):
    convention, posts = framework
    assert convention.single_post is None
    assert convention.posts_in_force(datetime.date(2022, 6, 1)) == posts


def test_its_plan_computes_the_balance_of_each_post_from_that_posts_cost(framework):
    convention, posts = framework
    plan = funding_plan(loaded(convention), today=datetime.date(2022, 6, 1))
    row = plan.row(2022)
    balances = {
        cell.contribution.post_id: cell.amount
        for cell in row.cells
        if cell is not None and cell.contribution.rule == "balance"
    }
    assert balances == {posts[0].pk: D("30000"), posts[1].pk: D("20000"), posts[2].pk: D("10000")}


def test_its_plan_totals_the_posts_for_the_convention(framework):
    convention, _ = framework
    plan = funding_plan(loaded(convention), today=datetime.date(2022, 6, 1))
    row = plan.row(2022)
    assert row.cost_total == D("90000")
    assert row.totals.expected == D("90000")
    assert row.gap == D("0")
    # One column per funder and post, named after the annex.
    assert [column.name.split(" — ")[-1] for column in plan.columns].count("annexe n° 1") == 2


def test_its_due_amounts_use_each_posts_cost(framework):
    convention, _ = framework
    cells, deficits, _ = funding_due(
        Convention.objects.filter(pk=convention.pk), today=datetime.date(2022, 12, 31)
    )
    assert sorted(c.amount for c in cells) == sorted(
        [D("10000")] * 3 + [D("30000"), D("20000"), D("10000")]
    )
    assert deficits == []


def test_a_contribution_of_a_framework_convention_must_name_its_post(framework):
    convention, _ = framework
    contribution = ContributionFactory.build(
        convention=convention, organisation=convention.parties.first().organisation, post=None
    )
    with pytest.raises(ValidationError, match="plusieurs postes"):
        contribution.full_clean()


def test_the_convention_page_lists_its_three_posts(client, framework):
    convention, posts = framework
    client.force_login(UserFactory(admin=True))
    response = client.get(reverse("conventions:detail", args=[convention.reference]))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Postes couverts" in content
    for number, post in enumerate(posts, start=1):
        assert f"Annexe n° {number} :" in content
        assert reverse("conventions:post_detail", args=[post.pk]) in content


def test_a_secretariat_supervising_one_of_the_posts_sees_the_convention(framework):
    convention, posts = framework
    authority = posts[1].functional_authorities[0]
    secretariat = UserFactory(organisation=authority, role=Role.DDSP_SECRETARIAT)
    assert convention in scope_for(secretariat).conventions()
    stranger = UserFactory(
        organisation=PostFactory().functional_authorities[0], role=Role.DDSP_SECRETARIAT
    )
    assert convention not in scope_for(stranger).conventions()


def test_a_post_added_by_an_amendment_counts_from_its_effective_date_once_signed(framework):
    convention, _ = framework
    amendment = AmendmentFactory(
        convention=convention, signed_on=None, effective_on=datetime.date(2023, 7, 1)
    )
    added = PostFactory(departement="79", name="ISC Thouars")
    ConventionPost.objects.create(convention=convention, post=added, number=4, added_by=amendment)
    convention = Convention.objects.for_detail().get(pk=convention.pk)
    assert added not in convention.posts_in_force(datetime.date(2023, 8, 1))
    amendment.signed_on = datetime.date(2023, 6, 1)
    amendment.save()
    convention = Convention.objects.for_detail().get(pk=convention.pk)
    assert added not in convention.posts_in_force(datetime.date(2023, 6, 30))
    assert added in convention.posts_in_force(datetime.date(2023, 7, 1))
