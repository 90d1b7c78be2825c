"""« Dépassé »: a passed notice or concertation deadline of a convention in force, with
nothing to follow it, at the top of the dashboard and of the convention page."""

import datetime
import html
import re

import pytest
from django.urls import reverse

from conventions.enums import RenewalMode
from conventions.models import Renewal
from partners.enums import Role
from tests.conventions.factories import ConventionFactory, PartyFactory

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 22)
# Signed on 10 January 2024 for three years: ends 9 January 2027, notice (3 months) passed on
# 9 October 2026.
SIGNED = datetime.date(2024, 1, 10)


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: TODAY)


def text(response):
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode())))


def page(client, user, url):
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return response


def dashboard_text(client, user):
    return text(page(client, user, reverse("dashboard")))


def before_first_section(content):
    return content[: content.index("Conventions en vigueur")]


@pytest.fixture
def world(two_departements):
    for dep in ("79", "95"):
        two_departements[dep]["convention"].parties.update(signed_on=SIGNED)
    return two_departements


def test_it_shows_a_passed_concertation_deadline_at_the_top_of_the_dashboard(client, world):
    content = dashboard_text(client, world["79"]["users"][Role.LOCAL_AUTHORITY])
    top = before_first_section(content)
    assert "Dépassé Concertation sur la reconduction dépassée le 9 octobre 2026" in top
    assert "convention-79 prend fin le 9 janvier 2027" in top
    assert "le poste n'est plus couvert à partir du 10 janvier 2027" in top
    assert "convention-95" not in content  # out of scope


def test_it_says_a_tacit_renewal_can_no_longer_be_refused(client, world):
    convention = world["79"]["convention"]
    convention.renewal_mode = RenewalMode.TACIT
    convention.renewal_period_years = 3
    convention.save()
    top = before_first_section(dashboard_text(client, world["79"]["users"][Role.LOCAL_AUTHORITY]))
    assert "Préavis de non-reconduction dépassé le 9 octobre 2026" in top
    assert "sera reconduite tacitement le 10 janvier 2027 pour 3 ans" in top
    # The next term ends on 9 January 2030: its notice deadline is three months before.
    assert "au plus tard le 9 octobre 2029 pour l'échéance suivante" in top


def test_it_shows_the_same_alert_at_the_top_of_the_convention_page(client, world):
    convention = world["79"]["convention"]
    content = text(
        page(client, world["79"]["users"][Role.LOCAL_AUTHORITY], convention.get_absolute_url())
    )
    alert = content.index("Concertation sur la reconduction dépassée le 9 octobre 2026")
    assert alert < content.index("Parties")


def test_it_says_nothing_before_the_deadline(client, world, monkeypatch):
    monkeypatch.setattr(
        "django.utils.timezone.localdate", lambda *a, **k: datetime.date(2026, 10, 9)
    )
    assert "dépassé" not in dashboard_text(client, world["79"]["users"][Role.LOCAL_AUTHORITY])


def test_it_says_nothing_once_a_renewal_is_recorded(client, world):
    Renewal.objects.create(
        convention=world["79"]["convention"],
        number=1,
        start=datetime.date(2027, 1, 10),
        end=datetime.date(2030, 1, 9),
    )
    assert "dépassé" not in dashboard_text(client, world["79"]["users"][Role.LOCAL_AUTHORITY])


def test_it_says_nothing_when_a_newer_convention_follows(client, world):
    old = world["79"]["convention"]
    successor = ConventionFactory(post=old.single_post, renews=old, reference="suite-79")
    PartyFactory(convention=successor)
    content = dashboard_text(client, world["79"]["users"][Role.LOCAL_AUTHORITY])
    assert "dépassé" not in content


def test_it_says_nothing_for_a_terminated_convention(client, world):
    convention = world["79"]["convention"]
    convention.terminated_on = datetime.date(2027, 1, 9)
    convention.save()
    assert "dépassé" not in dashboard_text(client, world["79"]["users"][Role.LOCAL_AUTHORITY])
