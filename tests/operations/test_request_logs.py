"""The request id and the logs: every response carries an id, every log line of the
request carries the same, and each request writes one access-log line, in JSON in
production."""

import io
import json
import logging
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from config.observability import RequestIdFilter, json_formatter

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
GENERATED_ID = re.compile(r"[0-9a-f]{32}")


@pytest.fixture
def json_lines():
    """``json_lines(logger_name)``: the lines of that logger as the production handler
    writes them (JSON, request id), read back as dicts."""
    attached = []

    def listen(name):
        stream = io.StringIO()
        handler = logging.StreamHandler(stream)
        handler.setFormatter(json_formatter())
        handler.addFilter(RequestIdFilter())
        logger = logging.getLogger(name)
        attached.append((logger, handler, logger.level))
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
        return lambda: [json.loads(line) for line in stream.getvalue().splitlines()]

    yield listen
    for logger, handler, level in attached:
        logger.removeHandler(handler)
        logger.setLevel(level)


@pytest.fixture
def access_log(json_lines):
    return json_lines("iscg.requests")


def test_each_response_carries_a_new_request_id(client):
    first = client.get("/connexion/")["X-Request-ID"]
    second = client.get("/connexion/")["X-Request-ID"]
    assert GENERATED_ID.fullmatch(first) and GENERATED_ID.fullmatch(second)
    assert first != second


def test_the_request_id_of_the_proxy_is_kept(client):
    response = client.get("/connexion/", headers={"X-Request-ID": "proxy-7f3a.91_b"})
    assert response["X-Request-ID"] == "proxy-7f3a.91_b"


@pytest.mark.parametrize(
    "sent", ["court", "x" * 129, "deux mots", "ligne\nforgée", "<script>", "é" * 10]
)
def test_an_unsafe_request_id_is_replaced(client, sent):
    response = client.get("/connexion/", headers={"X-Request-ID": sent})
    assert GENERATED_ID.fullmatch(response["X-Request-ID"])


def test_a_redirect_to_https_carries_a_request_id_too(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    response = client.get("/connexion/")
    assert response.status_code == 301
    assert GENERATED_ID.fullmatch(response["X-Request-ID"])


def test_the_access_log_line_is_json_without_the_query_string(client, access_log):
    response = client.get("/connexion/?next=/conventions/&jeton=valeur-secrete")
    [line] = access_log()
    assert line["request_id"] == response["X-Request-ID"]
    assert line["level"] == "INFO"
    assert line["logger"] == "iscg.requests"
    assert line["message"].startswith("GET /connexion/ 200 ")
    assert (line["method"], line["path"], line["status"]) == ("GET", "/connexion/", 200)
    assert isinstance(line["duration_ms"], int)
    assert line["user_id"] is None
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+\+00:00", line["time"])
    assert "valeur-secrete" not in json.dumps(line)


def test_the_access_log_line_names_the_account_by_its_id_only(client, access_log, admin_user):
    admin_user.email = "camille.agent@example.fr"
    admin_user.save()
    client.force_login(admin_user)
    client.get("/profil/")
    [line] = access_log()
    assert line["user_id"] == admin_user.pk
    text = json.dumps(line)
    assert "camille.agent" not in text
    assert client.cookies["sessionid"].value not in text


def test_the_access_log_gives_the_route_of_a_secret_address(client, access_log):
    # A calendar's private address is a password: its route is logged, not the token.
    client.get("/calendrier/jeton-prive-du-calendrier.ics")
    [line] = access_log()
    assert line["path"] == "/calendrier/<str:token>.ics"
    assert "jeton-prive" not in json.dumps(line)


def test_a_log_line_written_during_a_request_carries_its_id(client, json_lines):
    # Here Django's own warning for a page that does not exist.
    django_request = json_lines("django.request")
    response = client.get("/page-qui-n-existe-pas/")
    assert response.status_code == 404
    [line] = django_request()
    assert line["message"] == "Not Found: /page-qui-n-existe-pas/"
    assert line["request_id"] == response["X-Request-ID"]
    assert "request" not in line  # its text would carry the query string


def test_a_log_line_outside_a_request_says_so():
    record = logging.LogRecord("iscg.test", logging.INFO, __file__, 1, "bonjour", (), None)
    RequestIdFilter().filter(record)
    assert json.loads(json_formatter().format(record))["request_id"] == "-"


PRODUCTION_ENV = {
    "PATH": os.environ["PATH"],
    "DJANGO_SETTINGS_MODULE": "config.settings",
    "DEBUG": "false",
    "SECRET_KEY": "k3F9s-production-like-secret-key-with-enough-entropy-0123456789",
    "ALLOWED_HOSTS": "conventions.example.fr",
    "DATABASE_URL": "sqlite:////tmp/iscg-logs-test.sqlite3",
}
LOG_SOMETHING = (
    "import logging; log = logging.getLogger('iscg.essai'); log.warning('attention')\n"
    "try:\n    1 / 0\nexcept ZeroDivisionError:\n    log.exception('échec')"
)


def run_shell(env):
    return subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", LOG_SOMETHING],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_logs_one_json_object_a_line():
    result = run_shell(PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr
    warning, error = (json.loads(line) for line in result.stderr.splitlines())
    assert warning["message"] == "attention"
    assert (warning["level"], warning["logger"], warning["request_id"]) == (
        "WARNING",
        "iscg.essai",
        "-",
    )
    assert error["message"] == "échec"
    assert "ZeroDivisionError" in error["exc_info"]


def test_log_format_text_gives_lines_for_a_person():
    result = run_shell({**PRODUCTION_ENV, "LOG_FORMAT": "text"})
    assert result.returncode == 0, result.stderr
    first = result.stderr.splitlines()[0]
    assert re.fullmatch(r"\S+ WARNING iscg\.essai \[-\] attention", first)


def test_gunicorn_logs_json_with_the_projects_log_config():
    # gunicorn skips a --log-config-json file that is not there without a word.
    assert (ROOT / "config" / "gunicorn-logging.json").is_file()
    code = (
        "from gunicorn.config import Config; from gunicorn.glogging import Logger\n"
        "cfg = Config(); cfg.set('logconfig_json', 'config/gunicorn-logging.json')\n"
        "Logger(cfg).info('Booting worker with pid: %s', 42)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    line = json.loads(result.stderr)
    assert (line["logger"], line["message"], line["request_id"]) == (
        "gunicorn.error",
        "Booting worker with pid: 42",
        "-",
    )
