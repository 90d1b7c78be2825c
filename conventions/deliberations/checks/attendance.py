"""The attendance sheet against the law in force on the session date: listed once,
proxies, members in office, totals, quorum, officers (president, secretary, rapporteur).
"""

from collections import Counter, defaultdict

from config.core.formats import french_date
from conventions.deliberations.checks.common import (
    Check,
    Proxy,
    Severity,
    Sitting,
    cited_articles,
    plural,
)
from conventions.deliberations.checks.law import (
    ProxyDurationRule,
    proxy_rule,
    quorum_rule,
    rule_in_force,
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
    checks = _check_listed_once(sitting) + _check_proxies(sitting)
    checks += _check_proxy_duration(sitting)
    checks += _check_in_office(sitting)
    checks += _check_total(sitting)
    checks += _check_quorum(sitting)
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


def _check_proxies(sitting: Sitting) -> list[Check]:
    rule = proxy_rule(sitting.day, sitting.body)
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
        if proxy.given_on and sitting.session_date and proxy.given_on > sitting.session_date:
            checks.append(
                Check(
                    "proxy_date",
                    Severity.ERROR,
                    f"Le pouvoir de {giver} est daté du {french_date(proxy.given_on)}, après la "
                    f"séance du {french_date(sitting.session_date)} : un pouvoir est écrit avant "
                    "la séance.",
                    blocking=True,
                    member_ids=(proxy.giver,),
                )
            )
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
        # Under statutes (per_holder None) the application does not count the proxies held.
        if rule.per_holder is not None and len(givers) > rule.per_holder:
            allowed = (
                "qu'un seul pouvoir" if rule.per_holder == 1 else f"que {rule.per_holder} pouvoirs"
            )
            checks.append(
                Check(
                    "two_proxies",
                    Severity.ERROR,
                    f"{sitting.name(holder)} détient {len(givers)} pouvoirs ("
                    + ", ".join(sitting.name(g) for g in givers)
                    + f") : {_on(sitting)}un membre ne peut détenir {allowed}{rule.cited}.",
                    blocking=True,
                    member_ids=tuple(givers),
                )
            )
    if sitting.proxies and not checks:
        most = max(len(givers) for givers in by_holder.values())
        if most == 1:
            limit = " qui n'en détient pas d'autre"
        elif rule.per_holder is None:
            limit = " ; le nombre de pouvoirs par membre relève des statuts"
        else:
            limit = f" ; aucun n'en détient plus de {rule.per_holder}{rule.cited}"
        checks.append(
            Check(
                "proxies",
                Severity.OK,
                f"{plural(len(sitting.proxies), 'pouvoir')}, chacun détenu par un membre présent"
                f"{limit}.",
            )
        )
    return checks


def _on(sitting: Sitting) -> str:
    """ "le 20 septembre 2021, " when the rules depend on a known session date."""
    return f"le {french_date(sitting.session_date)}, " if sitting.session_date else ""


def _check_proxy_duration(sitting: Sitting) -> list[Check]:
    """A proxy is valid for three consecutive sessions at most, except illness (L2121-20).

    The product knows only the sessions where a deliberation was recorded: they are
    some of the council's sessions, never more. A dated proxy used at more than three
    known sessions since its date has certainly expired (an error). Without a date,
    the same proxy (same giver, same holder) at more than three consecutive known
    sessions may be a new proxy written each time, or sessions may have passed
    between them unrecorded: a warning asking for the date.
    """
    rule = rule_in_force(ProxyDurationRule, sitting.day, sitting.body)
    if rule is None or sitting.council_sessions is None or sitting.session_date is None:
        return []
    checks = []
    for proxy in sitting.proxies:
        if proxy.holder is None or proxy.illness:
            continue
        if proxy.given_on is not None:
            if proxy.given_on > sitting.session_date:
                continue  # refused by _check_proxies
            sessions = [
                day
                for day in sitting.council_sessions
                if proxy.given_on <= day <= sitting.session_date
            ]
            if len(sessions) > rule.sessions:
                checks.append(_expired(sitting, proxy, rule, sessions, certain=True))
            continue
        run = _same_proxy_run(sitting, proxy)
        if len(run) > rule.sessions:
            checks.append(_expired(sitting, proxy, rule, run, certain=False))
    return checks


def _same_proxy_run(sitting: Sitting, proxy: Proxy) -> list:
    """The consecutive known sessions, this one included, where the giver was
    represented by the same holder through an undated proxy."""
    held = {
        p.session_date
        for p in sitting.past_proxies
        if p.giver == proxy.giver and p.holder == proxy.holder and p.given_on is None
    } | {sitting.session_date}
    sessions = sorted(set(sitting.council_sessions) | {sitting.session_date})
    at = sessions.index(sitting.session_date)
    start = end = at
    while start > 0 and sessions[start - 1] in held:
        start -= 1
    while end + 1 < len(sessions) and sessions[end + 1] in held:
        end += 1
    return sessions[start : end + 1]


def _expired(sitting: Sitting, proxy: Proxy, rule, sessions, *, certain: bool) -> Check:
    giver, holder = sitting.name(proxy.giver), sitting.name(proxy.holder)
    dates = ", ".join(french_date(day) for day in sessions)
    law = (
        f"sauf maladie dûment constatée, un pouvoir n'est valable que pour {rule.sessions} "
        f"séances consécutives au plus{rule.cited}"
    )
    if certain:
        return Check(
            "proxy_duration",
            Severity.ERROR,
            f"Le pouvoir de {giver} à {holder}, daté du {french_date(proxy.given_on)}, sert à "
            f"{len(sessions)} séances connues du conseil ({dates}) : {law}.",
            member_ids=(proxy.giver,),
        )
    return Check(
        "proxy_duration",
        Severity.WARNING,
        f"{giver} donne pouvoir à {holder} pour {len(sessions)} séances consécutives connues "
        f"du conseil ({dates}) : {law}. Indiquez la date de chaque pouvoir, ou la maladie "
        "qui le justifie.",
        member_ids=(proxy.giver,),
    )


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


def _check_quorum(sitting: Sitting) -> list[Check]:
    rule = quorum_rule(sitting.day, sitting.body)
    in_office = len(sitting.in_office)
    present = len(sitting.present_in_office)
    if not rule.automated:
        return [
            Check(
                "quorum",
                Severity.INFO,
                f"{rule.wording[:1].upper()}{rule.wording[1:]} : {present} membres présents sur "
                f"{in_office} en exercice ; comparez avec le quorum que fixent les statuts ou "
                "le règlement intérieur.",
            )
        ]
    words = ("membre présent", "membres présents")
    if rule.counts_represented:
        present = len(sitting.present_or_represented_in_office)
        words = ("membre présent ou représenté", "membres présents ou représentés")
    minimum = rule.minimum(in_office)
    if sitting.second_convocation:
        return [
            Check(
                "quorum",
                Severity.INFO,
                "Séance sur nouvelle convocation : le conseil délibère sans condition de "
                f"quorum{rule.cited}.",
            )
        ]
    if present >= minimum:
        return [
            Check(
                "quorum",
                Severity.OK,
                f"Quorum atteint : {plural(present, *words)} sur {in_office} en exercice ; "
                f"il en faut au moins {minimum}, {rule.wording}{rule.cited}.",
            )
        ]
    return [
        Check(
            "quorum",
            Severity.ERROR,
            f"Quorum non atteint : {plural(present, *words)} "
            f"sur {in_office} en exercice ; il en faut au moins {minimum}, {rule.wording}"
            f"{rule.cited}.",
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
