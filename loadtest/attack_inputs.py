"""make attack, part 5: malicious values in every form and filter, seen where they come
back (the page, the redirection, the PDF). See loadtest/attack.py."""

import concurrent.futures
import http.server
import io
import re
import secrets
import threading
import time
from collections import Counter
from urllib.parse import urlencode, urljoin, urlsplit

from django.urls import Resolver404, reverse
from pypdf import PdfReader

from conventions.models import Amendment, Article, Convention, Deliberation
from loadtest.attack_http import (
    Browser,
    fail,
    location,
    logged_in,
    off_site,
    parse_forms,
)
from tests.security.test_access_matrix import EXPECTED
from tests.security.urls import YEAR, build_url, route_of

# ---------------------------------------------------------------------- 5. bad inputs


class Listener(http.server.ThreadingHTTPServer):
    """A local web server that counts who asks it for anything (a PDF engine should not)."""

    def __init__(self):
        self.hits = []
        listener = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 (the standard library's name)
                listener.hits.append(self.path)
                self.send_response(200)
                self.send_header("Content-Type", "image/png")
                self.end_headers()

            def log_message(self, *args):
                pass

        super().__init__(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.serve_forever, daemon=True).start()

    @property
    def url(self):
        return f"http://127.0.0.1:{self.server_address[1]}"


def payloads(listener_url):
    """Values typed by an attacker: scripts that must come back escaped, resources that
    a PDF must never fetch, and the absurd."""
    return [
        "<script>alert('iscg-xss-1')</script>",
        '"><img src=x onerror=alert("iscg-xss-2")>',
        "'><svg onload=alert('iscg-xss-3')>",
        "javascript:alert('iscg-xss-4')",
        "{{ request.user.password }}{% debug %}",
        f'<img src="{listener_url}/img-src.png">',
        f'<link rel="stylesheet" href="{listener_url}/link.css">',
        f"<style>@import url({listener_url}/import.css);</style>",
        f"<div style=\"background: url('{listener_url}/background.png')\">x</div>",
        '<img src="file:///etc/passwd"><object data="file:///etc/passwd"></object>',
        "'; DROP TABLE conventions_convention; --",
        '=HYPERLINK("http://evil.example","x")',
        "x" * 5000 + "\x00" + "Ünïcödé 🚓 \u202e\u200b",
        "99999999999999999999",
    ]


SCRIPTS = re.compile(r"<(script|img|svg|iframe|link|style|object|div|a)[\s>]")
KEEP = re.compile(r"csrfmiddlewaretoken|version|submission_token|-(TOTAL|INITIAL|MIN_NUM|MAX_NUM)_")
PLAIN_VALUE = re.compile(r"^[\d\s.,:/€%-]*$")
NOT_FORMS = ("/deconnexion/", "/connexion/")
DOWNLOAD = re.compile(r"pdf|csv|xlsx|scan|calendar|logout|payment_proof|login")


def attack_values(form, text_fields, value):
    """The form as a browser sends it, with ``value`` in each free-text field."""
    data = []
    for name, current in form.values:
        if KEEP.search(name):
            current = secrets.token_urlsafe(32) if name == "submission_token" else current
        elif name in text_fields and not (current and PLAIN_VALUE.match(current)):
            current = value
        data.append((name, current))
    return data


def plant(world, values):
    """The listener's payloads in the texts the PDFs print, on both sides of the demo
    (each text field long enough to hold them)."""
    fetching = " ".join(v for v in values if "127.0.0.1" in v or "file:" in v)
    for side in (world.niort, world.ermont):
        texts = [
            (Convention.objects.filter(pk=side.convention.pk), ["preamble"]),
            (Article.objects.filter(convention=side.convention), ["body"]),
            (Amendment.objects.filter(convention=side.convention), ["object"]),
            (Deliberation.objects.filter(pk=side.deliberation.pk), ["object", "body"]),
        ]
        for rows, names in texts:
            fields = {
                name: fetching
                for name in names
                if (rows.model._meta.get_field(name).max_length or len(fetching)) >= len(fetching)
            }
            if fields:
                rows.update(**fields)


def reflected(response, values):
    if "text/html" not in response.headers.get("Content-Type", ""):
        return []
    body = response.text
    return [v for v in values if SCRIPTS.search(v) and v in body]


def bad_inputs(host, world, listener):
    print("\n5. Saisies malveillantes dans chaque formulaire et chaque filtre")
    values = payloads(listener.url)
    counts = Counter()
    seen = set()
    pages = []
    for column in ("admin", "ville.niort", "ddsp79", "intervenant.niort", "valparisis"):
        for label, side, method in EXPECTED:
            may_open = method == "GET" and EXPECTED[label, side, method][column] == "200"
            if may_open and not DOWNLOAD.search(label):
                pages.append((column, build_url(world, label, side)))
    browsers = {}
    lock = threading.Lock()

    def browser_of(column):
        with lock:
            if column not in browsers:
                browsers[column] = logged_in(host, column)
            return browsers[column]

    def check(kind, url, response, sent):
        with lock:
            counts["requêtes"] += 1
            if response.status_code >= 500:
                counts["500"] += 1
                fail(f"{kind} {url} : {response.status_code}")
            if off_site(location(response)):
                counts["redirections hors du site"] += 1
                fail(f"{kind} {url} : redirection vers {location(response)}")
            for value in reflected(response, sent):
                counts["reflets"] += 1
                fail(f"{kind} {url} : renvoie tel quel {value[:40]!r}")

    def attack_page(column, url):
        browser = browser_of(column)
        page = browser.get(url)
        if page.status_code != 200 or "text/html" not in page.headers.get("Content-Type", ""):
            return
        forms, text_fields = parse_forms(page.text)
        for form in forms:
            action = urljoin(url, form.action or url)
            # One form per page kind: Niort's and Ermont's are the same form.
            try:
                kind = route_of(urlsplit(action).path)
            except Resolver404:
                kind = urlsplit(action).path
            key = (kind, form.method, tuple(form.names))
            with lock:
                if key in seen or urlsplit(action).path in NOT_FORMS:
                    continue
                seen.add(key)
            if form.method == "get":
                # A filter: each value in every field at once.
                names = {n for n, _v in form.values} | set(form.options) | set(form.boxes)
                for value in values:
                    query = urlencode(dict.fromkeys(sorted(names), value))
                    response = browser.get(f"{urlsplit(action).path}?{query}")
                    check("GET", action, response, [value])
                    with lock:
                        counts["valeurs envoyées"] += len(names)
                continue
            for value in values:
                data = attack_values(form, text_fields, value)
                response = browser.post(action, data)
                check("POST", action, response, [value])
                with lock:
                    counts["valeurs envoyées"] += sum(1 for _n, v in data if v == value)
                if response.status_code == 302:
                    counts["formulaires acceptés"] += 1
                    # The form changed something: its version and token, read again.
                    fresh = browser.get(url)
                    forms_again, text_fields = parse_forms(fresh.text)
                    same = [f for f in forms_again if f.names == form.names]
                    if same:
                        form = same[0]
                    target = location(response)
                    if target and not off_site(target):
                        check("GET", target, browser.get(target), values)

    started = time.monotonic()
    with concurrent.futures.ThreadPoolExecutor(4) as pool:
        list(pool.map(lambda page: attack_page(*page), pages))

    # Open redirects: the login page and the workflow buttons take a « next ».
    for target in ("https://evil.example/", "//evil.example/", "/\\evil.example/", "https:evil"):
        browser = Browser(host)
        response = browser.log_in("valparisis", next_url=target)
        check("POST", "/connexion/?next=…", response, [])
        counts["redirections essayées"] += 1
        if not location(response):
            fail(f"connexion avec next={target} : pas de redirection ({response.status_code})")
    admin = browser_of("admin")
    for name in ("activity:quarter_submit", "activity:quarter_validate"):
        url = reverse(name, args=[world.niort.post.pk, YEAR, 3])
        response = admin.post(url, {"next": "https://evil.example/"})
        check("POST", url, response, [])
        counts["redirections essayées"] += 1

    # The values as printed: the forms above refuse most of them in the texts a PDF
    # prints (another field of the form is wrong), so they are written there directly,
    # as if typed and accepted; every PDF of the demo is then drawn.
    plant(world, values)
    for label, side, method in EXPECTED:
        if method == "GET" and "pdf" in label and EXPECTED[label, side, method]["admin"] == "200":
            url = build_url(world, label, side)
            response = admin.get(url)
            check("GET", url, response, [])
            counts["PDF rendus"] += 1
            if response.content.startswith(b"%PDF"):
                text = "".join(
                    page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages
                )
                # The payload printed as text: it reached the PDF, and was not obeyed.
                counts["PDF qui impriment les valeurs"] += "img-src.png" in text
    # And in every page an administrator reads.
    for column, url in pages:
        if column == "admin":
            response = admin.get(url)
            check("GET", url, response, values)
    counts["ressources demandées hors de static/"] = len(listener.hits)
    if listener.hits:
        fail(f"ressources demandées par le serveur : {sorted(set(listener.hits))}")
    print(
        f"  {counts['requêtes']} requêtes, {counts['valeurs envoyées']} valeurs malveillantes "
        f"envoyées ({len(values)} sortes) dans {len(seen)} formulaires et filtres, "
        f"{counts['formulaires acceptés']} formulaires acceptés, "
        f"{counts['PDF rendus']} PDF rendus (dont {counts['PDF qui impriment les valeurs']} "
        "qui impriment les valeurs comme du texte), "
        f"en {time.monotonic() - started:.0f} s"
    )
    print(
        f"  erreurs 500 : {counts['500']} ; valeurs renvoyées sans échappement : "
        f"{counts['reflets']} ; redirections hors du site : "
        f"{counts['redirections hors du site']} sur {counts['redirections essayées']} essais ; "
        f"ressources demandées hors de static/ : {len(listener.hits)}"
    )
    return dict(counts)
