"""What can be done to a convention, given its status: the buttons of its page.

A pure function of facts the page already holds, so that each rule is tested on its
own. The services refuse what this hides (``convention_renew``, ``amendment_create``,
``renewal_record``, ``convention_terminate``, ``convention_cancel``) with a French
message, whatever page or script calls them: among others an amendment to a draft (a
draft is corrected directly) or to an ended convention, and a renewal recorded before
the convention starts.
"""

import datetime
from dataclasses import dataclass

from django.urls import reverse

from conventions.enums import ConventionStatus, RenewalMode

# Statuses of a convention whose parties have all signed and whose term is not over.
LIVE = (ConventionStatus.SIGNED, ConventionStatus.IN_FORCE)
DRAFTS = (ConventionStatus.DRAFT, ConventionStatus.APPROVED)


@dataclass(frozen=True)
class Action:
    key: str
    label: str
    url: str
    explanation: str
    method: str = "get"  # "post": a button in a form (with the double-submit token)


# What the next deadline asks for, by kind (conventions.lifecycle.deadlines.Deadline.kind).
NEXT_STEP = {
    "expiry": "La convention prend fin ce jour-là : préparez sa suite (renouvellement ou "
    "nouvelle convention) avant cette date.",
    "notice": "Pour ne pas poursuivre, envoyez la lettre de dénonciation au plus tard ce "
    "jour-là ; sinon, rien à faire.",
    "renewal": "Réunissez les parties pour décider de la reconduction, puis enregistrez-la.",
    "report": "Transmettez le compte rendu à ses destinataires.",
    "review": "Organisez la réunion annuelle de bilan avec le comité de suivi.",
    "payment": "Vérifiez que le versement est reçu, puis enregistrez-le.",
}


def next_step(deadline) -> str:
    return NEXT_STEP.get(deadline.kind, "")


def available_actions(
    convention,
    *,
    status: ConventionStatus,
    followed: bool,
    can_edit: bool,
    can_create: bool,
    today: datetime.date,
) -> list[Action]:
    """The actions the status allows, each with a one-line explanation.

    ``followed``: another convention renews or replaces this one
    (``conventions.lifecycle.overdue.successors``).
    """
    if not can_edit:
        return []
    reference = convention.reference
    actions = []

    def add(key, label, url_name, explanation, method="get"):
        url = reverse(f"conventions:{url_name}", args=[reference])
        actions.append(Action(key, label, url, explanation, method))

    if status in DRAFTS:
        explanation = "Compléter le projet : parties, textes, dates et signatures."
    elif status == ConventionStatus.CANCELLED:
        explanation = "Corriger la saisie : la convention reste annulée."
    else:
        explanation = (
            "Corriger la saisie ou enregistrer une signature ; un changement du texte "
            "signé passe par un avenant."
        )
    add("edit", "Modifier", "edit", explanation)
    if convention.is_template:
        return actions
    ended_by_notice = convention.terminated_on is not None
    if (
        can_create
        and not followed
        and not ended_by_notice
        and status in (ConventionStatus.IN_FORCE, ConventionStatus.EXPIRED)
    ):
        add(
            "renew",
            "Renouveler",
            "renew",
            "Créer la convention suivante pour le même poste, avec les mêmes parties et "
            "textes, à faire signer.",
            method="post",
        )
    if status in LIVE and not followed:
        add(
            "amend",
            "Ajouter un avenant",
            "amendment_create",
            "Enregistrer un avenant signé qui modifie un article, une date ou un financement.",
        )
    if (
        status in (ConventionStatus.IN_FORCE, ConventionStatus.EXPIRED)
        and not ended_by_notice
        and not followed
        and convention.terms_on(today).renewal_mode != RenewalMode.NONE
    ):
        add(
            "record_renewal",
            "Enregistrer une reconduction",
            "renewal_create",
            "Noter une nouvelle période de la même convention, décidée comme le prévoit sa "
            "clause de reconduction.",
        )
    if status in LIVE and not ended_by_notice:
        add(
            "terminate",
            "Dénoncer",
            "terminate",
            "Enregistrer la lettre d'une partie qui met fin à la convention, et sa date de fin.",
        )
    if status != ConventionStatus.CANCELLED:
        add(
            "cancel",
            "Annuler la convention",
            "cancel",
            "Écarter une convention saisie par erreur ou jamais appliquée : elle reste "
            "consultable, sans échéances.",
        )
    return actions
