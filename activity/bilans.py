"""Bilans: the sums of the monthly counts over a scope (post, département, all) and a period.

One function, ``build_bilan``, computes what the page, the PDF, the XLSX and
the CSV show, so that their numbers are the same by construction. The sums run
in SQL, grouped by indicator code and month, in one query for the period and
the same period of the previous year, whatever the number of posts.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Sum

from activity.checks import missing_codes, month_problems
from activity.layout import ANY_SITE, GroupSpec, IndicatorSpec, Layout, layout_of, merge_layouts
from activity.models import AnnualReport, GridVersion, MonthlyValue, QuarterReport, quarter_months
from activity.models.records import FINAL_STATES
from config.core.formats import MONTHS, french_number

FIRST_CONTACT_CODE = "contact_72h"
REFERRALS_CODE = "saisines_recues"
PERSONS_CODE = "personnes_rencontrees"
CHART_GROUPS = ("problematiques", "orientations")
SHORT_MONTHS = [
    "janv.",
    "févr.",
    "mars",
    "avr.",
    "mai",
    "juin",
    "juil.",
    "août",
    "sept.",
    "oct.",
    "nov.",
    "déc.",
]
QUARTER_LABELS = {1: "1er trimestre", 2: "2e trimestre", 3: "3e trimestre", 4: "4e trimestre"}


@dataclass(frozen=True)
class Period:
    year: int
    quarter: int | None = None

    @property
    def months(self) -> list[int]:
        return quarter_months(self.quarter) if self.quarter else list(range(1, 13))

    @property
    def quarters(self) -> list[int]:
        return [self.quarter] if self.quarter else [1, 2, 3, 4]

    @property
    def label(self) -> str:
        if self.quarter:
            return f"{QUARTER_LABELS[self.quarter]} {self.year}"
        return f"année {self.year}"

    @property
    def slug(self) -> str:
        return f"{self.year}-T{self.quarter}" if self.quarter else str(self.year)

    @property
    def previous(self) -> "Period":
        return Period(self.year - 1, self.quarter)

    @property
    def first_day(self) -> datetime.date:
        return datetime.date(self.year, self.months[0], 1)


@dataclass(frozen=True)
class Scope:
    """What a bilan covers: ``posts`` is a queryset already limited to the user's scope."""

    kind: str  # "post", "departement" or "national"
    label: str
    posts: object
    post: object = None
    departement: str = ""

    @classmethod
    def of_post(cls, post) -> "Scope":
        """One post (already checked against the reader's scope, or read by a task)."""
        return cls("post", post.name, type(post).objects.filter(pk=post.pk), post, post.departement)


@dataclass
class Row:
    indicator: IndicatorSpec
    months: list[int | None]
    total: int | None
    previous: int | None

    @property
    def change(self) -> str:
        return percent_change(self.total, self.previous)


@dataclass
class Group:
    spec: GroupSpec
    rows: list[Row]

    @property
    def anchor(self) -> str:
        return f"groupe-{self.spec.code}"


@dataclass
class MonthCheck:
    month: int
    label: str
    problems: list[str]
    missing: int


@dataclass
class Bilan:
    scope: Scope
    period: Period
    layout: Layout
    groups: list[Group]
    month_checks: list[MonthCheck]
    validated_only: bool
    quarter_states: dict[int, dict[str, int]]  # quarter → {state: number of posts}
    post_count: int
    first_contact_rate: Decimal | None
    previous_first_contact_rate: Decimal | None
    previous_months: dict[int, int | None] = field(default_factory=dict)  # persons met
    quarter_comments: list[tuple[int, str]] = field(default_factory=list)
    annual: AnnualReport | None = None

    @property
    def month_labels(self) -> list[tuple[str, str]]:
        """(short, full) label of each month: "janv.", "janvier 2025"."""
        return [
            (SHORT_MONTHS[m - 1], f"{MONTHS[m - 1]} {self.period.year}") for m in self.period.months
        ]

    @property
    def persons(self) -> Row | None:
        return self.row(PERSONS_CODE)

    @property
    def checks_ok(self) -> bool:
        return not any(c.problems for c in self.month_checks)

    @property
    def is_empty(self) -> bool:
        """Not a single figure: nothing to check, nothing to call « cohérent »."""
        return all(row.total is None for group in self.groups for row in group.rows)

    @property
    def is_complete(self) -> bool:
        return not any(c.missing for c in self.month_checks)

    def group(self, code: str) -> Group | None:
        return next((g for g in self.groups if g.spec.code == code), None)

    def row(self, code: str) -> Row | None:
        return next((r for g in self.groups for r in g.rows if r.indicator.code == code), None)

    @property
    def title(self) -> str:
        kind = "Bilan annuel" if self.period.quarter is None else "Bilan trimestriel"
        return f"{kind} — {self.scope.label} — {self.period.label}"


def percent_change(current: int | None, previous: int | None) -> str:
    if current is None or not previous:
        return ""
    change = (Decimal(current - previous) * 100 / previous).quantize(
        Decimal(1), rounding=ROUND_HALF_UP
    )
    sign = "+" if change > 0 else ""
    return f"{sign}{french_number(change)}\u00a0%"


def rate(numerator: int | None, denominator: int | None) -> Decimal | None:
    if numerator is None or not denominator:
        return None
    return (Decimal(numerator) * 100 / denominator).quantize(Decimal("0.1"), ROUND_HALF_UP)


def _sums(scope: Scope, periods: list[Period], validated_only: bool, codes: dict[int, str]):
    """{(year, month, code): sum} for the given periods, in one grouped query.

    Grouped by indicator id, which the index holds, rather than by code: ``codes``
    translates them (indicators of different versions share a code).
    """
    years = {p.year for p in periods}
    quarters = set(periods[0].quarters)
    values = MonthlyValue.objects.filter(
        record__report__year__in=years, record__report__quarter__in=quarters
    )
    if scope.kind != "national":
        values = values.filter(record__report__post__in=scope.posts.values("pk"))
    if validated_only:
        values = values.filter(record__report__state__in=FINAL_STATES)
    rows = (
        values.order_by()
        .values_list("record__report__year", "record__month", "indicator_id")
        .annotate(total=Sum("value"))
    )
    sums = defaultdict(int)
    for year, month, indicator, total in rows:
        sums[(year, month, codes[indicator])] += total
    return dict(sums)


def in_force(versions: list, on: datetime.date):
    """``GridVersion.objects.in_force`` over versions already loaded (oldest first)."""
    begun = [v for v in versions if v.valid_from <= on]
    return begun[-1] if begun else versions[0]


def build_bilan(scope: Scope, period: Period, *, validated_only: bool) -> Bilan:
    reports = QuarterReport.objects.filter(
        post__in=scope.posts.values("pk"), year=period.year, quarter__in=period.quarters
    )
    if validated_only:
        reports = reports.readable_by_everyone()
    reports = list(reports.only("post_id", "quarter", "state", "grid_version_id", "comment"))

    version_by_quarter = {r.quarter: r.grid_version_id for r in reports}
    version_ids = set(version_by_quarter.values())
    # Every version of the grid (a handful): the previous year may use another one.
    all_versions = sorted(GridVersion.objects.with_layout(), key=lambda v: v.valid_from)
    codes = {i.pk: i.code for v in all_versions for g in v.groups.all() for i in g.indicators.all()}
    versions = [v for v in all_versions if v.pk in version_ids]
    if not versions:
        versions = [in_force(all_versions, period.first_day)]
    versions.sort(key=lambda v: v.valid_from, reverse=True)
    at_site = scope.post.wording.at_site if scope.post is not None else ANY_SITE
    layouts = {v.pk: layout_of(v, at_site) for v in versions}
    layout = merge_layouts(layouts.values())

    sums = _sums(scope, [period, period.previous], validated_only, codes)
    current = defaultdict(dict)
    previous_months = defaultdict(dict)
    previous_totals = defaultdict(int)
    for (year, month, code), total in sums.items():
        if year == period.year:
            current[month][code] = total
        else:
            previous_months[month][code] = total
            previous_totals[code] += total

    groups = []
    for spec in layout.groups:
        rows = []
        for indicator in spec.indicators:
            months = [current[m].get(indicator.code) for m in period.months]
            typed = [v for v in months if v is not None]
            rows.append(
                Row(
                    indicator,
                    months,
                    sum(typed) if typed else None,
                    previous_totals.get(indicator.code),
                )
            )
        groups.append(Group(spec, rows))

    month_checks = []
    for month in period.months:
        quarter = (month - 1) // 3 + 1
        month_layout = layouts.get(version_by_quarter.get(quarter), layout)
        values = current.get(month, {})
        month_checks.append(
            MonthCheck(
                month,
                f"{MONTHS[month - 1]} {period.year}",
                [p.message for p in month_problems(month_layout, values)],
                len(missing_codes(month_layout, values)),
            )
        )

    quarter_states = {q: defaultdict(int) for q in period.quarters}
    for report in reports:
        quarter_states[report.quarter][report.state] += 1
    post_count = scope.posts.count() if scope.kind != "post" else 1

    current_totals = defaultdict(int)
    for month_values in current.values():
        for code, value in month_values.items():
            current_totals[code] += value

    bilan = Bilan(
        scope=scope,
        period=period,
        layout=layout,
        groups=groups,
        month_checks=month_checks,
        validated_only=validated_only,
        quarter_states={q: dict(states) for q, states in quarter_states.items()},
        post_count=post_count,
        first_contact_rate=rate(
            current_totals.get(FIRST_CONTACT_CODE), current_totals.get(REFERRALS_CODE)
        ),
        previous_first_contact_rate=rate(
            previous_totals.get(FIRST_CONTACT_CODE), previous_totals.get(REFERRALS_CODE)
        ),
        previous_months={
            month: previous_months[month].get(PERSONS_CODE) for month in period.months
        },
    )
    if scope.kind == "post":
        bilan.quarter_comments = sorted(
            (r.quarter, r.comment) for r in reports if r.comment.strip()
        )
        if period.quarter is None:
            bilan.annual = AnnualReport.objects.filter(post=scope.post, year=period.year).first()
    return bilan
