"""The shape of every background task, and the e-mails' outbox.

Every task of the product derives from ``Job``: acknowledged once done (a worker that dies
mid-task leaves it to another), retried with a growing delay on the failures it declares
passing (``autoretry_for``), and recorded when it fails for good (``config.jobs.failures``).
Each is idempotent: run twice, it does its work once.

With no broker (``CELERY_BROKER_URL`` empty: ``make run``, the tests) a task runs inline
when it is asked for, and a failure is recorded at once rather than retried in the request.
"""

import datetime
import logging

from celery import Task, shared_task
from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone

from config.core.formats import one_line
from config.jobs.models import Email

logger = logging.getLogger(__name__)

# An e-mail whose task was never run (the broker was down when its change committed) is
# sent by the periodic ``send_waiting_emails`` after this delay.
WAITING_EMAIL_DELAY = datetime.timedelta(minutes=10)


class Job(Task):
    acks_late = True
    # About two hours of attempts: 30 s, 1 min, 2 min… up to one hour between two.
    retry_backoff = settings.JOBS_RETRY_BACKOFF_SECONDS
    retry_backoff_max = 60 * 60
    retry_jitter = True
    max_retries = 8

    def retry(self, *args, exc=None, **kwargs):
        if self.request.is_eager and exc is not None:
            # Inline, nobody would wait for the next attempt but the person who clicked:
            # the failure is recorded, and the task may be launched again from the admin.
            raise exc
        return super().retry(*args, exc=exc, **kwargs)


def queue_email(*, to, subject: str, body: str, key: str | None = None) -> Email:
    """Write the e-mail in the outbox and have it sent once the current transaction
    commits. The same ``key`` twice writes and sends one e-mail."""
    recipients = sorted({address for address in to if address})
    subject = one_line(subject)
    if key is not None:
        email, created = Email.objects.get_or_create(
            key=key, defaults={"recipients": recipients, "subject": subject, "body": body}
        )
        if not created:
            return email
    else:
        email = Email.objects.create(recipients=recipients, subject=subject, body=body)
    transaction.on_commit(lambda: send_email.delay(email.pk))
    return email


@shared_task(base=Job, name="jobs.send_email", autoretry_for=(OSError,))
def send_email(email_id: int) -> bool:
    """Send one e-mail of the outbox, unless it was sent already; SMTP errors and network
    failures (``OSError``) are tried again. The row stays locked while it is sent: two
    workers never send it twice."""
    failure = None
    with transaction.atomic():
        email = Email.objects.select_for_update().filter(pk=email_id, sent_at__isnull=True).first()
        if email is None:
            return False
        email.attempts += 1
        try:
            EmailMessage(
                email.subject, email.body, settings.DEFAULT_FROM_EMAIL, email.recipients
            ).send()
        except Exception as error:
            failure = error
            email.last_error = f"{type(error).__name__} : {error}"[:300]
        else:
            email.sent_at, email.last_error = timezone.now(), ""
        email.save(update_fields=["attempts", "sent_at", "last_error"])
    if failure is not None:
        raise failure
    return True


@shared_task(base=Job, name="jobs.send_waiting_emails")
def send_waiting_emails() -> int:
    """The safety net of the outbox (every few minutes): the e-mails never tried."""
    late = timezone.now() - WAITING_EMAIL_DELAY
    waiting = Email.objects.filter(sent_at__isnull=True, attempts=0, created_at__lte=late)
    ids = list(waiting.values_list("pk", flat=True)[:500])
    for pk in ids:
        send_email.delay(pk)
    return len(ids)
