"""The attendance sheet against the law in force on the session date: listed once,
proxies, members in office, totals, quorum, officers (president, secretary, rapporteur).
"""

from collections import Counter, defaultdict

from conventions.deliberations.checks.common import (
    Check,
    Severity,
    Sitting,
    cited_articles,
    plural,
    quorum_minimum,
)


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
    law = cited_articles(sitting.body)
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
                f"{plural(len(sitting.proxies), 'pouvoir')}, chacun détenu par un membre présent "
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
        f"{plural(len(present), 'présent')} + {plural(len(represented), 'représenté')} "
        f"+ {plural(len(away), 'excusé ou absent', 'excusés ou absents')}"
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
            f"Quorum non atteint : {plural(present, 'membre présent', 'membres présents')} "
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
