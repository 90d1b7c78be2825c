"""Every check of a saved deliberation (or of a form's data not yet saved), read from
the models into the plain ``Sitting`` and ``Vote`` the checks take.
"""

from collections.abc import Iterable

from conventions.deliberations.checks.amounts import DecidedFigure, PlannedAmounts, check_amounts
from conventions.deliberations.checks.attendance import check_attendance
from conventions.deliberations.checks.common import (
    Check,
    PastProxy,
    Proxy,
    Severity,
    Sitting,
    Vote,
)
from conventions.deliberations.checks.law import ProxyDurationRule, rule_in_force
from conventions.deliberations.checks.publication import check_publication
from conventions.deliberations.checks.vote import check_vote
from conventions.enums import AttendanceStatus
from conventions.models import Attendance, Deliberation


def sitting_from_deliberation(
    deliberation,
    *,
    attendances: Iterable | None = None,
    secretaries: Iterable | None = None,
    history: bool = False,
) -> Sitting:
    """Read the prefetched attendance, or ``attendances`` / ``secretaries`` not yet saved.

    ``history``: also read the council's other sessions and their proxies, for the
    three-session limit of a proxy (two queries, only when someone gave a proxy).
    """
    if attendances is None:
        attendances = deliberation.attendances.all()
    if secretaries is None:
        secretaries = deliberation.secretaries.all() if deliberation.pk else []
    attendances = list(attendances)
    secretaries = list(secretaries)
    in_office = deliberation.members_in_office
    names = {m.pk: m.full_name for m in in_office}
    for attendance in attendances:
        names[attendance.member.pk] = attendance.member.full_name
        if attendance.proxy_holder is not None:
            names[attendance.proxy_holder.pk] = attendance.proxy_holder.full_name
    for member in (deliberation.president, deliberation.rapporteur, *secretaries):
        if member is not None:
            names[member.pk] = member.full_name
    sitting = Sitting(
        names=names,
        in_office=frozenset(m.pk for m in in_office),
        president=deliberation.president_id,
        secretaries=[m.pk for m in secretaries],
        rapporteur=deliberation.rapporteur_id,
        second_convocation=deliberation.second_convocation,
        body=deliberation.body,
        session_date=deliberation.session_date,
    )
    for attendance in attendances:
        match attendance.status:
            case AttendanceStatus.PRESENT:
                sitting.present.append(attendance.member.pk)
            case AttendanceStatus.REPRESENTED:
                sitting.proxies.append(
                    Proxy(
                        attendance.member.pk,
                        attendance.proxy_holder_id,
                        given_on=attendance.proxy_given_on,
                        illness=attendance.proxy_for_illness,
                    )
                )
            case AttendanceStatus.EXCUSED:
                sitting.excused.append(attendance.member.pk)
            case AttendanceStatus.ABSENT:
                sitting.absent.append(attendance.member.pk)
    if history:
        _read_proxy_history(deliberation, sitting)
    return sitting


def _read_proxy_history(deliberation, sitting: Sitting) -> None:
    day = sitting.session_date
    if not sitting.proxies or deliberation.council_id is None or day is None:
        return
    if rule_in_force(ProxyDurationRule, day, sitting.body) is None:
        return
    same_council = Deliberation.objects.filter(
        council=deliberation.council_id, is_reference_only=False
    )
    sessions = set(same_council.values_list("session_date", flat=True).distinct())
    sitting.council_sessions = tuple(sorted(sessions | {day}))
    past = (
        Attendance.objects.filter(
            deliberation__in=same_council.exclude(session_date=day),
            status=AttendanceStatus.REPRESENTED,
            member__in=[p.giver for p in sitting.proxies],
        )
        .values_list("deliberation__session_date", "member", "proxy_holder", "proxy_given_on")
        .distinct()
    )
    sitting.past_proxies = tuple(PastProxy(*row) for row in past)


def vote_from_deliberation(deliberation) -> Vote:
    return Vote(
        votes_for=deliberation.votes_for,
        votes_against=deliberation.votes_against,
        abstentions=deliberation.abstentions,
        not_participating=deliberation.not_participating,
        blank_ballots=deliberation.blank_ballots,
        spoilt_ballots=deliberation.spoilt_ballots,
        result=deliberation.result,
        president_vote=deliberation.president_vote,
        secret_ballot=deliberation.secret_ballot,
    )


def figures_from_deliberation(deliberation) -> list[DecidedFigure]:
    return [
        DecidedFigure(
            amount=a.amount,
            organisation_id=a.organisation_id,
            organisation_name=a.funder_label,
            year=a.year,
        )
        for a in deliberation.amounts.all()
    ]


def check_deliberation(
    deliberation,
    *,
    attendances: Iterable | None = None,
    secretaries: Iterable | None = None,
    planned_amounts: PlannedAmounts | None = None,
) -> list[Check]:
    """Every check, errors first. Reads prefetched data (``for_detail``)."""
    checks = []
    if deliberation.is_reference_only:
        checks.append(
            Check(
                "reference_only",
                Severity.INFO,
                "Délibération seulement citée : seuls son numéro, sa date et son assemblée sont "
                "connus ; la présence et le vote ne sont pas vérifiés.",
            )
        )
    else:
        sitting = sitting_from_deliberation(
            deliberation, attendances=attendances, secretaries=secretaries, history=True
        )
        checks += check_attendance(sitting)
        checks += check_vote(vote_from_deliberation(deliberation), sitting)
        checks += check_publication(deliberation, sitting)
    if deliberation.pk:
        checks += check_amounts(
            figures_from_deliberation(deliberation),
            list(deliberation.conventions.all()),
            session_year=deliberation.session_date.year,
            planned_amounts=planned_amounts,
        )
    order = [Severity.ERROR, Severity.WARNING, Severity.INFO, Severity.OK]
    return sorted(checks, key=lambda c: order.index(c.severity))
