"""What the law says about a deliberation, checked in one place.

Code général des collectivités territoriales, for municipal councils (and the
councils of EPCI, which follow them through L5211-1):

- quorum (L2121-17): more than half of the members in office are present;
  members represented by a proxy do not count;
- proxies (L2121-20): one proxy at most per holder; a giver is absent, a
  holder is present;
- majority (L2121-20): absolute majority of the votes cast; abstentions and
  members who do not take part are not votes cast; on a tie the president's
  vote decides, except in a secret ballot;
- consistency: pour + contre + abstention + ne prend pas part = present +
  represented; present + represented + excused + absent = members in office.

The functions here read plain data (``Sitting``, ``Vote``) and return a list
of French ``Check`` lines, so that the forms (on data not yet saved), the
detail page, and later the PDF and the exports show the same messages.
A ``blocking`` check is one the form refuses to save: the attendance sheet it
describes cannot exist (two proxies to one holder, a giver also present, …).
Other errors are saved and shown until corrected: the register is a legal act
whose defects must be visible, not hidden by a form that refuses to record it.

Nothing here queries the database except ``planned_amounts``, which reads
the conventions' funding (see ``convention_planned_amounts``).
"""

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from config.core.formats import euros
from conventions.enums import AttendanceStatus, DeliberatingBody, DeliberationResult, PresidentVote


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"
    OK = "ok"


SEVERITY_LABELS = {
    Severity.ERROR: "Non conforme",
    Severity.WARNING: "À vérifier",
    Severity.INFO: "Information",
    Severity.OK: "Conforme",
}


@dataclass(frozen=True)
class Check:
    code: str
    severity: Severity
    message: str
    blocking: bool = False
    # The attendance lines the message is about, to show it next to those members.
    member_ids: tuple[int, ...] = ()

    @property
    def label(self) -> str:
        return SEVERITY_LABELS[self.severity]

    @property
    def is_error(self) -> bool:
        return self.severity == Severity.ERROR


@dataclass(frozen=True)
class Proxy:
    giver: int
    holder: int | None


@dataclass
class Sitting:
    """Who was there: member ids, with ``names`` to write messages."""

    names: Mapping[int, str]
    in_office: frozenset[int]
    present: list[int] = field(default_factory=list)
    proxies: list[Proxy] = field(default_factory=list)
    excused: list[int] = field(default_factory=list)
    absent: list[int] = field(default_factory=list)
    president: int | None = None
    secretaries: list[int] = field(default_factory=list)
    rapporteur: int | None = None
    second_convocation: bool = False
    body: str = DeliberatingBody.MUNICIPAL_COUNCIL

    @property
    def is_recorded(self) -> bool:
        return bool(self.present or self.proxies or self.excused or self.absent)

    @property
    def present_in_office(self) -> set[int]:
        return set(self.present) & self.in_office

    @property
    def voters(self) -> int:
        """Present plus represented, each member once."""
        givers = {p.giver for p in self.proxies} - set(self.present)
        return len(set(self.present) | givers)

    def name(self, member_id) -> str:
        return self.names.get(member_id, f"Membre n° {member_id}")


@dataclass(frozen=True)
class Vote:
    votes_for: int | None
    votes_against: int | None = 0
    abstentions: int | None = 0
    not_participating: int | None = 0
    result: str = ""
    president_vote: str = ""
    secret_ballot: bool = False

    @property
    def is_recorded(self) -> bool:
        return self.votes_for is not None

    @property
    def total(self) -> int:
        return sum(
            n or 0
            for n in (self.votes_for, self.votes_against, self.abstentions, self.not_participating)
        )

    @property
    def cast(self) -> int:
        """Votes cast (suffrages exprimés): abstentions and non-participation are not."""
        return (self.votes_for or 0) + (self.votes_against or 0)


def quorum_minimum(members_in_office: int) -> int:
    """More than half: 23 for 45 members, 23 for 44."""
    return members_in_office // 2 + 1


def _articles(body: str) -> dict[str, str]:
    """Articles to cite, for the assemblies whose article numbers we are sure of."""
    if body in (DeliberatingBody.MUNICIPAL_COUNCIL, DeliberatingBody.COMMUNITY_COUNCIL):
        return {
            "quorum": " (article L2121-17 du CGCT)",
            "proxy": " (article L2121-20 du CGCT)",
            "majority": " (article L2121-20 du CGCT)",
            "secretary": " (article L2121-15 du CGCT)",
        }
    return defaultdict(str)


def _plural(n: int, singular: str, plural: str | None = None) -> str:
    return f"{n} {singular if n <= 1 else (plural or singular + 's')}"


# Attendance -----------------------------------------------------------------


def check_attendance(sitting: Sitting) -> list[Check]:
    if not sitting.is_recorded:
        return [
            Check(
                "attendance_missing",
                Severity.WARNING,
                "La feuille de présence n'est pas encore saisie : le quorum et le décompte "
                "des votes ne peuvent pas être vérifiés.",
            )
        ]
    law = _articles(sitting.body)
    checks = _check_listed_once(sitting) + _check_proxies(sitting, law)
    checks += _check_in_office(sitting)
    checks += _check_total(sitting)
    checks += _check_quorum(sitting, law)
    checks += _check_officers(sitting, law)
    return checks


def _check_listed_once(sitting: Sitting) -> list[Check]:
    checks = []
    present = set(sitting.present)
    for proxy in sitting.proxies:
        if proxy.giver in present:
            holder = f" à {sitting.name(proxy.holder)}" if proxy.holder else ""
            checks.append(
                Check(
                    "giver_present",
                    Severity.ERROR,
                    f"{sitting.name(proxy.giver)} a donné pouvoir{holder} mais figure aussi "
                    "parmi les présents : un membre qui donne pouvoir n'est pas présent.",
                    blocking=True,
                    member_ids=(proxy.giver,),
                )
            )
    givers_present = {p.giver for p in sitting.proxies} & present
    lines = Counter(
        sitting.present
        + [p.giver for p in sitting.proxies]
        + list(sitting.excused)
        + list(sitting.absent)
    )
    for member_id, count in lines.items():
        if count > 1 and not (count == 2 and member_id in givers_present):
            checks.append(
                Check(
                    "listed_twice",
                    Severity.ERROR,
                    f"{sitting.name(member_id)} figure {count} fois sur la feuille de présence.",
                    blocking=True,
                    member_ids=(member_id,),
                )
            )
    return checks


def _check_proxies(sitting: Sitting, law) -> list[Check]:
    checks = []
    present = set(sitting.present)
    by_holder = defaultdict(list)
    for proxy in sitting.proxies:
        giver = sitting.name(proxy.giver)
        if proxy.holder is None:
            checks.append(
                Check(
                    "proxy_without_holder",
                    Severity.ERROR,
                    f"{giver} est représenté(e) : indiquez à qui le pouvoir a été donné.",
                    blocking=True,
                    member_ids=(proxy.giver,),
                )
            )
            continue
        if proxy.holder == proxy.giver:
            checks.append(
                Check(
                    "own_proxy",
                    Severity.ERROR,
                    f"{giver} ne peut pas se donner pouvoir à soi-même.",
                    blocking=True,
                    member_ids=(proxy.giver,),
                )
            )
            continue
        by_holder[proxy.holder].append(proxy.giver)
        if proxy.holder not in present:
            checks.append(
                Check(
                    "holder_not_present",
                    Severity.ERROR,
                    f"{sitting.name(proxy.holder)} détient le pouvoir de {giver} mais n'est pas "
                    "présent(e) : seul un membre présent peut voter pour un autre.",
                    blocking=True,
                    member_ids=(proxy.giver,),
                )
            )
    for holder, givers in by_holder.items():
        if len(givers) > 1:
            checks.append(
                Check(
                    "two_proxies",
                    Severity.ERROR,
                    f"{sitting.name(holder)} détient {len(givers)} pouvoirs ("
                    + ", ".join(sitting.name(g) for g in givers)
                    + f") : un membre ne peut détenir qu'un seul pouvoir{law['proxy']}.",
                    blocking=True,
                    member_ids=tuple(givers),
                )
            )
    if sitting.proxies and not checks:
        checks.append(
            Check(
                "proxies",
                Severity.OK,
                f"{_plural(len(sitting.proxies), 'pouvoir')}, chacun détenu par un membre présent "
                "qui n'en détient pas d'autre.",
            )
        )
    return checks


def _check_in_office(sitting: Sitting) -> list[Check]:
    listed = set(sitting.present) | set(sitting.excused) | set(sitting.absent)
    listed |= {p.giver for p in sitting.proxies} | {p.holder for p in sitting.proxies if p.holder}
    return [
        Check(
            "not_in_office",
            Severity.ERROR,
            f"{sitting.name(member_id)} n'est pas membre en exercice à la date de la séance.",
            blocking=True,
            member_ids=(member_id,),
        )
        for member_id in sorted(listed - sitting.in_office)
    ]


def _check_total(sitting: Sitting) -> list[Check]:
    present = set(sitting.present)
    represented = {p.giver for p in sitting.proxies} - present
    away = (set(sitting.excused) | set(sitting.absent)) - present - represented
    total = len(present) + len(represented) + len(away)
    in_office = len(sitting.in_office)
    counts = (
        f"{_plural(len(present), 'présent')} + {_plural(len(represented), 'représenté')} "
        f"+ {_plural(len(away), 'excusé ou absent', 'excusés ou absents')}"
    )
    if total == in_office and present | represented | away == sitting.in_office:
        return [
            Check(
                "attendance_total",
                Severity.OK,
                f"Feuille de présence complète : {counts} = {in_office} membres en exercice.",
            )
        ]
    missing = sorted(
        sitting.in_office - present - represented - away,
        key=lambda m: sitting.name(m),
    )
    detail = ""
    if missing:
        detail = " Sans statut : " + ", ".join(sitting.name(m) for m in missing) + "."
    return [
        Check(
            "attendance_total",
            Severity.ERROR,
            f"La feuille de présence compte {total} membres ({counts}) pour {in_office} "
            f"membres en exercice.{detail}",
        )
    ]


def _check_quorum(sitting: Sitting, law) -> list[Check]:
    in_office = len(sitting.in_office)
    present = len(sitting.present_in_office)
    minimum = quorum_minimum(in_office)
    if sitting.second_convocation:
        return [
            Check(
                "quorum",
                Severity.INFO,
                "Séance sur nouvelle convocation : le conseil délibère sans condition de "
                f"quorum{law['quorum']}.",
            )
        ]
    if present >= minimum:
        return [
            Check(
                "quorum",
                Severity.OK,
                f"Quorum atteint : {present} membres présents sur {in_office} en exercice "
                f"(il en faut au moins {minimum}).",
            )
        ]
    return [
        Check(
            "quorum",
            Severity.ERROR,
            f"Quorum non atteint : {_plural(present, 'membre présent', 'membres présents')} "
            f"sur {in_office} en exercice, il en faut au moins {minimum} (plus de la moitié ; "
            f"les pouvoirs ne comptent pas{law['quorum']}).",
        )
    ]


def _check_officers(sitting: Sitting, law) -> list[Check]:
    checks = []
    present = set(sitting.present)
    if sitting.president is None:
        checks.append(
            Check("president", Severity.WARNING, "Le président de séance n'est pas indiqué.")
        )
    elif sitting.president not in present:
        checks.append(
            Check(
                "president",
                Severity.ERROR,
                f"Le président de séance ({sitting.name(sitting.president)}) ne figure pas "
                "parmi les présents.",
            )
        )
    if not sitting.secretaries:
        checks.append(
            Check(
                "secretary",
                Severity.WARNING,
                f"Aucun secrétaire de séance n'est indiqué{law['secretary']}.",
            )
        )
    for secretary in sitting.secretaries:
        if secretary not in present:
            checks.append(
                Check(
                    "secretary",
                    Severity.ERROR,
                    f"Le secrétaire de séance ({sitting.name(secretary)}) ne figure pas parmi "
                    "les présents.",
                )
            )
    if sitting.rapporteur is not None and sitting.rapporteur not in present:
        checks.append(
            Check(
                "rapporteur",
                Severity.ERROR,
                f"Le rapporteur ({sitting.name(sitting.rapporteur)}) ne figure pas parmi les "
                "présents.",
            )
        )
    return checks


# Vote ---------------------------------------------------------------------------


def expected_result(vote: Vote, body: str = DeliberatingBody.MUNICIPAL_COUNCIL):
    """(result, explanation) that the votes give; result is None on an undecided tie."""
    law = _articles(body)
    for_, against, cast = vote.votes_for or 0, vote.votes_against or 0, vote.cast
    if cast == 0:
        return (
            DeliberationResult.REJECTED,
            "aucun suffrage exprimé, la délibération ne peut pas être adoptée",
        )
    if for_ != against:
        majority = cast // 2 + 1
        result = DeliberationResult.ADOPTED if for_ > against else DeliberationResult.REJECTED
        return (
            result,
            f"{_plural(for_, 'voix pour', 'voix pour')} sur "
            f"{_plural(cast, 'suffrage exprimé', 'suffrages exprimés')}, majorité absolue "
            f"{majority}{law['majority']} : la délibération est {result.label.lower()}",
        )
    tie = f"partage égal des voix ({for_} pour, {against} contre)"
    if vote.secret_ballot:
        return (
            DeliberationResult.REJECTED,
            f"{tie} en scrutin secret : la proposition n'obtient pas la majorité, la "
            "délibération est rejetée",
        )
    if vote.president_vote == PresidentVote.FOR:
        return (
            DeliberationResult.ADOPTED,
            f"{tie}, la voix du président, qui a voté pour, est prépondérante"
            f"{law['majority']} : la délibération est adoptée",
        )
    if vote.president_vote == PresidentVote.AGAINST:
        return (
            DeliberationResult.REJECTED,
            f"{tie}, la voix du président, qui a voté contre, est prépondérante"
            f"{law['majority']} : la délibération est rejetée",
        )
    return None, tie


def check_vote(vote: Vote, sitting: Sitting | None = None) -> list[Check]:
    if not vote.is_recorded:
        return [Check("vote_missing", Severity.WARNING, "Le vote n'est pas encore saisi.")]
    body = sitting.body if sitting else DeliberatingBody.MUNICIPAL_COUNCIL
    checks = []
    if sitting is not None and sitting.is_recorded:
        checks.append(_check_vote_total(vote, sitting))
    checks += _check_president_vote(vote)
    result, explanation = expected_result(vote, body)
    if result is None:
        checks.append(
            Check(
                "tie",
                Severity.ERROR,
                f"{explanation.capitalize()} : indiquez le vote du président, dont la voix est "
                f"prépondérante{_articles(body)['majority']}.",
            )
        )
    elif not vote.result:
        checks.append(
            Check(
                "result",
                Severity.WARNING,
                f"Le résultat n'est pas indiqué ; d'après les votes, {explanation}.",
            )
        )
    elif vote.result != result:
        recorded = DeliberationResult(vote.result).label.lower()
        checks.append(
            Check(
                "result",
                Severity.ERROR,
                f"Le résultat enregistré ({recorded}) ne correspond pas aux votes : {explanation}.",
            )
        )
    else:
        checks.append(Check("result", Severity.OK, f"Résultat conforme aux votes : {explanation}."))
    return checks


def _check_vote_total(vote: Vote, sitting: Sitting) -> Check:
    present = set(sitting.present)
    represented = len({p.giver for p in sitting.proxies} - present)
    detail = (
        f"{vote.votes_for or 0} pour + {vote.votes_against or 0} contre + "
        f"{_plural(vote.abstentions or 0, 'abstention')} + "
        f"{vote.not_participating or 0} ne prenant pas part = {vote.total}"
    )
    voters = (
        f"{sitting.voters} votants ({_plural(len(present), 'présent')} + "
        f"{_plural(represented, 'représenté')})"
    )
    if vote.total == sitting.voters:
        return Check("vote_total", Severity.OK, f"Décompte des votes : {detail} = {voters}.")
    return Check(
        "vote_total",
        Severity.ERROR,
        f"Les votes ne correspondent pas aux votants : {detail}, pour {voters}.",
    )


def _check_president_vote(vote: Vote) -> list[Check]:
    if vote.president_vote == PresidentVote.FOR and not vote.votes_for:
        wrong = "pour, mais aucune voix pour n'est comptée"
    elif vote.president_vote == PresidentVote.AGAINST and not vote.votes_against:
        wrong = "contre, mais aucune voix contre n'est comptée"
    else:
        return []
    return [Check("president_vote", Severity.ERROR, f"Le président a voté {wrong}.")]


# Amounts ------------------------------------------------------------------------

PlannedAmounts = Callable[[object, int], "dict[int, Decimal] | None"]


def convention_planned_amounts(convention, year: int) -> dict[int, Decimal] | None:
    """Each funder's planned contribution to ``convention`` for budget ``year``.

    Keys are organisation ids. None means the convention's funding is not
    recorded (or not computable for that year, a post cost missing), and the
    amounts cannot be compared.
    """
    # Imported here: the funding module reads the models, this one stays pure.
    from conventions.funding.plan import planned_amounts

    amounts = planned_amounts(convention, year)
    if None not in amounts:
        return None
    return {organisation: amount for organisation, amount in amounts.items() if organisation}


@dataclass(frozen=True)
class DecidedFigure:
    amount: Decimal
    organisation_id: int | None = None
    organisation_name: str = ""
    year: int | None = None


def convention_years(convention, fallback_year: int) -> list[int]:
    """Budget years of the convention's first period, to compare an annual amount with."""
    start, end = convention.effective_date, convention.initial_end_date
    if start and end:
        return list(range(start.year, end.year + 1))
    duration = convention.duration_years or 1
    return list(range(fallback_year, fallback_year + duration))


def check_amounts(
    figures: Sequence[DecidedFigure],
    conventions: Sequence,
    *,
    session_year: int,
    planned_amounts: PlannedAmounts | None = None,
) -> list[Check]:
    if not figures or not conventions:
        return []
    planned_amounts = planned_amounts or convention_planned_amounts
    checks = []
    compared = False
    for convention in conventions:
        suffix = f" (convention {convention.reference})" if len(conventions) > 1 else ""
        all_years = convention_years(convention, session_year)
        for figure in figures:
            years = [figure.year] if figure.year else all_years
            planned = {y: planned_amounts(convention, y) for y in years}
            planned = {y: p for y, p in planned.items() if p is not None}
            if not planned:
                continue
            compared = True
            checks += _compare_figure(figure, planned, suffix)
    if not compared:
        return [
            Check(
                "amounts",
                Severity.INFO,
                "Les montants décidés ne peuvent pas encore être comparés aux contributions de "
                "la convention : son financement n'est pas saisi.",
            )
        ]
    return checks


def _compare_figure(
    figure: DecidedFigure, planned: Mapping[int, Mapping[int, Decimal]], suffix: str
) -> list[Check]:
    mismatches = defaultdict(list)
    for year, amounts in planned.items():
        if figure.organisation_id is None:
            expected = sum(amounts.values(), Decimal(0))
        else:
            expected = amounts.get(figure.organisation_id)
        if expected != figure.amount:
            mismatches[expected].append(year)
    if not mismatches:
        whose = (
            "au total des contributions de la convention"
            if figure.organisation_id is None
            else f"à la contribution de {figure.organisation_name} dans la convention"
        )
        return [
            Check(
                "amounts",
                Severity.OK,
                f"Le montant décidé ({euros(figure.amount)}) est égal {whose}{suffix}.",
            )
        ]
    checks = []
    for expected, years in mismatches.items():
        # Say which budgets differ only when not all of them do the same way.
        when = ""
        if figure.year is None and (len(mismatches) > 1 or len(years) < len(planned)):
            when = " pour " + (
                f"le budget {years[0]}"
                if len(years) == 1
                else "les budgets " + ", ".join(map(str, years))
            )
        checks.append(
            Check(
                "amounts", Severity.WARNING, _mismatch_text(figure, expected) + when + suffix + "."
            )
        )
    return checks


def _mismatch_text(figure: DecidedFigure, expected: Decimal | None) -> str:
    decided = euros(figure.amount)
    if figure.organisation_id is None:
        what = (
            "Le montant annuel annoncé par la délibération"
            if figure.year is None
            else f"Le montant annoncé par la délibération pour {figure.year}"
        )
        return (
            f"{what} ({decided}) ne correspond pas au total des contributions de la "
            f"convention ({euros(expected)})"
        )
    what = (
        f"La participation annuelle de {figure.organisation_name} décidée par la délibération"
        if figure.year is None
        else f"La participation de {figure.organisation_name} pour {figure.year} décidée par "
        "la délibération"
    )
    planned = euros(expected) if expected is not None else "aucune contribution prévue"
    return f"{what} ({decided}) ne correspond pas à sa contribution dans la convention ({planned})"


# From the models ------------------------------------------------------------------


def sitting_from_deliberation(
    deliberation, *, attendances: Iterable | None = None, secretaries: Iterable | None = None
) -> Sitting:
    """Read the prefetched attendance, or ``attendances`` / ``secretaries`` not yet saved."""
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
    )
    for attendance in attendances:
        match attendance.status:
            case AttendanceStatus.PRESENT:
                sitting.present.append(attendance.member.pk)
            case AttendanceStatus.REPRESENTED:
                sitting.proxies.append(Proxy(attendance.member.pk, attendance.proxy_holder_id))
            case AttendanceStatus.EXCUSED:
                sitting.excused.append(attendance.member.pk)
            case AttendanceStatus.ABSENT:
                sitting.absent.append(attendance.member.pk)
    return sitting


def vote_from_deliberation(deliberation) -> Vote:
    return Vote(
        votes_for=deliberation.votes_for,
        votes_against=deliberation.votes_against,
        abstentions=deliberation.abstentions,
        not_participating=deliberation.not_participating,
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
            deliberation, attendances=attendances, secretaries=secretaries
        )
        checks += check_attendance(sitting)
        checks += check_vote(vote_from_deliberation(deliberation), sitting)
    if deliberation.pk:
        checks += check_amounts(
            figures_from_deliberation(deliberation),
            list(deliberation.conventions.all()),
            session_year=deliberation.session_date.year,
            planned_amounts=planned_amounts,
        )
    order = [Severity.ERROR, Severity.WARNING, Severity.INFO, Severity.OK]
    return sorted(checks, key=lambda c: order.index(c.severity))
