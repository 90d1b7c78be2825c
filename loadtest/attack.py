"""make attack: the attack list of issue #16, played over HTTP against gunicorn.

Run by loadtest/attack once the application serves the demo in production mode
(PostgreSQL, DEBUG off, gunicorn behind a « proxy » at 127.0.0.1). Django is set
up in this process too, on the same database: to build the URLs of the access
matrix from real demo objects (the table of tests/security), to say what each
account may see, and to check the database after the writes. Every request goes
through gunicorn. Five parts, in this order, each printing its figures:

1. the access matrix: every URL × every demo account → the expected answer;
2. a stranger's wrong passwords, then the real user logs in from elsewhere;
3. formsets announcing 2 001 rows, three at once, while someone logs in;
4. writes (quarter entries, payments) while database connections are killed and
   gunicorn workers reloaded or stopped: every confirmed write in the database;
5. bad inputs: malicious values in every form and filter (reflected XSS, off-site
   redirects, PDF resources fetched outside static/, counted by a listener), last
   since what they change (a convention cancelled) would change the parts before.

loadtest/attack sets Django up before importing this module (the table of
tests/security reads the models at import). Exit status 1 on a leak, a lost
confirmed write, a frozen login (> 5 s), a lockout of the real user, or a 500
outside the fault window.
"""

import argparse
import concurrent.futures
import datetime
import json
import re
import secrets
import sys
import threading
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlencode

from loadtest.attack_faults import writes_under_faults
from loadtest.attack_http import (
    FAILURES,
    LOGIN_LIMIT,
    PASSWORD,
    Browser,
    fail,
    load,
    location,
    logged_in,
    parse_forms,
)
from loadtest.attack_inputs import Listener, bad_inputs
from tests.security import conftest as demo_world
from tests.security.test_access_matrix import COLUMNS, EXPECTED, foreign_markers, readable_content
from tests.security.urls import build_url

# ------------------------------------------------------------------- 1. access matrix


def demo_world_ready():
    """The demo objects every URL of the matrix needs (tests/security/conftest)."""
    demo_world._complete_the_demo()
    users = {u.username: u for u in demo_world.User.objects.filter(username__in=demo_world.ROLES)}
    demo_world.calendar_token_renew(user=users["ville.niort"])
    users["ville.niort"].refresh_from_db()
    return demo_world.DemoWorld(
        users=users,
        niort=demo_world._side(
            "niort-2021",
            demo_world.Council.objects.get(organisation=demo_world.organisation("niort")),
        ),
        ermont=demo_world._side(
            "ermont-2022",
            demo_world.Council.objects.get(organisation=demo_world.organisation("valparisis")),
        ),
        calendar_token=users["ville.niort"].calendar_token,
    )


class Answer:
    """What readable_content (tests/security) reads, from a requests response."""

    def __init__(self, response):
        self.status_code = response.status_code
        self.content = response.content
        self.headers = response.headers

    def get(self, name, default=None):
        return self.headers.get(name, default)


def matrix_answer(response):
    if response.status_code in (301, 302):
        return "login" if location(response).startswith("/connexion/") else "302"
    return str(response.status_code)


def access_matrix(host, world):
    print("\n1. Matrice d'accès sur HTTP (chaque adresse × chaque compte)")
    urls = {(label, side): build_url(world, label, side) for label, side, _m in EXPECTED}
    markers = {
        column: foreign_markers(world, world.users[column])
        for column in COLUMNS
        if column not in ("admin", "anonymous")
    }
    # Reads first, then writes: a write that succeeds (a renewal, a submission) changes
    # what comes after it, which the table, written for a fresh demo, cannot know.
    rows = sorted(EXPECTED, key=lambda row: row[2] == "POST")
    seconds = Counter()

    def play(column):
        counts, wrong, leaks = Counter(), [], []
        browser = Browser(host) if column == "anonymous" else logged_in(host, column)
        for label, side, method in rows:
            url = urls[label, side]
            if label == "logout" and column != "anonymous":
                # Logging out ends this session: a session of its own does it.
                session = logged_in(host, column) if method == "POST" else browser
                response = session.post(url) if method == "POST" else session.get(url)
            else:
                response = browser.post(url) if method == "POST" else browser.get(url)
            seconds[label] += response.elapsed.total_seconds()
            counts["requêtes"] += 1
            got, expected = matrix_answer(response), EXPECTED[label, side, method][column]
            if response.status_code >= 500:
                counts["500"] += 1
                fail(f"{method} {url} ({column}) : {response.status_code}")
            if got != expected:
                wrong.append(f"{method} {url} ({column}) : {got} au lieu de {expected}")
                # A leak: an answer that gives something where the table refuses.
                if expected in ("403", "404", "login", "405") and got in ("200", "302"):
                    leaks.append(f"{method} {url} ({column}) : {got} au lieu de {expected}")
            if column in markers and label != "calendar_feed":
                content = readable_content(Answer(response))
                leaks += [
                    f"{method} {url} ({column}) montre {m}" for m in markers[column] if m in content
                ]
        return counts, wrong, leaks

    started = time.monotonic()
    counts, wrong, leaks = Counter(), [], []
    with concurrent.futures.ThreadPoolExecutor(len(COLUMNS)) as pool:
        for c, w, lk in pool.map(play, COLUMNS):
            counts.update(c)
            wrong += w
            leaks += lk
    for line in wrong:
        print(f"  écart au tableau : {line}")
    slowest = ", ".join(f"{label} {total:.0f} s" for label, total in seconds.most_common(5))
    print(f"  les plus longues (temps cumulé des réponses) : {slowest}")
    for line in leaks:
        fail(f"fuite : {line}")
    print(
        f"  {counts['requêtes']} requêtes ({len(rows)} lignes × {len(COLUMNS)} comptes) en "
        f"{time.monotonic() - started:.0f} s : {len(leaks)} fuite(s), {counts['500']} erreur(s) "
        f"500, {len(wrong)} écart(s) au tableau"
    )
    return {
        "requêtes": counts["requêtes"],
        "fuites": len(leaks),
        "500": counts["500"],
        "écarts": len(wrong),
    }


# ----------------------------------------------------------------------- 3. freeze


def swollen(form, rows=2001, *, filled):
    """The form with every formset announcing ``rows`` rows (``filled``: each row filled
    like the first, else the announce alone, the small body of the issue), and every
    list of names holding ``rows`` names."""
    data = []
    for name, value in form.values:
        if name.endswith("-TOTAL_FORMS"):
            value = str(rows)
        elif name == "submission_token":
            value = secrets.token_urlsafe(32)
        elif name == "names":
            value = "\n".join(f"Madame Élue NUMÉRO-{index}" for index in range(rows))
        data.append((name, value))
        match = re.match(r"^(.+)-0-(.+)$", name)
        if match and filled:
            data += [(f"{match[1]}-{index}-{match[2]}", value) for index in range(1, rows)]
    return data


def freeze(host, world):
    print("\n3. Formulaires annonçant 2 001 lignes, trois à la fois, pendant une connexion")
    admin = logged_in(host, "admin")
    targets, filled = [], []
    for label, side in (
        ("conventions:create", "-"),
        ("conventions:deliberation_create?conseil", "niort"),
        ("conventions:amendment_create", "niort"),
        ("conventions:council_detail", "niort"),
    ):
        url = build_url(world, label, side)
        page = admin.get(url)
        forms, _text = parse_forms(page.text)
        form = max(
            (f for f in forms if f.method == "post" and "csrfmiddlewaretoken" in dict(f.values)),
            key=lambda f: len(f.names),
        )
        targets.append((url, swollen(form, filled=False)))
        if any(name.endswith("-TOTAL_FORMS") for name, _value in form.values):
            filled.append((url, swollen(form, filled=True)))
    small = max(len(urlencode(data)) for _url, data in targets)
    large = max(len(urlencode(data)) for _url, data in filled)

    stop = threading.Event()

    def log_in(into):
        """The login page, then the password sent: (page seconds, login seconds, status)."""
        browser = Browser(host)
        page = browser.get("/connexion/")
        answer = browser.post("/connexion/", {"username": "valparisis", "password": PASSWORD})
        into.append(
            (page.elapsed.total_seconds(), answer.elapsed.total_seconds(), answer.status_code)
        )

    def log_in_again_and_again():
        while not stop.is_set():
            log_in(logins)
            time.sleep(0.2)

    # What a login takes on this machine now, before the attack.
    before, logins = [], []
    for _ in range(3):
        log_in(before)
    watcher = threading.Thread(target=log_in_again_and_again)
    watcher.start()
    time.sleep(1)
    timings, statuses = [], Counter()

    def send(target):
        url, data = target
        started = time.monotonic()
        response = admin.post(url, data)
        timings.append((time.monotonic() - started, url))
        statuses[response.status_code] += 1
        # Refused: in French next to the formset (200), or, for a body of more fields
        # than Django reads (DATA_UPLOAD_MAX_NUMBER_FIELDS), by the « 400 » page.
        if response.status_code >= 500:
            fail(f"POST {url} (2 001 lignes) : {response.status_code}")
        elif response.status_code == 200 and "au plus" not in response.text:
            fail(f"POST {url} (2 001 lignes) : pas de refus en français")
        elif response.status_code not in (200, 400):
            fail(f"POST {url} (2 001 lignes) : réponse {response.status_code}")

    with concurrent.futures.ThreadPoolExecutor(3) as pool:
        list(pool.map(send, targets * 3 + filled))
    time.sleep(1)
    stop.set()
    watcher.join()
    slowest_page = max(page for page, _login, _status in logins)
    slowest_login = max(login for _page, login, _status in logins)
    usual_login = max(login for _page, login, _status in before)
    refused = [status for _page, _login, status in logins if status != 302]
    slowest = max(timings)
    print(
        f"  {len(timings)} envois ({len(targets)} formulaires × 3, corps jusqu'à "
        f"{small // 1024} Ko ; puis {len(filled)} avec leurs 2 001 lignes remplies, "
        f"jusqu'à {large // 1024} Ko), "
        f"réponses {dict(statuses)} ; le plus long : {slowest[0]:.2f} s ({slowest[1]})"
    )
    print(
        f"  {len(logins)} connexions pendant ce temps : page de connexion en {slowest_page:.2f} s "
        f"au plus, mot de passe vérifié en {slowest_login:.2f} s au plus (avant l'attaque : "
        f"{usual_login:.2f} s ; limite {LOGIN_LIMIT:.0f} s), {len(refused)} refusée(s)"
    )
    if max(slowest_page, slowest_login) > LOGIN_LIMIT:
        fail(
            f"connexion en {max(slowest_page, slowest_login):.1f} s pendant les envois de "
            "2 001 lignes"
        )
    if refused:
        fail(f"connexions refusées pendant les envois de 2 001 lignes : {refused}")
    return {
        "envois": len(timings),
        "formulaire le plus long (s)": round(slowest[0], 2),
        "connexions": len(logins),
        "page de connexion la plus lente (s)": round(slowest_page, 2),
        "connexion la plus lente (s)": round(slowest_login, 2),
        "connexion avant l'attaque (s)": round(usual_login, 2),
    }


# ---------------------------------------------------------------------- 2. lockout


def lockout(host):
    print("\n2. Blocage de la connexion derrière le proxy (X-Forwarded-For)")
    stranger = Browser(host, forwarded_for="203.0.113.66")
    for attempt in range(10):
        stranger.log_in("ddsp95", password=f"mauvais-{attempt}")
    # The stranger is locked out, even with the right password...
    locked = stranger.log_in("ddsp95").status_code != 302
    # ...the real user, from elsewhere, is not.
    started = time.monotonic()
    real = Browser(host, forwarded_for="198.51.100.20").log_in("ddsp95")
    seconds = time.monotonic() - started
    succeeded = real.status_code == 302 and "connexion" not in location(real)
    print(
        f"  10 mauvais mots de passe depuis 203.0.113.66 : cette adresse est "
        f"{'bloquée' if locked else 'NON bloquée'} ; la personne, depuis 198.51.100.20, "
        f"{'se connecte' if succeeded else 'NE se connecte PAS'} ({seconds:.2f} s)"
    )
    if not locked:
        fail("10 mauvais mots de passe n'ont pas bloqué l'adresse qui les envoie")
    if not succeeded:
        fail("un inconnu a bloqué la connexion de la vraie personne")
    return {"adresse de l'inconnu bloquée": locked, "vraie personne connectée": succeeded}


# ------------------------------------------------------------------------------ main


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", required=True)
    parser.add_argument("--gunicorn", type=int, required=True, help="pid du maître gunicorn")
    parser.add_argument("--out", type=Path, default=Path("loadtest/out"))
    parser.add_argument("--fault-seconds", type=int, default=45)
    parser.add_argument("--parts", nargs="*", help="seulement ces parties (par leur nom)")
    args = parser.parse_args()

    started = time.monotonic()
    print(f"Attaque de {args.host} ; charge de la machine avant : {load()}")
    world = demo_world_ready()
    parts = {
        "matrice": lambda: access_matrix(args.host, world),
        "blocage": lambda: lockout(args.host),
        "gel": lambda: freeze(args.host, world),
        "écritures": lambda: writes_under_faults(
            args.host, world, args.gunicorn, args.out, args.fault_seconds
        ),
        # Last: the malicious values may cancel a convention, that the parts before use.
        "saisies malveillantes": lambda: bad_inputs(args.host, world, Listener()),
    }
    figures = {
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "charge avant": load(),
    }
    for name, part in parts.items():
        if not args.parts or name in args.parts:
            figures[name] = part()
    figures["charge à la fin"] = load()
    figures["durée (s)"] = round(time.monotonic() - started)
    figures["échecs"] = FAILURES
    (args.out / "attack.json").write_text(json.dumps(figures, ensure_ascii=False, indent=2))
    print(f"\nCharge de la machine à la fin : {load()} ; durée : {figures['durée (s)']} s")
    if FAILURES:
        print(f"Attaque : {len(FAILURES)} échec(s).")
        for failure in FAILURES:
            print(f"  - {failure}")
        sys.exit(1)
    print(
        "Attaque : aucune fuite, aucune écriture confirmée perdue, aucun worker gelé, "
        "aucune erreur 500 hors des pannes."
    )


if __name__ == "__main__":
    main()
