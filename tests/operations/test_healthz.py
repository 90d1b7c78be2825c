"""/healthz: the database, the broker and the storage, for the load balancer. The broker
is a real Redis, a closed port and a server that never answers; the storage a real
folder."""

import json
import os
import socket
import time

import pytest
from django.core.files.storage import default_storage

from config.core.uploads import stored_files
from config.health import CHECK_SECONDS
from tests.smtp import free_port

pytestmark = pytest.mark.django_db

BROKER_PASSWORD = "mot-de-passe-du-courtier"


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def healthz(client, **headers):
    response = client.get("/healthz", headers=headers)
    assert response["Content-Type"] == "application/json"
    return response, json.loads(response.content)


def test_healthz_reports_each_part_without_secrets(client, media_root, django_assert_num_queries):
    # SELECT 1 on the default database, and nothing else: no session, no user.
    with django_assert_num_queries(1):
        response, body = healthz(client)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    # Exactly this: no error text, host name, version nor setting.
    assert body == {
        "status": "ok",
        "checks": {"database": "ok", "broker": "inline", "storage": "ok"},
    }
    assert list(stored_files(default_storage)) == [], "the probe file is left behind"


def test_healthz_answers_head_and_refuses_post(client, media_root):
    assert client.head("/healthz").status_code == 200
    assert client.post("/healthz").status_code == 405


def test_healthz_answers_plain_http_when_the_site_redirects_to_https(client, media_root, settings):
    # The load balancer probes each server over HTTP; every other page goes to HTTPS.
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/healthz").status_code == 200
    assert client.get("/connexion/").status_code == 301


def test_healthz_answers_503_when_the_broker_port_is_closed(client, media_root, settings, caplog):
    port = free_port()
    settings.CELERY_BROKER_URL = f"redis://:{BROKER_PASSWORD}@127.0.0.1:{port}/0"
    response, body = healthz(client)
    assert response.status_code == 503
    assert body == {
        "status": "erreur",
        "checks": {"database": "ok", "broker": "erreur", "storage": "ok"},
    }
    for secret in (BROKER_PASSWORD, "127.0.0.1", str(port), "redis"):
        assert secret not in response.content.decode()
    # The log says what happened.
    assert any(r.name == "config.health" and r.exc_info for r in caplog.records)


def test_healthz_gives_up_on_a_broker_that_never_answers(client, media_root, settings):
    # A socket that accepts connections (the kernel does) and never says a word.
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{silent.getsockname()[1]}/0"
        started = time.monotonic()
        response, body = healthz(client)
        elapsed = time.monotonic() - started
    assert response.status_code == 503
    assert body["checks"]["broker"] == "erreur"
    # Well below a hang (the socket would wait for ever), with room for a loaded machine.
    assert elapsed < CHECK_SECONDS + 5


def redis_is_running() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
    except OSError:
        return False
    return True


def test_healthz_is_ok_with_a_real_redis_broker(client, media_root, settings):
    if not redis_is_running():
        if os.environ.get("CI") == "true":
            pytest.fail("Redis must run on 127.0.0.1:6379 in CI")
        pytest.skip("no Redis on 127.0.0.1:6379")
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:6379/15"
    response, body = healthz(client)
    assert response.status_code == 200
    assert body == {"status": "ok", "checks": {"database": "ok", "broker": "ok", "storage": "ok"}}


def test_healthz_answers_503_when_the_storage_cannot_write(client, settings, tmp_path):
    # MEDIA_ROOT is a file: nothing can be stored under it.
    settings.MEDIA_ROOT = tmp_path / "pas-un-dossier"
    settings.MEDIA_ROOT.write_text("")
    response, body = healthz(client)
    assert response.status_code == 503
    assert body == {
        "status": "erreur",
        "checks": {"database": "ok", "broker": "inline", "storage": "erreur"},
    }
    assert str(tmp_path) not in response.content.decode()


def test_healthz_answers_a_logged_in_user_too(client, media_root, admin_user):
    client.force_login(admin_user)
    response, body = healthz(client)
    assert response.status_code == 200
    assert body["status"] == "ok"
