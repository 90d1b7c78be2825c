"""Generate a national dataset: every ISCG post of France with years of history.

Everything is drawn from one ``random.Random(seed)`` in a fixed order, so that
the same seed and the same day give the same rows. Rows are written with
``bulk_create`` in batches (the monthly values, millions of rows, with COPY on
PostgreSQL and ``executemany`` elsewhere): the national dataset of 450 posts
over ten years is written in a few minutes.

What it holds, for each of the 101 départements: the préfecture, the DDSP, the
gendarmerie group, the conseil départemental, the parquet and an association
for victim support; for each post: its host commune or EPCI, its employer, its
holders; a convention every three years (the next one renews the previous one)
with parties, visas, articles, reporting rules, follow-up committee, the
council deliberation that approved it (roster, attendance, proxies, vote),
contributions, post costs and payments; the monthly statistics of every past
month, which respect the grid version in force and its partitions; quarters
locked for past years and a mix of states in the current one; users of every
role in the five départements with the most posts.

Generated organisations of the État and the départements carry the mention
"(jeu national)" and every generated e-mail address ends in
``@jeu-national.invalid``, so that the dataset lives beside the demo data and
``delete_dataset`` finds it again. Towns and people are invented.
"""

import datetime
import random
import time

from django.db import connection, transaction
from django.test.utils import override_settings
from django.utils import timezone

from activity.models import (
    AnnualReport,
    MonthlyRecord,
    MonthlyValue,
    QuarterEvent,
    QuarterReport,
)
from config.devtools.national.agreements import ConventionsMixin
from config.devtools.national.common import (
    BATCH,
    MARKER_DOMAIN,
    REFERENCE_PREFIX,
    ConventionPlan,
    DatasetSummary,
    Departement,
    PostPlan,
)
from config.devtools.national.deliberations import DeliberationsMixin
from config.devtools.national.funding import FundingMixin
from config.devtools.national.organisations import OrganisationsMixin
from config.devtools.national.places import FIRST_NAMES, LAST_NAMES
from config.devtools.national.statistics import StatisticsMixin
from conventions.models import (
    Amendment,
    ArticleChange,
    Attendance,
    Contribution,
    Convention,
    Council,
    CouncilMember,
    Deliberation,
    Payment,
    Post,
    PostCost,
    PostHolder,
)
from partners.models import Organisation, Representative, User


def dataset_present() -> bool:
    return Convention.objects.filter(reference__startswith=REFERENCE_PREFIX).exists()


class Generator(
    OrganisationsMixin, ConventionsMixin, DeliberationsMixin, FundingMixin, StatisticsMixin
):
    def __init__(self, *, posts: int, years: int, seed: int, today: datetime.date, log=None):
        self.rng = random.Random(seed)  # noqa: S311 (generated figures, not secrets)
        self.total_posts = posts
        self.today = today
        self.last_year = today.year
        self.first_year = today.year - years + 1
        self.log = log or (lambda message: None)
        self.summary = DatasetSummary()
        self.organisations: list[Organisation] = []
        self.departements: list[Departement] = []
        self.plans: list[PostPlan] = []
        self.convention_plans: list[ConventionPlan] = []
        self.councils: dict[tuple[int, int], Council] = {}
        self.council_members: dict[int, list[CouncilMember]] = {}
        self.numbers: dict[tuple[int, int], int] = {}
        self.users: dict[tuple[str, str], User] = {}
        self._step_started = time.perf_counter()

    # Helpers -------------------------------------------------------------------

    def step(self, name: str):
        now = time.perf_counter()
        self.summary.timings.append((name, now - self._step_started))
        self.log(f"  {name} : {now - self._step_started:.1f} s")
        self._step_started = now

    def count(self, model, number: int, label: str = ""):
        label = label or str(model._meta.verbose_name_plural)
        self.summary.counts[label] = self.summary.counts.get(label, 0) + number

    def bulk(self, model, objects, label: str = ""):
        objects = list(objects)
        model.objects.bulk_create(objects, batch_size=BATCH)
        self.count(model, len(objects), label)
        return objects

    def person(self) -> tuple[str, str, str]:
        civility, first = self.rng.choice(FIRST_NAMES)
        return civility, first, self.rng.choice(LAST_NAMES)

    def day_between(self, first: datetime.date, last: datetime.date) -> datetime.date:
        span = (last - first).days
        return first + datetime.timedelta(days=self.rng.randint(0, max(span, 0)))

    # The whole -------------------------------------------------------------------------

    def run(self) -> DatasetSummary:
        self.build_departements()
        self.build_post_plans(self.allocate_posts())
        self.plan_conventions()
        self.write_organisations()
        self.write_posts()
        self.write_holders_and_costs()
        self.step("organisations, postes, titulaires, coûts")
        self.write_conventions()
        self.write_convention_contents()
        self.write_amendments()
        self.step("conventions, parties, articles")
        self.write_councils()
        self.write_deliberations()
        self.step("conseils et délibérations")
        self.write_funding()
        self.step("contributions et versements")
        self.write_users()
        self.step("utilisateurs")
        self.write_statistics()
        self.step("statistiques mensuelles")
        return self.summary


def generate(
    *, posts: int = 450, years: int = 10, seed: int = 1, today=None, log=None
) -> DatasetSummary:
    """Write the dataset in one transaction; ``today`` fixes what is past (default: today)."""
    today = today or timezone.localdate()
    with transaction.atomic():
        summary = Generator(posts=posts, years=years, seed=seed, today=today, log=log).run()
    # What autovacuum would do on a live database, at once: the planner's statistics
    # (without them PostgreSQL scans the millions of monthly values instead of using their
    # indexes) and, outside a transaction, the visibility map that lets the bilans' sums
    # read their index alone.
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql" and not connection.in_atomic_block:
            cursor.execute("VACUUM ANALYZE")
        else:
            cursor.execute("ANALYZE")
    return summary


def delete_dataset():
    """Remove every row the generator wrote (found by its references and e-mail domain)."""
    organisations = Organisation.objects.filter(email__endswith=f"@{MARKER_DOMAIN}")
    posts = Post.objects.filter(employer__in=organisations)
    conventions = Convention.objects.filter(reference__startswith=REFERENCE_PREFIX)
    # The generator wrote no change history (bulk inserts): removing its rows writes none
    # either. With it, each of the hundred thousand monthly values deleted was followed
    # by an insert of its historical row (100 s for a dataset of 20 posts).
    with transaction.atomic(), override_settings(SIMPLE_HISTORY_ENABLED=False):
        MonthlyValue.objects.filter(record__report__post__in=posts).delete()
        MonthlyRecord.objects.filter(report__post__in=posts).delete()
        QuarterEvent.objects.filter(report__post__in=posts).delete()
        QuarterReport.objects.filter(post__in=posts).delete()
        AnnualReport.objects.filter(post__in=posts).delete()
        Payment.objects.filter(contribution__convention__in=conventions).delete()
        Contribution.objects.filter(convention__in=conventions).delete()
        deliberations = Deliberation.objects.filter(organisation__in=organisations)
        Attendance.objects.filter(deliberation__in=deliberations).delete()
        deliberations.delete()
        CouncilMember.objects.filter(council__organisation__in=organisations).delete()
        Council.objects.filter(organisation__in=organisations).delete()
        ArticleChange.objects.filter(amendment__convention__in=conventions).delete()
        Amendment.objects.filter(convention__in=conventions).delete()
        conventions.update(renews=None)
        conventions.delete()
        PostCost.objects.filter(post__in=posts).delete()
        PostHolder.objects.filter(post__in=posts).delete()
        posts.delete()
        User.objects.filter(email__endswith=f"@{MARKER_DOMAIN}").delete()
        Representative.objects.filter(organisation__in=organisations).delete()
        organisations.delete()
