"""Personal API keys: shown once, stored as a hash, expiring, revocable, only way in."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from partners.api_tokens import MAX_USABLE_TOKENS, api_token_create, api_token_revoke, key_hash
from partners.enums import Role
from partners.models import ApiToken
from tests.partners.factories import UserFactory

pytestmark = pytest.mark.django_db

ORGANISATIONS = "/api/v1/organisations/"


def call(key, path=ORGANISATIONS):
    return APIClient().get(path, HTTP_AUTHORIZATION=f"Bearer {key}")


def test_a_key_is_stored_only_as_its_hash():
    user = UserFactory(role=Role.LOCAL_AUTHORITY)
    new = api_token_create(user=user, name="Tableur", lifetime_days=30)
    stored = ApiToken.objects.get()
    assert new.key.startswith("iscg_") and len(new.key) > 40
    assert stored.key_hash == key_hash(new.key)
    assert new.key not in {stored.key_hash, stored.prefix, stored.name}
    assert new.key.startswith(stored.prefix)
    expected = timezone.now() + datetime.timedelta(days=30)
    assert abs(stored.expires_at - expected) < datetime.timedelta(minutes=1)


def test_a_call_with_a_valid_key_reads_and_is_recorded_as_a_use():
    user = UserFactory(role=Role.LOCAL_AUTHORITY)
    new = api_token_create(user=user, name="Tableur", lifetime_days=30)
    assert call(new.key).status_code == 200
    new.token.refresh_from_db()
    assert new.token.last_used_at is not None


@pytest.mark.parametrize(
    "authorization",
    [None, "Bearer iscg_inconnue", "Token abc", "Bearer", "Basic dXNlcjpwYXNz"],
    ids=["none", "unknown", "other-scheme", "empty", "basic"],
)
def test_a_call_without_a_valid_key_is_refused_with_401(authorization):
    headers = {"HTTP_AUTHORIZATION": authorization} if authorization else {}
    response = APIClient().get(ORGANISATIONS, **headers)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'
    assert "clé" in response.json()["detail"].lower() or "authentification" in (
        response.json()["detail"].lower()
    )


def test_a_logged_in_browser_session_does_not_open_the_data(client):
    user = UserFactory(role=Role.LOCAL_AUTHORITY)
    client.force_login(user)
    assert client.get(ORGANISATIONS).status_code == 401


def test_a_revoked_key_no_longer_works():
    user = UserFactory(role=Role.LOCAL_AUTHORITY)
    new = api_token_create(user=user, name="Tableur", lifetime_days=30)
    api_token_revoke(token=new.token)
    assert call(new.key).status_code == 401


def test_an_expired_key_no_longer_works():
    user = UserFactory(role=Role.LOCAL_AUTHORITY)
    new = api_token_create(user=user, name="Tableur", lifetime_days=30)
    ApiToken.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    assert call(new.key).status_code == 401


def test_the_key_of_a_deactivated_account_no_longer_works():
    user = UserFactory(role=Role.LOCAL_AUTHORITY)
    new = api_token_create(user=user, name="Tableur", lifetime_days=30)
    user.is_active = False
    user.save()
    assert call(new.key).status_code == 401


def test_a_user_keeps_at_most_ten_keys_in_use():
    user = UserFactory(role=Role.LOCAL_AUTHORITY)
    for number in range(MAX_USABLE_TOKENS):
        api_token_create(user=user, name=f"Clé {number}", lifetime_days=30)
    with pytest.raises(Exception, match="révoquez-en un"):
        api_token_create(user=user, name="Une de trop", lifetime_days=30)


class TestProfilePage:
    def test_the_key_is_shown_once_after_creation(self, client):
        user = UserFactory(role=Role.LOCAL_AUTHORITY)
        client.force_login(user)
        response = client.post(
            reverse("api_token_create"),
            {"name": "Logiciel d'activité", "lifetime_days": "90"},
            follow=True,
        )
        token = ApiToken.objects.get(user=user)
        page = response.content.decode()
        (key,) = [
            w for w in page.replace('"', " ").split() if w.startswith("iscg_") and len(w) > 40
        ]
        assert key_hash(key) == token.key_hash
        assert "Copiez votre clé maintenant" in page
        again = client.get(reverse("profile")).content.decode()
        assert key not in again
        assert "Logiciel d&#x27;activité" in again and token.prefix in again

    def test_a_double_click_creates_one_key(self, client):
        user = UserFactory(role=Role.LOCAL_AUTHORITY)
        client.force_login(user)
        data = {"name": "Tableur", "lifetime_days": "30", "submission_token": "x" * 40}
        client.post(reverse("api_token_create"), data)
        client.post(reverse("api_token_create"), data)
        assert ApiToken.objects.filter(user=user).count() == 1

    def test_a_lifetime_not_offered_is_refused_next_to_the_field(self, client):
        user = UserFactory(role=Role.LOCAL_AUTHORITY)
        client.force_login(user)
        response = client.post(
            reverse("api_token_create"), {"name": "Tableur", "lifetime_days": "3650"}
        )
        assert response.status_code == 400
        assert "Sélectionnez un choix valide" in response.content.decode()
        assert not ApiToken.objects.exists()

    def test_a_user_revokes_a_key_from_the_profile(self, client):
        user = UserFactory(role=Role.LOCAL_AUTHORITY)
        new = api_token_create(user=user, name="Tableur", lifetime_days=30)
        client.force_login(user)
        response = client.post(reverse("api_token_revoke", args=[new.token.pk]), follow=True)
        assert "est révoquée" in response.content.decode()
        assert call(new.key).status_code == 401

    def test_nobody_revokes_the_key_of_another_user(self, client):
        owner = UserFactory(role=Role.LOCAL_AUTHORITY)
        new = api_token_create(user=owner, name="Tableur", lifetime_days=30)
        client.force_login(UserFactory(role=Role.LOCAL_AUTHORITY))
        response = client.post(reverse("api_token_revoke", args=[new.token.pk]))
        assert response.status_code == 404
        assert call(new.key).status_code == 200
