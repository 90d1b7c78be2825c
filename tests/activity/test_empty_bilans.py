"""An empty bilan is never listed as validated nor marked « Cohérent »."""

import datetime
import html
import re

import pytest
from django.urls import reverse

from activity.enums import AnnualState
from activity.models import AnnualReport
from partners.enums import Role
from tests.activity.factories import QuarterReportFactory

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
    return two_departements["79"]


def test_it_does_not_call_a_bilan_without_figures_coherent(client, niort):
    client.force_login(niort["users"][Role.DDSP_SECRETARIAT])
    content = text(client.get(reverse("activity:bilan_post", args=[niort["post"].pk, 2025])))
    assert "Cohérent" not in content
    assert "Aucun chiffre : rien n'est saisi pour cette période" in content


def test_it_does_not_list_a_validated_quarter_without_figures(client, niort):
    post = niort["post"]
    QuarterReportFactory(post=post, year=2026, quarter=1, validated=True, filled=True)
    QuarterReportFactory(post=post, year=2026, quarter=2, validated=True)  # nothing entered
    client.force_login(niort["users"][Role.READ_ONLY_PARTNER])
    content = text(client.get(reverse("dashboard")))
    assert f"{post.name} — bilan du 1er trimestre 2026" in content
    assert "2e trimestre 2026" not in content


def test_it_lists_last_years_annual_bilan_only_once_validated_with_figures(client, niort):
    post = niort["post"]
    client.force_login(niort["users"][Role.READ_ONLY_PARTNER])
    assert "bilan annuel 2025" not in text(client.get(reverse("dashboard")))
    for quarter in range(1, 5):
        QuarterReportFactory(post=post, year=2025, quarter=quarter, validated=True, filled=True)
    AnnualReport.objects.create(
        post=post,
        year=2025,
        state=AnnualState.VALIDATED,
        validated_at=datetime.datetime(2026, 1, 20, 9, tzinfo=datetime.UTC),
    )
    content = text(client.get(reverse("dashboard")))
    assert f"{post.name} — bilan annuel 2025 · validé le 20 janvier 2026" in content
