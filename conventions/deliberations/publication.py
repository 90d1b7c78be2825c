"""Publishing a deliberation on this site, and withdrawing the publication.

The publication is what makes the act enforceable (CGCT L2131-1; since the
ordonnance n° 2021-1310, electronic publication is the rule from 1 July 2022), and
the publication date is what counts: it is the day the agent publishes, written on
the deliberation (``published_on``) with the public address of the extract
(``publication_url``), both printed on the extract (« Publié le … sur … »).

Only an act the register describes whole and that the assembly adopted is published:
not a deliberation only cited (its author publishes it), not one whose vote or
attendance sheet the checks find wrong (the published extract would state a vote
that does not add up).

A deliberation already recorded as published elsewhere (a date, and perhaps the
address of the organisation's own site, typed in the form) is not published here
again: its publication date is the earlier one, and the extract would print a date
and an address that contradict each other. The agent clears those fields first, if
the act is to be published here instead.

A withdrawal is recorded on the publication (when, by whom, why), never erased; the
deliberation's date and address of publication are cleared, as the act is no longer
online here; its history and the publication row keep them.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from config.core.concurrency import check_version
from config.core.documents import PdfRenderError
from config.core.formats import french_date
from config.core.writes import validate
from conventions.deliberations.checks.attendance import check_attendance
from conventions.deliberations.checks.common import Severity
from conventions.deliberations.checks.deliberation import (
    sitting_from_deliberation,
    vote_from_deliberation,
)
from conventions.deliberations.checks.vote import check_vote
from conventions.deliberations.documents import render_deliberation_pdf
from conventions.enums import DeliberationResult
from conventions.models import Deliberation, DeliberationPublication

MIN_REASON_CHARS = 10


def publication_refusals(deliberation: Deliberation, *, today: datetime.date) -> list[str]:
    """Why ``deliberation`` cannot be published here (French), empty when it can.

    Reads the prefetched attendance (``for_detail``) and the council's other sessions
    (the three-session limit of a proxy).
    """
    if deliberation.is_reference_only:
        return [
            "Une délibération seulement citée ne se publie pas ici : son texte n'est pas dans "
            "l'application ; l'organisation qui l'a adoptée la publie."
        ]
    refusals = []
    vote = vote_from_deliberation(deliberation)
    if not vote.is_recorded:
        refusals.append("Le vote n'est pas saisi : seule une délibération adoptée se publie.")
    elif deliberation.result != DeliberationResult.ADOPTED:
        recorded = (
            f"le résultat enregistré est « {deliberation.get_result_display().lower()} »"
            if deliberation.result
            else "le résultat n'est pas indiqué"
        )
        refusals.append(f"Seule une délibération adoptée se publie : {recorded}.")
    sitting = sitting_from_deliberation(deliberation, history=True)
    errors = [
        check.message
        for check in (*check_attendance(sitting), *check_vote(vote, sitting))
        if check.severity == Severity.ERROR
    ]
    if errors:
        refusals.append(
            "Le vote ou la feuille de présence n'est pas conforme, l'extrait publié le "
            "dirait : " + " ".join(errors)
        )
    if deliberation.session_date > today:
        refusals.append(
            f"La séance du {french_date(deliberation.session_date)} n'a pas encore eu lieu."
        )
    current = current_publication(deliberation)
    if current is not None:
        refusals.append(
            f"Cette délibération est déjà publiée depuis le {french_date(current.published_on)}."
        )
    elif deliberation.published_on is not None:
        where = f" sur {deliberation.publication_url}" if deliberation.publication_url else ""
        refusals.append(
            f"Cette délibération est enregistrée comme déjà publiée le "
            f"{french_date(deliberation.published_on)}{where} : c'est cette publication qui "
            "compte. Pour la publier ici à la place, effacez d'abord la date et l'adresse de "
            "publication (« Modifier »)."
        )
    return refusals


def current_publication(deliberation) -> DeliberationPublication | None:
    """Reads the prefetched publications (``for_detail``)."""
    return next((p for p in deliberation.publications.all() if p.is_current), None)


@transaction.atomic
def deliberation_publish(
    *,
    deliberation: Deliberation,
    user,
    expected_version: int | None,
    now: datetime.datetime | None = None,
) -> DeliberationPublication:
    """Publish the register extract at its public address; today is the publication date.

    ``deliberation`` comes from ``for_detail``. Refused (French ``ValidationError``)
    when the page was prepared on an older version or ``publication_refusals`` says so.
    """
    check_version(deliberation, expected_version, what="cette délibération")
    now = now or timezone.now()
    refusals = publication_refusals(deliberation, today=timezone.localdate(now))
    if refusals:
        raise ValidationError(refusals, code="not_publishable")
    publication = DeliberationPublication(
        deliberation=deliberation, published_at=now, published_by=user
    )
    deliberation.published_on = timezone.localdate(now)
    deliberation.publication_url = publication.public_url
    validate(deliberation)
    # Drawn with the date and the address it prints (« Publié le … sur … »).
    try:
        publication.pdf = render_deliberation_pdf(deliberation)
    except PdfRenderError as error:
        # Logged with its cause by html_to_pdf; nothing is published without its extract.
        raise ValidationError(
            "L'extrait du registre n'a pas pu être dessiné : rien n'est publié. Réessayez dans "
            "un moment ; si cela recommence, signalez-le à votre administrateur.",
            code="pdf",
        ) from error
    validate(publication)
    publication.save()
    deliberation.save()
    return publication


@transaction.atomic
def deliberation_publication_withdraw(
    *,
    deliberation: Deliberation,
    user,
    reason: str,
    expected_version: int | None,
    now: datetime.datetime | None = None,
) -> DeliberationPublication:
    """Take the act offline: its public address then says it was withdrawn, and when."""
    check_version(deliberation, expected_version, what="cette délibération")
    publication = (
        DeliberationPublication.objects.current()
        .select_for_update()
        .filter(deliberation=deliberation)
        .first()
    )
    if publication is None:
        raise ValidationError(
            "Cette délibération n'est pas publiée sur ce site.", code="not_public"
        )
    reason = " ".join((reason or "").split())
    if len(reason) < MIN_REASON_CHARS:
        raise ValidationError(
            {
                "reason": f"Indiquez le motif du retrait en une phrase (au moins "
                f"{MIN_REASON_CHARS} caractères) : il reste dans l'historique de la publication."
            }
        )
    publication.withdrawn_at = now or timezone.now()
    publication.withdrawn_by = user
    publication.withdrawal_reason = reason
    validate(publication)
    publication.save()
    deliberation.published_on = None
    deliberation.publication_url = ""
    validate(deliberation)
    deliberation.save()
    return publication
