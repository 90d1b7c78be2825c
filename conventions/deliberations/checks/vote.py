"""The vote: the result the counts give (majority, the president's casting vote) and
the counts against the attendance.
"""

from conventions.deliberations.checks.common import (
    Check,
    Severity,
    Sitting,
    Vote,
    cited_articles,
    plural,
)
from conventions.enums import DeliberatingBody, DeliberationResult, PresidentVote


def expected_result(vote: Vote, body: str = DeliberatingBody.MUNICIPAL_COUNCIL):
    """(result, explanation) that the votes give; result is None on an undecided tie."""
    law = cited_articles(body)
    for_, against, cast = vote.votes_for or 0, vote.votes_against or 0, vote.cast
    if cast == 0:
        return (
            DeliberationResult.REJECTED,
            "aucun suffrage exprimé, la délibération ne peut pas être adoptée",
        )
    if for_ != against:
        majority = cast // 2 + 1
        result = DeliberationResult.ADOPTED if for_ > against else DeliberationResult.REJECTED
        not_cast = ""
        if vote.blank_or_spoilt:
            not_cast = (
                f" ({plural(vote.blank_ballots or 0, 'bulletin blanc', 'bulletins blancs')} et "
                f"{plural(vote.spoilt_ballots or 0, 'nul', 'nuls')} non comptés)"
            )
        return (
            result,
            f"{plural(for_, 'voix pour', 'voix pour')} sur "
            f"{plural(cast, 'suffrage exprimé', 'suffrages exprimés')}{not_cast}, majorité "
            f"absolue {majority}{law['majority']} : la délibération est {result.label.lower()}",
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
    if vote.president_vote == PresidentVote.ABSTAINED:
        # The casting vote decides only in the direction the president voted: without
        # it, the motion has not the majority of the votes cast.
        return (
            DeliberationResult.REJECTED,
            f"{tie}, le président s'est abstenu : sa voix ne peut pas départager, la "
            f"proposition n'obtient pas la majorité{law['majority']} : la délibération "
            "est rejetée",
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
                f"prépondérante{cited_articles(body)['majority']}.",
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
    ballots = ""
    if vote.secret_ballot or vote.blank_or_spoilt:
        ballots = (
            f"{plural(vote.blank_ballots or 0, 'bulletin blanc', 'bulletins blancs')} + "
            f"{plural(vote.spoilt_ballots or 0, 'bulletin nul', 'bulletins nuls')} + "
        )
    detail = (
        f"{vote.votes_for or 0} pour + {vote.votes_against or 0} contre + {ballots}"
        f"{plural(vote.abstentions or 0, 'abstention')} + "
        f"{vote.not_participating or 0} ne prenant pas part = {vote.total}"
    )
    voters = (
        f"{sitting.voters} votants ({plural(len(present), 'présent')} + "
        f"{plural(represented, 'représenté')})"
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
