"""ProConnect login (partners.proconnect): off by default, then against a real OpenID
Connect provider on loopback (tests/proconnect: django-oauth-toolkit in its own process;
the fixtures `proconnect` and `proconnect_provider` are in tests/proconnect/fixtures.py).
The product's client speaks to it over HTTP: discovery, token, JWKS and userinfo."""

import time
from urllib.parse import parse_qs, urljoin, urlparse

import jwt
import pytest
import requests
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.core.exceptions import SuspiciousOperation
from django.test import override_settings
from jwcrypto import jwk

from partners import proconnect as proconnect_module
from partners.models import User
from partners.proconnect import ProConnectBackend
from tests.partners.factories import UserFactory
from tests.proconnect.fixtures import (
    INACTIVE_AGENT,
    KNOWN_AGENT,
    PROVIDER_PASSWORD,
    UNKNOWN_AGENT,
)

CONFIGURED = {
    "PROCONNECT_ISSUER": "http://127.0.0.1:9/o",
    "PROCONNECT_CLIENT_ID": "client",
    "PROCONNECT_CLIENT_SECRET": "secret",
}


@pytest.fixture(autouse=True)
def forget_discovery():
    proconnect_module._discovered.clear()
    yield
    proconnect_module._discovered.clear()


# Off by default --------------------------------------------------------------------


@pytest.mark.django_db
def test_the_login_page_has_no_proconnect_button_when_it_is_not_configured(client):
    response = client.get("/connexion/")
    assert response.status_code == 200
    assert "ProConnect" not in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/proconnect/connexion/", "/proconnect/retour/?code=x&state=y"])
def test_the_proconnect_urls_are_404_when_it_is_not_configured(client, path):
    assert client.get(path).status_code == 404


@pytest.mark.django_db
@override_settings(PROCONNECT_ISSUER="https://example.invalid", PROCONNECT_CLIENT_ID="id")
def test_proconnect_stays_off_without_its_secret(client):
    assert client.get("/proconnect/connexion/").status_code == 404
    assert "ProConnect" not in client.get("/connexion/").content.decode()


# Configured, without a provider -------------------------------------------------------


@pytest.mark.django_db
@override_settings(**CONFIGURED)
def test_the_login_page_shows_the_proconnect_button_when_configured(client):
    page = client.get("/connexion/?next=/conventions/").content.decode()
    assert 'class="fr-connect fr-connect--pro"' in page
    assert "S’identifier avec" in page
    assert "Qu’est-ce que ProConnect ?" in page
    assert 'href="/proconnect/connexion/?next=/conventions/"' in page


@pytest.mark.django_db
@override_settings(**CONFIGURED)
def test_a_callback_with_a_state_this_browser_never_sent_gets_a_french_page(client):
    client.get("/")  # a session, without any ProConnect state
    session = client.session
    session["oidc_states"] = {"state-of-this-browser": {"nonce": "n", "code_verifier": None}}
    session.save()

    response = client.get("/proconnect/retour/?code=abc&state=forged-state")

    assert response.status_code == 400
    assert "Connexion avec ProConnect impossible" in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
@override_settings(**CONFIGURED)
def test_a_callback_without_any_login_started_gets_a_french_page(client):
    response = client.get("/proconnect/retour/?code=abc&state=xyz")
    assert response.status_code == 400
    assert "n’a pas pu être vérifiée" in response.content.decode()


@pytest.mark.django_db
@override_settings(**CONFIGURED)
def test_an_error_sent_back_by_the_provider_gets_a_french_page(client):
    response = client.get("/proconnect/retour/?error=access_denied&state=xyz")
    assert response.status_code == 400
    assert "Connexion avec ProConnect impossible" in response.content.decode()


@pytest.mark.django_db
@override_settings(**CONFIGURED)
def test_a_provider_that_does_not_answer_gets_a_french_page(client):
    # Port 9 (discard) on loopback: nothing listens there.
    response = client.get("/proconnect/connexion/")
    assert response.status_code == 502
    assert "ProConnect ne répond pas pour le moment" in response.content.decode()


# Against the provider on loopback -----------------------------------------------------


def start_and_sign_in(live_server, username, *, follow_callback=True):
    """Click « S'identifier avec ProConnect », sign in at the provider; returns the HTTP
    session and the last response (the product's page, or the callback's redirect)."""
    browser = requests.Session()
    login_page = browser.get(f"{live_server.url}/proconnect/connexion/", timeout=10)
    assert "Fournisseur d’identité de test" in login_page.text
    next_url = parse_qs(urlparse(login_page.url).query)["next"][0]
    signed_in = browser.post(
        login_page.url,
        data={
            "csrfmiddlewaretoken": browser.cookies["provider_csrftoken"],
            "username": username,
            "password": PROVIDER_PASSWORD,
            "next": next_url,
        },
        allow_redirects=follow_callback,
        timeout=10,
    )
    if follow_callback:
        return browser, signed_in
    # The provider's authorize endpoint, which sends back to the product with a code.
    authorize = browser.get(
        urljoin(signed_in.url, signed_in.headers["Location"]), allow_redirects=False, timeout=10
    )
    return browser, authorize


def is_logged_in(browser, live_server):
    response = browser.get(f"{live_server.url}/", allow_redirects=False, timeout=10)
    return response.status_code == 200


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_agent_whose_email_matches_an_active_account_logs_in(live_server, proconnect):
    UserFactory(username="camille", first_name="Camille", email="agent.connu@interieur.gouv.fr")

    browser, page = start_and_sign_in(live_server, KNOWN_AGENT["username"])

    assert page.status_code == 200
    assert page.url == f"{live_server.url}/"
    assert is_logged_in(browser, live_server)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@override_settings(AXES_ENABLED=True)
def test_proconnect_works_with_the_login_throttling_on(live_server, proconnect):
    UserFactory(username="camille", email="agent.connu@interieur.gouv.fr")

    browser, page = start_and_sign_in(live_server, KNOWN_AGENT["username"])

    assert page.url == f"{live_server.url}/"
    assert is_logged_in(browser, live_server)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=2)
def test_refused_proconnect_returns_never_block_the_agents_behind_the_same_address(
    live_server, proconnect
):
    UserFactory(username="camille", email="agent.connu@interieur.gouv.fr")
    for _attempt in range(3):
        _browser, page = start_and_sign_in(live_server, UNKNOWN_AGENT["username"])
        assert page.status_code == 403

    browser, page = start_and_sign_in(live_server, KNOWN_AGENT["username"])

    assert page.url == f"{live_server.url}/"
    assert is_logged_in(browser, live_server)
    assert not AccessAttempt.objects.exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_unknown_email_gets_the_page_explaining_how_to_be_invited(live_server, proconnect):
    UserFactory(username="camille", email="agent.connu@interieur.gouv.fr")
    users_before = User.objects.count()

    browser, page = start_and_sign_in(live_server, UNKNOWN_AGENT["username"])

    assert page.status_code == 403
    assert "Aucun compte actif pour cette adresse" in page.text
    assert "demandez au référent de votre organisation" in page.text
    assert not is_logged_in(browser, live_server)
    assert User.objects.count() == users_before
    assert not User.objects.filter(email__iexact=UNKNOWN_AGENT["email"]).exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_inactive_account_is_refused(live_server, proconnect):
    UserFactory(username="ancien", email=INACTIVE_AGENT["email"], is_active=False)

    browser, page = start_and_sign_in(live_server, INACTIVE_AGENT["username"])

    assert page.status_code == 403
    assert "Aucun compte actif pour cette adresse" in page.text
    assert not is_logged_in(browser, live_server)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_address_shared_by_two_active_accounts_is_refused(live_server, proconnect):
    UserFactory(username="camille", email="agent.connu@interieur.gouv.fr")
    UserFactory(username="camille.bis", email="AGENT.CONNU@interieur.gouv.fr")

    browser, page = start_and_sign_in(live_server, KNOWN_AGENT["username"])

    assert page.status_code == 403
    assert not is_logged_in(browser, live_server)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_deactivated_old_account_does_not_hide_the_active_one(live_server, proconnect):
    UserFactory(username="ancien", email="agent.connu@interieur.gouv.fr", is_active=False)
    UserFactory(username="camille", email="agent.connu@interieur.gouv.fr")

    browser, page = start_and_sign_in(live_server, KNOWN_AGENT["username"])

    assert page.url == f"{live_server.url}/"
    assert is_logged_in(browser, live_server)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_tampered_nonce_is_refused_with_a_french_page(live_server, proconnect):
    UserFactory(username="camille", email="agent.connu@interieur.gouv.fr")
    browser, redirect = start_and_sign_in(
        live_server, KNOWN_AGENT["username"], follow_callback=False
    )
    callback = redirect.headers["Location"]
    assert callback.startswith(f"{live_server.url}/proconnect/retour/")
    state = parse_qs(urlparse(callback).query)["state"][0]
    session = SessionStore(session_key=browser.cookies["sessionid"])
    session["oidc_states"][state]["nonce"] = "not-the-nonce-sent"
    session.save()

    page = browser.get(callback, timeout=10)

    assert page.status_code == 400
    assert "Connexion avec ProConnect impossible" in page.text
    assert not is_logged_in(browser, live_server)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_logging_out_ends_the_proconnect_session_too(live_server, proconnect):
    UserFactory(username="camille", email="agent.connu@interieur.gouv.fr")
    browser, _ = start_and_sign_in(live_server, KNOWN_AGENT["username"])
    csrf = browser.cookies["csrftoken"]

    response = browser.post(
        f"{live_server.url}/deconnexion/",
        data={"csrfmiddlewaretoken": csrf},
        headers={"Referer": f"{live_server.url}/"},
        allow_redirects=False,
        timeout=10,
    )

    assert response.status_code == 302
    end_session = response.headers["Location"]
    assert end_session.startswith(f"{proconnect.issuer}/logout/")
    assert not is_logged_in(browser, live_server)
    # The provider ends its session and sends the agent back to the login page.
    back = browser.get(end_session, timeout=10)
    assert back.url.startswith(f"{live_server.url}/connexion/")
    # Signing in again asks the provider's password: its session is over too.
    again = browser.get(f"{live_server.url}/proconnect/connexion/", timeout=10)
    assert "Fournisseur d’identité de test" in again.text


def configured_backend() -> ProConnectBackend:
    """The backend as authenticate() sets it up, to check tokens without a login."""
    backend = ProConnectBackend()
    backend.OIDC_RP_CLIENT_ID = settings.PROCONNECT_CLIENT_ID
    backend.OIDC_RP_SIGN_ALGO = "RS256"
    backend.OIDC_RP_IDP_SIGN_KEY = None
    backend.OIDC_OP_JWKS_ENDPOINT = proconnect_module.oidc_setting("OIDC_OP_JWKS_ENDPOINT")
    return backend


def signed_like_the_provider(provider, **claims):
    """A token signed with the provider's own key (the one its JWKS publishes)."""
    kid = jwk.JWK.from_pem(provider.rsa_private_key.encode()).thumbprint()
    return jwt.encode(claims, provider.rsa_private_key, algorithm="RS256", headers={"kid": kid})


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize(
    ("issuer", "audience"),
    [("provider", "another-service"), ("https://elsewhere.example", "ours"), ("provider", None)],
    ids=["another-audience", "another-issuer", "no-audience"],
)
def test_an_id_token_for_another_service_or_from_another_issuer_is_refused(
    proconnect, issuer, audience
):
    backend = configured_backend()
    claims = {
        "iss": proconnect.issuer if issuer == "provider" else issuer,
        "nonce": "n",
        "sub": "1",
    }
    if audience:
        claims["aud"] = settings.PROCONNECT_CLIENT_ID if audience == "ours" else audience
    token = signed_like_the_provider(proconnect, **claims)

    with pytest.raises(SuspiciousOperation):
        backend.verify_token(token, nonce="n")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_id_token_of_the_provider_for_this_service_passes_the_checks(proconnect):
    backend = configured_backend()
    token = signed_like_the_provider(
        proconnect, iss=proconnect.issuer, aud=settings.PROCONNECT_CLIENT_ID, nonce="n", sub="1"
    )

    assert backend.verify_token(token, nonce="n")["sub"] == "1"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_expired_id_token_is_refused_not_an_error(proconnect):
    backend = configured_backend()
    token = signed_like_the_provider(
        proconnect,
        iss=proconnect.issuer,
        aud=settings.PROCONNECT_CLIENT_ID,
        nonce="n",
        sub="1",
        exp=int(time.time()) - 3600,
    )

    with pytest.raises(SuspiciousOperation):
        backend.verify_token(token, nonce="n")


# Userinfo signed, as ProConnect answers it ---------------------------------------------


@pytest.fixture
def signed_userinfo(proconnect):
    """Points the client at the provider's signed userinfo answer (tests/proconnect/
    provider_userinfo.py) in one of its variants, as if the discovery had said so."""

    def use(variant):
        metadata = proconnect_module.provider_metadata()
        metadata["userinfo_endpoint"] = f"{proconnect.issuer}/userinfo.jwt/{variant}/"

    return use


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_agent_logs_in_when_the_userinfo_is_signed(live_server, proconnect, signed_userinfo):
    UserFactory(username="camille", email="agent.connu@interieur.gouv.fr")
    signed_userinfo("valid")

    browser, page = start_and_sign_in(live_server, KNOWN_AGENT["username"])

    assert page.url == f"{live_server.url}/"
    assert is_logged_in(browser, live_server)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize(
    "variant", ["bad-signature", "other-issuer", "other-audience", "other-subject"]
)
def test_a_signed_userinfo_that_does_not_verify_is_refused_with_a_french_page(
    live_server, proconnect, signed_userinfo, variant
):
    agent = UserFactory(username="camille", email="agent.connu@interieur.gouv.fr")
    signed_userinfo(variant)

    browser, page = start_and_sign_in(live_server, KNOWN_AGENT["username"])

    assert page.status_code == 400
    assert "Connexion avec ProConnect impossible" in page.text
    assert not is_logged_in(browser, live_server)
    agent.refresh_from_db()
    assert agent.last_login is None
    assert agent.email == "agent.connu@interieur.gouv.fr"
    assert User.objects.count() == 1


# Query counts --------------------------------------------------------------------------


@pytest.mark.django_db
@override_settings(**CONFIGURED)
def test_the_login_page_with_proconnect_reads_nothing_but_its_transaction(
    client, django_assert_num_queries
):
    # Anonymous, without a session yet: only the savepoint of the request's transaction
    # (ATOMIC_REQUESTS) and its release.
    with django_assert_num_queries(2):
        assert client.get("/connexion/").status_code == 200


@pytest.mark.django_db
@override_settings(**CONFIGURED)
def test_a_refused_callback_reads_only_the_session(client, django_assert_num_queries):
    client.get("/")
    session = client.session
    session["oidc_states"] = {"state-of-this-browser": {"nonce": "n", "code_verifier": None}}
    session.save()
    # 1. the session, read when the callback looks for its state
    # 2-3. the savepoint of the request's transaction (ATOMIC_REQUESTS) and its release
    with django_assert_num_queries(3):
        assert client.get("/proconnect/retour/?code=abc&state=forged").status_code == 400
