"""What the parts of the national dataset generator share: constants, helpers, plans."""

import datetime
import unicodedata
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db import connection

from config.devtools.demo.activity import PARTITIONS
from conventions.models import Convention, Deliberation, Post, PostHolder
from partners.models import Organisation

REFERENCE_PREFIX = "nat-"
MARKER_DOMAIN = "jeu-national.invalid"
NATIONAL = " (jeu national)"
BATCH = 2000
CENT = Decimal("0.01")
UTC = datetime.UTC
# Municipal and community councils are elected every six years (2020, 2026, ...).
TERM_STARTS = [1995, 2001, 2008, 2014, 2020, 2026, 2032, 2038]
USER_DEPARTEMENTS = 5
CONVENTION_YEARS = 3
# Every tenth département has a departmental framework convention (issue #18).
FRAMEWORK_EVERY = 10
# The État's share of the post cost in a framework convention, by year of its period.
SHARE_BY_YEAR = (Decimal(80), Decimal(50), Decimal(30))

SEASON = [1.0, 0.95, 1.05, 1.0, 1.05, 1.0, 0.95, 0.8, 1.05, 1.1, 1.05, 0.9]
PARTITION_WEIGHTS = {
    code: w for groups in PARTITIONS.values() for g in groups for code, w in g.items()
}


@dataclass
class DatasetSummary:
    """Row counts of what was written, and how long each step took."""

    counts: dict[str, int] = field(default_factory=dict)
    timings: list[tuple[str, float]] = field(default_factory=list)
    usernames: list[tuple[str, str, str]] = field(default_factory=list)


def money(value) -> Decimal:
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def moment(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


def elided(word: str) -> str:
    """ "de Beaulieu", "d'Aubigny"."""
    first = unicodedata.normalize("NFKD", word[0]).encode("ascii", "ignore").decode().lower()
    return f"d'{word}" if first in "aeiouyh" else f"de {word}"


def quarter_due(year: int, quarter: int) -> datetime.date:
    """15 April, 15 July, 15 October; the fourth quarter with the annual bilan, 7 January."""
    if quarter == 4:
        return datetime.date(year + 1, 1, 7)
    return datetime.date(year, 3 * quarter + 1, 15)


def insert_rows(model, columns: list[str], rows) -> int:
    """Write plain tuples without building model instances: COPY on PostgreSQL."""
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(model._meta.get_field(c).column) for c in columns)
    count = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
                    count += 1
        else:
            rows = list(rows)
            placeholders = ", ".join(["%s"] * len(columns))
            cursor.executemany(
                f"INSERT INTO {table} ({names}) VALUES ({placeholders})",  # noqa: S608 (names from the model)
                rows,
            )
            count = len(rows)
    return count


@dataclass
class Departement:
    code: str
    name: str
    de: str
    city: str
    population: int
    postal: str = ""
    prefecture: Organisation = None
    ddsp: Organisation = None
    gendarmerie: Organisation = None
    council: Organisation = None
    parquet: Organisation = None
    association: Organisation = None
    cd_deliberation: Deliberation = None
    posts: list = field(default_factory=list)
    towns: set = field(default_factory=set)


@dataclass
class PostPlan:
    departement: Departement
    number: int
    town: str
    police: bool
    local: Organisation  # the commune or EPCI that funds and deliberates
    employer: Organisation
    ccas: Organisation | None
    fte: Decimal
    base: int  # persons met in an ordinary month
    # A police post that also serves a gendarmerie brigade (about one in five in 2020).
    mixed: bool = False
    post: Post = None
    conventions: list = field(default_factory=list)
    costs: dict = field(default_factory=dict)
    current_holder: PostHolder = None


@dataclass
class ConventionPlan:
    plan: PostPlan
    start_year: int
    convention: Convention
    with_council: bool
    signed: bool
    session: datetime.date | None
    parties: list = field(default_factory=list)
    deliberation: Deliberation | None = None
    state_amount: Decimal | None = None  # the État's yearly contribution
    # A departmental framework convention (issue #18, as the IGA recommends): the other
    # posts' plans point at the first post's, whose convention covers them, annex n° 2…
    framework: "ConventionPlan | None" = None
    annex: int = 1
    covered: int = 1  # how many posts the convention covers (on the first post's plan)
    local_amount: Decimal | None = None  # the commune's or EPCI's, unless it employs
