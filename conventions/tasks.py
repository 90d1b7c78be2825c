"""The conventions' periodic tasks (scheduled by Celery beat, settings.CELERY_BEAT_SCHEDULE)."""

import datetime

from celery import shared_task
from django.utils import timezone

from config.jobs.tasks import Job
from conventions.calendar.reminders import send_due_reminders


class RemindersNotSent(Exception):
    pass


@shared_task(base=Job, name="conventions.send_reminders", autoretry_for=(RemindersNotSent,))
def send_reminders(day: str | None = None) -> int:
    """The reminders of ``day`` (ISO date; today by default). A reminder is never sent
    twice (``ReminderSent``): when some could not be sent, the task runs again later, for
    them alone."""
    today = datetime.date.fromisoformat(day) if day else timezone.localdate()
    outcome = send_due_reminders(today=today)
    if outcome.failed:
        raise RemindersNotSent(f"{outcome.failed} rappel(s) non envoyé(s)")
    return outcome.sent
