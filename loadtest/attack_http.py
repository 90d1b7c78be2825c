"""make attack (loadtest/attack.py): a browser that speaks to gunicorn, and what the
parts of the attack share."""

from pathlib import Path
from urllib.parse import urlencode, urljoin, urlsplit

import requests

from tests.security.forms import FormParser

PASSWORD = "convention-demo"  # noqa: S105 (the demo accounts' password, in the README)
TIMEOUT = 60
LOGIN_LIMIT = 5.0  # seconds: beyond, a worker is frozen
FAILURES = []  # what makes the run fail, said at the end


def fail(message):
    FAILURES.append(message)
    print(f"  ÉCHEC : {message}")


def load():
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


# ---------------------------------------------------------------------------- HTTP


class Browser(requests.Session):
    """One person: a session, a CSRF cookie, answers never followed unless asked."""

    def __init__(self, host, forwarded_for=None):
        super().__init__()
        self.host = host
        if forwarded_for:
            self.headers["X-Forwarded-For"] = forwarded_for

    def get(self, path, **kwargs):
        kwargs.setdefault("allow_redirects", False)
        kwargs.setdefault("timeout", TIMEOUT)
        return super().get(urljoin(self.host, path), **kwargs)

    def post(self, path, data=None, **kwargs):
        kwargs.setdefault("allow_redirects", False)
        kwargs.setdefault("timeout", TIMEOUT)
        if "csrftoken" not in self.cookies:
            super().get(urljoin(self.host, "/connexion/"), timeout=TIMEOUT)
        headers = {"X-CSRFToken": self.cookies.get("csrftoken", ""), **kwargs.pop("headers", {})}
        return super().post(urljoin(self.host, path), data=data, headers=headers, **kwargs)

    def log_in(self, username, password=PASSWORD, next_url=None):
        path = "/connexion/" + (f"?{urlencode({'next': next_url})}" if next_url else "")
        self.get(path)
        data = {"username": username, "password": password}
        if next_url:
            data["next"] = next_url
        return self.post(path, data)


def logged_in(host, username):
    browser = Browser(host)
    response = browser.log_in(username)
    if response.status_code != 302:
        raise RuntimeError(f"{username} n'a pas pu se connecter ({response.status_code})")
    return browser


def location(response):
    return response.headers.get("Location", "")


def off_site(target):
    parts = urlsplit(target.replace("\\", "/"))
    return bool(parts.netloc) and parts.hostname not in ("127.0.0.1", "localhost")


class TypedFormParser(FormParser):
    """The forms of a page (tests/security/forms.py), plus which fields are free text."""

    def __init__(self):
        super().__init__()
        self.text_fields = set()

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        if tag == "textarea" or (
            tag == "input" and values.get("type", "text") in ("text", "search", "email", "url")
        ):
            self.text_fields.add(values.get("name"))
        super().handle_starttag(tag, attrs)


def parse_forms(html):
    parser = TypedFormParser()
    parser.feed(html)
    return parser.forms, parser.text_fields


def confirmed(response):
    """The server said it wrote: a redirection after the POST, elsewhere than the login."""
    return (
        response is not None
        and response.status_code == 302
        and not location(response).startswith("/connexion/")
    )
