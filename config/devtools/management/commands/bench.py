import platform

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import timezone

from config.devtools.national.bench import DatasetMissing, run_bench, table


class Command(BaseCommand):
    help = (
        "Mesure chaque page, export et PDF sur le jeu de données national "
        "(load_national_dataset) : médiane, p95, requêtes SQL, rapport à une page triviale, "
        "mémoire maximale."
    )

    def add_arguments(self, parser):
        parser.add_argument("--runs", type=int, default=20, help="requêtes mesurées par page (20)")
        parser.add_argument(
            "--seulement",
            dest="only",
            default="",
            help="les pages dont le libellé contient ce texte (par exemple « Saisie »)",
        )

    def handle(self, *args, runs, only, **options):
        if runs < 20:
            raise CommandError("Au moins 20 requêtes par page (--runs 20).")
        self.stdout.write(f"Mesure de chaque page ({runs} requêtes après 2 de chauffe)…")
        try:
            objects, baseline, measures, peak_mb = run_bench(
                runs=runs, log=self.stdout.write, only=only
            )
        except DatasetMissing:
            raise CommandError(
                "Jeu de données national absent : lancez d'abord "
                "« python manage.py load_national_dataset »."
            ) from None
        self.stdout.write("")
        self.stdout.write(
            f"Base {connection.vendor}, {timezone.localdate():%d/%m/%Y}, Python "
            f"{platform.python_version()}, département {objects['departement']} "
            f"({objects['post']}, {objects['convention'].reference})."
        )
        self.stdout.write("")
        for line in table(baseline, measures):
            self.stdout.write(line)
        self.stdout.write("")
        self.stdout.write(f"Mémoire maximale du processus : {peak_mb:.0f} Mo (objectif 400 Mo).")
        missed = [m.page.label for m in measures if m.within_target is False]
        if missed:
            self.stdout.write(self.style.WARNING(f"Objectifs dépassés : {', '.join(missed)}."))
        else:
            self.stdout.write(self.style.SUCCESS("Tous les objectifs sont tenus."))
