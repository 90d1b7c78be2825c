"""Reminders before each deadline and when one is missed: an e-mail to each party
organisation's own address, and a notification to its users (``deadline.reminder``,
heard by config.notifications), each user choosing how often.

Idempotent: every reminder is recorded under a key (event, stage, organisation),
so ``send_reminders`` may run as often as one likes.
"""

import datetime
import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction

from config.core.events import publish
from config.core.formats import french_date, one_line
from conventions.calendar.events import events_for_conventions
from conventions.calendar.feed import event_url
from conventions.lifecycle.deadlines import Deadline
from conventions.models import Convention, ReminderSent

logger = logging.getLogger(__name__)

# A missed deadline is reported on the first run after it, and not weeks later
# when the command first runs on an old database.
MISSED_LOOKBACK_DAYS = 7


@dataclass(frozen=True)
class Reminder:
    key: str
    organisation: object
    recipients: tuple[str, ...]
    subject: str
    body: str
    event: Deadline
    stage: str  # "before" or "missed"
    intro: str

    def announce(self) -> None:
        """Tell the organisation's users (config.core.events), as each chose."""
        event = self.event
        publish(
            "deadline.reminder",
            concerned=lambda: [self.organisation.pk],
            data={
                "cle": self.key,
                "organisation": self.organisation.pk,
                "echeance": event.kind,
                "etape": self.stage,
                "annonce": self.intro,
                "libelle": event.label,
                "date": event.date.isoformat(),
                "convention": event.convention.reference,
                "page": event.convention.get_absolute_url(),
            },
        )


def due_reminders(*, today: datetime.date):
    conventions = Convention.objects.agreements().not_cancelled().for_list()
    longest = max(settings.REMINDER_DAYS_BEFORE.values())
    # A payment already made needs no reminder.
    events = events_for_conventions(
        conventions,
        start=today - datetime.timedelta(days=MISSED_LOOKBACK_DAYS),
        end=today + datetime.timedelta(days=longest),
        unpaid_only=True,
    )
    for event in events:
        days_left = (event.date - today).days
        if 0 <= days_left <= settings.REMINDER_DAYS_BEFORE.get(event.kind, 0):
            stage, intro = (
                "before",
                f"Échéance dans {days_left} jour(s), le {french_date(event.date)}",
            )
        elif days_left < 0:
            stage, intro = "missed", f"Échéance dépassée depuis le {french_date(event.date)}"
        else:
            continue
        convention = event.convention
        for party in convention.parties.all():
            organisation = party.organisation
            yield Reminder(
                key=f"{convention.pk}:{event.key}:{event.date.isoformat()}:{stage}:"
                f"{organisation.pk}",
                organisation=organisation,
                # The organisation's own address; its users are told as each chose
                # (config.notifications hears the event).
                recipients=(organisation.email,) if organisation.email else (),
                subject=one_line(f"[Conventions ISCG] {event.label} — {convention.reference}"),
                body=(
                    f"Bonjour,\n\n{intro} :\n{event.label}\n"
                    f"Convention : {convention.title} ({convention.reference})\n\n"
                    f"Pour la traiter : {event_url(event)}\n\n"
                    "Ce message est envoyé automatiquement par l'application des conventions "
                    "ISCG.\n"
                ),
                event=event,
                stage=stage,
                intro=intro,
            )


@dataclass(frozen=True)
class Outcome:
    sent: int
    failed: int


def send_due_reminders(*, today: datetime.date) -> Outcome:
    """Send every reminder due; one that fails is logged and left for the next run
    (its record is rolled back), and the others are sent all the same."""
    sent = failed = 0
    for reminder in due_reminders(today=today):
        try:
            with transaction.atomic():
                ReminderSent.objects.create(
                    key=reminder.key, recipients=", ".join(reminder.recipients)
                )
                if reminder.recipients:
                    send_mail(
                        reminder.subject,
                        reminder.body,
                        settings.DEFAULT_FROM_EMAIL,
                        list(reminder.recipients),
                    )
                reminder.announce()
        except IntegrityError:
            continue  # already sent by an earlier run
        except Exception:
            # Whatever the mail layer raises (a refused header, an SMTP error, a network
            # failure) concerns this reminder only.
            logger.exception("Rappel non envoyé : %s", reminder.key)
            failed += 1
            continue
        sent += 1
    return Outcome(sent=sent, failed=failed)
