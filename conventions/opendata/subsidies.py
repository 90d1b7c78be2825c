""" "Subventions" 2.1.1: one row per contribution and budget year that a public body
pays to another organisation.

The beneficiary is that of the convention's payments (France Victimes 79, Val
Parisis). The employer's own balance (payer = beneficiary) is no subsidy, and
neither is money an association pays. The amount is the expected amount of the
year in the ``FundingPlan`` (the funding page's number); only signed conventions
are exported, as a subsidy is granted by the signed convention
(``dateConvention``).

An aid in kind (premises, equipment) is a subsidy too: one row per year with
``nature`` « aide en nature » and its yearly value as ``montant``. The schema
requires an amount: an aid in kind whose value is not known is left out, and
the export says so (publishing 0 € would state that it is worth nothing).

An organisation publishes only what it grants: the file of organisation X holds
the rows where X is the attribuant. The State's or the Département's share of a
post that a commune co-funds is theirs to publish, under their own SIRET.
"""

import datetime

from django.urls import reverse

from conventions.funding.build import funding_plan
from conventions.models import Contribution, Deliberation
from conventions.opendata.export import Export
from conventions.opendata.schema import SUBSIDIES
from partners.enums import OrganisationKind

# Who grants subsidies (the « autorités administratives » of loi n° 2000-321, article 10,
# which publish them: public bodies and social security funds such as a CAF). An
# association or an "other" body pays with private money; a social landlord may be a
# public office (OPH) or a private company (ESH), so it is left out too.
PUBLIC_BODIES = {
    OrganisationKind.STATE,
    OrganisationKind.POLICE,
    OrganisationKind.GENDARMERIE,
    OrganisationKind.COMMUNE,
    OrganisationKind.EPCI,
    OrganisationKind.PETR,
    OrganisationKind.MIXED_SYNDICATE,
    OrganisationKind.DEPARTEMENT,
    OrganisationKind.REGION,
    OrganisationKind.SOCIAL_ACTION_CENTRE,
    OrganisationKind.PUBLIC_INTEREST_GROUP,
    OrganisationKind.HOSPITAL,
    OrganisationKind.FAMILY_ALLOWANCE_FUND,
    OrganisationKind.PROSECUTION,
}

OBJECT_MAX = 255


def subsidy_object(convention, year, post_id=None) -> str:
    """The free « objet »: the schema has no post column, so a framework convention's
    row names the post (and annex) its contribution funds; otherwise its posts."""
    sections = convention.ordered_sections()
    section = next((s for s in sections if s.post_id == post_id), None)
    if len(sections) > 1 and section is not None:
        sites = section.post.site_names
        site = f", {sites}" if sites else ""
        text = (
            f"Cofinancement {year} du poste d'intervenant social en commissariat et "
            f"gendarmerie « {section.post} »{site}, annexe n° {section.number} de la "
            f"convention {convention.reference}"
        )
    else:
        sites = ", ".join(s.post.site_names for s in sections if s.post.site_names)
        site = f" ({sites})" if sites else ""
        what = "du poste" if len(sections) <= 1 else "des postes"
        text = (
            f"Cofinancement {year} {what} d'intervenant social en commissariat et gendarmerie"
            f"{site}, convention {convention.reference}"
        )
    return text if len(text) <= OBJECT_MAX else text[: OBJECT_MAX - 1] + "…"


def payment_terms(cell) -> tuple[str, str]:
    """conditionsVersement and datesPeriodeVersement of one year's contribution.

    One payment per year is expected (one due date): "unique", on the date of
    the payment when it was paid in full at once. Several payments, or a first
    one that leaves something due, make it "échelonné" over the period from
    the first payment to the last (the end of the year while something is due).
    Nothing paid yet: "unique", some time in the budget year.
    """
    year = cell.year
    payments = cell.payments
    whole_year = f"{year}-01-01/{year}-12-31"
    if not payments:
        return "unique", whole_year
    if len(payments) == 1 and not cell.remaining:
        return "unique", payments[0].date.isoformat()
    end = payments[-1].date if not cell.remaining else datetime.date(year, 12, 31)
    return "échelonné", f"{payments[0].date.isoformat()}/{end.isoformat()}"


def subsidy_row(convention, cell, beneficiary, decision) -> dict[str, str]:
    conditions, dates = payment_terms(cell)
    return _row(convention, cell.contribution, cell.year, beneficiary, decision, cell.amount) | {
        "conditionsVersement": conditions,
        "datesPeriodeVersement": dates,
    }


def in_kind_row(convention, contribution, year, beneficiary, decision) -> dict[str, str]:
    """An aid in kind for one year: granted once, for the whole year."""
    return _row(
        convention, contribution, year, beneficiary, decision, contribution.in_kind_value
    ) | {
        "nature": "aide en nature",
        "conditionsVersement": "unique",
        "datesPeriodeVersement": f"{year}-01-01/{year}-12-31",
    }


def _row(convention, contribution, year, beneficiary, decision, amount) -> dict[str, str]:
    payer = contribution.organisation
    return {
        "nomAttribuant": payer.name,
        "idAttribuant": payer.siret,
        "dateConvention": convention.last_signature_date.isoformat(),
        "referenceDecision": decision,
        "nomBeneficiaire": beneficiary.name,
        "idBeneficiaire": beneficiary.siret,
        "rnaBeneficiaire": beneficiary.rna
        if beneficiary.kind == OrganisationKind.ASSOCIATION
        else "",
        "objet": subsidy_object(convention, year, contribution.post_id),
        "montant": f"{amount:.2f}",
        "nature": "aide en numéraire",
        "conditionsVersement": "",
        "datesPeriodeVersement": "",
        "idRAE": "",
        "notificationUE": "non",
        # One beneficiary per subsidy: all of it.
        "pourcentageSubvention": "1.00",
        # The schema's dispositifAide is the identifier of the aid scheme in the
        # national register of schemes (schéma « dispositifs d'aide », a UUID), not
        # a name nor a budget line such as « budget communal » (the contribution's
        # ``source``). The application records no such identifier: left empty, as
        # the schema allows.
        "dispositifAide": "",
    }


def subsidies_export(scope, publisher) -> Export:
    export = Export(SUBSIDIES)
    conventions = list(
        scope.conventions()
        .filter(pk__in=Contribution.objects.filter(organisation=publisher).values("convention"))
        .agreements()
        .with_funding()
        .prefetch_related("sections__post__sites")
        .order_by("reference")
    )
    decision_ids = {
        c.legal_basis_id
        for cv in conventions
        for c in cv.contributions.all()
        if c.legal_basis_id and c.organisation_id == publisher.pk
    }
    decisions = dict(
        Deliberation.objects.filter(pk__in=decision_ids).values_list("pk", "number")
        if decision_ids
        else []
    )
    unsigned, unvalued = [], []
    for convention in conventions:
        if convention.last_signature_date is None:
            unsigned.append(convention.reference)
            continue
        plan = funding_plan(convention)
        for row in plan.rows:
            for cell in row.cells:
                if cell is not None and cell.contribution.organisation_id == publisher.pk:
                    _add_subsidy(export, scope, convention, cell, decisions)
        for contribution in plan.in_kind:
            if contribution.organisation_id == publisher.pk:
                _add_in_kind(export, scope, convention, contribution, decisions, unvalued)
    if unsigned:
        export.left_out.append(
            f"Conventions pas encore signées ({', '.join(unsigned)}) : une subvention n'est "
            "accordée qu'à la signature de la convention."
        )
    if unvalued:
        export.left_out.append(
            f"Aides en nature sans valeur connue ({', '.join(unvalued)}) : le schéma exige "
            "un montant ; indiquez leur valeur annuelle pour les publier."
        )
    return export


def _employer_of_post(convention, post_id):
    """The employer of the post a contribution funds (a framework convention's posts
    may each have their own), from the prefetched sections."""
    for section in convention.sections.all():
        if section.post_id == post_id:
            return section.post.employer
    return None


def _beneficiary(export, convention, contribution):
    """Who receives the aid, or None (and what to fill in) when it is no subsidy."""
    payer = contribution.organisation
    beneficiary = (
        contribution.beneficiary
        or _employer_of_post(convention, contribution.post_id)
        or convention.single_employer
    )
    if payer.kind not in PUBLIC_BODIES:
        return None
    if beneficiary is None:
        export.need(
            ("beneficiary", contribution.pk),
            f"{convention.reference} : la contribution de {payer} n'a pas de bénéficiaire et "
            "la convention pas de poste (employeur).",
            reverse("conventions:contribution_update", args=[contribution.pk]),
            "Indiquer le bénéficiaire",
        )
        return None
    if beneficiary.pk == payer.pk:
        return None  # the employer's own share of its post: no subsidy
    return beneficiary


def _sirets_known(export, scope, payer, beneficiary) -> bool:
    complete = True
    for organisation in (payer, beneficiary):
        if not organisation.siret:
            export.need_siret(scope, organisation)
            complete = False
    return complete


def _add_in_kind(export, scope, convention, contribution, decisions, unvalued):
    beneficiary = _beneficiary(export, convention, contribution)
    if beneficiary is None:
        return
    if contribution.in_kind_value is None:
        unvalued.append(f"{convention.reference}, {contribution.in_kind_description}")
        return
    if contribution.in_kind_value == 0 or not _sirets_known(
        export, scope, contribution.organisation, beneficiary
    ):
        return
    decision = decisions.get(contribution.legal_basis_id, "")
    for year in contribution.years:
        export.rows.append(in_kind_row(convention, contribution, year, beneficiary, decision))


def _add_subsidy(export, scope, convention, cell, decisions):
    contribution = cell.contribution
    payer = contribution.organisation
    beneficiary = _beneficiary(export, convention, contribution)
    if beneficiary is None:
        return
    if cell.amount is None:
        export.need(
            ("cost", convention.pk, cell.year),
            f"{convention.reference} : le coût du poste {cell.year} n'est pas renseigné, la "
            f"part de {payer} ne peut pas être calculée.",
            reverse("conventions:post_cost_edit", args=[convention.reference, cell.year])
            if scope.can_edit_convention(convention)
            else reverse("conventions:funding_plan", args=[convention.reference]),
            "Saisir le coût" if scope.can_edit_convention(convention) else "Voir le financement",
        )
        return
    if cell.amount == 0:
        return  # nothing granted that year
    if _sirets_known(export, scope, payer, beneficiary):
        decision = decisions.get(contribution.legal_basis_id, "")
        export.rows.append(subsidy_row(convention, cell, beneficiary, decision))
