"""Delete the records of forms carried out (``Submission``, config.core.idempotency)
older than ``SUBMISSION_RETENTION_DAYS``.

A token only matters while the same form may come back: a double click, the
browser's « renvoyer », a tab left open. After a month the rows only grow the
table. Its own command, not a step of ``send_reminders`` or ``clean_orphan_uploads``:
it has nothing to do with either, and a failure of one must not stop the other.
Run it every day (README « Mise en production »).
"""

import datetime

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from partners.models import Submission


def purge_submissions(*, days: int, now: datetime.datetime) -> int:
    """Delete the submissions recorded more than ``days`` days before ``now``."""
    deleted, _ = Submission.objects.filter(
        created_at__lt=now - datetime.timedelta(days=days)
    ).delete()
    return deleted


class Command(BaseCommand):
    help = (
        "Supprime les traces des formulaires envoyés (protection contre le double envoi) "
        "plus anciennes que SUBMISSION_RETENTION_DAYS jours (30 par défaut)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help="Âge en jours au-delà duquel une trace est supprimée "
            "(par défaut : SUBMISSION_RETENTION_DAYS).",
        )

    def handle(self, *args, days=None, **options):
        days = settings.SUBMISSION_RETENTION_DAYS if days is None else days
        if days < 1:
            raise CommandError("--days doit valoir au moins 1 jour.")
        deleted = purge_submissions(days=days, now=timezone.now())
        self.stdout.write(f"{deleted} trace(s) de formulaire de plus de {days} jours supprimée(s).")
