"""The national dataset generator (load_national_dataset), run with tiny parameters."""

import datetime

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count, Sum

from activity.checks import missing_codes, month_problems
from activity.enums import QuarterState
from activity.layout import layout_of
from activity.models import GridVersion, MonthlyRecord, MonthlyValue, QuarterReport
from config.devtools.national import dataset_present, delete_dataset, generate
from conventions.access import scope_for
from conventions.deliberations.checks.common import Severity
from conventions.deliberations.checks.deliberation import check_deliberation
from conventions.enums import ContributionRule, ConventionStatus
from conventions.models import Contribution, Convention, Deliberation, Party, Payment, Post
from partners.models import Organisation, User
from partners.validators import validate_siret

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 22)
MODELS = [
    Organisation,
    Post,
    Convention,
    Party,
    Deliberation,
    Contribution,
    Payment,
    User,
    QuarterReport,
    MonthlyRecord,
    MonthlyValue,
]


def snapshot():
    """Row counts and values that any change in the drawing would alter."""
    return {
        "counts": {model.__name__: model.objects.count() for model in MODELS},
        "references": list(Convention.objects.order_by("reference").values_list("reference")),
        "towns": list(Post.objects.order_by("name").values_list("name", "fte")),
        "paid": Payment.objects.aggregate(total=Sum("amount"))["total"],
        "persons_met": MonthlyValue.objects.filter(
            indicator__code="personnes_rencontrees"
        ).aggregate(total=Sum("value"))["total"],
        "states": sorted(QuarterReport.objects.values_list("year", "quarter", "state")),
    }


def test_the_same_seed_writes_the_same_dataset_and_another_seed_another():
    generate(posts=3, years=2, seed=7, today=TODAY)
    first = snapshot()
    assert first["counts"]["MonthlyValue"] > 1000
    delete_dataset()
    assert not dataset_present()
    assert Organisation.objects.count() == 0
    generate(posts=3, years=2, seed=7, today=TODAY)
    assert snapshot() == first
    delete_dataset()
    generate(posts=3, years=2, seed=8, today=TODAY)
    assert snapshot() != first


@pytest.fixture
def dataset():
    return generate(posts=3, years=2, seed=1, today=TODAY)


def test_every_month_respects_the_partitions_of_the_grid_in_force(dataset):
    layouts = {v.pk: layout_of(v) for v in GridVersion.objects.with_layout()}
    records = MonthlyRecord.objects.select_related("report").prefetch_related("values__indicator")
    checked = 0
    for record in records:
        values = {v.indicator.code: v.value for v in record.values.all()}
        assert all(
            v.indicator.version_id == record.report.grid_version_id for v in record.values.all()
        )
        layout = layouts[record.report.grid_version_id]
        assert month_problems(layout, values) == [], (record, values)
        assert missing_codes(layout, values) == []
        checked += 1
    assert checked > 50


def test_past_years_are_locked_and_the_current_one_is_mixed(dataset):
    past = set(QuarterReport.objects.filter(year=2025).values_list("state", flat=True))
    assert past <= {QuarterState.LOCKED, QuarterState.VALIDATED}
    assert not MonthlyRecord.objects.filter(report__year=2026, month__gte=11).exists()
    assert MonthlyRecord.objects.filter(report__year=2026, month=10).exists()


def test_conventions_are_renewed_every_three_years_and_one_is_in_force_per_post(dataset):
    for post in Post.objects.all():
        conventions = list(
            Convention.objects.filter(sections__post=post).for_list().order_by("reference")
        )
        statuses = [c.status(TODAY) for c in conventions]
        assert statuses.count(ConventionStatus.IN_FORCE) == 1, statuses
        for previous, following in zip(conventions, conventions[1:], strict=False):
            assert following.renews_id == previous.pk


def test_a_departmental_framework_convention_covers_several_posts_with_a_state_share_by_year(
    dataset,
):
    frameworks = Convention.objects.annotate(covered=Count("sections")).filter(covered__gt=1)
    assert frameworks
    for convention in frameworks:
        posts = {section.post for section in convention.sections.all()}
        assert len({post.departement for post in posts}) == 1
        assert sorted(s.number for s in convention.sections.all()) == list(range(1, len(posts) + 1))
        state = convention.contributions.filter(rule=ContributionRule.SHARE_BY_YEAR)
        # The État's share of each post's cost, 80 %, 50 % then 30 %.
        assert {c.post for c in state} == posts
        for contribution in state:
            assert [s for _y, s in contribution.share_schedule] == [80, 50, 30]
        assert {
            c.post for c in convention.contributions.filter(rule=ContributionRule.BALANCE)
        } == posts


def test_deliberations_pass_the_checks_of_the_cgct(dataset):
    deliberations = Deliberation.objects.for_detail(Convention.objects.all()).filter(
        is_reference_only=False
    )
    assert deliberations
    for deliberation in deliberations:
        errors = [c for c in check_deliberation(deliberation) if c.severity == Severity.ERROR]
        assert errors == [], deliberation


def test_sirets_are_valid_and_users_exist_for_every_role(dataset):
    for siret in Organisation.objects.values_list("siret", flat=True):
        validate_siret(siret)
    usernames = set(User.objects.values_list("username", flat=True))
    assert {
        "national.admin",
        "ddsp.59",
        "collectivite.59",
        "intervenant.59",
        "pilotage.59",
    } <= usernames
    # The préfecture's steering: every post of its département, from its own account.
    steering = User.objects.get(username="pilotage.59")
    assert scope_for(steering).posts().count() == Post.objects.filter(departement="59").count()
    # The national steering: every post of the country, read only.
    national = User.objects.get(username="national.pilotage")
    assert scope_for(national).posts().count() == Post.objects.count()
    assert not scope_for(national).can_create_convention
    worker = User.objects.get(username="intervenant.59")
    assert Post.objects.filter(holders__user=worker, holders__end__isnull=True).count() == 1


def test_the_command_refuses_to_load_twice_unless_told(dataset):
    with pytest.raises(CommandError, match="--replace"):
        call_command("load_national_dataset", posts=3, years=2)
    call_command("load_national_dataset", posts=3, years=2, if_absent=True)
    assert Convention.objects.count() == dataset.counts["conventions"]


def test_it_lives_beside_the_demo_and_leaves_it_whole_when_deleted():
    call_command("load_demo")
    demo = {model.__name__: model.objects.count() for model in MODELS}
    generate(posts=3, years=2, seed=1, today=TODAY)
    assert Convention.objects.filter(reference="niort-2021").exists()
    assert Organisation.objects.count() > demo["Organisation"]
    delete_dataset()
    assert {model.__name__: model.objects.count() for model in MODELS} == demo
