"""Login throttling, session lifetime and the Content-Security-Policy."""

import datetime

import pytest
from axes.models import AccessAttempt
from django.test import override_settings
from django.utils import timezone

from tests.partners.factories import UserFactory

pytestmark = pytest.mark.django_db


def try_login(client, password):
    return client.post("/connexion/", {"username": "ville.niort", "password": password})


@override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=3)
def test_repeated_failures_lock_the_account_with_a_french_message(client):
    UserFactory(username="ville.niort")
    for _ in range(2):
        assert try_login(client, "mauvais-mot-de-passe").status_code == 200
    response = try_login(client, "mauvais-mot-de-passe")
    assert response.status_code == 429
    content = response.content.decode()
    assert "Compte temporairement bloqué" in content
    assert "contactez l'administrateur" in content
    # Even the right password is refused while locked.
    assert try_login(client, "convention-demo").status_code == 429


@override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=3)
def test_the_lock_is_lifted_after_the_cool_off(client):
    UserFactory(username="ville.niort")
    for _ in range(3):
        try_login(client, "mauvais-mot-de-passe")
    assert try_login(client, "convention-demo").status_code == 429
    # Thirty-one minutes later (the cool-off is thirty).
    AccessAttempt.objects.update(attempt_time=timezone.now() - datetime.timedelta(minutes=31))
    response = try_login(client, "convention-demo")
    assert response.status_code == 302


def test_every_page_sends_a_policy_without_inline_scripts(client):
    response = client.get("/connexion/")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy


def test_the_session_ends_after_eight_hours_and_at_browser_close(settings):
    assert settings.SESSION_COOKIE_AGE == 8 * 60 * 60
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True
    assert settings.SESSION_COOKIE_HTTPONLY is True
