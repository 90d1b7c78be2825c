""" "Délibérations" 2.1.5: one row per deliberation the reader may see.

Only deliberations whose text the application holds and that the assembly
adopted are exported. A deliberation only cited by a convention (Ermont's
3-15 of the Département du Val-d'Oise) is left out: the application knows
its number, date and a paraphrase of its object, not the act; its author
publishes it in its own dataset, and a second-hand row under the author's
SIRET would compete with it. A rejected deliberation is left out too: the
schema describes adopted ones ("date d'adoption").
"""

from django.db.models import Count, Prefetch, Q
from django.urls import reverse

from conventions.enums import AttendanceStatus, DeliberationResult
from conventions.models import Contribution
from conventions.opendata.export import (
    Export,
    absolute_url,
    matter_name,
    one_line,
    prefecture_id,
    year_span,
)
from conventions.opendata.schema import DELIBERATIONS


def deliberations_for_export(scope):
    voting = [AttendanceStatus.PRESENT, AttendanceStatus.REPRESENTED]
    return (
        scope.deliberations()
        .select_related("organisation", "council")
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
        .annotate(
            sheet_size=Count("attendances"),
            voters=Count("attendances", filter=Q(attendances__status__in=voting)),
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


def deliberation_row(deliberation) -> dict[str, str]:
    organisation = deliberation.organisation
    members = deliberation.members_in_office
    votes = deliberation.has_vote
    return {
        "COLL_NOM": organisation.name,
        "COLL_SIRET": organisation.siret,
        "DELIB_ID": deliberation.number,
        "DELIB_DATE": deliberation.session_date.isoformat(),
        "DELIB_MATIERE_CODE": deliberation.matter_code,
        "DELIB_MATIERE_NOM": matter_name(deliberation.matter_code, deliberation.matter_name),
        "DELIB_OBJET": one_line(deliberation.object),
        "BUDGET_ANNEE": budget_year(deliberation),
        "BUDGET_NOM": "",
        "PREF_ID": prefecture_id(organisation.departement),
        "PREF_DATE": deliberation.transmitted_on.isoformat() if deliberation.transmitted_on else "",
        # Members in office, then those who took part: present or represented by a proxy.
        "VOTE_EFFECTIF": str(len(members)) if members else "",
        "VOTE_REEL": str(deliberation.voters) if deliberation.sheet_size else "",
        "VOTE_POUR": str(deliberation.votes_for) if votes else "",
        "VOTE_CONTRE": str(deliberation.votes_against or 0) if votes else "",
        "VOTE_ABSTENTION": str(deliberation.abstentions or 0) if votes else "",
        "DELIB_URL": absolute_url(reverse("conventions:deliberation_pdf", args=[deliberation.pk])),
    }


def deliberations_export(scope) -> Export:
    export = Export(DELIBERATIONS)
    cited, not_adopted = [], []
    for deliberation in deliberations_for_export(scope):
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
