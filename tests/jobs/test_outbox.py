"""The e-mails' outbox and the failed tasks, with no broker (tasks inline, as in
``make run``): an e-mail leaves once its change commits, once, through a real SMTP server
on loopback; a failure is kept for the national administrator, who launches it again."""

import datetime

import pytest
from django.db import transaction
from django.utils import timezone

from config.jobs.models import Email, TaskFailure
from config.jobs.tasks import queue_email, send_email, send_waiting_emails
from tests.partners.factories import UserFactory
from tests.smtp import free_port

pytestmark = pytest.mark.django_db


def test_an_email_leaves_once_its_change_commits(smtp_mailbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        email = queue_email(
            to=["mairie@ville.example"], subject="Trimestre\ntransmis", body="Bonjour"
        )
        assert smtp_mailbox.messages == []  # not before the commit
    (message,) = smtp_mailbox.messages
    assert message["Subject"] == "Trimestre transmis"
    assert message["To"] == "mairie@ville.example"
    email.refresh_from_db()
    assert email.sent_at is not None and email.attempts == 1


def test_a_subject_keeps_the_non_breaking_spaces_of_its_amounts(
    smtp_mailbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        queue_email(
            to=["a@ville.example"], subject="Versement de 5\u00a0000\u00a0€\r\nreçu", body="x"
        )
    (message,) = smtp_mailbox.messages
    assert message["Subject"] == "Versement de 5\u00a0000\u00a0€ reçu"


def test_a_change_rolled_back_sends_nothing(smtp_mailbox, django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        queue_email(to=["mairie@ville.example"], subject="Objet", body="Bonjour")
        raise RuntimeError
    assert smtp_mailbox.messages == []
    assert not Email.objects.exists()


def test_the_same_email_asked_twice_or_sent_twice_leaves_once(
    smtp_mailbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = queue_email(to=["a@ville.example"], subject="Objet", body="x", key="k-1")
        again = queue_email(to=["a@ville.example"], subject="Objet", body="x", key="k-1")
    assert first.pk == again.pk
    assert send_email.delay(first.pk).result is False  # a task run twice
    assert len(smtp_mailbox.messages) == 1


def test_a_failed_email_is_kept_for_the_administrator_who_sends_it_again(
    settings, smtp_mailbox, django_capture_on_commit_callbacks, client
):
    working_port = settings.EMAIL_PORT
    settings.EMAIL_PORT = free_port()  # nobody listens there
    with django_capture_on_commit_callbacks(execute=True):
        email = queue_email(to=["mairie@ville.example"], subject="Objet", body="Bonjour")
    email.refresh_from_db()
    assert email.sent_at is None
    assert email.attempts == 1
    assert "ConnectionRefusedError" in email.last_error
    failure = TaskFailure.objects.get()
    assert failure.task == "jobs.send_email"
    assert failure.arguments == {"args": [email.pk], "kwargs": {}}

    admin = UserFactory(admin=True)
    client.force_login(admin)
    page = client.get("/admin/jobs/taskfailure/").content.decode()
    assert "jobs.send_email" in page and "ConnectionRefusedError" in page

    settings.EMAIL_PORT = working_port  # the relay is back
    client.post(
        "/admin/jobs/taskfailure/",
        {"action": "relaunch", "_selected_action": [failure.pk]},
    )
    (message,) = smtp_mailbox.messages
    assert message["Subject"] == "Objet"
    failure.refresh_from_db()
    assert failure.relaunched_at is not None
    email.refresh_from_db()
    assert email.sent_at is not None and email.attempts == 2


def test_only_the_national_administrator_sees_the_jobs(client):
    coordinator = UserFactory(is_staff=True)
    client.force_login(coordinator)
    assert client.get("/admin/jobs/taskfailure/").status_code == 403
    assert "Tâches de fond" not in client.get("/admin/").content.decode()


def test_an_email_whose_task_never_ran_is_sent_by_the_safety_net(smtp_mailbox):
    # Written, but its task lost (the broker was down when the change committed).
    old = Email.objects.create(recipients=["a@ville.example"], subject="Ancien", body="x")
    Email.objects.filter(pk=old.pk).update(created_at=timezone.now() - datetime.timedelta(hours=1))
    Email.objects.create(recipients=["b@ville.example"], subject="Récent", body="x")

    assert send_waiting_emails.delay().result == 1
    assert [m["Subject"] for m in smtp_mailbox.messages] == ["Ancien"]
