"""The statistics grid: the default version, versions in force, copies, the admin."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from activity.enums import GroupKind
from activity.models import GridVersion, Indicator, IndicatorGroup
from activity.services import grid_version_create
from partners.enums import Role
from tests.activity.factories import QuarterReportFactory
from tests.partners.factories import UserFactory

pytestmark = pytest.mark.django_db


def default_version():
    return GridVersion.objects.get(valid_from=datetime.date(2021, 1, 1))


def test_the_default_grid_holds_every_group_of_the_domain_brief():
    codes = list(default_version().groups.values_list("code", flat=True))
    assert codes == [
        "activite",
        "personnes_connues",
        "entretiens_modalite",
        "premier_contact",
        "public_sexe",
        "public_age",
        "public_situation",
        "public_services_sociaux",
        "origine_saisine",
        "problematiques",
        "orientations",
    ]


def test_each_public_group_of_the_default_grid_sums_to_the_persons_met():
    groups = default_version().groups.filter(code__startswith="public_")
    assert {(g.kind, g.total_code) for g in groups} == {
        (GroupKind.PARTITION, "personnes_rencontrees")
    }


def test_referral_origins_sum_to_the_referrals_received():
    group = default_version().groups.get(code="origine_saisine")
    assert (group.kind, group.total_code) == (GroupKind.PARTITION, "saisines_recues")
    assert group.indicators.count() == 8


def test_problems_and_orientations_are_multiple_counts():
    kinds = dict(
        default_version()
        .groups.filter(code__in=["problematiques", "orientations"])
        .values_list("code", "kind")
    )
    assert kinds == {"problematiques": GroupKind.MULTIPLE, "orientations": GroupKind.MULTIPLE}


def test_it_rejects_a_version_that_does_not_start_a_quarter():
    version = GridVersion(name="Mai", valid_from=datetime.date(2026, 5, 1))
    with pytest.raises(ValidationError, match="premier jour d'un trimestre"):
        version.full_clean()


def test_the_version_in_force_is_the_latest_begun():
    first = default_version()
    second = grid_version_create(name="2026", valid_from=datetime.date(2026, 1, 1))
    assert GridVersion.objects.in_force(datetime.date(2025, 12, 31)) == first
    assert GridVersion.objects.in_force(datetime.date(2026, 1, 1)) == second
    assert GridVersion.objects.in_force(datetime.date(2019, 6, 1)) == first


def test_a_new_version_copies_every_group_and_indicator_of_its_source():
    source = default_version()
    copy = grid_version_create(
        name="Grille 2026", valid_from=datetime.date(2026, 1, 1), copy_from=source
    )
    assert list(copy.groups.values_list("code", "kind", "total_code")) == list(
        source.groups.values_list("code", "kind", "total_code")
    )
    assert sorted(copy.indicators.values_list("code", flat=True)) == sorted(
        source.indicators.values_list("code", flat=True)
    )
    assert Indicator.objects.filter(group__version=copy).exclude(version=copy).count() == 0


def test_it_rejects_a_partition_whose_total_is_not_an_indicator_of_the_version():
    group = IndicatorGroup(
        version=default_version(),
        code="nouveau",
        label="Nouveau",
        kind=GroupKind.PARTITION,
        total_code="inexistant",
    )
    with pytest.raises(ValidationError, match="Aucun indicateur"):
        group.full_clean()


def test_an_administrator_creates_a_version_from_a_copy_in_the_admin(client, admin_user):
    client.force_login(admin_user)
    response = client.post(
        "/admin/activity/gridversion/add/",
        {
            "name": "Grille 2027",
            "valid_from": "01/01/2027",
            "notes": "",
            "copy_from": default_version().pk,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    created = GridVersion.objects.get(name="Grille 2027")
    assert created.indicators.count() == default_version().indicators.count()


def test_the_admin_refuses_a_duplicate_indicator_code_in_a_version_with_a_message(
    client, admin_user
):
    client.force_login(admin_user)
    group = default_version().groups.get(code="public_sexe")
    response = client.post(
        "/admin/activity/indicator/add/",
        {"group": group.pk, "order": 9, "code": "personnes_rencontrees", "label": "Doublon"},
    )
    assert response.status_code == 200
    assert "Un indicateur de cette version porte déjà ce code." in response.content.decode()


def test_an_employer_coordinator_cannot_open_the_grid_admin(client, db):
    coordinator = UserFactory(role=Role.EMPLOYER_COORDINATION, is_staff=True)
    client.force_login(coordinator)
    assert client.get("/admin/activity/gridversion/").status_code == 403


def test_a_version_quarters_were_entered_with_is_read_only_in_the_admin(client, admin_user):
    QuarterReportFactory(filled=True)
    client.force_login(admin_user)
    indicator = default_version().indicators.get(code="femmes")
    response = client.post(
        f"/admin/activity/indicator/{indicator.pk}/change/",
        {"group": indicator.group_id, "order": 1, "code": "femmes", "label": "Changé"},
    )
    assert response.status_code == 403
    indicator.refresh_from_db()
    assert indicator.label == "Femmes"
    group = default_version().groups.get(code="public_sexe")
    content = client.get(f"/admin/activity/indicatorgroup/{group.pk}/change/").content.decode()
    assert 'name="indicators-0-label"' not in content


def test_new_indicators_go_only_into_versions_not_yet_used(client, admin_user):
    QuarterReportFactory(filled=True)
    client.force_login(admin_user)
    group = default_version().groups.get(code="problematiques")
    response = client.post(
        "/admin/activity/indicator/add/",
        {"group": group.pk, "order": 20, "code": "pb_nouveau", "label": "Nouveau"},
    )
    assert response.status_code == 200
    assert not Indicator.objects.filter(code="pb_nouveau").exists()
