"""What the operators see of the running service (README « Déploiement en production »):
a request id on every request, its response and every log line written for it; one
access-log line per request; the JSON log format; error tracking with Sentry.

Settings import this module (``sentry_init``) before Django is set up: nothing here
reads a setting when it is imported.
"""

import logging
import re
import time
import uuid
from contextvars import ContextVar
from urllib.parse import urlsplit, urlunsplit

from django.urls import Resolver404, ResolverMatch, resolve
from pythonjsonlogger.core import RESERVED_ATTRS
from pythonjsonlogger.json import JsonFormatter

REQUEST_ID_HEADER = "X-Request-ID"
# A request id sent by the proxy (or anyone) is kept only when it is such a token: it is
# written in every log line, where free text could forge lines or carry data.
SAFE_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{8,128}")
# The request id of log lines written outside a request (commands, start-up).
NO_REQUEST = "-"
current_request_id: ContextVar[str] = ContextVar("request_id", default=NO_REQUEST)

access_log = logging.getLogger("iscg.requests")

# Parts of a URL that are secrets: the private address of a calendar, the link of a
# password reset or of an invitation. Logs and Sentry get the route instead of the path.
SECRET_URL_KWARGS = frozenset({"token", "uidb64"})

# The request headers an error report keeps: none of them carries a session, a key, a
# person's address or the page they came from (Referer holds its query string).
REPORTED_HEADERS = frozenset(
    {"accept", "accept-language", "content-length", "content-type", "host", "user-agent"}
    | {REQUEST_ID_HEADER.lower()}
)


class RequestIdMiddleware:
    """Gives each request an id, returned in ``X-Request-ID`` and carried by every log
    line and Sentry event of the request, then writes the request's access-log line.

    First of the middlewares, so that a redirect to HTTPS, a static file or a refused
    host is logged too.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        sent = request.headers.get(REQUEST_ID_HEADER, "")
        request_id = sent if SAFE_REQUEST_ID.fullmatch(sent) else uuid.uuid4().hex
        # Also on the request: Django logs an answer in error once the middlewares are done.
        request.request_id = request_id
        token = current_request_id.set(request_id)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response[REQUEST_ID_HEADER] = request_id
            log_request(request, response, started)
        finally:
            current_request_id.reset(token)
        return response


def log_request(request, response, started: float) -> None:
    """One line: method, path (never its query string, which can carry tokens), status,
    duration until the response was ready, and the account's id. No address, no cookie."""
    user = getattr(request, "user", None)
    user_id = user.pk if user is not None and user.is_authenticated else None
    path = route_if_secret(request.path, getattr(request, "resolver_match", None))
    duration_ms = round((time.perf_counter() - started) * 1000)
    access_log.info(
        "%s %s %s %d ms",
        request.method,
        path,
        response.status_code,
        duration_ms,
        extra={
            "method": request.method,
            "path": path,
            "status": response.status_code,
            "duration_ms": duration_ms,
            "user_id": user_id,
        },
    )


def route_if_secret(path: str, match: ResolverMatch | None) -> str:
    """``path``, or its route (``/calendrier/<str:token>.ics``) when a part is a secret."""
    if match is not None and SECRET_URL_KWARGS & match.kwargs.keys():
        return "/" + match.route
    return path


class RequestIdFilter(logging.Filter):
    """Adds ``request_id`` to every record: the current request's, or "-"."""

    def filter(self, record: logging.LogRecord) -> bool:
        # django.request's "Not Found" and "Internal Server Error" lines are written
        # after the middlewares, but with the request.
        request = getattr(record, "request", None)
        record.request_id = getattr(request, "request_id", None) or current_request_id.get()
        return True


def json_formatter() -> JsonFormatter:
    """One JSON object a line: time (ISO 8601, UTC), level, logger, message, request_id,
    the record's extra fields (the access log's), and exc_info when there is one."""
    return JsonFormatter(
        "{levelname}{name}{message}{request_id}",
        style="{",
        rename_fields={"levelname": "level", "name": "logger"},
        timestamp="time",
        # Django puts the request on its records: its text would bring the query string.
        reserved_attrs=[*RESERVED_ATTRS, "request"],
    )


def sentry_init(*, dsn: str, environment: str, release: str, traces_sample_rate: float) -> bool:
    """Sends unhandled errors to Sentry when a DSN is given (settings call this; so do
    the tests). Without a DSN, the SDK is not started and nothing leaves the server."""
    if not dsn:
        return False
    # Imported only here, as botocore in settings: the SDK takes a fifth of a second to
    # load, for nothing without a DSN (make run, make test, most servers' commands).
    import sentry_sdk
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        release=release or None,
        integrations=[DjangoIntegration()],
        # send_default_pii is left at its default, off (no user, no cookie, headers and
        # query parameters scrubbed by the SDK's denylist); setting it, even to False, is
        # deprecated since the SDK's data_collection option, whose presence turns that
        # scrubber off. scrub_event below is stricter still.
        # Frames' variables hold what the code was handling (agents' names and e-mail
        # addresses, form data); request bodies the same: neither is sent.
        include_local_variables=False,
        max_request_body_size="never",
        traces_sample_rate=traces_sample_rate,
        before_send=scrub_event,
        before_send_transaction=scrub_event,
    )
    return True


def scrub_event(event: dict, hint: dict) -> dict:
    """Tags the event with the request id and keeps out of it what could identify a
    person or open a session: cookies, query strings, bodies, e-mail addresses, headers
    other than ``REPORTED_HEADERS`` and the secret parts of URLs."""
    request_id = current_request_id.get()
    if request_id != NO_REQUEST:
        event.setdefault("tags", {})["request_id"] = request_id
    request = event.get("request")
    if request:
        for key in ("cookies", "query_string", "data"):
            request.pop(key, None)
        if "url" in request:
            request["url"] = _scrubbed_url(request["url"])
        if "headers" in request:
            request["headers"] = {
                name: value
                for name, value in request["headers"].items()
                if name.lower() in REPORTED_HEADERS
            }
    if event.get("user"):
        event["user"] = {"id": event["user"]["id"]} if "id" in event["user"] else {}
    for breadcrumb in (event.get("breadcrumbs") or {}).get("values", []):
        data = breadcrumb.get("data") or {}
        for key in ("http.query", "http.fragment"):
            data.pop(key, None)
        if isinstance(data.get("url"), str):
            data["url"] = _scrubbed_url(data["url"])
    return event


def _scrubbed_url(url: str) -> str:
    parts = urlsplit(url)
    try:
        path = route_if_secret(parts.path, resolve(parts.path))
    except Resolver404:
        path = parts.path
    return urlunsplit((parts.scheme, parts.netloc, path, "", ""))
