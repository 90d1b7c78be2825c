"""Every « En retard » says since when and why."""

import datetime
import html
import re

import pytest
from django.urls import reverse

from config.core.dashboard import Item
from partners.enums import Role
from tests.activity.factories import QuarterReportFactory
from tests.conventions.factories import ContributionFactory, ReportingRuleFactory

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 22)


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: TODAY)


def text(response):
    assert response.status_code == 200
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode())))


@pytest.fixture
def niort(two_departements):
    world = two_departements["79"]
    world["convention"].parties.update(signed_on=datetime.date(2024, 1, 1))
    ReportingRuleFactory(convention=world["convention"], period="Q3", due_month=10, due_day=15)
    QuarterReportFactory(post=world["post"], year=2026, quarter=3, filled=True)
    return world


REASON = (
    "le 3e trimestre 2026 devait être transmis au plus tard le 15 octobre 2026 et ne l'a pas "
    "été (échéance fixée par la convention convention-79)"
)


def test_it_says_since_when_and_why_a_quarter_is_late_on_the_status_board(client, niort):
    client.force_login(niort["users"][Role.DDSP_SECRETARIAT])
    content = text(client.get(reverse("activity:status_board") + "?annee=2026"))
    assert "En retard depuis le 16 octobre 2026" in content
    assert REASON[:1].upper() + REASON[1:] in content


def test_it_says_since_when_and_why_on_the_quarter_page(client, niort):
    client.force_login(niort["users"][Role.DDSP_SECRETARIAT])
    url = reverse("activity:quarter_entry", args=[niort["post"].pk, 2026, 3])
    content = text(client.get(url))
    assert f"En retard depuis le 16 octobre 2026 Pourquoi : {REASON}." in content


def test_it_says_since_when_and_why_on_the_secretariat_dashboard(client, niort):
    client.force_login(niort["users"][Role.DDSP_SECRETARIAT])
    content = text(client.get(reverse("dashboard")))
    assert "En retard depuis le 16 octobre 2026" in content
    assert f"Pourquoi : {REASON}." in content


def test_it_says_since_when_and_why_a_contribution_is_late(client, niort):
    user = niort["users"][Role.LOCAL_AUTHORITY]
    ContributionFactory(
        convention=niort["convention"],
        organisation=user.organisation,
        first_year=2026,
        last_year=2026,
        amount=5000,
        due_month=6,
        due_day=30,
    )
    client.force_login(user)
    content = text(client.get(reverse("dashboard")))
    assert "En retard depuis le 1er juillet 2026" in content
    assert (
        f"Pourquoi : la contribution 2026 de {user.organisation.name} devait être versée au plus "
        "tard le 30 juin 2026 et 5 000 € restent dus." in content.replace("\u202f", " ")
    )


def test_an_overdue_item_cannot_be_built_without_its_date_and_reason():
    with pytest.raises(ValueError):
        Item("3e trimestre 2026", "/", overdue=True)
