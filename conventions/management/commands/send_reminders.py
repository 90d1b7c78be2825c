import datetime

from django.core.management.base import BaseCommand
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
        count = send_due_reminders(today=date or timezone.localdate())
        self.stdout.write(f"{count} rappel(s) envoyé(s).")
