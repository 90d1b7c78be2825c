"""Error tracking: an unhandled error of a page served over HTTP (the live server, through
the WSGI handler gunicorn calls) reaches Sentry, a real ingestion server on loopback
(tests/operations/conftest.py), with its request id and without a session, a cookie, a
query string, a body or an e-mail address; without a DSN nothing is sent."""

import pytest
import requests
import sentry_sdk
from django.conf import settings
from django.test import Client

from config.observability import sentry_init
from tests.partners.factories import UserFactory

# Transactional (a live server) with the data serialized and restored, as every such test
# here: a plain flush would re-create the content types under the next serialized test.
pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.urls("tests.operations.urls"),
]

AGENT_EMAIL = "camille.agent@interieur.gouv.fr"
QUERY_SECRET = "jeton-dans-l-adresse"
CSRF_SECRET = "jeton-csrf-du-navigateur-" + "c" * 16
REFERER = "https://conventions.example.fr/conventions/?recherche=nom-d-un-agent"


def start(dsn):
    # The settings' own call, with the test's DSN.
    return sentry_init(dsn=dsn, environment="test", release="r42", traces_sample_rate=0.0)


def fail_a_request(live_server):
    """A logged-in agent's request to a page that raises: the session and the response."""
    user = UserFactory(email=AGENT_EMAIL)
    login = Client()
    login.force_login(user)
    session = login.cookies[settings.SESSION_COOKIE_NAME].value
    response = requests.get(
        f"{live_server.url}/panne/?jeton={QUERY_SECRET}",
        cookies={settings.SESSION_COOKIE_NAME: session, "csrftoken": CSRF_SECRET},
        headers={"Referer": REFERER},
        timeout=10,
    )
    assert response.status_code == 500
    sentry_sdk.flush(timeout=5)
    return session, response


def test_an_error_reaches_sentry_with_its_request_id_and_no_personal_data(
    sentry_inbox, live_server
):
    assert start(sentry_inbox.dsn)
    session, response = fail_a_request(live_server)
    [event] = sentry_inbox.items("event")
    assert event["exception"]["values"][-1]["type"] == "DeliberateFailure"
    assert event["tags"]["request_id"] == response.headers["X-Request-ID"]
    assert (event["environment"], event["release"]) == ("test", "r42")
    assert event["request"]["url"] == f"{live_server.url}/panne/"
    assert event["request"]["method"] == "GET"
    assert not {"cookies", "query_string", "data"} & event["request"].keys()
    assert {name.lower() for name in event["request"]["headers"]} <= {
        "host",
        "user-agent",
        "accept",
        "accept-language",
        "content-type",
        "content-length",
        "x-request-id",
    }
    assert not event.get("user", {}).keys() - {"id"}
    for secret in (session, CSRF_SECRET, QUERY_SECRET, AGENT_EMAIL, REFERER):
        assert secret.encode() not in sentry_inbox.raw, secret


def test_the_secret_part_of_an_address_does_not_reach_sentry(sentry_inbox, live_server):
    assert start(sentry_inbox.dsn)
    response = requests.get(f"{live_server.url}/panne/jeton-prive-de-l-agent/", timeout=10)
    assert response.status_code == 500
    sentry_sdk.flush(timeout=5)
    [event] = sentry_inbox.items("event")
    assert event["request"]["url"] == f"{live_server.url}/panne/<str:token>/"
    assert b"jeton-prive" not in sentry_inbox.raw


def test_without_a_dsn_sentry_is_not_started_and_nothing_is_sent(sentry_inbox, live_server):
    assert not start("")
    assert not sentry_sdk.get_client().is_active()
    fail_a_request(live_server)
    assert sentry_inbox.envelopes == []
