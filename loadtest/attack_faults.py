"""make attack, part 4: writes while database connections are killed and gunicorn workers
reloaded or stopped; every confirmed write must be in the database. See loadtest/attack.py."""

import json
import os
import random
import re
import signal
import threading
import time
import uuid
from collections import Counter
from pathlib import Path

import psycopg
import requests
from django.db import connection

from activity.models import QuarterReport
from activity.selectors import report_values
from config.devtools.management.commands.check_loadtest import Command
from conventions.models import Payment
from loadtest.attack_http import (
    confirmed,
    fail,
    logged_in,
    parse_forms,
)
from tests.security.urls import build_url

# ----------------------------------------------------------------- 4. writes, faults

ENTRY_LINK = re.compile(r'href="(/statistiques/postes/(\d+)/(\d{4})/t3/saisie/)"')
CELL = re.compile(r'<input type="number" name="(m\d+_[a-z0-9_]+)"(?: value="(\d*)")?')
VERSION = re.compile(r'name="version" value="(\d+)"')
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
COUNTED = ("personnes_rencontrees", "entretiens", "saisines_recues")


class Faults:
    """Database connections killed every ~2 s, a worker reloaded or stopped every ~5 s."""

    def __init__(self, master):
        self.master = master
        self.stop = threading.Event()
        self.killed = self.hups = self.terms = 0
        self.threads = [
            threading.Thread(target=self.kill_connections),
            threading.Thread(target=self.restart_workers),
        ]

    def __enter__(self):
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        for thread in self.threads:
            thread.join()

    def kill_connections(self):
        settings = connection.settings_dict
        with psycopg.connect(
            dbname=settings["NAME"],
            user=settings["USER"],
            password=settings["PASSWORD"] or None,
            host=settings["HOST"],
            port=settings["PORT"] or 5432,
            autocommit=True,
        ) as killer:
            while not self.stop.wait(2):
                rows = killer.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = %s AND pid <> pg_backend_pid()",
                    [settings["NAME"]],
                ).fetchall()
                self.killed += len(rows)

    def workers(self):
        children = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except (OSError, IndexError):
                continue
            if int(fields[1]) == self.master:
                children.append(int(stat.parent.name))
        return children

    def restart_workers(self):
        turn = 0
        while not self.stop.wait(5):
            turn += 1
            if turn % 2:
                os.kill(self.master, signal.SIGHUP)  # graceful reload of every worker
                self.hups += 1
            elif workers := self.workers():
                os.kill(random.choice(workers), signal.SIGTERM)  # noqa: S311 (no secret)
                self.terms += 1


class Writers:
    """Quarter entries (the load test's posts) and payments, each send written down."""

    def __init__(self, host, world, out):
        self.host, self.world = host, world
        self.writes_path = out / "attack-writes.jsonl"
        self.writes_path.unlink(missing_ok=True)
        self.lock = threading.Lock()
        self.payments = {}  # reference -> {"confirmed": bool, "amount": str, ...}
        self.answers = Counter()
        self.stop = threading.Event()

    def answered(self, kind):
        with self.lock:
            self.answers[kind] += 1

    def send(self, browser, method, url, data=None, **kwargs):
        try:
            response = (
                browser.post(url, data, **kwargs)
                if method == "POST"
                else browser.get(url, **kwargs)
            )
        except requests.RequestException:
            self.answered("sans réponse")
            return None
        self.answered(str(response.status_code)[0] + "xx")
        if response.status_code >= 500:
            self.answered("500 et plus")
        return response

    def quarter_writer(self, browser, post, url, year):
        saves = 0
        while not self.stop.is_set():
            page = self.send(browser, "GET", url)
            if page is None or page.status_code != 200:
                time.sleep(0.2)
                continue
            data = {name: value or "" for name, value in CELL.findall(page.text)}
            data["csrfmiddlewaretoken"] = CSRF.search(page.text).group(1)
            data["version"] = VERSION.search(page.text).group(1)
            saves += 1
            values = {}
            for month in (7, 8, 9):
                values[month] = dict.fromkeys(COUNTED, saves * 10 + month)
                for code, value in values[month].items():
                    data[f"m{month}_{code}"] = str(value)
            self.record(post, year, saves, values, confirmed=False)
            response = self.send(browser, "POST", url, data)
            # Confirmed: the server redirected to the saved quarter (a form with errors
            # comes back as a page, 200).
            if confirmed(response):
                self.record(post, year, saves, values, confirmed=True)

    def record(self, post, year, save, values, *, confirmed):
        line = {
            "post": post,
            "year": year,
            "quarter": 3,
            "save": save,
            "confirmed": confirmed,
            "values": values,
        }
        with self.lock, open(self.writes_path, "a", encoding="utf-8") as writes:
            writes.write(json.dumps(line) + "\n")

    def payment_writer(self, browser, url):
        while not self.stop.is_set():
            page = self.send(browser, "GET", url)
            if page is None or page.status_code != 200:
                time.sleep(0.2)
                continue
            forms, _text = parse_forms(page.text)
            form = max((f for f in forms if f.method == "post"), key=lambda f: len(f.names))
            reference = f"ATTAQUE-{uuid.uuid4().hex[:16]}"
            amount = f"{random.randint(1, 999)},{random.randint(0, 99):02d}"  # noqa: S311
            data = dict(form.values)
            data.update(reference=reference, amount=amount)
            with self.lock:
                self.payments[reference] = {"confirmed": False, "amount": amount}
            response = self.send(browser, "POST", url, data)
            if confirmed(response):
                with self.lock:
                    self.payments[reference]["confirmed"] = True

    def run(self, seconds, master, quarters=6):
        ddsp = logged_in(self.host, "charge.ddsp86")
        board = ddsp.get("/statistiques/tableau/")
        links = sorted({(int(p), u, int(y)) for u, p, y in ENTRY_LINK.findall(board.text)})
        jobs = []
        for post, url, year in links[:quarters]:
            jobs.append(
                (self.quarter_writer, (logged_in(self.host, "charge.ddsp86"), post, url, year))
            )
        for column, side in (("ville.niort", "niort"), ("valparisis", "ermont")):
            url = build_url(self.world, "conventions:payment_create", side)
            for _ in range(2):
                jobs.append((self.payment_writer, (logged_in(self.host, column), url)))
        threads = [threading.Thread(target=job, args=args) for job, args in jobs]
        with Faults(master) as faults:
            for thread in threads:
                thread.start()
            time.sleep(seconds)
            self.stop.set()
            for thread in threads:
                thread.join()
        return faults, len(links[:quarters])


def writes_under_faults(host, world, master, out, seconds):
    print(
        f"\n4. Écritures pendant {seconds} s de pannes (connexions à la base coupées, "
        "workers rechargés ou arrêtés)"
    )
    writers = Writers(host, world, out)
    faults, quarters = writers.run(seconds, master)
    connection.close()  # the killer cut this process's connection too
    # After the storm: the workers are back, ordinary requests answer.
    time.sleep(3)
    after = Counter()
    browser = logged_in(host, "ville.niort")
    for url in ("/", "/conventions/", build_url(world, "conventions:detail", "niort")):
        for _ in range(5):
            after[browser.get(url).status_code] += 1
    if set(after) != {200}:
        fail(f"après les pannes, des pages répondent {dict(after)}")

    # Quarters: check_loadtest's check (every confirmed save, the last one's figures).
    check = Command()
    missing, confirmed = check.check_writes(writers.writes_path)
    half = half_written_quarters(writers.writes_path)
    # Payments: each confirmed one in the database once, with its amount; none twice.
    stored = Counter(
        Payment.objects.filter(reference__startswith="ATTAQUE-").values_list("reference", flat=True)
    )
    amounts = dict(
        Payment.objects.filter(reference__startswith="ATTAQUE-").values_list("reference", "amount")
    )
    paid_confirmed = [r for r, p in writers.payments.items() if p["confirmed"]]
    paid_missing = [r for r in paid_confirmed if not stored[r]]
    twice = [r for r, n in stored.items() if n > 1]
    wrong_amount = [
        r
        for r in stored
        if r in writers.payments
        and f"{amounts[r]:.2f}".replace(".", ",") != writers.payments[r]["amount"]
    ]
    unknown = [r for r in stored if r not in writers.payments]
    answers = writers.answers
    print(
        f"  {faults.killed} connexions coupées, {faults.hups} rechargements (HUP), "
        f"{faults.terms} workers arrêtés (TERM) ; {quarters} saisies de trimestre et 4 de "
        f"versements en parallèle"
    )
    print(
        f"  réponses : {answers['2xx'] + answers['3xx']} 2xx/3xx, {answers['4xx']} 4xx, "
        f"{answers['500 et plus']} 500 et plus (pendant les pannes), "
        f"{answers['sans réponse']} sans réponse"
    )
    print(
        f"  trimestres : {confirmed - missing}/{confirmed} saisies confirmées gardées, "
        f"{half} à moitié écrites ; versements : {len(paid_confirmed) - len(paid_missing)}/"
        f"{len(paid_confirmed)} confirmés gardés ({len(stored)} en base sur "
        f"{len(writers.payments)} envoyés), {len(twice)} en double, {len(wrong_amount)} au "
        f"mauvais montant, {len(unknown)} inconnus"
    )
    print(f"  après les pannes : {sum(after.values())} pages ordinaires, réponses {dict(after)}")
    if missing or half:
        fail(f"trimestres : {missing} saisie(s) confirmée(s) perdue(s), {half} à moitié écrite(s)")
    if paid_missing or twice or wrong_amount or unknown:
        fail(
            f"versements perdus {paid_missing}, en double {twice}, montant {wrong_amount}, "
            f"inconnus {unknown}"
        )
    if not confirmed or not paid_confirmed:
        fail("aucune écriture confirmée : la mesure ne dit rien")
    return {
        "connexions coupées": faults.killed,
        "HUP": faults.hups,
        "TERM": faults.terms,
        "trimestres confirmés": confirmed,
        "trimestres gardés": confirmed - missing,
        "versements confirmés": len(paid_confirmed),
        "versements gardés": len(paid_confirmed) - len(paid_missing),
        "à moitié écrits ou en double": half + len(twice) + len(wrong_amount),
        "500 pendant les pannes": answers["500 et plus"],
        "sans réponse": answers["sans réponse"],
        "réponses": answers["2xx"] + answers["3xx"] + answers["4xx"] + answers["5xx"],
    }


def half_written_quarters(path):
    """Quarters whose figures are not, as a whole, those of one save that was sent."""
    sent = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        write = json.loads(line)
        sent.setdefault((write["post"], write["year"]), []).append(write["values"])
    half = 0
    for (post, year), saves in sent.items():
        report = QuarterReport.objects.filter(post=post, year=year, quarter=3).first()
        if report is None:
            continue
        stored = report_values(report)
        figures = {(m, c): stored.get(m, {}).get(c) for m in (7, 8, 9) for c in COUNTED}
        if not any(
            figures == {(int(m), c): v for m, values in save.items() for c, v in values.items()}
            for save in saves
        ):
            half += 1
    return half
