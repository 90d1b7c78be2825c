""" "Délibérations" 2.1.5: one row per deliberation of the publishing organisation.

An organisation publishes its own deliberations only: a partner's deliberation
that the reader may see (linked to a shared convention) is its author's to
publish, under its author's SIRET.

Only deliberations whose text the application holds and that the assembly
adopted are exported. A deliberation only cited by a convention (Ermont's
3-15 of the Département du Val-d'Oise) is left out: the application knows
its number, date and a paraphrase of its object, not the act; its author
publishes it in its own dataset, and a second-hand row under the author's
SIRET would compete with it. A rejected deliberation is left out too: the
schema describes adopted ones ("date d'adoption").
"""

from django.db.models import Prefetch
from django.urls import reverse

from conventions.enums import DeliberationResult
from conventions.models import Contribution, DeliberationPublication
from conventions.opendata.export import (
    Export,
    matter_name,
    one_line,
    prefecture_id,
    year_span,
)
from conventions.opendata.schema import DELIBERATIONS


def deliberations_for_export(scope, publisher, *, published_here_only=False):
    deliberations = scope.deliberations().filter(organisation=publisher)
    if published_here_only:
        deliberations = deliberations.filter(
            pk__in=DeliberationPublication.objects.current().values("deliberation")
        )
    return (
        deliberations.select_related("organisation", "council")
        .prefetch_related(
            "council__members",
            "amounts",
            Prefetch(
                "funded_contributions",
                queryset=Contribution.objects.only(
                    "id", "legal_basis_id", "first_year", "last_year"
                ),
            ),
        )
        .order_by("session_date", "number", "pk")
    )


def budget_year(deliberation) -> str:
    """The budget years the decision weighs on: those of the amounts it decides and of
    the contributions it founds; its session's year when its amounts are yearly."""
    amounts = list(deliberation.amounts.all())
    years = {a.year for a in amounts if a.year}
    for contribution in deliberation.funded_contributions.all():
        years.update(range(contribution.first_year, contribution.last_year + 1))
    if not years and amounts:
        years = {deliberation.session_date.year}
    return year_span(years)


def budget_columns(deliberation) -> tuple[str, str]:
    """BUDGET_ANNEE and BUDGET_NOM: the schema wants both or neither
    ("cohesive-columns-value"), so the years are published once the budget is named."""
    years = budget_year(deliberation)
    if years and deliberation.budget_name.strip():
        return years, one_line(deliberation.budget_name)
    return "", ""


VOTE_COLUMNS = ("VOTE_EFFECTIF", "VOTE_REEL", "VOTE_POUR", "VOTE_CONTRE", "VOTE_ABSTENTION")


def vote_columns(deliberation) -> dict[str, str]:
    """The five vote counts, all or none (the schema's "cohesive-columns-value").

    VOTE_REEL counts those who voted: pour + contre + abstention, the sum the schema
    checks ("sum-columns-value"). A member who « ne prend pas part au vote » is present
    but did not vote, so is counted in neither.
    """
    members = deliberation.members_in_office
    if not deliberation.has_vote or not members:
        return dict.fromkeys(VOTE_COLUMNS, "")
    votes_for = deliberation.votes_for
    against = deliberation.votes_against or 0
    abstentions = deliberation.abstentions or 0
    return {
        "VOTE_EFFECTIF": str(len(members)),
        "VOTE_REEL": str(votes_for + against + abstentions),
        "VOTE_POUR": str(votes_for),
        "VOTE_CONTRE": str(against),
        "VOTE_ABSTENTION": str(abstentions),
    }


def deliberation_row(deliberation) -> dict[str, str]:
    organisation = deliberation.organisation
    budget_years, budget_name = budget_columns(deliberation)
    return {
        "COLL_NOM": organisation.name,
        "COLL_SIRET": organisation.siret,
        "DELIB_ID": deliberation.number,
        "DELIB_DATE": deliberation.session_date.isoformat(),
        "DELIB_MATIERE_CODE": deliberation.matter_code,
        "DELIB_MATIERE_NOM": matter_name(deliberation.matter_code, deliberation.matter_name),
        "DELIB_OBJET": one_line(deliberation.object),
        "BUDGET_ANNEE": budget_years,
        "BUDGET_NOM": budget_name,
        "PREF_ID": prefecture_id(organisation.departement),
        "PREF_DATE": deliberation.transmitted_on.isoformat() if deliberation.transmitted_on else "",
        **vote_columns(deliberation),
        # The act as published: the public extract when published on this site (the
        # publication writes its address there), the address typed for an act published
        # on the organisation's own site, nothing for an act not published.
        "DELIB_URL": deliberation.publication_url,
    }


def deliberations_export(scope, publisher, *, published_here_only=False) -> Export:
    """``published_here_only``: the public file, of the acts published on this site."""
    export = Export(DELIBERATIONS)
    cited, not_adopted = [], []
    for deliberation in deliberations_for_export(
        scope, publisher, published_here_only=published_here_only
    ):
        if deliberation.is_reference_only:
            cited.append(deliberation)
            continue
        if deliberation.result != DeliberationResult.ADOPTED:
            not_adopted.append(deliberation)
            continue
        complete = True
        if not deliberation.organisation.siret:
            export.need_siret(scope, deliberation.organisation)
            complete = False
        lacking = [
            label
            for label, value in (
                ("le code matière ACTES", deliberation.matter_code),
                ("le nom de la matière ACTES", deliberation.matter_name),
                ("l'objet", deliberation.object.strip()),
            )
            if not value
        ]
        if lacking:
            _need_deliberation_fields(export, scope, deliberation, lacking)
            complete = False
        if complete:
            export.rows.append(deliberation_row(deliberation))
    if cited:
        export.left_out.append(
            f"Délibérations seulement citées ({_numbers(cited)}) : leur texte n'est pas dans "
            "l'application ; chaque organisation délibérante publie les siennes."
        )
    if not_adopted:
        export.left_out.append(
            f"Délibérations rejetées ou sans résultat saisi ({_numbers(not_adopted)}) : le "
            "schéma ne décrit que les délibérations adoptées."
        )
    return export


def _need_deliberation_fields(export, scope, deliberation, lacking):
    if scope.can_edit_deliberation(deliberation):
        url = reverse("conventions:deliberation_edit", args=[deliberation.pk])
        link = "Compléter la délibération"
    else:
        url = deliberation.get_absolute_url()
        link = f"Voir la délibération (à compléter par {deliberation.organisation})"
    listed = ", ".join(lacking[:-1]) + (" et " if len(lacking) > 1 else "") + lacking[-1]
    export.need(
        ("deliberation", deliberation.pk),
        f"Délibération n° {deliberation.number} ({deliberation.organisation}) : {listed} "
        f"{'ne sont pas renseignés' if len(lacking) > 1 else 'n’est pas renseigné'}.",
        url,
        link,
    )


def _numbers(deliberations) -> str:
    return ", ".join(d.number for d in deliberations[:5]) + (" …" if len(deliberations) > 5 else "")
