import time

from django.core.cache import cache
from django.core.management.base import BaseCommand, CommandError

from config.devtools.national import dataset_present, delete_dataset, generate


class Command(BaseCommand):
    help = (
        "Génère un jeu de données national (tous les postes d'ISCG, des années d'historique) "
        "pour mesurer les performances. Déterministe : même graine, même jour, mêmes données."
    )

    def add_arguments(self, parser):
        parser.add_argument("--posts", type=int, default=450, help="nombre de postes (450)")
        parser.add_argument("--years", type=int, default=10, help="années d'historique (10)")
        parser.add_argument("--seed", type=int, default=1, help="graine du tirage (1)")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="supprime d'abord un jeu national déjà chargé (sinon la commande s'arrête)",
        )
        parser.add_argument(
            "--if-absent",
            action="store_true",
            help="ne fait rien si un jeu national est déjà chargé (pour make bench)",
        )

    def handle(self, *args, posts, years, seed, replace, if_absent, **options):
        if not 1 <= posts <= 2000:
            raise CommandError("--posts : entre 1 et 2000.")
        if not 1 <= years <= 25:
            raise CommandError("--years : entre 1 et 25.")
        if dataset_present():
            if if_absent:
                self.stdout.write("Jeu de données national déjà chargé : rien à faire.")
                return
            if not replace:
                raise CommandError(
                    "Un jeu de données national est déjà chargé : relancez avec --replace pour "
                    "le remplacer."
                )
            started = time.perf_counter()
            delete_dataset()
            cache.clear()
            self.stdout.write(
                f"Ancien jeu national supprimé en {time.perf_counter() - started:.1f} s."
            )
        started = time.perf_counter()
        self.stdout.write(f"Génération : {posts} postes, {years} ans, graine {seed}…")
        summary = generate(posts=posts, years=years, seed=seed, log=self.stdout.write)
        # Written in bulk, without history: what the cache keeps under a version of the
        # history (calendar feeds, history sections) would not see it.
        cache.clear()
        elapsed = time.perf_counter() - started
        for label, number in summary.counts.items():
            self.stdout.write(f"  {number:>10}  {label}")
        self.stdout.write(self.style.SUCCESS(f"Jeu de données national écrit en {elapsed:.1f} s."))
        self.stdout.write("Comptes (mot de passe : convention-demo) :")
        for username, role, organisation in summary.usernames:
            self.stdout.write(f"  {username:<20} {role:<24} {organisation}")
