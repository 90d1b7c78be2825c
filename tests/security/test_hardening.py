"""Login throttling, session lifetime and the Content-Security-Policy."""

import datetime

import pytest
from axes.models import AccessAttempt
from django.conf import settings
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
    # Says who to contact, and how to get a new password.
    assert f'href="mailto:{settings.CONTACT_EMAIL}"' in content
    assert 'href="/mot-de-passe-oublie/"' in content
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


def failed_login(client, address, *, via_proxy="127.0.0.1"):
    return client.post(
        "/connexion/",
        {"username": "ville.niort", "password": "mauvais-mot-de-passe"},
        REMOTE_ADDR=via_proxy,
        HTTP_X_FORWARDED_FOR=address,
    )


def login_from(client, address, *, via_proxy="127.0.0.1"):
    return client.post(
        "/connexion/",
        {"username": "ville.niort", "password": "convention-demo"},
        REMOTE_ADDR=via_proxy,
        HTTP_X_FORWARDED_FOR=address,
    )


@override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=3, TRUSTED_PROXIES=["127.0.0.1"])
def test_behind_the_proxy_a_stranger_cannot_lock_the_user_out_from_elsewhere(client):
    UserFactory(username="ville.niort")
    for _ in range(3):
        failed_login(client, "198.51.100.7")
    assert failed_login(client, "198.51.100.7").status_code == 429
    # The real user, from her own address through the same proxy, still logs in.
    assert login_from(client, "203.0.113.20").status_code == 302


@override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=3, TRUSTED_PROXIES=["127.0.0.1"])
def test_a_forged_forwarded_address_does_not_escape_the_lock(client):
    UserFactory(username="ville.niort")
    for _ in range(3):
        failed_login(client, "198.51.100.7")
    # The client writes another address before its own: the proxy appends the real one.
    assert login_from(client, "203.0.113.20, 198.51.100.7").status_code == 429


@override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=3, TRUSTED_PROXIES=[])
def test_without_a_trusted_proxy_the_forwarded_header_is_ignored(client):
    UserFactory(username="ville.niort")
    for _ in range(3):
        failed_login(client, "198.51.100.7", via_proxy="192.0.2.50")
    # Another forwarded address from the same connection changes nothing.
    assert login_from(client, "203.0.113.20", via_proxy="192.0.2.50").status_code == 429


def test_logged_in_pages_are_never_stored_by_a_browser_or_a_cache(client):
    client.force_login(UserFactory())
    response = client.get("/profil/")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


def test_the_login_page_forbids_the_browser_powerful_features(client):
    policy = client.get("/connexion/")["Permissions-Policy"]
    for feature in ("camera=()", "microphone=()", "geolocation=()"):
        assert feature in policy
