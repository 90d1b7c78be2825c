"""Coverage: posts against the target, FTE, forces, vacancies, turnover, employers,
posts without a convention in force.

The counts are GROUP BY queries on the posts of the area; which posts a convention in
force covers is the conventions list's own rule (``convention_list`` with the status
« en vigueur », then ``ConventionPost.is_in_force``), read in a fixed number of queries.
"""

import datetime
import statistics
from collections import Counter

from django.db.models import Count, Exists, F, Max, OuterRef, Q, Subquery, Sum
from django.db.models.functions import ExtractYear

from config.core.formats import french_date
from config.steering.area import Area
from config.steering.figures import Chart, Column, Kind, Part, Series, Table
from config.steering.models import departement_targets
from conventions.agreements.selectors import convention_list
from conventions.enums import ConventionStatus, PostKind
from conventions.models import Convention, ConventionPost, Post, PostHolder
from partners.departements import BY_CODE, DEPARTEMENTS
from partners.enums import OrganisationKind

TURNOVER_YEARS = 5
FORCE_LABELS = {
    PostKind.POLICE.value: "Police",
    PostKind.GENDARMERIE.value: "Gendarmerie",
    PostKind.MIXED.value: "Mixte",
    "": "Sans site",
}


def coverage_part(area: Area, *, today: datetime.date) -> Part:
    posts = _posts(area, today)
    covered = _covered_posts(area, today)
    national, targets = departement_targets()
    if area.is_national:
        target = sum(targets.values())
        main = _departements_table(posts, covered, targets)
    else:
        target = targets[area.departement]
        main = _posts_table(posts, covered, today)
    turnover = _turnover(area, today)
    employers = _employer_kinds(posts)
    return Part(
        "couverture",
        "Couverture du territoire",
        intro=_intro(area, national, targets),
        tables=[
            _summary(area, posts, covered, target, national.national_total, today),
            main,
        ],
        # Each chart carries its figures as a table (« Voir les données », the PDF, the
        # XLSX): no second table of the same figures.
        charts=[turnover, employers],
    )


def _posts(area: Area, today: datetime.date):
    """The posts of the area with their kind (from their sites), employer, holder today
    and the day their last holder left (one query when read)."""
    holders = PostHolder.objects.filter(post=OuterRef("pk"))
    current = holders.filter(Q(end__isnull=True) | Q(end__gte=today), start__lte=today)
    last_left = (
        holders.filter(end__lt=today)
        .order_by()
        .values("post")
        .annotate(last=Max("end"))
        .values("last")
    )
    return (
        Post.objects.filter(**area.posts_filter())
        .with_kind()
        .annotate(
            # Held today; « vacant » is its negation (a negated Exists annotation is lost
            # by Django when an aggregate filters on it).
            held=Exists(current),
            holder_name=Subquery(current.order_by("-start").values("name")[:1]),
            last_left=Subquery(last_left),
        )
        .order_by("departement", "name", "pk")
    )


def _covered_posts(area: Area, today: datetime.date) -> dict[int, str]:
    """The posts of the area that a convention in force today covers, with their
    département: the conventions
    list's « en vigueur » (SQL narrows, Python decides), then each section's own
    dates (an amendment may add or remove a post)."""
    filters = {"status": ConventionStatus.IN_FORCE}
    if area.departement:
        filters["departement"] = area.departement
    in_force = convention_list(Convention.objects.agreements(), filters=filters, today=today)
    sections = (
        ConventionPost.objects.filter(
            convention__in=in_force.values("pk"), **area.posts_filter("post__")
        )
        .select_related("added_by", "removed_by")
        .annotate(departement=F("post__departement"))
    )
    return {
        section.post_id: section.departement for section in sections if section.is_in_force(today)
    }


def _counts() -> dict:
    """The aggregates of a set of posts (annotated by ``_posts``)."""

    def of_kind(kind):
        return Count("pk", filter=Q(annotated_kind=kind))

    return {
        "posts": Count("pk"),
        "fte": Sum("fte"),
        "police": of_kind(PostKind.POLICE),
        "gendarmerie": of_kind(PostKind.GENDARMERIE),
        "mixed": of_kind(PostKind.MIXED),
        "vacant": Count("pk", filter=Q(held=False)),
    }


def _summary(area, posts, covered: dict[int, str], target: int, national_total, today) -> Table:
    """One row; nationally, the target is the sum of the départements' and, when the
    administrator sets it, the national total too (the gap is to the latter then)."""
    counts = posts.aggregate(**_counts())
    vacancy_days = [
        _days_vacant(last_left, today)
        for last_left in posts.filter(held=False, last_left__isnull=False).values_list(
            "last_left", flat=True
        )
    ]
    median = round(statistics.median(vacancy_days)) if vacancy_days else None
    average = round(statistics.fmean(vacancy_days)) if vacancy_days else None
    fixed = [Column("Objectif national fixé")] if area.is_national else []
    gap = counts["posts"] - ((national_total or target) if area.is_national else target)
    return Table(
        "couverture-synthese",
        f"Couverture : {area.label}",
        [
            Column("Territoire", Kind.TEXT),
            Column("Postes"),
            Column("Objectif (somme des départements)" if area.is_national else "Objectif"),
            *fixed,
            Column("Écart à l'objectif"),
            Column("ETP", Kind.DECIMAL),
            Column("Police"),
            Column("Gendarmerie"),
            Column("Mixtes"),
            Column("Postes vacants"),
            Column("Vacance médiane", Kind.DAYS),
            Column("Vacance moyenne", Kind.DAYS),
            Column("Sans convention en vigueur"),
        ],
        [
            [
                area.label,
                counts["posts"],
                target,
                *([national_total] if area.is_national else []),
                gap,
                counts["fte"] or 0,
                counts["police"],
                counts["gendarmerie"],
                counts["mixed"],
                counts["vacant"],
                median,
                average,
                counts["posts"] - len(covered),
            ]
        ],
        notes=[
            "Vacance : jours depuis le départ du dernier titulaire, pour les postes vacants "
            "qui ont déjà eu un titulaire.",
            "Sans convention en vigueur : aucune convention en vigueur aujourd'hui ne "
            "couvre le poste.",
        ],
    )


def _days_vacant(last_left: datetime.date, today: datetime.date) -> int:
    """Days without a holder since the day after the last one left."""
    return (today - last_left).days - 1


def _departements_table(posts, covered: dict[int, str], targets: dict[str, int]) -> Table:
    by_departement = {
        row["departement"]: row
        for row in posts.order_by().values("departement").annotate(**_counts())
    }
    covered_by_departement = Counter(covered.values())
    rows = []
    for departement in DEPARTEMENTS:
        counts = by_departement.get(departement.code, {})
        count = counts.get("posts", 0)
        target = targets[departement.code]
        rows.append(
            [
                departement.code,
                departement.name,
                count,
                target,
                count - target,
                counts.get("fte") or 0,
                counts.get("police", 0),
                counts.get("gendarmerie", 0),
                counts.get("mixed", 0),
                counts.get("vacant", 0),
                count - covered_by_departement[departement.code],
            ]
        )
    return Table(
        "couverture-departements",
        "Postes par département",
        [
            Column("Département", Kind.TEXT),
            Column("Nom", Kind.TEXT),
            Column("Postes"),
            Column("Objectif"),
            Column("Écart à l'objectif"),
            Column("ETP", Kind.DECIMAL),
            Column("Police"),
            Column("Gendarmerie"),
            Column("Mixtes"),
            Column("Postes vacants"),
            Column("Sans convention en vigueur"),
        ],
        rows,
        links=[Area(departement.code).url for departement in DEPARTEMENTS],
        sortable=True,
    )


def _posts_table(posts, covered: dict[int, str], today: datetime.date) -> Table:
    rows, links = [], []
    for post in posts.select_related("employer"):
        if post.held:
            holder, days = post.holder_name, None
        elif post.last_left is None:
            holder, days = "vacant, jamais pourvu", None
        else:
            since = post.last_left + datetime.timedelta(days=1)
            holder = f"vacant depuis le {french_date(since)}"
            days = _days_vacant(post.last_left, today)
        rows.append(
            [
                post.name,
                post.fte,
                FORCE_LABELS[post.annotated_kind],
                post.employer.name,
                post.employer.get_kind_display(),
                holder,
                days,
                "oui" if post.pk in covered else "non",
            ]
        )
        links.append(post.get_absolute_url())
    return Table(
        "couverture-postes",
        "Postes du département",
        [
            Column("Poste", Kind.TEXT),
            Column("ETP", Kind.DECIMAL),
            Column("Force", Kind.TEXT),
            Column("Employeur", Kind.TEXT),
            Column("Type d'employeur", Kind.TEXT),
            Column("Titulaire", Kind.TEXT),
            Column("Jours de vacance", Kind.DAYS),
            Column("Convention en vigueur", Kind.TEXT),
        ],
        rows,
        links=links,
        sortable=True,
    )


def _turnover(area: Area, today: datetime.date) -> Chart:
    """Holder changes per year: the holders who began that year, a post's first holder
    apart (taking up a new post is not a change)."""
    years = list(range(today.year - TURNOVER_YEARS + 1, today.year + 1))
    earlier = PostHolder.objects.filter(
        Q(start__lt=OuterRef("start")) | Q(start=OuterRef("start"), pk__lt=OuterRef("pk")),
        post=OuterRef("post"),
    )
    per_year = dict(
        PostHolder.objects.filter(
            Exists(earlier),
            start__year__gte=years[0],
            start__lte=today,
            **area.posts_filter("post__"),
        )
        .annotate(year=ExtractYear("start"))
        .order_by()
        .values("year")
        .annotate(changes=Count("pk"))
        .values_list("year", "changes")
    )
    return Chart(
        "couverture-rotation",
        "Changements de titulaire par année",
        "bars",
        [str(year) for year in years],
        [Series("Changements de titulaire", [per_year.get(year, 0) for year in years])],
    )


def _employer_kinds(posts) -> Chart:
    per_kind = dict(
        posts.order_by()
        .values("employer__kind")
        .annotate(count=Count("pk"))
        .values_list("employer__kind", "count")
    )
    kinds = sorted(
        (kind for kind in OrganisationKind if per_kind.get(kind.value)),
        key=lambda kind: -per_kind[kind.value],
    )
    return Chart(
        "couverture-employeurs",
        "Postes par type d'employeur",
        "hbars",
        [kind.label for kind in kinds],
        [Series("Postes", [per_kind[kind.value] for kind in kinds])],
    )


def _count_of_posts(count: int) -> str:
    return f"{count} poste{'s' if count > 1 else ''}"


def _intro(area: Area, national, targets: dict[str, int]) -> str:
    if not area.is_national:
        return (
            f"Objectif du département : {_count_of_posts(targets[area.departement])} "
            f"(par défaut : {national.posts_per_departement})."
        )
    total = sum(targets.values())
    text = (
        f"Objectif : {_count_of_posts(national.posts_per_departement)} par département par défaut, "
        f"soit {total} pour les {len(BY_CODE)} départements"
    )
    if national.national_total:
        text += f" ; objectif national fixé : {national.national_total} postes"
    return text + "."
