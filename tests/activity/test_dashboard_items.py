"""The social worker's months and the partners' bilans on the home page (the quarters
to send or validate are tested in test_dashboard.py)."""

import datetime
import re

import pytest
from django.urls import reverse

from partners.enums import Role
from tests.activity.factories import QuarterReportFactory

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 22)


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: TODAY)


def dashboard_text(client, user):
    client.force_login(user)
    response = client.get(reverse("dashboard"))
    assert response.status_code == 200
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def test_the_social_worker_sees_this_and_last_months_figures_and_what_is_missing(
    client, two_departements
):
    post = two_departements["79"]["post"]
    QuarterReportFactory(post=post, year=2026, quarter=4, filled=True)
    content = dashboard_text(client, two_departements["79"]["users"][Role.SOCIAL_WORKER])
    assert f"{post.name} — octobre 2026 : complet" in content
    assert f"{post.name} — novembre 2026 : complet" in content
    assert two_departements["95"]["post"].name not in content


def test_a_missing_last_month_is_overdue_for_the_social_worker(client, two_departements):
    post = two_departements["79"]["post"]
    content = dashboard_text(client, two_departements["79"]["users"][Role.SOCIAL_WORKER])
    content = content.replace("&#x27;", "'")
    assert (
        f"En retard depuis le 1er novembre 2026 — {post.name} — octobre 2026 : rien n'est "
        "encore saisi Pourquoi : octobre 2026 est terminé et aucun chiffre n'est saisi."
    ) in content


def test_a_read_only_partner_sees_the_latest_validated_bilan_only(client, two_departements):
    post = two_departements["79"]["post"]
    QuarterReportFactory(post=post, year=2026, quarter=1, validated=True, filled=True)
    QuarterReportFactory(post=post, year=2026, quarter=2, validated=True, filled=True)
    QuarterReportFactory(post=post, year=2026, quarter=3, submitted=True)
    content = dashboard_text(client, two_departements["79"]["users"][Role.READ_ONLY_PARTNER])
    assert f"{post.name} — bilan du 2e trimestre 2026" in content
    assert "3e trimestre 2026" not in content
