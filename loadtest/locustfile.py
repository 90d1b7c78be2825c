"""Load test (make loadtest): people of a collectivité and of a DDSP secretariat at work.

- A collectivité (Niort or Val Parisis) browses its conventions, funding plans and
  deliberations, and downloads the convention's PDF now and then.
- A DDSP secretariat (the load test's own département, see prepare_loadtest)
  enters the third quarter of a post of its own — every simulated secretary a
  different post, so that no save waits for another — and reads bilans.

Each request is named by its page kind, for the p50/p95 per kind. Every quarter
save is appended to LOADTEST_WRITES (one JSON line) when sent and again when the
application confirmed it, for check_loadtest to find in the database afterwards.

The people are at work, hence logged in: each account logs in once when the
test starts and its simulated people share that session. Fifty logins at once
would only measure the password hash (PBKDF2, slow on purpose).

With LOADTEST_REQUESTS (make loadtest-failover), every request is also appended
there (one JSON line): when it started and ended, whether it failed, which server
answered (the X-Served-By header the load balancer adds) and whether it ended on
the login page (a session lost), for check_failover.
"""

import itertools
import json
import os
import random
import re
import threading
import time
from urllib.parse import urlsplit

import requests
from locust import HttpUser, between, events, task

PASSWORD = "convention-demo"  # noqa: S105 (the demo accounts' password, in the README)
WRITES = os.environ.get("LOADTEST_WRITES", "loadtest/out/writes.jsonl")
REQUESTS = os.environ.get("LOADTEST_REQUESTS", "")
LOGIN_PATH = "/connexion/"
COUNTED = ("personnes_rencontrees", "entretiens", "saisines_recues")
POST_NUMBERS = itertools.count()
WRITES_LOCK = threading.Lock()
ACCOUNTS = ("ville.niort", "valparisis", "charge.ddsp86")
SESSIONS = {}

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
VERSION = re.compile(r'name="version" value="(\d+)"')
ENTRY_LINK = re.compile(r'href="(/statistiques/postes/(\d+)/(\d{4})/t3/saisie/)"')
CELL = re.compile(r'<input type="number" name="(m\d+_[a-z0-9_]+)"(?: value="(\d*)")?')


def csrf_token(html: str) -> str:
    return CSRF.search(html).group(1)


@events.test_start.add_listener
def log_in(environment, **kwargs):
    for username in ACCOUNTS:
        browser = requests.Session()
        page = browser.get(f"{environment.host}/connexion/")
        response = browser.post(
            f"{environment.host}/connexion/",
            {
                "username": username,
                "password": PASSWORD,
                "csrfmiddlewaretoken": csrf_token(page.text),
            },
            headers={"Referer": f"{environment.host}/connexion/"},
        )
        if "Se déconnecter" not in response.text:
            raise RuntimeError(f"{username} n'a pas pu se connecter")
        SESSIONS[username] = browser.cookies["sessionid"]


@events.request.add_listener
def record_request(name, response, exception, start_time, **kwargs):
    if not REQUESTS:
        return
    # Every response of the request, redirects included: a lost session answers with a
    # redirect to the login page, which the client then follows.
    hops = [*getattr(response, "history", ()), response] if response is not None else []
    line = {
        "name": name,
        "start": start_time,
        "end": time.time(),
        "status": getattr(response, "status_code", 0),
        "failed": exception is not None,
        "error": str(exception)[:200] if exception is not None else "",
        "served_by": response.headers.get("X-Served-By", "") if response is not None else "",
        "login": any(
            urlsplit(hop.headers.get("Location", "")).path == LOGIN_PATH
            or urlsplit(hop.url or "").path == LOGIN_PATH
            for hop in hops
        ),
    }
    with WRITES_LOCK, open(REQUESTS, "a", encoding="utf-8") as requests_file:
        requests_file.write(json.dumps(line) + "\n")


class Person(HttpUser):
    abstract = True
    wait_time = between(1, 3)
    username = ""

    def on_start(self):
        self.client.cookies.set("sessionid", SESSIONS[self.username])


class Collectivite(Person):
    weight = 3

    def on_start(self):
        # Which demo collectivité this person is: no secret in the choice.
        self.username, self.reference = random.choice(  # noqa: S311
            [("ville.niort", "niort-2021"), ("valparisis", "ermont-2022")]
        )
        super().on_start()

    @task(4)
    def conventions(self):
        self.client.get("/conventions/", name="conventions : liste")

    @task(3)
    def convention(self):
        self.client.get(f"/conventions/{self.reference}/", name="convention : fiche")

    @task(2)
    def funding(self):
        self.client.get(f"/conventions/financements/{self.reference}/", name="financement : plan")

    @task(1)
    def funding_overview(self):
        self.client.get("/conventions/financements/", name="financements : vue d'ensemble")

    @task(2)
    def deliberations(self):
        self.client.get("/conventions/deliberations/", name="délibérations : liste")

    @task(1)
    def dashboard(self):
        self.client.get("/", name="tableau de bord")

    @task(1)
    def convention_pdf(self):
        with self.client.get(
            f"/conventions/{self.reference}/pdf/", name="convention : PDF", catch_response=True
        ) as response:
            if not response.content.startswith(b"%PDF"):
                response.failure("pas un PDF")


class SecretariatDDSP(Person):
    weight = 2
    username = "charge.ddsp86"

    def on_start(self):
        super().on_start()
        board = self.client.get("/statistiques/tableau/", name="statistiques : tableau de bord")
        links = sorted({(int(post), url) for url, post, _year in ENTRY_LINK.findall(board.text)})
        self.post_id, self.entry_url = links[next(POST_NUMBERS) % len(links)]
        self.year = int(ENTRY_LINK.search(board.text).group(3))
        self.saves = 0

    @task(3)
    def enter_quarter(self):
        page = self.client.get(self.entry_url, name="trimestre : saisie")
        data = {name: value or "" for name, value in CELL.findall(page.text)}
        data["csrfmiddlewaretoken"] = csrf_token(page.text)
        data["version"] = VERSION.search(page.text).group(1)
        # Always new figures, so that every save changes the quarter (and its version).
        self.saves += 1
        values = {}
        for month in (7, 8, 9):
            values[month] = dict.fromkeys(COUNTED, self.saves * 10 + month)
            for code, value in values[month].items():
                data[f"m{month}_{code}"] = str(value)
        # Written before sending too: a save the server made but whose answer never came
        # back (the test stopping) may be what the database holds in the end.
        self.record(values, confirmed=False)
        with self.client.post(
            self.entry_url,
            data,
            headers={"Referer": f"{self.host}{self.entry_url}"},
            name="trimestre : enregistrement",
            catch_response=True,
        ) as response:
            if "Saisie enregistrée." not in response.text:
                response.failure("saisie non confirmée")
                return
        self.record(values, confirmed=True)

    def record(self, values, *, confirmed):
        line = {
            "post": self.post_id,
            "year": self.year,
            "quarter": 3,
            "save": self.saves,
            "confirmed": confirmed,
            "at": time.time(),
            "values": values,
        }
        with WRITES_LOCK, open(WRITES, "a", encoding="utf-8") as writes:
            writes.write(json.dumps(line) + "\n")

    @task(2)
    def post_bilan(self):
        self.client.get(
            f"/statistiques/bilans/postes/{self.post_id}/{self.year}/",
            name="bilan : poste (année)",
        )

    @task(1)
    def departement_bilan(self):
        self.client.get(
            f"/statistiques/bilans/departements/86/{self.year}/t3/",
            name="bilan : département (trimestre)",
        )

    @task(1)
    def board(self):
        self.client.get("/statistiques/tableau/", name="statistiques : tableau de bord")
