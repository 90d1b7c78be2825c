import io

from django.core.cache import cache
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction
from django.test.utils import override_settings
from django.utils.module_loading import import_string

from config.devtools.demo import fictional
from config.devtools.demo.partners import DEMO_PASSWORD, accounts_summary

# Each app loads its own part, in dependency order; every loader is idempotent.
DEMO_LOADERS = [
    "config.devtools.demo.partners.load",
    "config.devtools.demo.seeds.load",
    "config.devtools.demo.lifecycle.load",
    "config.devtools.demo.model_convention.load",
    "config.devtools.demo.deliberations.load",
    "config.devtools.demo.funding.load",
    "config.devtools.demo.activity.load",
    # Two fictional conventions the seeds cannot show: a departmental framework
    # convention and a mixed post (commissariat and gendarmerie brigades).
    "config.devtools.demo.fictional.load",
    # What the demo accounts find in « Notifications ».
    "config.devtools.demo.notifications.load",
]
FICTIONAL_LOADER = "config.devtools.demo.fictional.load"


class Command(BaseCommand):
    help = (
        "Charge les données de démonstration (Niort et Ermont, et deux conventions fictives). "
        "Peut être relancée sans doublon."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--seeds-only",
            action="store_true",
            help="Sans les deux conventions fictives : seulement Niort et Ermont (ce que les "
            "tests de migration ramènent à un schéma où une convention n'a qu'un poste).",
        )

    @transaction.atomic
    def handle(self, *args, seeds_only=False, **options):
        # The loaders' own saves are not recorded (loading twice must leave every table as
        # it was); the demo's starting state is then recorded once, as a creation without
        # author, so that the first edits show what they changed.
        loaders = [p for p in DEMO_LOADERS if not (seeds_only and p == FICTIONAL_LOADER)]
        with override_settings(SIMPLE_HISTORY_ENABLED=False):
            for path in loaders:
                import_string(path)()
        call_command("populate_history", auto=True, stdout=io.StringIO(), stderr=io.StringIO())
        # A row the loaders changed without history: what the cache keeps under a version
        # of the history (calendar feeds, history sections) would not see it.
        cache.clear()
        self.stdout.write(self.style.SUCCESS("Données de démonstration chargées."))
        self.stdout.write(f"Comptes de démonstration (mot de passe : {DEMO_PASSWORD}) :")
        for username, role, organisation in accounts_summary():
            self.stdout.write(f"  {username:<20} {role:<42} {organisation}")
        if seeds_only:
            return
        self.stdout.write(
            "Conventions fictives (organisations, personnes et montants inventés) : "
            "cadre-18-2025 (convention-cadre du Cher, trois postes) et montclar-2025 "
            "(poste mixte commissariat et gendarmerie). Leurs comptes :"
        )
        for username, role, organisation in fictional.accounts_summary():
            self.stdout.write(f"  {username:<20} {role:<42} {organisation}")
