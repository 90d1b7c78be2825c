"""After make loadtest: the figures of the run, and every confirmed save found in the database.

Each simulated secretary enters its own post's quarter with new figures at every
save: the quarter's version must have gone up once per confirmed save, and its
figures must be those of the last one.
"""

import json
from collections import Counter, defaultdict
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from activity.models import QuarterReport
from activity.selectors import report_values


def percentile(entry, share: float) -> int:
    """The response time (ms) within which ``share`` of the requests finished, as locust says."""
    times = sorted(
        ((int(ms), count) for ms, count in entry["response_times"].items()), reverse=True
    )
    requests, done = entry["num_requests"], 0
    for milliseconds, count in times:
        done += count
        if requests - done <= int(requests * share):
            return milliseconds
    return 0


class Command(BaseCommand):
    help = "Résume le test de charge et vérifie que chaque saisie confirmée est en base."

    def add_arguments(self, parser):
        parser.add_argument(
            "--stats", required=True, help="les statistiques de locust (--json-file)"
        )
        parser.add_argument("--writes", required=True, help="les saisies confirmées (JSON lines)")

    def handle(self, *args, stats, writes, **options):
        errors = self.summarise(Path(stats))
        missing, confirmed = self.check_writes(Path(writes))
        self.stdout.write(
            f"Saisies confirmées : {confirmed}, retrouvées en base : {confirmed - missing}, "
            f"manquantes : {missing}."
        )
        if errors or missing or not confirmed:
            raise CommandError(
                f"Test de charge en échec : {errors} erreur(s), {missing} saisie(s) manquante(s), "
                f"{confirmed} saisie(s) confirmée(s)."
            )
        self.stdout.write(self.style.SUCCESS("Test de charge réussi : aucune erreur."))

    def summarise(self, path: Path) -> int:
        """Requests, errors, p50 and p95 per page kind; the number of errors."""
        entries = sorted(json.loads(path.read_text(encoding="utf-8")), key=lambda e: e["name"])
        total = {"name": "total", "num_requests": 0, "num_failures": 0, "response_times": Counter()}
        for entry in entries:
            total["num_requests"] += entry["num_requests"]
            total["num_failures"] += entry["num_failures"]
            total["response_times"].update(entry["response_times"])
        width = max(len(entry["name"]) for entry in entries)
        self.stdout.write(f"{'page':<{width}}  requêtes  erreurs   p50 ms   p95 ms")
        for entry in [*entries, total]:
            self.stdout.write(
                f"{entry['name']:<{width}}  {entry['num_requests']:>8}  "
                f"{entry['num_failures']:>7}  {percentile(entry, 0.50):>7}  "
                f"{percentile(entry, 0.95):>7}"
            )
        return total["num_failures"]

    def check_writes(self, path: Path) -> tuple[int, int]:
        """(confirmed saves not found in the database, confirmed saves)."""
        sent, confirmed = defaultdict(dict), defaultdict(dict)
        if path.exists():
            for line in path.read_text(encoding="utf-8").splitlines():
                write = json.loads(line)
                quarter = write["post"], write["year"], write["quarter"]
                (confirmed if write["confirmed"] else sent)[quarter][write["save"]] = write
        missing = 0
        for (post, year, quarter), saves in confirmed.items():
            where = f"Poste {post}, {year} T{quarter}"
            report = QuarterReport.objects.filter(post=post, year=year, quarter=quarter).first()
            if report is None:
                self.stderr.write(f"{where} : aucun trimestre en base.")
                missing += len(saves)
                continue
            # Every save changed the figures: one version each, the confirmed ones at least.
            if report.version < len(saves):
                self.stderr.write(
                    f"{where} : version {report.version} pour {len(saves)} saisies confirmées."
                )
                missing += len(saves) - report.version
            # The figures are those of the last confirmed save, or of a later one sent
            # while the test stopped.
            stored = {str(m): v for m, v in report_values(report).items()}
            last = max(saves)
            candidates = [w for n, w in sent[post, year, quarter].items() if n >= last]
            if not any(self.holds(stored, write["values"]) for write in candidates):
                self.stderr.write(f"{where} : la dernière saisie confirmée n'est pas en base.")
                missing += 1
        return missing, sum(len(saves) for saves in confirmed.values())

    @staticmethod
    def holds(stored, values) -> bool:
        return all(
            stored.get(month, {}).get(code) == value
            for month, month_values in values.items()
            for code, value in month_values.items()
        )
