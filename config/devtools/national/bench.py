"""The benchmark behind ``make bench``: every main page, export and PDF on the national dataset.

Each page is requested through Django's test client, as a user of the role
that uses it, on representative objects of the département with the most
posts: two warm-up requests, then ``runs`` timed ones (median and 95th
percentile), then one more to count the SQL queries. A trivial logged-in page
(the profile) is measured the same way, and every time is also given as a
ratio to it, which tells the page's own cost from the machine's speed; the
median CPU time of the process tells it from the load of a shared machine
(the database's own work is not in it).

One piece of some 550 lines: the list of measured pages (the bulk of it), the
objects they are measured on, and the timing loop that reads them.
"""

import datetime
import gc
import logging
import math
import resource
import statistics
import time
from dataclasses import dataclass

from django.core.cache import cache
from django.db import connection
from django.db.models import Count
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse
from django.utils import timezone

from activity.models import MonthlyRecord
from config.devtools.national.common import REFERENCE_PREFIX
from config.devtools.national.generator import MARKER_DOMAIN
from config.jobs.models import Rendering
from conventions.agreements.services import (
    ENTRY_SUMMARY_STEP,
    convention_create_from,
    convention_entry_reach,
)
from conventions.entry.views import STEPS
from conventions.enums import ConventionStatus, Force
from conventions.models import Amendment, Convention, Post
from partners.api_tokens import api_token_create
from partners.models import ApiToken, User
from partners.services import calendar_token_renew

BENCH_KEY_NAME = "Banc de mesure"
# p95 targets in seconds (issue 11).
ONE_POST = 0.1
DEPARTEMENT = 0.3
NATIONAL = 0.8
EXPORT = 1.0
CONVENTION_PDF = 1.0
BILAN_PDF = 2.0
# Issue #25: a page's p95 at most this many times the trivial page's, by what it is about.
SCALE_LIMITS = {"one": 20, "departement": 50, "national": 100}


@dataclass(frozen=True)
class Page:
    label: str
    role: str  # key of the user it is requested as
    url: str
    target: float | None
    # Computed afresh at every request: the steering reports are otherwise served from
    # the cache for ten minutes (config.steering.report), and the first reader waits; a PDF
    # is otherwise read from its stored layout (config.jobs.renderings), a calendar feed
    # or a history from the cache, under the version of the rows they are read from.
    cold: bool = False
    # What the page is about, for issue #25's limit on its p95 as a multiple of the
    # trivial page's: one convention, post or deliberation (20 ×), a département or a
    # list (50 ×), the country (100 ×); by default, from the target. None: no limit
    # (a computation measured cold, which the pages themselves never wait for).
    scope: str | None = ""

    @property
    def limit(self) -> int | None:
        scope = self.scope
        if scope == "":
            scope = {ONE_POST: "one", DEPARTEMENT: "departement", NATIONAL: "national"}.get(
                self.target
            )
        return SCALE_LIMITS.get(scope)


@dataclass
class Measure:
    page: Page
    median: float
    p95: float
    queries: int
    status: int
    cpu: float  # median CPU time of the process (Python; the database's own work excluded)

    def ratio(self, baseline: float) -> float:
        return self.median / baseline if baseline else math.nan

    def scale(self, baseline: "Measure") -> str:
        """The p95 as a multiple of the trivial page's, against the page's limit."""
        ratio = self.p95 / baseline.p95 if baseline.p95 else math.nan
        limit = self.page.limit
        if limit is None:
            return f"{ratio:.1f}"
        return f"{ratio:.1f} (≤ {limit} {'✓' if ratio <= limit else '✗'})"

    @property
    def within_target(self) -> bool | None:
        return None if self.page.target is None else self.p95 <= self.page.target


class DatasetMissing(Exception):
    pass


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile: the smallest value that ``share`` of the values do not exceed."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def pick_objects(today: datetime.date) -> dict:
    """The département with the most posts among those with users, and objects in it."""
    ddsp_users = User.objects.filter(
        username__startswith="ddsp.", email__endswith=f"@{MARKER_DOMAIN}"
    ).select_related("organisation")
    if not ddsp_users:
        raise DatasetMissing
    counts = dict(
        Post.objects.values_list("departement")
        .annotate(n=Count("pk"))
        .values_list("departement", "n")
    )
    ddsp_user = max(ddsp_users, key=lambda u: (counts.get(u.organisation.departement, 0), u.pk))
    departement = ddsp_user.organisation.departement
    code = departement.lower()
    users = {
        role: User.objects.get(username=f"{prefix}.{code}")
        for role, prefix in [
            ("local", "collectivite"),
            ("ddsp", "ddsp"),
            ("gendarmerie", "gendarmerie"),
            ("employer", "employeur"),
            ("worker", "intervenant"),
            ("partner", "prefecture"),
            ("pilotage", "pilotage"),
        ]
    }
    users["admin"] = User.objects.get(username="national.admin")
    users["national"] = User.objects.get(username="national.pilotage")
    for role in ("ddsp", "admin"):
        if not users[role].calendar_token:
            # The calendar is read by the agenda application, through its private address.
            calendar_token_renew(user=users[role])
    post = Post.objects.get(holders__user=users["worker"], holders__end__isnull=True)
    conventions = Convention.objects.filter(sections__post=post).for_detail().order_by("reference")
    convention = next(c for c in conventions if c.status(today) == ConventionStatus.IN_FORCE)
    deliberation = next(d for d in convention.deliberations.all() if not d.is_reference_only)
    amendment = (
        Amendment.objects.filter(convention__sections__post__departement=departement)
        .select_related("convention")
        .order_by("pk")
        .first()
    )
    # The framework convention of the département that covers the most posts, if the
    # dataset drew one (issue #18 item 3): its page, PDF and funding plan.
    framework = (
        Convention.objects.agreements()
        .filter(sections__post__departement=departement)
        .annotate(covered=Count("sections", distinct=True))
        .filter(covered__gt=1)
        .order_by("-covered", "reference")
        .first()
    )
    draft = entry_draft(convention, post, users["local"])
    # The last month entered this year, and its quarter: the entry pages with figures.
    last_record = (
        MonthlyRecord.objects.filter(report__post=post, report__year=today.year)
        .order_by("-month")
        .first()
    )
    month = last_record.month if last_record else 1
    # The secretariat that validates the measured post: its DDSP, or its groupement for a
    # brigade's post (the other one does not see it).
    secretariat = "ddsp" if post.sites.filter(force=Force.POLICE).exists() else "gendarmerie"
    return {
        "departement": departement,
        "secretariat": secretariat,
        "users": users,
        "post": post,
        "convention": convention,
        "deliberation": deliberation,
        "amendment": amendment,
        "framework": framework,
        "draft": draft,
        "month": month,
        "quarter": (month - 1) // 3 + 1,
    }


def entry_draft(source: Convention, post: Post, user: User) -> Convention:
    """A draft of the local authority being entered step by step, every step saved (its
    entry pages are measured), made once by the services as the « copier » page does; its
    reference has the dataset's prefix, so that ``delete_dataset`` removes it too."""
    reference = f"{REFERENCE_PREFIX}mesure-saisie"
    draft = Convention.objects.filter(reference=reference).first()
    if draft is None:
        draft, _unfilled = convention_create_from(
            source=source, reference=reference, title="", post=post, user=user
        )
    return convention_entry_reach(convention=draft, step=ENTRY_SUMMARY_STEP)


def pages(objects: dict, today: datetime.date) -> list[Page]:
    dep = objects["departement"]
    post, convention = objects["post"], objects["convention"]
    reference = convention.reference
    year, last_year = today.year, today.year - 1
    prefecture = objects["users"]["partner"].organisation
    result = [
        Page(
            "Tableau de bord — administration (national)", "admin", reverse("dashboard"), NATIONAL
        ),
        Page("Tableau de bord — collectivité", "local", reverse("dashboard"), ONE_POST),
        Page("Tableau de bord — secrétariat DDSP", "ddsp", reverse("dashboard"), DEPARTEMENT),
        Page(
            "Tableau de bord — coordination employeur",
            "employer",
            reverse("dashboard"),
            DEPARTEMENT,
        ),
        Page("Tableau de bord — intervenant social", "worker", reverse("dashboard"), ONE_POST),
        Page(
            "Tableau de bord — partenaire (préfecture)",
            "partner",
            reverse("dashboard"),
            DEPARTEMENT,
        ),
        Page(
            "Tableau de bord — pilotage départemental (préfecture)",
            "pilotage",
            reverse("dashboard"),
            DEPARTEMENT,
        ),
        Page("Tableau de bord — pilotage national", "national", reverse("dashboard"), NATIONAL),
        Page(
            "Liste des conventions (administration, 1re page)",
            "admin",
            reverse("conventions:list"),
            DEPARTEMENT,
        ),
        Page(
            "Liste des conventions en vigueur (administration, 1re page)",
            "admin",
            f"{reverse('conventions:list')}?status=in_force",
            DEPARTEMENT,
        ),
        Page(
            "Liste des conventions renouvelées (administration, 1re page)",
            "admin",
            f"{reverse('conventions:list')}?status=renewed",
            DEPARTEMENT,
        ),
        Page(
            "Liste des conventions expirées (administration, 1re page)",
            "admin",
            f"{reverse('conventions:list')}?status=expired",
            DEPARTEMENT,
        ),
        Page(
            "Liste des conventions (secrétariat DDSP)",
            "ddsp",
            reverse("conventions:list"),
            DEPARTEMENT,
        ),
        Page("Convention", "local", convention.get_absolute_url(), ONE_POST),
        Page("Poste", "local", post.get_absolute_url(), ONE_POST),
        Page(
            "Plan de financement",
            "local",
            reverse("conventions:funding_plan", args=[reference]),
            ONE_POST,
        ),
        Page(
            "Financements (administration, 1re page)",
            "admin",
            reverse("conventions:funding_overview"),
            DEPARTEMENT,
        ),
        Page(
            "Financements d'un partenaire (préfecture)",
            "admin",
            f"{reverse('conventions:partner_funding', args=[prefecture.pk])}?annee={year}",
            DEPARTEMENT,
        ),
        Page(
            "Financements d'un département",
            "admin",
            f"{reverse('conventions:departement_funding', args=[dep])}?annee={year}",
            DEPARTEMENT,
        ),
        Page("Délibération", "local", objects["deliberation"].get_absolute_url(), ONE_POST),
        Page(
            "Liste des délibérations (collectivité)",
            "local",
            reverse("conventions:deliberation_list"),
            ONE_POST,
        ),
        Page(
            "Liste des délibérations (administration, 1re page)",
            "admin",
            reverse("conventions:deliberation_list"),
            DEPARTEMENT,
        ),
        Page(
            "Saisie d'un trimestre",
            objects["secretariat"],
            reverse("activity:quarter_entry", args=[post.pk, year, objects["quarter"]]),
            ONE_POST,
        ),
        Page(
            "Saisie d'un mois (intervenant)",
            "worker",
            reverse("activity:month_entry", args=[post.pk, year, objects["month"]]),
            ONE_POST,
        ),
        Page(
            "Tableau de suivi (secrétariat DDSP)",
            "ddsp",
            reverse("activity:status_board"),
            DEPARTEMENT,
        ),
        Page(
            "Tableau de suivi (secrétariat du groupement de gendarmerie)",
            "gendarmerie",
            reverse("activity:status_board"),
            DEPARTEMENT,
        ),
        Page(
            "Statistiques (coordination employeur)",
            "employer",
            reverse("activity:home"),
            DEPARTEMENT,
        ),
        Page(
            "Bilan annuel d'un poste",
            objects["secretariat"],
            reverse("activity:bilan_post", args=[post.pk, last_year]),
            ONE_POST,
        ),
        Page(
            "Bilan annuel d'un département",
            "ddsp",
            reverse("activity:bilan_departement", args=[dep, last_year]),
            DEPARTEMENT,
        ),
        Page(
            "Bilan annuel national",
            "admin",
            reverse("activity:bilan_national", args=[last_year]),
            NATIONAL,
        ),
        Page("Pilotage national", "admin", reverse("steering:national"), NATIONAL),
        Page(
            "Pilotage national (pilotage national)",
            "national",
            reverse("steering:national"),
            NATIONAL,
        ),
        Page(
            "Bilan annuel national (pilotage national, trimestres validés)",
            "national",
            reverse("activity:bilan_national", args=[last_year]),
            NATIONAL,
        ),
        Page(
            "Pilotage — département",
            "admin",
            reverse("steering:departement", args=[dep]),
            DEPARTEMENT,
        ),
        # The first reader of the ten minutes: no target for the national one (about
        # three seconds, README « Performances »), the département's as for the page.
        Page(
            "Pilotage national (calculé, sans cache)",
            "admin",
            reverse("steering:national"),
            None,
            cold=True,
            scope=None,
        ),
        Page(
            "Pilotage — département (calculé, sans cache)",
            "admin",
            reverse("steering:departement", args=[dep]),
            DEPARTEMENT,
            cold=True,
            scope=None,
        ),
        Page(
            "Rapport annuel de pilotage national (PDF)",
            "admin",
            reverse("steering:national_pdf", args=[last_year]),
            BILAN_PDF,
            scope="national",
        ),
        Page(
            "Rapport annuel de pilotage national (XLSX)",
            "admin",
            reverse("steering:national_xlsx", args=[last_year]),
            EXPORT,
            scope="national",
        ),
        Page(
            "Rapport annuel de pilotage d'un département (PDF)",
            "admin",
            reverse("steering:departement_pdf", args=[dep, last_year]),
            BILAN_PDF,
            scope="departement",
        ),
        Page(
            "Rapport annuel de pilotage d'un département (XLSX)",
            "admin",
            reverse("steering:departement_xlsx", args=[dep, last_year]),
            EXPORT,
            scope="departement",
        ),
        Page("Partenaires (1re page)", "admin", reverse("partners:list"), DEPARTEMENT),
        Page("Partenaire (préfecture)", "admin", prefecture.get_absolute_url(), DEPARTEMENT),
        Page(
            "Export XLSX — bilan d'un département (année)",
            "ddsp",
            f"{reverse('activity:export_xlsx')}?annee={last_year}&departement={dep}",
            EXPORT,
            scope="departement",
        ),
        Page(
            "Export CSV — bilan d'un département (année)",
            "ddsp",
            f"{reverse('activity:export_csv')}?annee={last_year}&departement={dep}",
            EXPORT,
            scope="departement",
        ),
        Page(
            "Export XLSX — bilan d'un poste (année)",
            objects["secretariat"],
            f"{reverse('activity:export_xlsx')}?annee={last_year}&poste={post.pk}",
            EXPORT,
            scope="one",
        ),
        # The national bilan's file is made by a worker (config.jobs.runs): its page.
        Page("Mes imports et exports (administration)", "admin", reverse("runs:list"), NATIONAL),
        Page(
            "Export CSV — plan de financement",
            "local",
            reverse("conventions:funding_plan_csv", args=[reference]),
            EXPORT,
            scope="one",
        ),
        Page(
            "Export XLSX — plan de financement",
            "local",
            reverse("conventions:funding_plan_xlsx", args=[reference]),
            EXPORT,
            scope="one",
        ),
        Page(
            "Export CSV — versements",
            "local",
            reverse("conventions:payments_csv", args=[reference]),
            EXPORT,
            scope="one",
        ),
        Page(
            "Calendrier des échéances (secrétariat DDSP)",
            "anonymous",
            reverse("calendar_feed", args=[objects["users"]["ddsp"].calendar_token]),
            EXPORT,
            scope="departement",
        ),
        # Every convention of the country (issue #25: under 0.5 s), as calendar clients
        # get it (kept under the version of the tracked rows), then computed afresh, as
        # the first request after a change of a convention or a partner.
        Page(
            "Calendrier des échéances (administration, national)",
            "anonymous",
            reverse("calendar_feed", args=[objects["users"]["admin"].calendar_token]),
            0.5,
            scope="national",
        ),
        Page(
            "Calendrier des échéances (administration, national, calculé après un changement)",
            "anonymous",
            reverse("calendar_feed", args=[objects["users"]["admin"].calendar_token]),
            None,
            cold=True,
            scope=None,
        ),
        Page(
            "PDF — convention",
            "local",
            reverse("conventions:convention_pdf", args=[reference]),
            CONVENTION_PDF,
            scope="one",
        ),
        Page(
            "PDF — convention (première mise en page)",
            "local",
            reverse("conventions:convention_pdf", args=[reference]),
            CONVENTION_PDF,
            cold=True,
            scope=None,
        ),
        Page(
            "PDF — bilan annuel d'un poste (graphiques)",
            objects["secretariat"],
            reverse("activity:bilan_pdf", args=[post.pk, last_year]),
            BILAN_PDF,
            scope="one",
        ),
        Page(
            "PDF — bilan annuel d'un poste (première mise en page)",
            objects["secretariat"],
            reverse("activity:bilan_pdf", args=[post.pk, last_year]),
            BILAN_PDF,
            cold=True,
            scope=None,
        ),
    ]
    draft = objects["draft"].reference
    result += [
        Page(
            "Tableau de bord — secrétariat du groupement de gendarmerie",
            "gendarmerie",
            reverse("dashboard"),
            DEPARTEMENT,
        ),
        Page(
            "Postes (administration, 1re page)",
            "admin",
            reverse("conventions:post_list"),
            DEPARTEMENT,
        ),
        Page("Postes (secrétariat DDSP)", "ddsp", reverse("conventions:post_list"), DEPARTEMENT),
        Page(
            "Conseils délibérants (collectivité)",
            "local",
            reverse("conventions:council_list"),
            ONE_POST,
        ),
        Page(
            "Conseils délibérants (administration, 1re page)",
            "admin",
            reverse("conventions:council_list"),
            DEPARTEMENT,
        ),
        *(
            Page(
                f"Saisie d'une convention — étape {step.number} ({step.title})",
                "local",
                reverse("conventions:entry_step", args=[draft, step.slug]),
                ONE_POST,
            )
            for step in STEPS
        ),
        Page(
            "Saisie d'une convention — récapitulatif",
            "local",
            reverse("conventions:entry_summary", args=[draft]),
            ONE_POST,
        ),
        Page(
            "Import de postes (dépôt du fichier)",
            "admin",
            reverse("conventions:posts_import"),
            ONE_POST,
        ),
        Page(
            "Équipe d'une collectivité (administration)",
            "admin",
            reverse("partners:team", args=[objects["users"]["local"].organisation.pk]),
            DEPARTEMENT,
        ),
    ]
    result += api_pages(objects, today)
    if objects["framework"] is not None:
        framework = objects["framework"].reference
        result += [
            Page(
                "Convention-cadre départementale",
                "ddsp",
                reverse("conventions:detail", args=[framework]),
                DEPARTEMENT,
            ),
            Page(
                "Plan de financement d'une convention-cadre",
                "ddsp",
                reverse("conventions:funding_plan", args=[framework]),
                DEPARTEMENT,
            ),
            Page(
                "PDF — convention-cadre départementale",
                "ddsp",
                reverse("conventions:convention_pdf", args=[framework]),
                CONVENTION_PDF,
                scope="departement",
            ),
        ]
    if objects["amendment"] is not None:
        amendment = objects["amendment"]
        result.append(
            Page(
                "PDF — avenant",
                "admin",
                reverse(
                    "conventions:amendment_pdf",
                    args=[amendment.convention.reference, amendment.number],
                ),
                CONVENTION_PDF,
                scope="one",
            )
        )
    return result


def api_pages(objects: dict, today: datetime.date) -> list[Page]:
    """The API's main endpoints (config.api), each with a key of its role ("api-…")."""
    departement, year = objects["departement"], today.year
    post, convention = objects["post"], objects["convention"].reference
    return [
        Page(
            "API — conventions (administration, 1re page)",
            "api-admin",
            "/api/v1/conventions/",
            DEPARTEMENT,
        ),
        Page(
            "API — conventions d'un département",
            "api-admin",
            f"/api/v1/conventions/?departement={departement}",
            DEPARTEMENT,
        ),
        Page(
            "API — une convention (collectivité)",
            "api-local",
            f"/api/v1/conventions/{convention}/",
            ONE_POST,
        ),
        Page(
            "API — postes d'un département",
            "api-admin",
            f"/api/v1/postes/?departement={departement}",
            DEPARTEMENT,
        ),
        Page(
            "API — délibérations (collectivité)", "api-local", "/api/v1/deliberations/", DEPARTEMENT
        ),
        Page(
            "API — trimestres d'un département (année)",
            "api-admin",
            f"/api/v1/statistiques/?departement={departement}&annee={year}",
            DEPARTEMENT,
        ),
        Page(
            "API — un trimestre (employeur)",
            "api-employer",
            f"/api/v1/postes/{post.pk}/trimestres/{year}/{objects['quarter']}/",
            ONE_POST,
        ),
        Page(
            "API — financements d'un département (année)",
            "api-admin",
            f"/api/v1/financements/?departement={departement}&annee={year}",
            NATIONAL,
        ),
        Page("API — versements (collectivité)", "api-local", "/api/v1/versements/", DEPARTEMENT),
        Page(
            "API — bilan d'un département (année)",
            "api-admin",
            f"/api/v1/bilans/departements/{departement}/{year}/",
            DEPARTEMENT,
        ),
        Page(
            "API — bilan national (pilotage national)",
            "api-national",
            f"/api/v1/bilans/national/{year}/",
            NATIONAL,
        ),
    ]


def api_clients(users: dict) -> dict[str, Client]:
    """A client per role that sends a key of its user (revoked by ``run_bench`` at the
    end). ``make bench`` lifts the per-key limits (API_READ_RATE): 22 calls a page."""
    clients = {}
    for role in ("admin", "local", "employer", "national"):
        key = api_token_create(user=users[role], name=BENCH_KEY_NAME, lifetime_days=30).key
        clients[f"api-{role}"] = Client(
            raise_request_exception=True, headers={"Authorization": f"Bearer {key}"}
        )
    return clients


def forget_renderings() -> None:
    for rendering in Rendering.objects.all():
        rendering.file.delete(save=False)
        rendering.delete()


def measure(client: Client, page: Page, runs: int, warmup: int = 2) -> Measure:
    for _ in range(warmup):
        response = client.get(page.url)
    durations, cpu = [], []
    for _ in range(runs):
        if page.cold:
            cache.clear()
            forget_renderings()
        started, cpu_started = time.perf_counter(), time.process_time()
        response = client.get(page.url)
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)
        durations.append(time.perf_counter() - started)
        cpu.append(time.process_time() - cpu_started)
    if page.cold:
        cache.clear()
        forget_renderings()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(page.url)
    return Measure(
        page,
        statistics.median(durations),
        percentile(durations, 0.95),
        len(queries),
        response.status_code,
        statistics.median(cpu),
    )


# Served as in production, except the static manifest that only collectstatic writes.
BENCH_SETTINGS = {
    "ALLOWED_HOSTS": ["testserver"],
    "SECURE_SSL_REDIRECT": False,
    "STORAGES": {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    },
}


def run_bench(*, runs: int = 20, today: datetime.date | None = None, log=None, only: str = ""):
    """Measure every page (those whose label holds ``only``, when given): (the objects
    measured, the baseline, the measures, peak MB)."""
    today = today or timezone.localdate()
    log = log or (lambda message: None)
    # As config/wsgi.py does once the application is loaded.
    gc.freeze()
    # One access-log line per request (config.observability) would bury the results.
    logging.getLogger("iscg.requests").setLevel(logging.WARNING)
    with override_settings(**BENCH_SETTINGS):
        objects = pick_objects(today)
        clients = {"anonymous": Client(raise_request_exception=True)}
        for role, user in objects["users"].items():
            clients[role] = Client(raise_request_exception=True)
            clients[role].force_login(user)
        clients.update(api_clients(objects["users"]))
        baseline = measure(
            clients["admin"],
            Page("Page triviale (profil)", "admin", reverse("profile"), None),
            runs,
        )
        measures = []
        for page in pages(objects, today):
            if only.lower() not in page.label.lower():
                continue
            result = measure(clients[page.role], page, runs)
            # The process's peak so far: the page that raises it is the one to look at.
            peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            log(f"  {page.label} : {result.median * 1000:.0f} ms (pic {peak:.0f} Mo)")
            measures.append(result)
    ApiToken.objects.filter(name=BENCH_KEY_NAME).delete()
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return objects, baseline, measures, peak_mb


def table(baseline: Measure, measures: list[Measure]) -> list[str]:
    """A Markdown table, for the terminal and for the README."""
    lines = [
        "| page | médiane | p95 | CPU (médiane) | requêtes SQL | × page triviale "
        "| p95 ÷ p95 triviale (limite #25) | objectif p95 |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for measure_ in [baseline, *measures]:
        page = measure_.page
        if page.target is None:
            target = "—"
        else:
            target = f"{page.target * 1000:.0f} ms {'✓' if measure_.within_target else '✗ DÉPASSÉ'}"
        status = "" if measure_.status == 200 else f" (HTTP {measure_.status})"
        lines.append(
            f"| {page.label}{status} | {measure_.median * 1000:.0f} ms | "
            f"{measure_.p95 * 1000:.0f} ms | {measure_.cpu * 1000:.0f} ms | {measure_.queries} | "
            f"{measure_.ratio(baseline.median):.1f} | {measure_.scale(baseline)} | {target} |"
        )
    return lines
