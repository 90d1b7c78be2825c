"""The admin for the Coordination employeur: its posts only, through the same services."""

import pytest

from activity.enums import QuarterState
from activity.models import MonthlyRecord, QuarterReport
from activity.selectors import report_values
from partners.enums import Role
from tests.activity.factories import QuarterReportFactory, month_values

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator(client, two_departements):
    user = two_departements["79"]["users"][Role.EMPLOYER_COORDINATION]
    client.force_login(user)
    return user


def add_data(post, month, values, year=2026):
    data = {"post": post.pk, "year": year, "month": month, "quarter_version": ""}
    data.update({code: "" if value is None else value for code, value in values.items()})
    return data


def test_a_coordinator_enters_a_month_of_its_post_in_the_admin(
    client, coordinator, two_departements
):
    post = two_departements["79"]["post"]
    response = client.post(
        "/admin/activity/monthlyrecord/add/", add_data(post, 4, month_values(persons=9))
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    record = MonthlyRecord.objects.get()
    assert record.entered_by == coordinator
    assert report_values(record.report)[4]["personnes_rencontrees"] == 9


def test_the_admin_applies_the_partition_rules(client, coordinator, two_departements):
    values = month_values(persons=9)
    values["hommes"] += 5
    response = client.post(
        "/admin/activity/monthlyrecord/add/", add_data(two_departements["79"]["post"], 4, values)
    )
    assert response.status_code == 200
    assert "La somme des lignes « Public : sexe »" in response.content.decode()
    assert not MonthlyRecord.objects.exists()


def test_a_coordinator_cannot_pick_a_post_it_does_not_employ(client, coordinator, two_departements):
    response = client.post(
        "/admin/activity/monthlyrecord/add/",
        add_data(two_departements["95"]["post"], 4, month_values()),
    )
    assert response.status_code == 200
    assert not MonthlyRecord.objects.exists()


def test_a_coordinator_sees_only_the_records_of_its_posts(client, coordinator, two_departements):
    mine = QuarterReportFactory(post=two_departements["79"]["post"], filled=True)
    QuarterReportFactory(post=two_departements["95"]["post"], filled=True)
    response = client.get("/admin/activity/monthlyrecord/")
    assert list(response.context["cl"].queryset) == list(mine.records.all())
    other = MonthlyRecord.objects.exclude(report=mine).first()
    assert client.get(f"/admin/activity/monthlyrecord/{other.pk}/change/").status_code == 302


def test_a_coordinator_submits_a_quarter_with_the_admin_action(
    client, coordinator, two_departements
):
    report = QuarterReportFactory(post=two_departements["79"]["post"], filled=True)
    response = client.post(
        "/admin/activity/quarterreport/",
        {"action": "submit_selected", "_selected_action": [report.pk]},
        follow=True,
    )
    assert "transmis." in response.content.decode()
    report.refresh_from_db()
    assert report.state == QuarterState.SUBMITTED


def test_a_coordinator_cannot_validate_with_the_admin_action(client, coordinator, two_departements):
    report = QuarterReportFactory(post=two_departements["79"]["post"], filled=True, submitted=True)
    response = client.post(
        "/admin/activity/quarterreport/",
        {"action": "validate_selected", "_selected_action": [report.pk]},
        follow=True,
    )
    assert "action non autorisée" in response.content.decode()
    assert QuarterReport.objects.get().state == QuarterState.SUBMITTED


def test_a_validated_month_cannot_be_changed_in_the_admin(client, coordinator, two_departements):
    report = QuarterReportFactory(post=two_departements["79"]["post"], filled=True, validated=True)
    record = report.records.first()
    response = client.get(f"/admin/activity/monthlyrecord/{record.pk}/change/")
    assert response.status_code == 200
    assert 'name="personnes_rencontrees"' not in response.content.decode()
