"""ProConnect, the State's OpenID Connect federation for public agents.

Off unless PROCONNECT_ISSUER, PROCONNECT_CLIENT_ID and PROCONNECT_CLIENT_SECRET are all
set: then the login page shows the ProConnect button and these views answer; otherwise
they are 404 and the backend never authenticates anyone.

The protocol is mozilla-django-oidc's (code flow, state, nonce, signature checked with
the provider's published keys). What this module adds:
- the endpoints come from the provider's discovery document (ISSUER/.well-known/
  openid-configuration), read at the first login and kept for the process;
- the ID token's issuer and audience are checked (the library checks neither), and so
  are those of a signed userinfo answer (ProConnect's is a JWT): the library checks only
  its signature. The userinfo's subject must be the ID token's (OpenID Connect Core
  §5.3.2), which the library does not check either. An expired or not-yet-valid token is
  a refusal, not the library's uncaught PyJWT error;
- an agent logs in only if the e-mail the provider vouches for is that of an existing,
  active account (case-insensitive); no account is ever created. An invitation still
  pending (inactive account, no password yet) does not match: the agent accepts it
  through the e-mailed link first;
- every failure is a French page (403 for an agent without account, 400 for a flow
  that cannot be verified, 502 for a provider that does not answer), never a 500.
"""

import logging
import threading
from urllib.parse import urlencode

import jwt
import requests
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import LoginView, LogoutView
from django.core.exceptions import SuspiciousOperation
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.crypto import get_random_string
from django.utils.decorators import method_decorator
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.utils import import_from_settings
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

logger = logging.getLogger(__name__)

DISCOVERY_PATH = "/.well-known/openid-configuration"
# The session key where the backend keeps the ID token, for the logout at ProConnect.
ID_TOKEN_SESSION_KEY = "oidc_id_token"  # noqa: S105 (a key's name, not a secret)

_discovered: dict[str, dict] = {}
_discovery_lock = threading.Lock()


class ProConnectUnavailable(Exception):
    """The provider's discovery document could not be read."""


class UnverifiedClaims(SuspiciousOperation):
    """What the provider sent back cannot be trusted: a failed flow (400), not an agent
    without an account (403)."""


def is_enabled() -> bool:
    return bool(
        settings.PROCONNECT_ISSUER
        and settings.PROCONNECT_CLIENT_ID
        and settings.PROCONNECT_CLIENT_SECRET
    )


def provider_metadata() -> dict:
    """The discovery document of the configured issuer, fetched once per process."""
    issuer = settings.PROCONNECT_ISSUER.rstrip("/")
    with _discovery_lock:
        if issuer not in _discovered:
            try:
                response = requests.get(
                    issuer + DISCOVERY_PATH, timeout=settings.PROCONNECT_TIMEOUT
                )
                response.raise_for_status()
                metadata = response.json()
            except (requests.RequestException, ValueError) as error:
                raise ProConnectUnavailable(str(error)) from error
            if metadata.get("issuer", "").rstrip("/") != issuer:
                raise ProConnectUnavailable(
                    f"discovery issuer {metadata.get('issuer')!r} is not {issuer!r}"
                )
            _discovered[issuer] = metadata
        return _discovered[issuer]


def oidc_setting(attr, *default):
    """mozilla-django-oidc's settings, from PROCONNECT_* and the discovery document."""
    fixed = {
        "OIDC_RP_CLIENT_ID": settings.PROCONNECT_CLIENT_ID,
        "OIDC_RP_CLIENT_SECRET": settings.PROCONNECT_CLIENT_SECRET,
        "OIDC_RP_SIGN_ALGO": settings.PROCONNECT_SIGN_ALGO,
        "OIDC_RP_SCOPES": settings.PROCONNECT_SCOPES,
        "OIDC_TIMEOUT": settings.PROCONNECT_TIMEOUT,
        "OIDC_CREATE_USER": False,
        "OIDC_STORE_ID_TOKEN": True,
        "OIDC_USE_NONCE": True,
        "OIDC_AUTHENTICATION_CALLBACK_URL": "proconnect_callback",
    }
    if attr in fixed:
        return fixed[attr]
    endpoints = {
        "OIDC_OP_AUTHORIZATION_ENDPOINT": "authorization_endpoint",
        "OIDC_OP_TOKEN_ENDPOINT": "token_endpoint",
        "OIDC_OP_USER_ENDPOINT": "userinfo_endpoint",
        "OIDC_OP_JWKS_ENDPOINT": "jwks_uri",
    }
    if attr in endpoints:
        return provider_metadata()[endpoints[attr]]
    return import_from_settings(attr, *default)


class ProConnectBackend(OIDCAuthenticationBackend):
    """Authenticates the agent the provider vouches for, if an active account has the
    same e-mail. Listed after axes' backend (AUTHENTICATION_BACKENDS), which sees every
    attempt first, as for the password."""

    get_settings = staticmethod(oidc_setting)

    def __init__(self, *args, **kwargs):
        # Django builds every backend for every authentication, the password's too: no
        # network here. The endpoints are read in authenticate(), when ProConnect is used.
        self.UserModel = get_user_model()

    def authenticate(self, request, **kwargs):
        # Only the callback view passes a nonce: a password login never reaches the provider.
        if request is None or "nonce" not in kwargs or not is_enabled():
            return None
        self.OIDC_OP_TOKEN_ENDPOINT = self.get_settings("OIDC_OP_TOKEN_ENDPOINT")
        self.OIDC_OP_USER_ENDPOINT = self.get_settings("OIDC_OP_USER_ENDPOINT")
        self.OIDC_OP_JWKS_ENDPOINT = self.get_settings("OIDC_OP_JWKS_ENDPOINT")
        self.OIDC_RP_CLIENT_ID = self.get_settings("OIDC_RP_CLIENT_ID")
        self.OIDC_RP_CLIENT_SECRET = self.get_settings("OIDC_RP_CLIENT_SECRET")
        self.OIDC_RP_SIGN_ALGO = self.get_settings("OIDC_RP_SIGN_ALGO")
        self.OIDC_RP_IDP_SIGN_KEY = None
        return super().authenticate(request, **kwargs)

    def verify_token(self, token, **kwargs):
        """The signature and the nonce (the library's), then the issuer and the audience,
        required in the ID token (the call with a nonce) as in a signed userinfo answer."""
        try:
            payload = super().verify_token(token, **kwargs)
        except (SuspiciousOperation, jwt.InvalidTokenError) as error:
            # PyJWT's own exceptions (expired, not yet valid) the library lets through,
            # which would be a 500.
            raise UnverifiedClaims(f"ProConnect: the token does not verify ({error}).") from error
        issuer = provider_metadata()["issuer"]
        if payload.get("iss") != issuer:
            raise UnverifiedClaims("ProConnect: the token's issuer is not the provider.")
        audience = payload.get("aud")
        audiences = audience if isinstance(audience, list) else [audience]
        if self.OIDC_RP_CLIENT_ID not in audiences:
            raise UnverifiedClaims("ProConnect: the token is not meant for this service.")
        return payload

    def get_userinfo(self, access_token, id_token, payload):
        """The library's (a JSON answer, or a JWT checked by verify_token above), and the
        subject of the answer must be the ID token's."""
        claims = super().get_userinfo(access_token, id_token, payload)
        if not isinstance(claims, dict) or claims.get("sub") != payload.get("sub"):
            raise UnverifiedClaims("ProConnect: the userinfo is about another subject.")
        return claims

    def filter_users_by_claims(self, claims):
        email = (claims.get("email") or "").strip()
        if not email:
            return self.UserModel.objects.none()
        # Active accounts only: a deactivated old account beside the agent's current one
        # does not make the address ambiguous.
        return self.UserModel.objects.filter(email__iexact=email, is_active=True)

    def get_or_create_user(self, access_token, id_token, payload):
        try:
            user = super().get_or_create_user(access_token, id_token, payload)
        except UnverifiedClaims:
            raise
        except SuspiciousOperation:
            # Two active accounts with this address, or no address in the claims: refused
            # too (the library turns the exception into a failed authentication).
            self.request.proconnect_refused = True
            raise
        if user is None or not user.is_active:
            # The callback view shows the page that explains how to be invited.
            self.request.proconnect_refused = True
            return None
        return user

    def create_user(self, claims):  # pragma: no cover - OIDC_CREATE_USER is False
        raise SuspiciousOperation("ProConnect never creates an account.")

    def get_user(self, user_id):
        # ModelBackend's: a deactivated account loses its session at the next request.
        return ModelBackend.get_user(self, user_id)


def is_proconnect_return(request, credentials) -> bool:
    """AXES_WHITELIST_CALLABLE: django-axes neither counts nor blocks ProConnect's return.
    The agent's password was checked, and throttled, by ProConnect; a refusal here means
    an e-mail without an account, not a guessed password, and counting it (without a
    username) would block ProConnect for every agent behind the same address. The
    password form stays throttled as before."""
    return request is not None and request.path == reverse("proconnect_callback")


def _unavailable(request):
    return render(request, "registration/proconnect_failed.html", {"unavailable": True}, status=502)


@method_decorator(login_not_required, name="dispatch")
class ProConnectLoginView(OIDCAuthenticationRequestView):
    """Sends the agent to ProConnect, with a state and a nonce kept in the session."""

    get_settings = staticmethod(oidc_setting)

    def __init__(self, *args, **kwargs):
        super(OIDCAuthenticationRequestView, self).__init__(*args, **kwargs)

    def get(self, request):
        if not is_enabled():
            raise Http404
        try:
            self.OIDC_OP_AUTH_ENDPOINT = self.get_settings("OIDC_OP_AUTHORIZATION_ENDPOINT")
        except ProConnectUnavailable as error:
            logger.warning("ProConnect discovery failed: %s", error)
            return _unavailable(request)
        self.OIDC_RP_CLIENT_ID = self.get_settings("OIDC_RP_CLIENT_ID")
        return super().get(request)


@method_decorator(login_not_required, name="dispatch")
class ProConnectCallbackView(OIDCAuthenticationCallbackView):
    """Where ProConnect sends the agent back with a code."""

    get_settings = staticmethod(oidc_setting)

    def get(self, request):
        if not is_enabled():
            raise Http404
        try:
            return super().get(request)
        except SuspiciousOperation as error:
            # A state that is not this browser's, a nonce or a signature that does not
            # match, a token for another service.
            logger.warning("ProConnect callback refused: %s", error)
            return render(request, "registration/proconnect_failed.html", status=400)
        except (requests.RequestException, ProConnectUnavailable) as error:
            logger.warning("ProConnect did not answer: %s", error)
            return _unavailable(request)

    def login_failure(self):
        if getattr(self.request, "proconnect_refused", False):
            return render(self.request, "registration/proconnect_refused.html", status=403)
        return render(self.request, "registration/proconnect_failed.html", status=400)


class ProConnectAwareLogoutView(LogoutView):
    """Django's logout; an agent who came through ProConnect is then sent to ProConnect's
    end_session_endpoint, which ends the ProConnect session too and sends the agent back
    to the login page."""

    def post(self, request, *args, **kwargs):
        id_token = request.session.get(ID_TOKEN_SESSION_KEY)
        response = super().post(request, *args, **kwargs)
        if not id_token or not is_enabled():
            return response
        try:
            end_session = provider_metadata().get("end_session_endpoint")
        except ProConnectUnavailable:
            return response
        if not end_session:
            return response
        query = urlencode(
            {
                "id_token_hint": id_token,
                "state": get_random_string(32),
                "post_logout_redirect_uri": request.build_absolute_uri(reverse("login")),
            }
        )
        return HttpResponseRedirect(f"{end_session}?{query}")


class LoginWithProConnectView(LoginView):
    """The password login page, with the ProConnect button when ProConnect is on."""

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs, proconnect_enabled=is_enabled())
