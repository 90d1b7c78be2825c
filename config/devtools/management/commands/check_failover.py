"""After make loadtest-failover: did the service survive losing one of its two servers?

loadtest/failover ran the load test's mix through HAProxy in front of two gunicorn
instances (a and b) sharing PostgreSQL, Redis and the object storage, and stopped
one of them (SIGTERM) in the middle. Every request of the run is a JSON line
(locustfile.py, LOADTEST_REQUESTS): when it started and ended, whether it failed,
which instance answered, whether it ended on the login page.

The requests are split around the stop, at T, with a grace window of G seconds:

- before: ended before T;
- during the switch: in progress at some moment between T and T + G (the stopped
  instance ends what it serves, HAProxy's checks see it gone): failures tolerated,
  counted;
- after: started at T + G or later.

It fails unless: no failed request outside the switch, every request after it
served by the other instance (and some were), the stopped instance served some
before, no request anywhere sent back to the login page (the sessions are in the
database: neither instance holds them), every confirmed save in the database
(check_loadtest's check), and the signed convention uploaded through the stopped
instance downloaded through the other with the same bytes.
"""

import datetime
import json
from collections import Counter
from pathlib import Path

from django.core.management.base import CommandError

from config.devtools.management.commands.check_loadtest import Command as LoadtestCommand

DEFAULT_GRACE = 5.0


def seconds(value: float) -> str:
    return f"{value:.1f}".replace(".", ",")


def clock(timestamp: float) -> str:
    moment = datetime.datetime.fromtimestamp(timestamp).astimezone()
    return moment.strftime("%H:%M:%S,") + f"{moment.microsecond // 1000:03d}"


def by_server(requests) -> str:
    counts = Counter(request["served_by"] or "aucune" for request in requests)
    return ", ".join(f"{server} : {count}" for server, count in sorted(counts.items())) or "—"


class Command(LoadtestCommand):
    help = (
        "Vérifie le test de bascule (make loadtest-failover) : requêtes, instances, sessions, "
        "saisies et pièce déposée."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--requests", required=True, help="chaque requête du test (JSON lines, locustfile.py)"
        )
        parser.add_argument(
            "--failover", required=True, help="l'arrêt d'une instance (JSON : stopped, other, at)"
        )
        parser.add_argument(
            "--files", required=True, help="le dépôt puis le téléchargement de la pièce (JSON)"
        )
        parser.add_argument(
            "--grace",
            type=float,
            default=DEFAULT_GRACE,
            help=f"fenêtre de bascule en secondes après l'arrêt (défaut : {DEFAULT_GRACE:g})",
        )

    def handle(self, *args, stats, writes, requests, failover, files, grace, **options):
        failures = []
        self.summarise(Path(stats))
        stop = json.loads(Path(failover).read_text(encoding="utf-8"))
        stopped, other, at = stop["stopped"], stop["other"], stop["at"]
        until = at + grace
        self.stdout.write(
            f"Arrêt de l'instance {stopped} (SIGTERM) à {clock(at)}, terminé en "
            f"{seconds(stop['stopped_in'])} s ; fenêtre de bascule : {seconds(grace)} s "
            f"(jusqu'à {clock(until)})."
        )

        lines = Path(requests).read_text(encoding="utf-8").splitlines()
        everything = [json.loads(line) for line in lines if line.strip()]
        before = [r for r in everything if r["end"] < at]
        after = [r for r in everything if r["start"] >= until]
        switching = [r for r in everything if r["end"] >= at and r["start"] < until]
        self.stdout.write(
            f"Requêtes : {len(everything)} ; avant l'arrêt : {len(before)} ({by_server(before)}) ; "
            f"pendant la bascule : {len(switching)} ({by_server(switching)}) ; "
            f"après : {len(after)} ({by_server(after)})."
        )

        failed = {
            part: [r for r in rs if r["failed"]]
            for part, rs in (("before", before), ("switching", switching), ("after", after))
        }
        self.stdout.write(
            f"Requêtes en échec : avant l'arrêt {len(failed['before'])}, pendant la bascule "
            f"{len(failed['switching'])} (tolérées), après {len(failed['after'])}."
        )
        for request in sorted(failed["switching"] + failed["after"], key=lambda r: r["start"]):
            self.stdout.write(
                f"  {clock(request['start'])} {request['name']} : {request['status']} "
                f"{request['error']}".rstrip()
            )
        if failed["before"] or failed["after"]:
            failures.append("des requêtes en échec hors de la bascule")

        if not any(r["served_by"] == stopped for r in before):
            failures.append(f"l'instance {stopped} n'a servi aucune requête avant son arrêt")
        elsewhere = [r for r in after if r["served_by"] != other]
        self.stdout.write(
            f"Requêtes après la bascule servies par une autre instance que {other} : "
            f"{len(elsewhere)}."
        )
        if elsewhere:
            failures.append(f"des requêtes après la bascule non servies par {other}")
        if not after:
            failures.append("aucune requête après la bascule")

        login = [r for r in everything if r["login"]]
        login_after = [r for r in login if r["end"] >= at]
        self.stdout.write(
            f"Requêtes renvoyées à la page de connexion : {len(login)}, dont {len(login_after)} "
            "depuis l'arrêt (sessions en base, communes aux deux instances)."
        )
        if login:
            failures.append("des sessions perdues (renvois à la page de connexion)")

        missing, confirmed = self.check_writes(Path(writes))
        confirmed_after = self.confirmed_since(Path(writes), at)
        self.stdout.write(
            f"Saisies confirmées : {confirmed} (dont {confirmed_after} après l'arrêt), "
            f"retrouvées en base : {confirmed - missing}, manquantes : {missing}."
        )
        if missing or not confirmed:
            failures.append(f"{missing} saisie(s) confirmée(s) manquante(s) sur {confirmed}")

        failures.extend(self.check_files(Path(files), stopped, other))

        if failures:
            raise CommandError("Test de bascule en échec : " + " ; ".join(failures) + ".")
        self.stdout.write(
            self.style.SUCCESS(f"Test de bascule réussi : l'instance {other} a tout repris.")
        )

    @staticmethod
    def confirmed_since(path: Path, at: float) -> int:
        if not path.exists():
            return 0
        writes = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
        return sum(1 for w in writes if w["confirmed"] and w.get("at", 0) >= at)

    def check_files(self, path: Path, stopped: str, other: str) -> list[str]:
        if not path.exists():
            self.stdout.write("Pièce déposée : aucun résultat (dépôt ou téléchargement en échec).")
            return ["la pièce déposée n'a pas été relue"]
        found = json.loads(path.read_text(encoding="utf-8"))
        self.stdout.write(
            f"Pièce déposée sur l'instance {stopped} ({found['uploaded_through']}) : "
            f"{found['size']} octets, SHA-256 {found['sha256'][:16]}…"
        )
        problems = []
        for download in found["downloads"]:
            through = download["through"]
            served_by = download["served_by"] or "aucune"
            verdict = "mêmes octets" if download["same"] else "octets différents"
            self.stdout.write(
                f"  relue par {through} ({download['url']}, servie par {served_by}) : "
                f"{download['status']}, {download['size']} octets, {verdict}."
            )
            if download["status"] != 200 or not download["same"]:
                problems.append(f"la pièce relue par {through} diffère de celle déposée")
            if served_by != other:
                problems.append(f"la pièce relue par {through} servie par {served_by}")
        return problems
