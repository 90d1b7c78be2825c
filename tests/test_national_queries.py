"""Every page of the benchmark runs as many queries on a small as on a larger national dataset."""

import datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.db.models import Q
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from activity.models import QuarterReport
from config.devtools.national import delete_dataset, generate
from config.devtools.national.bench import api_clients, pages, percentile, pick_objects
from conventions.entry.views import STEPS
from conventions.enums import ConventionStatus
from conventions.lifecycle.overdue import passed_deadline
from conventions.models import Convention, Post

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 22)


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: TODAY)


# The pages whose query count no other test pins. Each begins with the session, the user
# and a savepoint (ATOMIC_REQUESTS), then for a user with a role their organisation (the
# scope), and ends with the savepoint's release. Framework conventions (issue #18 item 3):
# a convention's posts are its sections, one more query (the sections with their posts)
# where the post was joined, and one for the posts' sites where the list's reads are used.
START, ROLE = 3, 1
# Every dashboard begins with the « dépassé » alerts (conventions.dashboard
# passed_deadline_alerts): the durations in use, the conventions whose notice may have
# passed and that nothing follows, their parties, renewals and amendments.
ALERTS = 5
# Where a post's quarters are scheduled (activity.governing): its conventions' sections with
# the amendments adding or removing them, whether each covers the post on a day (issue #18).
SECTIONS = 1
PINNED = {
    # Quarters to validate and late (the durations in use, posts, holders, sites (whose
    # authority validates), the conventions that may govern the last four quarters,
    # parties, renewals, amendments, reporting rules, quarter reports: 10), then bilans due
    # and review meetings: conventions with posts, parties, organisations, renewals,
    # amendments, reporting rules, renewing conventions and their parties, linked
    # deliberations (9).
    # And the quarters' validations by authority (a mixed post's).
    # And the conventions' sections, whether each covers its post in the quarter (SECTIONS).
    "Tableau de bord — secrétariat DDSP": START + ROLE + ALERTS + 10 + 11 + 1 + 1 + SECTIONS,
    # Conventions and their events (9, amendments included), what is due: contributions,
    # sums paid, post costs (3, and the amended amounts and withdrawn parties, left out
    # above), quarters to send (9).
    # And the quarters' validations by authority.
    # And the yearly shares of the État's « part du coût par année » in the small dataset's
    # framework convention (issue #18).
    "Tableau de bord — coordination employeur": START
    + 1
    + ROLE
    + ALERTS
    + 11
    + 3
    + 9
    + 1
    + 1
    + SECTIONS,
    # This and last month: the posts in scope, the months' records with their counts, the
    # grid sizes (3); the quarters to send (9, the conventions' amendments included).
    # And the quarters' validations by authority.
    "Tableau de bord — intervenant social": START + ROLE + ALERTS + 3 + 9 + 1 + 1 + SECTIONS,
    # The conventions the préfecture is party to (9, amendments included), the posts in
    # scope and their latest validated quarters (2).
    # And last year's annual bilans (listed only validated and with figures).
    "Tableau de bord — partenaire (préfecture)": START + ROLE + ALERTS + 11 + 2 + 1 + 1,
    # Conventions with their posts, parties, renewals, amendments, contributions, their
    # yearly shares, payments, post costs, amounts decided by their deliberations.
    "Financements d'un département": START + 10 + 1,
    # The post, its holders and its sites, the quarter with its grid version, the grid's
    # groups and indicators, the month's values, the post's conventions with parties,
    # renewals, amendments and reporting rules (the due date), the quarter's history
    # (reopenings), which of its 3 change-history tables hold records (the dataset writes
    # none).
    # And the quarter's validations by authority.
    "Saisie d'un mois (intervenant)": START + ROLE + 3 + 1 + 2 + 1 + 5 + 1 + 1 + 1 + 1 + SECTIONS,
    # The posts in scope and their holders.
    "Statistiques (coordination employeur)": START + ROLE + 2 + 1,
    # The year's quarters, every grid version with groups and indicators, the sums of both
    # years, the number of posts.
    "Bilan annuel national": START + 1 + 3 + 1 + 1 + 1,
    # The count of the administrator's runs (none in the datasets: no page to read).
    "Mes imports et exports (administration)": START + 1 + 1,
    # Whether a post of the département is in scope, whether the secretariat is the
    # authority of every one (it reads their unvalidated figures), then as the national
    # bilan.
    "Export XLSX — bilan d'un département (année)": START + ROLE + 2 + 1 + 3 + 1 + 1 + 1,
    "Export CSV — bilan d'un département (année)": START + ROLE + 2 + 1 + 3 + 1 + 1 + 1,
    # The post, its holders and its sites, the quarters, grid versions, groups,
    # indicators, the sums, the annual bilan.
    "Export XLSX — bilan d'un poste (année)": START + ROLE + 3 + 1 + 3 + 1 + 1 + 1,
    # The same, then the post's conventions with parties, renewals, amendments and
    # reporting rules (the convention that governs the year and its recipients), and the
    # stored layout of the same content (config.jobs.renderings).
    "PDF — bilan annuel d'un poste (graphiques)": START
    + ROLE
    + 3
    + 1
    + 3
    + 1
    + 1
    + 5
    + 1
    + SECTIONS
    + 1,
    # The convention with its post, parties, renewals, amendments, contributions, their
    # yearly shares, payments, post costs, amounts decided by its deliberations.
    "Export CSV — plan de financement": START + ROLE + 10 + 1,
    "Export XLSX — plan de financement": START + ROLE + 10 + 1,
    "Export CSV — versements": START + ROLE + 10 + 1,
    # No session: the savepoint, the user by the address's token, the version of the
    # tracked rows the feed is kept under, their organisation, the durations in use, the
    # ids of the conventions that may have events in the window, then (a batch of 150)
    # those conventions with their posts, parties,
    # organisations, renewals, amendments, reporting rules, renewing conventions and their
    # parties, linked deliberations; for the payment due dates, their contributions, their
    # yearly shares, payments, post costs and the amounts their deliberations decided.
    "Calendrier des échéances (secrétariat DDSP)": 1 + 1 + 1 + ROLE + 1 + 1 + 11 + 1 + 5,
}


# The pages added since the benchmark was written (issue #18): measured on both datasets,
# so that the comparison below covers them. The framework convention's pages are measured
# only where the dataset drew a framework convention.
NEW_PAGES = {
    "Tableau de bord — secrétariat du groupement de gendarmerie",
    "Postes (administration, 1re page)",
    "Postes (secrétariat DDSP)",
    "Conseils délibérants (collectivité)",
    "Conseils délibérants (administration, 1re page)",
    *(f"Saisie d'une convention — étape {step.number} ({step.title})" for step in STEPS),
    "Saisie d'une convention — récapitulatif",
    "Import de postes (dépôt du fichier)",
    "Équipe d'une collectivité (administration)",
    "Pilotage national",
    "Pilotage — département",
}


ONLY_UNDER_AMENDMENTS = (
    'SELECT "conventions_contributionchange".',
    'SELECT "conventions_partychange".',
)
# The contributions that the amendments add (none in the dataset, so no query for
# their organisations).
NEW_CONTRIBUTIONS = '"conventions_contribution"."introduced_by_id" IN ('


# Read only when there is something to read, one query whatever the number of rows: the
# yearly shares of a « part du coût par année » (the framework conventions' État share,
# drawn in some départements only), and the other sessions of a deliberation's council
# (the dataset draws whether it held any).
ONLY_WHEN_DRAWN = (
    'SELECT "conventions_contributionyearshare".',
    'SELECT DISTINCT "conventions_deliberation"."session_date"',
)


def only_under_amendments(sql: str) -> bool:
    return sql.startswith(ONLY_UNDER_AMENDMENTS) or NEW_CONTRIBUTIONS in sql


def drawn_out(queries: list[str]) -> list[str]:
    return [sql for sql in queries if not sql.startswith(ONLY_WHEN_DRAWN)]


def notice_passed(convention):
    """``convention``'s notice deadline has passed and nothing follows it, so that it has a
    « dépassé » alert on every dashboard that sees it: otherwise the alert's prefetches run
    on one dataset and not on the other. The dataset draws the next convention of each
    post in advance: cancel it; and move the notice so that its deadline has passed."""
    Convention.objects.agreements().filter(
        Q(renews=convention) | Q(posts__in=convention.posts.all(), pk__gt=convention.pk)
    ).update(cancelled_at=timezone.now(), cancellation_reason="Jeu de mesure : sans suite.")
    end = convention.current_period(TODAY).end
    months = (end.year - TODAY.year) * 12 + end.month - TODAY.month + 1
    Convention.objects.filter(pk=convention.pk).update(notice_months=max(months, 1))
    convention.refresh_from_db()
    assert passed_deadline(convention, today=TODAY) is not None


def with_passed_notices(objects):
    """The measured convention, and one the DDSP sees (the measured post may be a
    brigade's), each with a « dépassé » alert."""
    notice_passed(objects["convention"])
    ddsp_posts = Post.objects.supervised_by(objects["users"]["ddsp"].organisation)
    in_force = [
        c
        for c in Convention.objects.agreements().filter(posts__in=ddsp_posts).order_by("pk")
        if c.status(TODAY) == ConventionStatus.IN_FORCE
    ]
    notice_passed(min(in_force, key=lambda c: c.current_period(TODAY).end))


def page_queries(*, posts, years):
    """{page label: the SQL of its second request, with nothing kept in the cache} on a
    freshly generated dataset."""
    generate(posts=posts, years=years, seed=3, today=TODAY)
    # Every home-page section has something to show in both datasets (an empty list skips
    # its prefetches): one post has not sent the third quarter, ended on 30 September.
    QuarterReport.objects.filter(
        pk__in=QuarterReport.objects.filter(year=2026, quarter=3).order_by("pk").values("pk")[:1]
    ).delete()
    objects = pick_objects(TODAY)
    with_passed_notices(objects)
    # The API's endpoints with a key of their role, as the benchmark sends them.
    clients, result = api_clients(objects["users"]), {}
    for page in pages(objects, TODAY):
        if page.role not in clients:
            clients[page.role] = Client(raise_request_exception=True)
            if page.role in objects["users"]:
                clients[page.role].force_login(objects["users"][page.role])
        client = clients[page.role]
        assert client.get(page.url).status_code == 200, page.label
        # What the page computes, not what it keeps (a calendar feed, a history): the
        # queries of the computation are those that could grow with the dataset.
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            client.get(page.url)
        result[page.label] = [
            q["sql"]
            for q in queries.captured_queries
            # Prefetched only when the page shows an amendment (the dataset draws them at
            # random): one query whatever their number.
            if not only_under_amendments(q["sql"])
        ]
    delete_dataset()
    return result


def test_every_page_runs_the_same_queries_on_a_small_and_a_larger_national_dataset():
    small = page_queries(posts=3, years=4)
    larger = page_queries(posts=20, years=7)
    # An amendment is drawn at random: its PDF is measured only where there is one.
    labels = small.keys() & larger.keys()
    assert len(labels) >= 35
    assert labels >= NEW_PAGES
    differ = {
        label: (len(small[label]), len(larger[label]))
        for label in labels
        if len(drawn_out(small[label])) != len(drawn_out(larger[label]))
    }
    assert differ == {}
    assert {label: len(small[label]) for label in PINNED} == PINNED


def test_the_95th_percentile_is_the_nearest_rank():
    durations = [float(n) for n in range(1, 21)]  # 20 requests
    assert percentile(durations, 0.95) == 19.0
    assert percentile(list(reversed(durations)), 0.5) == 10.0
