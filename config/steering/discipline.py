"""Reporting discipline: per secretariat and quarter, the share of quarters entered,
submitted and validated, and the median days late.

The quarters counted are those due (``activity.reporting``): expected by a convention
of the post and past their due date, or already submitted. Entered: at least one month
recorded; submitted: submitted now, validated or locked (a reopened quarter is back in
entry); validated: validated or locked. Days late run from the due date to the first
submission, or to today for a quarter never submitted; a quarter sent on time counts 0,
so the median says how late a typical quarter is. The secretariat is the post's
functional authority (the DDSP, the groupement de gendarmerie): a mixed post counts for
both, a post without a site for the area only.

The median is taken in Python over the quarters loaded once: SQLite has no percentile
function, and the days late come from due dates that the conventions' schedules give
(``activity.schedule``), not from a column.
"""

import datetime
import statistics
from collections import defaultdict
from decimal import Decimal

from activity.bilans import QUARTER_LABELS
from activity.reporting import ReportedQuarter, reported_quarters
from config.steering.activity import share
from config.steering.area import Area
from config.steering.figures import Column, Kind, Part, Table
from conventions.models import Post
from partners.departements import BY_CODE, DEPARTEMENTS

FIGURE_COLUMNS = [
    Column("Trimestres attendus"),
    Column("Saisis", Kind.PERCENT),
    Column("Transmis", Kind.PERCENT),
    Column("Validés", Kind.PERCENT),
    Column("Retard médian", Kind.DAYS),
]


def figures(quarters: list[ReportedQuarter]) -> list:
    """Quarters due, shares entered, submitted and validated, median days late."""
    due = len(quarters)
    late = [q.days_late for q in quarters]
    return [
        due,
        share(sum(q.entered for q in quarters), due),
        share(sum(q.is_submitted for q in quarters), due),
        share(sum(q.is_validated for q in quarters), due),
        Decimal(str(statistics.median(late))) if late else None,
    ]


def area_quarters(area: Area, *, years: list[int], today: datetime.date) -> list[ReportedQuarter]:
    """Every quarter of the area's posts, with their sites' authorities (what both the
    activity and the discipline parts read)."""
    posts = Post.objects.filter(**area.posts_filter()).with_sites()
    return reported_quarters(posts, years=years, today=today)


def discipline_part(
    area: Area,
    *,
    years: list[int],
    today: datetime.date,
    quarters: list[ReportedQuarter] | None = None,
) -> Part:
    """Queries: those of ``reported_quarters`` with the posts' sites and their authorities
    (none when the report passes the quarters it read for both parts: ``area_quarters``)."""
    last = years[-1]
    if quarters is None:
        quarters = area_quarters(area, years=years, today=today)
    quarters = [q for q in quarters if q.is_due]

    by_year = defaultdict(list)
    # authority pk → (year, quarter) → quarters, and authority pk → year → quarters
    by_quarter = defaultdict(lambda: defaultdict(list))
    by_secretariat_year = defaultdict(lambda: defaultdict(list))
    authorities = {}
    for q in quarters:
        by_year[q.year].append(q)
        for authority in q.post.functional_authorities:
            authorities[authority.pk] = authority
            by_quarter[authority.pk][(q.year, q.quarter)].append(q)
            by_secretariat_year[authority.pk][q.year].append(q)
    order = sorted(
        authorities.values(), key=lambda a: (a.departement, a.short_name or a.name, a.pk)
    )

    def head(authority) -> list:
        name = [authority.short_name or authority.name]
        return [*name, authority.departement] if area.is_national else name

    part = Part(
        "remontees",
        "Remontée des statistiques",
        intro="Trimestres attendus : ceux qu'une convention du poste prévoit, dont "
        "l'échéance est passée ou déjà transmis. Retard médian : de l'échéance à la "
        "première transmission (ou à aujourd'hui), 0 pour un trimestre transmis à temps.",
    )
    part.tables.append(
        Table(
            id="remontees-annees",
            caption=f"Remontée des statistiques par année — {area.label}",
            columns=[Column("Année", Kind.TEXT), *FIGURE_COLUMNS],
            rows=[[str(year), *figures(by_year[year])] for year in years],
        )
    )
    if area.is_national:
        part.tables.extend(_national_tables(quarters, order, head, last))
    else:
        part.tables.extend(_secretariat_tables(years, order, head, by_quarter, by_secretariat_year))
    return part


def _secretariat_tables(years, order, head, by_quarter, by_secretariat_year) -> list[Table]:
    """A département's secretariats, each quarter of the last year and each year."""
    last = years[-1]
    return [
        Table(
            id="remontees-trimestres",
            caption=f"Remontée des statistiques par secrétariat et trimestre — {last}",
            columns=[
                Column("Secrétariat", Kind.TEXT),
                Column("Trimestre", Kind.TEXT),
                *FIGURE_COLUMNS,
            ],
            rows=[
                [*head(a), QUARTER_LABELS[quarter], *figures(by_quarter[a.pk][(last, quarter)])]
                for a in order
                for quarter in range(1, 5)
                if by_quarter[a.pk][(last, quarter)]
            ],
            notes=["Un poste mixte compte pour la DDSP et pour le groupement."],
        ),
        Table(
            id="remontees-secretariats",
            caption="Remontée des statistiques par secrétariat et par année",
            columns=[Column("Secrétariat", Kind.TEXT), Column("Année", Kind.TEXT), *FIGURE_COLUMNS],
            rows=[
                [*head(a), str(year), *figures(by_secretariat_year[a.pk][year])]
                for a in order
                for year in years
                if by_secretariat_year[a.pk][year]
            ],
        ),
    ]


def _national_tables(quarters, order, head, last) -> list[Table]:
    """The country's départements (the map reads them) and its two hundred secretariats,
    for the last year: a row per secretariat and quarter would be some eight hundred, the
    département's page gives them."""
    of_last = [q for q in quarters if q.year == last]
    by_departement = defaultdict(list)
    by_secretariat = defaultdict(list)
    for q in of_last:
        by_departement[q.post.departement].append(q)
        for authority in q.post.functional_authorities:
            by_secretariat[authority.pk].append(q)
    codes = [d.code for d in DEPARTEMENTS if by_departement[d.code]]
    return [
        Table(
            id="remontees-departements",
            caption=f"Remontée des statistiques par département — {last}",
            columns=[Column("Département", Kind.TEXT), Column("Nom", Kind.TEXT), *FIGURE_COLUMNS],
            rows=[[code, BY_CODE[code].name, *figures(by_departement[code])] for code in codes],
            links=[Area(code).url for code in codes],
            sortable=True,
        ),
        Table(
            id="remontees-secretariats",
            caption=f"Remontée des statistiques par secrétariat — {last}",
            columns=[
                Column("Secrétariat", Kind.TEXT),
                Column("Département", Kind.TEXT),
                *FIGURE_COLUMNS,
            ],
            rows=[
                [*head(a), *figures(by_secretariat[a.pk])] for a in order if by_secretariat[a.pk]
            ],
            notes=["Un poste mixte compte pour la DDSP et pour le groupement."],
            sortable=True,
        ),
    ]
