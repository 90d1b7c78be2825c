import statistics
import time

from django.core.management.base import BaseCommand, CommandError

from conventions.models import Convention
from conventions.pdf import render_convention_pdf

SEED_REFERENCES = ["niort-2021", "ermont-2022"]


class Command(BaseCommand):
    help = (
        "Mesure le temps de rendu PDF des conventions de démonstration "
        "(médiane sur N rendus, objectif : moins d'une seconde)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--runs", type=int, default=10, help="nombre de rendus (10)")
        parser.add_argument("references", nargs="*", default=SEED_REFERENCES)

    def handle(self, *args, runs, references, **options):
        for reference in references:
            convention = Convention.objects.for_detail().filter(reference=reference).first()
            if convention is None:
                raise CommandError(
                    f"Convention « {reference} » introuvable : lancez d'abord load_demo."
                )
            durations = []
            for _ in range(runs):
                start = time.perf_counter()
                pdf = render_convention_pdf(convention)
                durations.append(time.perf_counter() - start)
            # The first render also parses the stylesheet and loads the fonts.
            self.stdout.write(
                f"{reference:<14} médiane {statistics.median(durations):.3f} s  "
                f"(premier rendu {durations[0]:.3f} s, max {max(durations):.3f} s, "
                f"{runs} rendus, {len(pdf) // 1024} Ko)"
            )
