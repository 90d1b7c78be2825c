"""Tasks through the real broker: Redis on 127.0.0.1:6379 and a Celery worker (in a thread
of the test process), as in production. Every key this test writes in Redis carries its
own prefix: two test runs at once never take each other's tasks."""

import html
import time
import uuid

import kombu.pools
import pytest
from celery.contrib.testing.worker import start_worker
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse

from activity.enums import QuarterState
from activity.services import annual_report_validate
from config.celery import app
from config.core import spreadsheets
from config.jobs.models import Email, Rendering, Run, RunState, TaskFailure
from config.jobs.runs import FAILURE_MESSAGE, run_task
from config.jobs.tasks import queue_email
from conventions.models import Post
from partners.enums import Role
from tests.activity.factories import QuarterReportFactory
from tests.activity.test_imports import year_rows
from tests.partners.factories import UserFactory

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
        "jobs.forget_old_runs",
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


@pytest.mark.broker
@on_postgresql
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_email_the_relay_turns_away_is_tried_again_later_and_leaves_once(
    worker_on_redis, smtp_mailbox
):
    smtp_mailbox.busy_for = 2  # a relay busy for the first two attempts
    email = queue_email(to=["mairie@ville.example"], subject="Réessayé", body="Bonjour")
    assert wait_for(lambda: smtp_mailbox.messages, seconds=60)
    email.refresh_from_db()
    # Three attempts, the last one sent; the two before left their error on the row.
    assert (smtp_mailbox.turned_away, email.attempts) == (2, 3)
    assert email.sent_at is not None and email.last_error == ""
    assert len(smtp_mailbox.messages) == 1
    assert not TaskFailure.objects.exists()


@pytest.mark.broker
@on_postgresql
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_confirmed_import_is_written_by_a_worker_and_its_page_follows_it(
    worker_on_redis, client, two_departements
):
    world = two_departements["79"]
    client.force_login(world["users"][Role.EMPLOYER_COORDINATION])
    post = world["post"]
    header, rows = year_rows(months=[1, 2, 3])
    file = SimpleUploadedFile("stats.csv", spreadsheets.french_csv(header, rows), "text/csv")
    upload = client.post(reverse("activity:statistics_import", args=[post.pk]), {"fichier": file})
    confirmed = client.post(upload["Location"])
    run = Run.objects.get()
    # The request only asked: the worker writes.
    assert confirmed["Location"] == reverse("runs:detail", args=[run.public_id])
    assert wait_for(lambda: Run.objects.get().state != RunState.WAITING, seconds=60)
    run.refresh_from_db()
    assert run.state == RunState.DONE and run.params == {}
    assert post.quarter_reports.get(year=2025, quarter=1).state == QuarterState.DRAFT
    # Its page now tells the outcome once, on the page the import leads to.
    told = client.get(confirmed["Location"], follow=True)
    assert told.redirect_chain[-1][0] == reverse("activity:statistics_import", args=[post.pk])
    assert "Import de « stats.csv » terminé : 3 créés" in html.unescape(told.content.decode())


@pytest.mark.broker
@on_postgresql
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_run_that_fails_in_the_worker_is_told_and_left_for_the_administrator(
    worker_on_redis, client, two_departements
):
    admin = UserFactory(admin=True)
    run = Run.objects.create(
        key="cassé",
        user=admin,
        handler="activity.views.exports.NationalBilanExport",
        label="Bilan national — 2025 (XLSX)",
        params={"annee": 2025, "trimestre": None, "format": "odt"},  # no such writer
    )
    run_task.delay(run.pk)
    assert wait_for(lambda: Run.objects.get().state != RunState.WAITING, seconds=60)
    run.refresh_from_db()
    assert (run.state, run.message) == (RunState.FAILED, FAILURE_MESSAGE)
    failure = TaskFailure.objects.get()
    assert (failure.task, failure.arguments) == ("jobs.run", {"args": [run.pk], "kwargs": {}})
