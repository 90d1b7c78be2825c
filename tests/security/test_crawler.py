"""A crawler logs in as each demo role, follows every link of the site, sends
every GET form (the filters) with odd values, and sends the query parameters of
the links it follows with the same odd values: no answer may be a server error,
and no page links to an uploaded file other than through its checked view.

The crawl is bounded: each page *kind* (its path with numbers replaced and the
names of its query parameters) is visited a few times, at most MAX_PAGES pages
per role; downloads (PDF, CSV, XLSX, ICS) are fetched a couple of times per
kind across all roles, since drawing the same PDF for every role tests nothing
more (who may download what is the access matrix's business).
"""

import re
from collections import Counter
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit

import pytest
from django.conf import settings
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone

from conventions.models import Deliberation, DeliberationPublication
from tests.security.conftest import ROLES

# Every page for every role, minutes long; the same ORM queries whatever the database:
# CI runs it once, on PostgreSQL (.ci/run).
pytestmark = [pytest.mark.django_db, pytest.mark.whole_site]

MAX_PAGES = 400
VISITS_PER_KIND = 3
# The admin's sorting and filter links give one page countless addresses: each
# admin page (whatever its query) is visited once.
ADMIN_VISITS_PER_KIND = 1
DOWNLOADS_PER_KIND = 2

ODD_VALUES = [
    "x" * 5000,
    "<script>alert('iscg')</script>",
    "'; DROP TABLE conventions_convention; --",
    "-1",
    "0",
    "99999999999",
    "9" * 25,
    "²",
    "2026-13-45",
    "Ünïcödé 🚓 ه 中文",
    "nul\x00byte",
    " ",
]

DOWNLOADS = {
    "conventions:convention_pdf",
    "conventions:amendment_pdf",
    "conventions:convention_editable",
    "conventions:amendment_editable",
    "conventions:deliberation_editable",
    "conventions:scan",
    "conventions:scan_version",
    "conventions:payment_proof",
    "conventions:payment_proof_version",
    "conventions:funding_plan_csv",
    "conventions:funding_plan_xlsx",
    "conventions:payments_csv",
    "activity:bilan_pdf",
    "activity:export_xlsx",
    "activity:export_csv",
    "calendar_feed",
    "public:deliberation_pdf",
    "public:deliberations_csv",
    "public:subsidies_csv",
}

# Links a crawler must not follow: leaving the session, or a redirect out of the site.
SKIPPED_PATHS = ("/deconnexion/", "/admin/logout/", "/static/")


class PageParser(HTMLParser):
    """The links and the GET forms of a page."""

    def __init__(self):
        super().__init__()
        self.links, self.forms = [], []
        self._form = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        elif tag == "form":
            is_get = (attrs.get("method") or "get").lower() == "get"
            self._form = {"action": attrs.get("action") or "", "fields": []} if is_get else None
        elif (
            self._form is not None
            and tag in ("input", "select", "textarea")
            and attrs.get("name")
            and attrs.get("type") not in ("submit", "button", "reset")
        ):
            self._form["fields"].append(attrs["name"])

    def handle_endtag(self, tag):
        if tag == "form" and self._form is not None:
            self.forms.append(self._form)
            self._form = None


def kind(url: str) -> str:
    parts = urlsplit(url)
    path = re.sub(r"\d+", "N", parts.path)
    if path.startswith("/admin/"):
        return path
    names = sorted({name for name, _value in parse_qsl(parts.query, keep_blank_values=True)})
    return path + "?" + "&".join(names)


def url_name(url: str) -> str | None:
    try:
        return resolve(urlsplit(url).path).view_name
    except Resolver404:
        return None


def same_site(base: str, href: str) -> str | None:
    if href.startswith(("mailto:", "tel:", "javascript:", "#")):
        return None
    url = urljoin(base, href)
    parts = urlsplit(url)
    if parts.netloc not in ("", "testserver") or parts.path.startswith(SKIPPED_PATHS):
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


class Crawl:
    def __init__(self, client, downloads: Counter):
        self.client = client
        self.downloads = downloads
        self.kinds = Counter()
        self.seen, self.forms_sent, self.queries_sent = set(), set(), set()
        self.errors, self.pages = [], 0

    def fetch(self, url):
        try:
            response = self.client.get(url)
        except Exception as error:  # noqa: BLE001 (an exception here is the finding)
            self.errors.append(f"{url}: {type(error).__name__}: {error}"[:300])
            return None
        if response.status_code >= 500:
            self.errors.append(f"{url}: {response.status_code}")
        elif b"You're seeing this error because you have" in getattr(response, "content", b""):
            self.errors.append(f"{url}: Django's debug page")
        return response

    def should_visit(self, url) -> bool:
        if url in self.seen or self.pages >= MAX_PAGES:
            return False
        name = url_name(url)
        if name in DOWNLOADS:
            if self.downloads[name] >= DOWNLOADS_PER_KIND:
                return False
            self.downloads[name] += 1
        elif self.kinds[kind(url)] >= (
            ADMIN_VISITS_PER_KIND if url.startswith("/admin/") else VISITS_PER_KIND
        ):
            return False
        self.kinds[kind(url)] += 1
        return True

    def run(self, start="/"):
        queue = [start]
        while queue:
            url = queue.pop(0)
            if not self.should_visit(url):
                continue
            self.seen.add(url)
            self.pages += 1
            response = self.fetch(url)
            self.send_odd_parameters(url)
            if response is None or response.status_code != 200:
                continue
            if not response.get("Content-Type", "").startswith("text/html"):
                continue
            parser = PageParser()
            parser.feed(response.content.decode())
            links = [link for href in parser.links if (link := same_site(url, href))]
            # Uploaded files are served only by the views that check access.
            self.errors += [
                f"{url} links to {link}, which is never served"
                for link in links
                if link.startswith(settings.MEDIA_URL)
            ]
            queue += links
            for form in parser.forms:
                self.send_odd_values(url, form)

    def send_odd_parameters(self, url):
        """A link's parameters (?conseil=3, ?annee=2025) with odd values, once per kind."""
        parts = urlsplit(url)
        names = [name for name, _value in parse_qsl(parts.query, keep_blank_values=True)]
        if not names or kind(url) in self.queries_sent or url_name(url) in DOWNLOADS:
            return
        self.queries_sent.add(kind(url))
        for value in ODD_VALUES:
            self.fetch(f"{parts.path}?{urlencode([(name, value) for name in names])}")

    def send_odd_values(self, page, form):
        action = urlsplit(same_site(page, form["action"]) or page).path
        # The same filter form comes back on every page of its list (and in the admin
        # with the current filters as hidden fields): once per address is enough.
        if action in self.forms_sent or not form["fields"]:
            return
        self.forms_sent.add(action)
        for value in ODD_VALUES:
            self.fetch(f"{action}?{urlencode([(field, value) for field in form['fields']])}")


@pytest.fixture(scope="module")
def downloads():
    return Counter()


@pytest.mark.parametrize("username", ROLES)
def test_crawling_the_site_with_odd_filter_values_meets_no_server_error(
    client, demo, downloads, username
):
    client.force_login(demo.users[username])
    crawl = Crawl(client, downloads)
    crawl.run()
    assert crawl.pages > 10, "the crawl did not get past the first pages"
    assert not crawl.errors, "\n".join(crawl.errors)


class RecordingCrawl(Crawl):
    """The crawl, keeping each answer: what an anonymous visitor can reach."""

    def __init__(self, client, downloads: Counter):
        super().__init__(client, downloads)
        self.answers = {}

    def fetch(self, url):
        response = super().fetch(url)
        if response is not None:
            self.answers[url] = response
        return response


# What an anonymous visitor may open: the public pages and files, the pages a public
# service publishes, and the login pages.
PUBLIC_PAGES = {
    "public:organisation_deliberations",
    "public:deliberation_pdf",
    "public:deliberations_csv",
    "public:subsidies_csv",
    "login",
    "password_reset",
    "accessibility",
    "legal_notice",
    "personal_data",
    "help",
}


def test_an_anonymous_crawler_of_the_public_pages_finds_only_published_deliberations(client, demo):
    niort = demo.niort.organisation
    published = demo.niort.deliberation
    # A draft (no vote yet) and one whose publication was withdrawn, of the same council.
    withdrawn, draft = (
        Deliberation.objects.create(
            council=demo.niort.council,
            organisation=niort,
            body=demo.niort.council.body,
            number=number,
            session_date=published.session_date,
            object="Délibération que le public ne doit pas lire",
        )
        for number in ("CRAWL-RETIREE", "CRAWL-BROUILLON")
    )
    now = timezone.now()
    online = DeliberationPublication.objects.create(
        deliberation=published, published_at=now, pdf=b"%PDF-1.4 published"
    )
    taken_down = DeliberationPublication.objects.create(
        deliberation=withdrawn,
        published_at=now,
        pdf=b"%PDF-1.4 withdrawn",
        withdrawn_at=now,
        withdrawal_reason="Publiée par erreur.",
    )
    crawl = RecordingCrawl(client, Counter())
    crawl.run(start=reverse("public:organisation_deliberations", args=[niort.pk]))

    assert not crawl.errors, "\n".join(crawl.errors)
    opened = {url: r for url, r in crawl.answers.items() if r.status_code == 200}
    assert online.get_absolute_url() in opened
    beyond = sorted(url for url in opened if url_name(url) not in PUBLIC_PAGES)
    assert not beyond, f"an anonymous visitor reached: {beyond}"
    pdfs = {
        url for url, r in opened.items() if r.get("Content-Type", "").startswith("application/pdf")
    }
    assert pdfs == {online.get_absolute_url()}
    text = "\n".join(
        r.content.decode()
        for r in opened.values()
        if r.get("Content-Type", "").startswith(("text/html", "text/csv"))
    )
    assert f">{published.number}<" in text
    assert "CRAWL-" not in text and "le public ne doit pas lire" not in text
    assert taken_down.get_absolute_url() not in crawl.answers
