import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from conventions.calendar.reminders import send_due_reminders


class Command(BaseCommand):
    help = (
        "Envoie les rappels d'échéance par courriel (à lancer chaque jour par cron ; "
        "un rappel n'est jamais envoyé deux fois)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--date",
            type=datetime.date.fromisoformat,
            help="Jour de référence AAAA-MM-JJ (par défaut aujourd'hui).",
        )

    def handle(self, *args, date=None, **options):
        outcome = send_due_reminders(today=date or timezone.localdate())
        self.stdout.write(f"{outcome.sent} rappel(s) envoyé(s).")
        if outcome.failed:
            # After every other reminder went out: cron reports the failure to the operator.
            raise CommandError(
                f"{outcome.failed} rappel(s) non envoyé(s) (voir le journal) ; "
                "ils seront retentés au prochain passage."
            )
