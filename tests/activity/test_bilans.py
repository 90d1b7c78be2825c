"""Bilans: sums of months, comparison with the previous year, scopes, grid versions."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from activity.bilans import Period, Scope, build_bilan
from activity.models import AnnualReport, Indicator, MonthlyRecord, MonthlyValue
from activity.services import grid_version_create
from conventions.models import Post
from partners.enums import Role
from tests.activity.factories import QuarterReportFactory, default_version, fill, month_values
from tests.conventions.factories import ConventionFactory, PartyFactory, PostFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def niort(two_departements):
    return two_departements["79"]


def post_scope(post):
    return Scope("post", post.name, Post.objects.filter(pk=post.pk), post, post.departement)


def bilan_url(post, year, quarter=None):
    args = [post.pk, year] + ([quarter] if quarter else [])
    return reverse("activity:bilan_post", args=args)


def validated_year(post, year, persons=20, referrals=12):
    for quarter in range(1, 5):
        QuarterReportFactory(
            post=post,
            year=year,
            quarter=quarter,
            validated=True,
            filled=True,
            filled__persons=persons,
            filled__referrals=referrals,
        )


# Sums ----------------------------------------------------------------------------------------


def test_a_quarters_total_is_the_sum_of_its_months(niort):
    report = QuarterReportFactory(post=niort["post"], year=2025, quarter=2, validated=True)
    for month, persons in zip((4, 5, 6), (10, 14, 17), strict=True):
        fill_month(report, month, month_values(persons=persons))
    bilan = build_bilan(post_scope(niort["post"]), Period(2025, 2), validated_only=False)
    row = bilan.row("personnes_rencontrees")
    assert row.months == [10, 14, 17]
    assert row.total == 41


def fill_month(report, month, values):
    indicators = dict(
        Indicator.objects.filter(version=report.grid_version).values_list("code", "pk")
    )
    record = MonthlyRecord.objects.create(report=report, month=month, entered_at=timezone.now())
    MonthlyValue.objects.bulk_create(
        MonthlyValue(record=record, indicator_id=indicators[c], value=v) for c, v in values.items()
    )


def test_the_annual_bilan_sums_twelve_months_and_compares_with_the_previous_year(niort):
    validated_year(niort["post"], 2024, persons=20)
    validated_year(niort["post"], 2025, persons=25)
    bilan = build_bilan(post_scope(niort["post"]), Period(2025), validated_only=False)
    row = bilan.row("personnes_rencontrees")
    assert (row.total, row.previous, row.change) == (300, 240, "+25\u00a0%")


def test_the_first_contact_rate_is_the_share_of_referrals_contacted_within_72_hours(niort):
    validated_year(niort["post"], 2025, referrals=12)
    bilan = build_bilan(post_scope(niort["post"]), Period(2025), validated_only=False)
    # The factory splits 12 referrals as 4 + 4 + 4 between the three delays.
    assert str(bilan.first_contact_rate) == "33.3"


def test_a_departement_bilan_adds_up_its_posts(niort):
    second = PostFactory(departement="79")
    validated_year(niort["post"], 2025, persons=20)
    validated_year(second, 2025, persons=10)
    scope = Scope("departement", "79", Post.objects.filter(departement="79"), departement="79")
    bilan = build_bilan(scope, Period(2025), validated_only=False)
    assert bilan.row("personnes_rencontrees").total == 360
    # The two commissariats and the brigade, which has entered nothing yet.
    assert bilan.post_count == 3


def test_readers_only_see_validated_quarters(niort):
    QuarterReportFactory(post=niort["post"], year=2025, quarter=1, validated=True, filled=True)
    QuarterReportFactory(post=niort["post"], year=2025, quarter=2, submitted=True, filled=True)
    bilan = build_bilan(post_scope(niort["post"]), Period(2025), validated_only=True)
    assert bilan.row("personnes_rencontrees").total == 60
    bilan = build_bilan(post_scope(niort["post"]), Period(2025), validated_only=False)
    assert bilan.row("personnes_rencontrees").total == 120


def test_the_bilan_reports_a_partition_that_does_not_add_up(niort):
    report = QuarterReportFactory(post=niort["post"], year=2025, quarter=1)
    values = month_values()
    values["femmes"] += 3
    fill(report, values=values)
    bilan = build_bilan(post_scope(niort["post"]), Period(2025, 1), validated_only=False)
    assert not bilan.checks_ok
    assert "Public : sexe" in bilan.month_checks[0].problems[0]


# Grid versions -------------------------------------------------------------------------------


def test_a_grid_change_leaves_the_previous_years_bilan_unchanged(niort):
    validated_year(niort["post"], 2025)
    before = build_bilan(post_scope(niort["post"]), Period(2025), validated_only=False)

    new = grid_version_create(
        name="Grille 2026", valid_from=datetime.date(2026, 1, 1), copy_from=default_version()
    )
    new.indicators.filter(code="pb_radicalisation").delete()
    new.indicators.filter(code="femmes").update(label="Femmes (y compris filles)")
    group = new.groups.get(code="problematiques")
    Indicator.objects.create(group=group, code="pb_cyberharcelement", label="Cyberharcèlement")

    after = build_bilan(post_scope(niort["post"]), Period(2025), validated_only=False)
    assert after.layout == before.layout
    assert [(r.indicator, r.months, r.total) for g in after.groups for r in g.rows] == [
        (r.indicator, r.months, r.total) for g in before.groups for r in g.rows
    ]


def test_a_bilan_compares_years_of_different_grid_versions_by_code(niort):
    validated_year(niort["post"], 2025, persons=20)
    new = grid_version_create(
        name="Grille 2026", valid_from=datetime.date(2026, 1, 1), copy_from=default_version()
    )
    new.indicators.filter(code="personnes_rencontrees").update(label="Personnes reçues")
    for quarter in range(1, 5):
        QuarterReportFactory(
            post=niort["post"],
            year=2026,
            quarter=quarter,
            grid_version=new,
            validated=True,
            filled=True,
            filled__persons=30,
        )
    bilan = build_bilan(post_scope(niort["post"]), Period(2026), validated_only=False)
    row = bilan.row("personnes_rencontrees")
    assert (row.indicator.label, row.total, row.previous) == ("Personnes reçues", 360, 240)


# Pages -------------------------------------------------------------------------------------------


def test_the_annual_page_shows_tables_charts_and_the_72_hour_rate(client, niort):
    validated_year(niort["post"], 2024)
    validated_year(niort["post"], 2025)
    client.force_login(niort["users"][Role.DDSP_SECRETARIAT])
    content = client.get(bilan_url(niort["post"], 2025)).content.decode()
    assert '<td class="num total" data-code="personnes_rencontrees">240</td>' in content
    assert "Premier contact dans les 72 heures" in content
    assert "33,3 % des saisines" in content
    assert 'role="img"' in content and '<title id="chart-evolution-title">' in content
    assert "Données du graphique (tableau)" in content
    assert "Cohérent" in content


def test_the_quarterly_page_shows_the_quarters_comment(client, niort):
    QuarterReportFactory(
        post=niort["post"], year=2025, quarter=3, validated=True, filled=True, comment="Été calme."
    )
    client.force_login(niort["users"][Role.READ_ONLY_PARTNER])
    content = client.get(bilan_url(niort["post"], 2025, 3)).content.decode()
    assert "Été calme." in content
    assert "N&#x27;écrivez aucun nom ni aucune information permettant" in content


def test_the_social_worker_writes_the_years_comment_under_the_privacy_warning(client, niort):
    client.force_login(niort["users"][Role.SOCIAL_WORKER])
    url = bilan_url(niort["post"], 2025)
    content = client.get(url).content.decode()
    assert "Commentaire qualitatif de l&#x27;année" in content
    response = client.post(url, {"comment": "Une année de consolidation."}, follow=True)
    assert "Commentaire de l&#x27;année enregistré." in response.content.decode()
    assert AnnualReport.objects.get().comment == "Une année de consolidation."


@pytest.mark.parametrize("role", [Role.LOCAL_AUTHORITY, Role.READ_ONLY_PARTNER])
def test_reading_roles_cannot_write_the_years_comment(client, niort, role):
    client.force_login(niort["users"][role])
    response = client.post(bilan_url(niort["post"], 2025), {"comment": "x"})
    assert response.status_code == 403
    assert not AnnualReport.objects.exists()


def test_the_val_doise_ddsp_secretariat_cannot_see_a_niort_bilan(client, two_departements):
    validated_year(two_departements["79"]["post"], 2025)
    client.force_login(two_departements["95"]["users"][Role.DDSP_SECRETARIAT])
    post = two_departements["79"]["post"]
    assert client.get(bilan_url(post, 2025)).status_code == 404
    assert client.get(bilan_url(post, 2025, 1)).status_code == 404
    url = reverse("activity:bilan_departement", args=["79", 2025])
    assert client.get(url).status_code == 404


def test_the_prefecture_reads_its_departements_bilan(client, niort):
    validated_year(niort["post"], 2025)
    client.force_login(niort["users"][Role.READ_ONLY_PARTNER])
    response = client.get(reverse("activity:bilan_departement", args=["79", 2025]))
    assert response.status_code == 200
    assert response.context["bilan"].row("personnes_rencontrees").total == 240


def test_the_national_bilan_is_for_administrators(client, two_departements, admin_user):
    validated_year(two_departements["79"]["post"], 2025)
    validated_year(two_departements["95"]["post"], 2025)
    url = reverse("activity:bilan_national", args=[2025])
    client.force_login(two_departements["79"]["users"][Role.DDSP_SECRETARIAT])
    assert client.get(url).status_code == 403
    client.force_login(admin_user)
    response = client.get(url)
    assert response.context["bilan"].row("personnes_rencontrees").total == 480


def test_the_annual_bilan_page_runs_a_fixed_number_of_queries(
    client, niort, django_assert_num_queries
):
    client.force_login(niort["users"][Role.DDSP_SECRETARIAT])
    post = niort["post"]
    QuarterReportFactory(post=post, year=2025, quarter=1, validated=True, filled=True)
    # Savepoint and release, session, user, organisation; the scoped post, its holders
    # and its sites; the annual bilan (comment form); the year's quarters; the grid
    # version, its groups and indicators; the sums of both years; the annual bilan again
    # (comments).
    with django_assert_num_queries(15):
        client.get(bilan_url(post, 2025))
    validated_year(post, 2024)
    for quarter in (2, 3, 4):
        QuarterReportFactory(post=post, year=2025, quarter=quarter, validated=True, filled=True)
    with django_assert_num_queries(15):
        client.get(bilan_url(post, 2025))


def test_the_departement_bilan_runs_a_fixed_number_of_queries(
    client, niort, django_assert_num_queries
):
    client.force_login(niort["users"][Role.DDSP_SECRETARIAT])
    url = reverse("activity:bilan_departement", args=["79", 2025])
    validated_year(niort["post"], 2025)
    # Savepoint and release, session, user, organisation; whether a post is in
    # scope; whether the secretariat is the authority of every one; the year's quarters;
    # the grid version, its groups and indicators; the sums; the number of posts.
    with django_assert_num_queries(13):
        client.get(url)
    for _ in range(3):
        post = PostFactory(
            departement="79", functional_authority=niort["post"].functional_authorities[0]
        )
        PartyFactory(convention=ConventionFactory(post=post))
        validated_year(post, 2025)
    with django_assert_num_queries(13):
        response = client.get(url)
    assert response.context["bilan"].post_count == 4
