"""Reads behind the convention pages."""

import datetime
from collections.abc import Sequence

from django.db.models import Exists, OuterRef, Q

from conventions.enums import ConventionStatus
from conventions.models import Convention, ConventionPost
from conventions.models.convention_queries import not_fully_signed
from partners.models import Organisation

NOT_YET_SIGNED = {ConventionStatus.DRAFT, ConventionStatus.APPROVED}
ENDED = {ConventionStatus.EXPIRED, ConventionStatus.RENEWED}
DATED = {ConventionStatus.IN_FORCE, ConventionStatus.SIGNED}


def visible_conventions(scope):
    """What the list shows: the scope, without model conventions except for administrators."""
    conventions = scope.conventions()
    if not scope.is_admin:
        conventions = conventions.agreements()
    return conventions


def filter_choices(visible):
    """Départements of the posts and partner organisations met in ``visible`` (two queries)."""
    departements = (
        ConventionPost.objects.filter(convention__in=visible.values("pk"))
        .order_by("post__departement")
        .values_list("post__departement", flat=True)
        .distinct()
    )
    organisations = (
        Organisation.objects.filter(parties__convention__in=visible.values("pk"))
        .distinct()
        .order_by("name")
        .values_list("pk", "name")
    )
    return list(departements), list(organisations)


def _renewed_by_a_signed_convention():
    """Another convention renews it and all its signing parties signed (``status``)."""
    return Exists(Convention.objects.filter(renews=OuterRef("pk")).exclude(not_fully_signed()))


def in_force_during(convention: Convention, year: int) -> bool:
    """Whether one of its periods overlaps the calendar year, before any termination."""
    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    if convention.is_template:
        return False
    if convention.terminated_on and convention.terminated_on < first:
        return False
    return any(
        p.start <= last and p.end >= first for p in convention.periods(until=last, as_of=last)
    )


def convention_list(
    visible, *, filters: dict, today: datetime.date, order_by: Sequence[str] = ("reference",)
):
    """The visible conventions matching ``filters`` in the order ``order_by`` (sortable
    columns: see ``conventions.agreements.views``), with everything a row shows loaded.

    Status and years in force are derived from dates: SQL narrows what it can
    (termination, complete signatures, when a period may begin and end) and
    Python decides on the rest, reading only what the status needs. The result
    is a queryset either way, so that a page loads only its own rows.
    """
    conventions = visible.search(filters.get("q"))
    if departement := filters.get("departement"):
        conventions = conventions.filter(
            pk__in=ConventionPost.objects.filter(post__departement=departement).values("convention")
        )
    if organisation := filters.get("organisation"):
        conventions = conventions.filter(parties__organisation=organisation)
    status = filters.get("status")
    if status == ConventionStatus.CANCELLED:
        conventions = conventions.exclude(cancelled_at=None)
    elif status:
        conventions = conventions.filter(cancelled_at=None)
    if status == ConventionStatus.TERMINATED:
        conventions = conventions.filter(terminated_on__lte=today)
    elif status and status != ConventionStatus.CANCELLED:
        conventions = conventions.exclude(terminated_on__lte=today)
        signed = not_fully_signed()
        conventions = conventions.filter(signed if status in NOT_YET_SIGNED else ~signed)
    year = filters.get("year")
    if year:
        conventions = conventions.filter(
            Q(terminated_on__isnull=True) | Q(terminated_on__gte=datetime.date(year, 1, 1))
        )
    matching = Convention.objects.filter(pk__in=conventions.values("pk"))
    if not (status or year):
        # for_list() reads the sections, their posts and the posts' sites.
        return matching.for_list().with_first_post().order_by(*order_by)
    decided, undecided = _by_dates(matching, status, year, today)
    # Periods read the parties and renewals; only some statuses need more.
    needs = ["parties", "renewals", "amendments"]
    if status in NOT_YET_SIGNED:
        needs.append("deliberations")
    if status in ENDED:
        needs.append("renewed_by__parties")
    candidates = Convention.objects.filter(pk__in=undecided.values("pk")).prefetch_related(*needs)
    kept = [
        convention.pk
        for convention in candidates
        if (not status or _has_status(convention, status, today))
        and (not year or in_force_during(convention, year))
    ]
    # An OR of two subqueries keeps PostgreSQL from joining: only when Python kept some.
    found = Q(pk__in=decided.values("pk"))
    if kept:
        found |= Q(pk__in=kept)
    return Convention.objects.filter(found).for_list().with_first_post().order_by(*order_by)


def _by_dates(matching, status, year, today):
    """(decided, undecided): the conventions SQL finds matching for sure, and the ones it
    cannot rule out, for Python to decide.

    SQL decides for a convention whose only period runs to its written end date (in
    force, ended: expired or renewed), and for "signed" (a start still to come)
    whatever its periods. For the others it narrows
    by the dates a period may begin and end.
    """
    if status == ConventionStatus.SIGNED and not year:
        return matching.may_begin_after(today), matching.none()
    simple = Convention.objects.with_one_written_period().values("pk")
    if status in ENDED:
        # Ten years of a national deployment are mostly ended conventions with one
        # written period: SQL decides those (begun, ended before today, renewed or not).
        dated = matching.with_term_start()
        renewed = _renewed_by_a_signed_convention()
        decided = dated.filter(pk__in=simple, term_start__lte=today, end_date__lt=today).filter(
            renewed if status == ConventionStatus.RENEWED else ~renewed
        )
        # Fully signed (``convention_list`` filtered) or with a stated date (a constraint),
        # a convention has a start: Python decides the others begun by today.
        undecided = dated.exclude(pk__in=simple).filter(term_start__lte=today)
    elif status and status not in DATED:
        decided, undecided = matching.with_term_start().none(), matching
    else:
        decided = matching.filter(pk__in=simple).with_term_start()
        undecided = matching.exclude(pk__in=simple)
    if status == ConventionStatus.IN_FORCE:
        decided = decided.filter(term_start__lte=today, end_date__gte=today)
        undecided = undecided.may_be_in_force_during(today, today)
    elif status == ConventionStatus.SIGNED:
        decided = decided.filter(term_start__gt=today)
        undecided = undecided.may_begin_after(today)
    if year:
        first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
        decided = decided.filter(term_start__lte=last, end_date__gte=first)
        undecided = undecided.may_be_in_force_during(first, last)
    return decided, undecided


def _has_status(convention, status, today) -> bool:
    """Read the renewing conventions only to tell a renewed convention from an expired one."""
    own = convention.own_status(today)
    if own == ConventionStatus.EXPIRED and status in ENDED:
        return convention.status(today) == status
    return own == status
