"""Tasks through the real broker: Redis on 127.0.0.1:6379 and a Celery worker (in a thread
of the test process), as in production. Every key this test writes in Redis carries its
own prefix: two test runs at once never take each other's tasks."""

import time
import uuid

import pytest
from celery.contrib.testing.worker import start_worker
from django.conf import settings
from django.db import connection

from config.celery import app
from config.jobs.models import Email
from config.jobs.tasks import queue_email

REDIS_URL = "redis://127.0.0.1:6379/0"


@pytest.fixture
def worker_on_redis():
    if connection.vendor == "sqlite":
        # The worker's thread and the test's would share an in-memory SQLite database: in a
        # full run the worker's e-mail did not leave in time there. CI runs this test on
        # PostgreSQL (its first run), the database of production.
        pytest.skip("worker thread test: PostgreSQL only")
    saved = {
        key: app.conf[key]
        for key in ("task_always_eager", "broker_url", "broker_transport_options")
    }
    app.conf.update(
        task_always_eager=False,
        broker_url=REDIS_URL,
        broker_transport_options={"global_keyprefix": f"tests-{uuid.uuid4().hex}:"},
        worker_hijack_root_logger=False,
    )
    app._pool = None  # connections made for the earlier settings, if any
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
            yield app
    finally:
        app.conf.update(saved)
        app._pool = None


def wait_for(condition, seconds=20):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


# The worker's thread reads what the test wrote: transactional, serialized and restored
# as every such test here (a plain flush would re-create the content types under the next).
@pytest.mark.broker
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_email_goes_through_redis_to_a_worker_that_sends_it(worker_on_redis, smtp_mailbox):
    email = queue_email(to=["mairie@ville.example"], subject="Par le courtier", body="Bonjour")
    assert wait_for(lambda: smtp_mailbox.messages)
    (message,) = smtp_mailbox.messages
    assert message["Subject"] == "Par le courtier"
    email.refresh_from_db()
    assert email.sent_at is not None
    assert Email.objects.filter(sent_at__isnull=True).count() == 0


def test_every_periodic_task_is_a_task_the_workers_know():
    app.loader.import_default_modules()  # what a worker does as it starts: every tasks module
    known = set(app.tasks)
    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert scheduled == {
        "conventions.send_reminders",
        "api.deliver_due_webhooks",
        "jobs.send_waiting_emails",
        "notifications.send_weekly_digests",
        "steering.refresh_reports",
    }
    assert scheduled <= known
