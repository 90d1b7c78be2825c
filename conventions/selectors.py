"""Reads behind the convention pages."""

import datetime

from django.db.models import Exists, OuterRef, Q

from partners.models import Organisation

from .enums import ConventionStatus
from .models import Convention, Party

NOT_YET_SIGNED = {ConventionStatus.DRAFT, ConventionStatus.APPROVED}


def visible_conventions(scope):
    """What the list shows: the scope, without model conventions except for administrators."""
    conventions = scope.conventions()
    if not scope.is_admin:
        conventions = conventions.filter(is_template=False)
    return conventions


def filter_choices(visible):
    """Départements of the posts and partner organisations met in ``visible`` (two queries)."""
    departements = (
        visible.filter(post__isnull=False)
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


def _not_fully_signed():
    party = Party.objects.filter(convention=OuterRef("pk"), signs=True)
    return Exists(party.filter(signed_on__isnull=True)) | ~Exists(party)


def in_force_during(convention: Convention, year: int) -> bool:
    """Whether one of its periods overlaps the calendar year, before any termination."""
    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    if convention.is_template:
        return False
    if convention.terminated_on and convention.terminated_on < first:
        return False
    return any(p.start <= last and p.end >= first for p in convention.periods(until=last))


def convention_list(visible, *, filters: dict, today: datetime.date):
    """The visible conventions matching ``filters``, with everything a row shows loaded.

    Status and years in force are derived from dates: SQL narrows what it can
    (termination, complete signatures) and Python decides on the rest. Without
    those two filters the result stays a queryset, so that a page loads only
    its own rows.
    """
    conventions = visible.search(filters.get("q"))
    if departement := filters.get("departement"):
        conventions = conventions.filter(post__departement=departement)
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
        signed = _not_fully_signed()
        conventions = conventions.filter(signed if status in NOT_YET_SIGNED else ~signed)
    year = filters.get("year")
    if year:
        conventions = conventions.filter(
            Q(terminated_on__isnull=True) | Q(terminated_on__gte=datetime.date(year, 1, 1))
        )
    rows = (
        Convention.objects.filter(pk__in=conventions.values("pk")).for_list().order_by("reference")
    )
    if not (status or year):
        return rows
    result = []
    for convention in rows:
        if status and convention.status(today) != status:
            continue
        if year and not in_force_during(convention, year):
            continue
        result.append(convention)
    return result
