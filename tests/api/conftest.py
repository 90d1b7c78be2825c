import pytest
from rest_framework.test import APIClient

from partners.api_tokens import api_token_create


@pytest.fixture
def api_key():
    """A usable key of ``user`` (90 days)."""

    def make(user, name="Outil de test") -> str:
        return api_token_create(user=user, name=name, lifetime_days=90).key

    return make


@pytest.fixture
def api_as(api_key):
    """An API client that sends a new key of ``user`` at every call."""

    def make(user) -> APIClient:
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {api_key(user)}")
        return client

    return make
