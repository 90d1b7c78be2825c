"""Tasks through the real broker: Redis on 127.0.0.1:6379 and a Celery worker (in a thread
of the test process), as in production. Every key this test writes in Redis carries its
own prefix: two test runs at once never take each other's tasks."""

import time
import uuid

import kombu.pools
import pytest
from celery.contrib.testing.worker import start_worker
from django.conf import settings
from django.db import connection

from activity.services import annual_report_validate
from config.celery import app
from config.jobs.models import Email, Rendering
from config.jobs.tasks import queue_email
from conventions.models import Post
from partners.enums import Role
from tests.activity.factories import QuarterReportFactory

REDIS_URL = "redis://127.0.0.1:6379/0"


# The worker's thread and the test's would share an in-memory SQLite database. CI runs
# these tests on PostgreSQL (its first run), the database of production. Skipped before
# any database is set up: a transactional test skipped in its fixture still empties the
# database when it ends, under the tests that follow it in the same process.
on_postgresql = pytest.mark.skipif(
    connection.vendor == "sqlite", reason="worker thread test: PostgreSQL only"
)


@pytest.fixture
def worker_on_redis():
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
    forget_connections()
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
            yield app
    finally:
        app.conf.update(saved)
        forget_connections()


def forget_connections():
    """The connections and producers made for earlier settings: a producer kept from an
    earlier worker's key prefix publishes where the new worker does not listen (the
    e-mail that once did not leave in a full run; a second worker test in a row)."""
    app._pool = None
    app.amqp._producer_pool = None
    kombu.pools.reset()


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
@on_postgresql
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


@pytest.mark.broker
@on_postgresql
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_validated_year_has_its_bilan_laid_out_by_a_worker(worker_on_redis, two_departements):
    world = two_departements["79"]
    for quarter in range(1, 5):
        QuarterReportFactory(
            post=world["post"], year=2025, quarter=quarter, filled=True, validated=True
        )
    post = Post.objects.with_sites().get(pk=world["post"].pk)
    annual_report_validate(post=post, year=2025, user=world["users"][Role.DDSP_SECRETARIAT])
    # Laid out by the worker, not by the request that validated.
    assert wait_for(lambda: Rendering.objects.exists(), seconds=60)
