from django.core.management.base import BaseCommand

from config.api.webhooks import deliver_due


class Command(BaseCommand):
    help = (
        "Renvoie les événements (webhooks) dont la prochaine tentative est venue ; "
        "à lancer chaque minute."
    )

    def handle(self, *args, **options):
        tried = deliver_due()
        self.stdout.write(f"{tried} envoi(s) tenté(s).")
