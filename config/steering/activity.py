"""Activity: persons met, interviews, referrals, problems and orientations, from
validated quarters only, year over year.

Only validated quarters count (validated or locked, ``FINAL_STATES``): a quarter
submitted but not validated may still change. Beside each figure, the share of the
quarters due that are validated (``activity.reporting``) says how complete it is. The
grid changes over time: the sums are grouped by indicator and read by its code, so that
every version of the grid adds up.

Statistical secrecy. The counts describe people met by one social worker: below the
département, a small count could point at someone in a small town. The per-post figures
follow the small-cell rule of French health and social data (the rule of the SNDS that
the CNIL enforces: no result about 1 to 10 persons is published): a count from 1 to 10
shows « < 11 » (``SECRECY_THRESHOLD``). Interviews and referrals are masked alike: a
handful of interviews describes as few persons. Zero stays 0: it describes nobody. The
département's total is published (in this part), so one masked post in a column could
be recovered by subtraction: the next smallest count of that column (not a zero) is
masked too (secondary masking, shown « secret »: it is not below 11). A row holds three
different measures and no total, so it needs no secondary masking.

A département's figure aggregates its posts, unless a single post makes it: in a
département where one post alone has a count (the others have none, or zero), the
département's count is that post's, and publishing it would undo the post's mask. So a
département count from 1 to 10 made by fewer than 2 posts is masked too, on the
département's page (figures by year, breakdowns, charts) and in the national table by
département, where the secondary masking applies against the national total. National
figures aggregate many départements and are not masked.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Sum

from activity.bilans import CHART_GROUPS, PERSONS_CODE, REFERRALS_CODE
from activity.layout import worded
from activity.models import Indicator, MonthlyValue
from activity.models.records import FINAL_STATES
from activity.reporting import ReportedQuarter, reported_quarters
from config.steering.area import Area
from config.steering.figures import Chart, Column, Kind, Masked, Part, Series, Table
from conventions.models import Post
from partners.departements import DEPARTEMENTS

INTERVIEWS_CODE = "entretiens"
MAIN_CODES = (PERSONS_CODE, INTERVIEWS_CODE, REFERRALS_CODE)
MAIN_LABELS = ("Personnes rencontrées", "Entretiens", "Saisines reçues")
SHARE_LABEL = "Trimestres validés"
SECRECY_THRESHOLD = 11
TOP_LINES = 10


@dataclass(frozen=True)
class Withheld(Masked):
    """A count above the threshold masked so that a masked one cannot be recovered from
    the published total (secondary masking): its value is not « < 11 »."""

    def __str__(self):
        return "secret"


@dataclass(frozen=True)
class Grid:
    """Every indicator of every version: its code, and the newest label of each code."""

    codes: dict[int, str]  # indicator id → code
    labels: dict[str, str]  # code → label
    group_codes: dict[str, list[str]]  # group code → indicator codes, in grid order
    group_labels: dict[str, str]


def _grid() -> Grid:
    rows = Indicator.objects.order_by(
        "-version__valid_from", "group__order", "order", "pk"
    ).values_list("pk", "code", "label", "group__code", "group__label")
    codes, labels, group_codes, group_labels = {}, {}, defaultdict(list), {}
    for pk, code, label, group_code, group_label in rows:
        codes[pk] = code
        # The newest version comes first: its labels win.
        labels.setdefault(code, worded(label))
        group_labels.setdefault(group_code, group_label)
        if code not in group_codes[group_code]:
            group_codes[group_code].append(code)
    return Grid(codes, labels, dict(group_codes), group_labels)


def _validated_sums(area: Area, grid: Grid, *, years, codes, by: str = "record__report__year"):
    """{(key, code): sum} over the validated quarters of ``years``, ``key`` being the
    value of ``by`` (the year, the post, the département): one grouped query."""
    indicator_ids = [pk for pk, code in grid.codes.items() if code in codes]
    rows = (
        MonthlyValue.objects.filter(
            record__report__state__in=FINAL_STATES,
            record__report__year__in=years,
            indicator_id__in=indicator_ids,
            **area.posts_filter("record__report__post__"),
        )
        .order_by()
        .values_list(by, "indicator_id")
        .annotate(total=Sum("value"))
    )
    sums = defaultdict(int)
    for key, indicator, total in rows:
        sums[(key, grid.codes[indicator])] += total
    return sums


def _lone_post_sums(area: Area, grid: Grid, *, years, codes, by: str):
    """Like ``_validated_sums``, and the set of (key, code) whose sum comes from fewer
    than 2 posts (the others have no count, or zero): a post's own count, as secret as the
    post's. One grouped query, by ``by`` and post: for a département's few posts, or the
    posts of one year."""
    indicator_ids = [pk for pk, code in grid.codes.items() if code in codes]
    rows = (
        MonthlyValue.objects.filter(
            record__report__state__in=FINAL_STATES,
            record__report__year__in=years,
            indicator_id__in=indicator_ids,
            **area.posts_filter("record__report__post__"),
        )
        .order_by()
        .values_list(by, "record__report__post", "indicator_id")
        .annotate(total=Sum("value"))
    )
    sums = defaultdict(int)
    by_post = defaultdict(lambda: defaultdict(int))
    for key, post, indicator, total in rows:
        code = grid.codes[indicator]
        sums[(key, code)] += total
        by_post[(key, code)][post] += total
    lone = {k for k, posts in by_post.items() if sum(1 for t in posts.values() if t) < 2}
    return sums, lone


def secret(value, lone: bool):
    """``value`` as published: a count from 1 to 10 that one post alone makes is masked."""
    if lone and value is not None and 0 < value < SECRECY_THRESHOLD:
        return Masked(SECRECY_THRESHOLD)
    return value


def share(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) / whole).quantize(Decimal("0.0001"), ROUND_HALF_UP)


class Validation:
    """Quarters due and validated, counted by any key of the quarter."""

    def __init__(self, quarters, key):
        self.due = defaultdict(int)
        self.validated = defaultdict(int)
        self.any_validated = set()
        for q in quarters:
            k = key(q)
            if q.is_validated:
                self.any_validated.add(k)
            if q.is_due:
                self.due[k] += 1
                self.validated[k] += q.is_validated

    def share(self, k) -> Decimal | None:
        return share(self.validated[k], self.due[k])


def masked_column(values: list, sensitive: list[bool] | None = None) -> list:
    """The column of a per-post table as published: 1 to 10 masked, and if exactly one
    is, the next smallest count (not zero) too, so that the total does not give it.
    ``sensitive`` limits the masking to some cells (a département's made by one post)."""
    sensitive = sensitive or [True] * len(values)
    primary = [
        s and v is not None and 0 < v < SECRECY_THRESHOLD
        for v, s in zip(values, sensitive, strict=True)
    ]
    shown = [Masked(SECRECY_THRESHOLD) if p else v for p, v in zip(primary, values, strict=True)]
    if sum(primary) == 1:
        others = [(v, i) for i, v in enumerate(values) if v and not primary[i]]
        if others:
            shown[min(others)[1]] = Withheld(SECRECY_THRESHOLD)
    return shown


def _main_figures(sums, key, has_validated: bool, lone=frozenset()) -> list:
    """Persons, interviews, referrals of ``key``: None when no quarter was validated;
    masked when one post alone makes a small one (``lone``)."""
    if not has_validated:
        return [None] * len(MAIN_CODES)
    return [secret(sums.get((key, code), 0), (key, code) in lone) for code in MAIN_CODES]


def _main_columns(first: Column) -> list[Column]:
    return [first, *(Column(label) for label in MAIN_LABELS), Column(SHARE_LABEL, Kind.PERCENT)]


def activity_part(
    area: Area,
    *,
    years: list[int],
    today: datetime.date,
    quarters: list[ReportedQuarter] | None = None,
) -> Part:
    """Queries: the grid's indicators (1), the sums per year (1), the sums per
    département or post for the last year (1, none for a post), and the quarters due
    (``reported_quarters``, unless the report passes those it read for both parts)."""
    last, before = years[-1], years[-1] - 1
    grid = _grid()
    chart_codes = [c for group in CHART_GROUPS for c in grid.group_codes.get(group, [])]
    sum_years, sum_codes = sorted({*years, before}), [*MAIN_CODES, *chart_codes]
    if area.is_national:
        yearly, lone = _validated_sums(area, grid, years=sum_years, codes=sum_codes), set()
    else:
        # A département's few posts: the same sums, by post too (still one query).
        yearly, lone = _lone_post_sums(
            area, grid, years=sum_years, codes=sum_codes, by="record__report__year"
        )
    if quarters is None:
        posts = Post.objects.filter(**area.posts_filter())
        quarters = reported_quarters(posts, years=years, today=today)
    by_year = Validation(quarters, lambda q: q.year)

    part = Part(
        "activite",
        "Activité des intervenants sociaux",
        intro="Les chiffres ne comptent que les trimestres validés par l'autorité "
        "fonctionnelle ; la part des trimestres attendus qui sont validés est indiquée à côté.",
    )
    part.tables.append(
        Table(
            id="activite-annees",
            caption=f"Activité par année — {area.label}",
            columns=_main_columns(Column("Année", Kind.TEXT)),
            rows=[
                [
                    str(year),
                    *_main_figures(yearly, year, year in by_year.any_validated, lone),
                    by_year.share(year),
                ]
                for year in years
            ],
            notes=[
                "Trimestres validés : trimestres validés sur trimestres attendus (échéance "
                "passée ou transmis) d'après les conventions des postes."
            ],
        )
    )
    part.charts.append(
        Chart(
            id="activite-personnes",
            title=f"Personnes rencontrées par année — {area.label}",
            kind="bars",
            categories=[str(year) for year in years],
            series=[
                Series(
                    "Personnes rencontrées",
                    [
                        secret(yearly.get((year, PERSONS_CODE), 0), (year, PERSONS_CODE) in lone)
                        if year in by_year.any_validated
                        else None
                        for year in years
                    ],
                )
            ],
        )
    )
    for group in CHART_GROUPS:
        if group in grid.group_codes:
            _breakdown(part, area, grid, group, yearly, lone, before, last)
    if area.is_national:
        part.tables.append(_departements_table(area, grid, quarters, last))
    else:
        part.tables.append(_posts_table(area, grid, quarters, last))
    return part


def _breakdown(part: Part, area: Area, grid: Grid, group: str, sums, lone, before, last):
    lines = [
        (code, sums.get((before, code), 0), sums.get((last, code), 0))
        for code in grid.group_codes[group]
    ]
    top = [
        (
            code,
            secret(previous, (before, code) in lone),
            secret(current, (last, code) in lone),
        )
        for code, previous, current in sorted(
            (line for line in lines if line[1] or line[2]), key=lambda line: (-line[2], -line[1])
        )[:TOP_LINES]
    ]
    label = grid.group_labels[group]
    part.tables.append(
        Table(
            id=f"activite-{group}",
            caption=f"{label} — {before} et {last} — {area.label}",
            columns=[Column(label, Kind.TEXT), Column(str(before)), Column(str(last))],
            rows=[[grid.labels[code], previous, current] for code, previous, current in top],
            notes=[f"Les {TOP_LINES} plus fréquentes en {last}, plusieurs par personne."],
        )
    )
    part.charts.append(
        Chart(
            id=f"activite-{group}-graphique",
            title=f"{label} — {area.label}",
            kind="hbars",
            categories=[grid.labels[code] for code, _, _ in top],
            series=[
                Series(str(before), [line[1] for line in top]),
                Series(str(last), [line[2] for line in top]),
            ],
        )
    )


def _departements_table(area: Area, grid: Grid, quarters, year: int) -> Table:
    sums, lone = _lone_post_sums(
        area, grid, years=[year], codes=MAIN_CODES, by="record__report__post__departement"
    )
    last_year = [q for q in quarters if q.year == year]
    validation = Validation(last_year, lambda q: q.post.departement)
    present = {q.post.departement for q in quarters}
    shown = [d.code for d in DEPARTEMENTS if d.code in present]
    figures = [_main_figures(sums, code, code in validation.any_validated) for code in shown]
    # A département's count made by one post is masked as that post's is; the national
    # total is published, so the secondary masking applies in the column.
    columns = (
        [
            masked_column(list(column), [(code, measure) in lone for code in shown])
            for measure, column in zip(MAIN_CODES, zip(*figures, strict=True), strict=True)
        ]
        if shown
        else []
    )
    return Table(
        id="activite-departements",
        caption=f"Activité par département — {year}",
        columns=_main_columns(Column("Département", Kind.TEXT)),
        rows=[
            [code, *(column[i] for column in columns), validation.share(code)]
            for i, code in enumerate(shown)
        ],
        links=[Area(code).url for code in shown],
        sortable=True,
    )


def _posts_table(area: Area, grid: Grid, quarters, year: int) -> Table:
    sums = _validated_sums(area, grid, years=[year], codes=MAIN_CODES, by="record__report__post")
    posts = list({q.post.pk: q.post for q in quarters}.values())
    validation = Validation([q for q in quarters if q.year == year], lambda q: q.post.pk)
    figures = [_main_figures(sums, post.pk, post.pk in validation.any_validated) for post in posts]
    columns = (
        [masked_column(list(column)) for column in zip(*figures, strict=True)] if posts else []
    )
    return Table(
        id="activite-postes",
        caption=f"Activité par poste — {year}",
        columns=_main_columns(Column("Poste", Kind.TEXT)),
        rows=[
            [post.name, *(column[i] for column in columns), validation.share(post.pk)]
            for i, post in enumerate(posts)
        ],
        links=[post.get_absolute_url() for post in posts],
        notes=[
            f"« < {SECRECY_THRESHOLD} » : de 1 à {SECRECY_THRESHOLD - 1}, non publié sous le "
            "niveau du département (secret statistique) ; « secret » : masqué pour que le "
            "total du département ne permette pas de retrouver un petit nombre."
        ],
    )
