import statistics
import time

from django.core.management.base import BaseCommand, CommandError

from config.devtools.national.bench import forget_renderings
from conventions.agreements.documents import render_convention_pdf
from conventions.deliberations.documents import render_deliberation_pdf
from conventions.models import Convention, Deliberation

SEED_REFERENCES = ["niort-2021", "ermont-2022"]
SEED_DELIBERATIONS = ["D-2021-313"]


class Command(BaseCommand):
    help = (
        "Mesure le temps de rendu PDF des conventions et de la délibération de démonstration "
        "(médiane sur N rendus ; objectifs : moins d'une seconde pour une convention, moins "
        "de 0,7 s pour une délibération)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--runs", type=int, default=10, help="nombre de rendus (10)")
        parser.add_argument(
            "--deliberation",
            action="append",
            dest="deliberations",
            metavar="NUMÉRO",
            help="numéro d'une délibération à mesurer (par défaut D-2021-313) ; répétable",
        )
        parser.add_argument("references", nargs="*", default=SEED_REFERENCES)

    def handle(self, *args, runs, references, deliberations, **options):
        for reference in references:
            convention = Convention.objects.for_detail().filter(reference=reference).first()
            if convention is None:
                raise CommandError(
                    f"Convention « {reference} » introuvable : lancez d'abord load_demo."
                )
            self._measure(reference, lambda c=convention: render_convention_pdf(c), runs)
        for number in deliberations or SEED_DELIBERATIONS:
            deliberation = (
                Deliberation.objects.for_register(Convention.objects.all())
                .filter(number=number)
                .first()
            )
            if deliberation is None:
                raise CommandError(
                    f"Délibération « {number} » introuvable : lancez d'abord load_demo."
                )
            self._measure(number, lambda d=deliberation: render_deliberation_pdf(d), runs)

    def _measure(self, label, render, runs):
        durations = []
        for _ in range(runs):
            # The layout itself: not the copy kept of the previous run (config.jobs.renderings).
            forget_renderings()
            start = time.perf_counter()
            pdf = render()
            durations.append(time.perf_counter() - start)
        # The first render also parses the stylesheet and loads the fonts.
        self.stdout.write(
            f"{label:<14} médiane {statistics.median(durations):.3f} s  "
            f"(premier rendu {durations[0]:.3f} s, max {max(durations):.3f} s, "
            f"{runs} rendus, {len(pdf) // 1024} Ko)"
        )
