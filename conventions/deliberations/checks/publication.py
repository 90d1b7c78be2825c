"""After the vote: the signatures of the register (L2121-23), publication and
transmission to the préfecture, the day the act is enforceable (L2131-1), and the
signatures of the conventions it authorises, which should not come before that day.
"""

from collections.abc import Iterable

from config.core.formats import french_date
from conventions.deliberations.checks.common import Check, Severity, Sitting
from conventions.deliberations.checks.law import PublicationRule, SignatureRule, rule_in_force
from conventions.enums import DeliberationResult


def check_publication(deliberation, sitting: Sitting) -> list[Check]:
    checks = _check_signatures(deliberation, sitting)
    checks += _check_enforceable(deliberation)
    for message in signed_before_enforceable(deliberation, deliberation.conventions.all()):
        checks.append(Check("signed_before_enforceable", Severity.WARNING, message))
    return checks


def _check_signatures(deliberation, sitting: Sitting) -> list[Check]:
    rule = rule_in_force(SignatureRule, deliberation.session_date, deliberation.body)
    if rule is None:
        return []
    missing = []
    if sitting.president is None:
        missing.append("le président de séance n'est pas indiqué")
    elif not deliberation.president_signed:
        missing.append(f"{sitting.name(sitting.president)}, président de séance, n'a pas signé")
    if not sitting.secretaries:
        missing.append("aucun secrétaire de séance n'est indiqué")
    elif not deliberation.secretaries_signed:
        names = ", ".join(sitting.name(s) for s in sitting.secretaries)
        missing.append(f"le secrétariat de séance ({names}) n'a pas signé")
    since = f"depuis le {french_date(rule.start)}"
    if missing:
        return [
            Check(
                "signatures",
                Severity.WARNING,
                "Signatures incomplètes : "
                + " ; ".join(missing)
                + f". {since.capitalize()}, une délibération est signée par le maire, président "
                f"de séance, et le ou les secrétaires de séance{rule.cited}.",
            )
        ]
    return [
        Check(
            "signatures",
            Severity.OK,
            f"Délibération signée par le président et le ou les secrétaires de séance{rule.cited}.",
        )
    ]


def _check_enforceable(deliberation) -> list[Check]:
    rule = rule_in_force(PublicationRule, deliberation.session_date, deliberation.body)
    published = "publiée sous forme électronique" if rule.electronic else "publiée"
    enforceable_on = deliberation.enforceable_on
    if enforceable_on is not None:
        done = [f"publiée le {french_date(deliberation.published_on)}"]
        if deliberation.transmission_required:
            done.append(f"transmise en préfecture le {french_date(deliberation.transmitted_on)}")
        return [
            Check(
                "enforceable",
                Severity.OK,
                f"Exécutoire depuis le {french_date(enforceable_on)} : "
                + " et ".join(done)
                + f"{rule.cited}.",
            )
        ]
    missing = []
    if deliberation.published_on is None:
        missing.append("sa publication")
    if deliberation.transmission_required and deliberation.transmitted_on is None:
        missing.append("sa transmission en préfecture")
    needed = published
    if deliberation.transmission_required:
        needed += " et transmise en préfecture"
    verb = "n'est pas enregistrée" if len(missing) == 1 else "ne sont pas enregistrées"
    return [
        Check(
            "enforceable",
            Severity.WARNING,
            f"Pas encore exécutoire : {' et '.join(missing)} {verb}. Une délibération est "
            f"exécutoire une fois {needed}{rule.cited}.",
        )
    ]


def signed_before_enforceable(deliberation, conventions: Iterable) -> list[str]:
    """A French warning for each party, of the organisation that deliberated, that signed
    a convention the deliberation authorises before the deliberation was enforceable.

    Reads the conventions' prefetched parties.
    """
    if deliberation.is_reference_only or deliberation.result == DeliberationResult.REJECTED:
        return []
    enforceable_on = deliberation.enforceable_on
    law = rule_in_force(PublicationRule, deliberation.session_date, deliberation.body).cited
    messages = []
    for convention in conventions:
        for party in convention.parties.all():
            if party.organisation_id != deliberation.organisation_id or not party.signed_on:
                continue
            who = party.display_designation
            signed = (
                f"{who} a signé la convention {convention.reference} le "
                f"{french_date(party.signed_on)}"
            )
            if enforceable_on is None:
                messages.append(
                    f"{signed}, mais la délibération n° {deliberation.number} qui l'y autorise "
                    "n'est pas encore exécutoire (publication ou transmission en préfecture non "
                    "enregistrée) : une signature ne vaut qu'une fois l'autorisation exécutoire."
                )
            elif party.signed_on < enforceable_on:
                messages.append(
                    f"{signed}, avant que la délibération n° {deliberation.number} qui l'y "
                    f"autorise soit exécutoire (le {french_date(enforceable_on)}) : la "
                    f"signature précède l'autorisation{law}."
                )
    return messages
