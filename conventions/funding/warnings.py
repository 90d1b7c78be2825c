"""The French warnings of a funding plan: unknown costs, gaps, late payments,
amounts that a deliberation announces and the plan does not expect.
"""

import calendar
from decimal import Decimal

from config.core.formats import euros, french_date
from conventions.enums import ContributionRule, PaymentState, ProRata
from conventions.funding.plan import Announcement, Cell, FundingPlan, FundingWarning
from conventions.funding.rules import (
    SHARE_RULES,
    french_list,
    partner_name,
    percent,
    share_in_words,
)


def plan_warnings(plan: FundingPlan, announcements: list[Announcement]) -> list[FundingWarning]:
    warnings = []
    missing_cost_years = []
    for row in plan.rows:
        year = row.year
        if row.cost is None:
            missing_cost_years.append(year)
        elif row.gap is not None and row.gap < 0:
            warnings.append(
                FundingWarning(
                    "deficit",
                    f"{year} : les contributions ({euros(row.totals.expected)}) ne couvrent pas "
                    f"le coût du poste ({euros(row.cost.total)}) ; il manque {euros(-row.gap)}.",
                    year,
                )
            )
        elif row.gap is not None and row.gap > 0:
            warnings.append(
                FundingWarning(
                    "surplus",
                    f"{year} : les contributions ({euros(row.totals.expected)}) dépassent le "
                    f"coût du poste ({euros(row.cost.total)}) de {euros(row.gap)}.",
                    year,
                )
            )
        for cell in row.cells:
            if cell is not None:
                warnings.extend(_cell_warnings(plan, cell))
    if missing_cost_years:
        uncomputable = sorted(
            {
                partner_name(c.contribution.organisation)
                for c in plan.cells
                if c.amount is None and c.year in missing_cost_years
            }
        )
        consequence = (
            f"la part de {french_list(uncomputable)} ne peut pas être calculée"
            if uncomputable
            else "l'écart entre le coût et les contributions n'est pas calculé"
        )
        warnings.append(
            FundingWarning(
                "missing_cost",
                f"Le coût du poste n'est pas renseigné pour {french_list(missing_cost_years)} : "
                f"{consequence}.",
            )
        )
    warnings.extend(_announcement_warnings(plan, announcements))
    return warnings


def _cell_warnings(plan: FundingPlan, cell: Cell) -> list[FundingWarning]:
    name = cell.funder or partner_name(cell.contribution.organisation)
    org_id = cell.contribution.organisation_id
    year = cell.year
    expected = cell.expected
    warnings = []
    if expected.floor_reached:
        warnings.append(
            FundingWarning(
                "floor",
                f"{year} — {name} : plancher appliqué ; {_share_words(cell)} du coût "
                f"({euros(plan.row(year).cost.total)}) ferait {euros(expected.uncapped)}, la "
                f"participation est portée à {euros(cell.contribution.floor)}.",
                year,
                org_id,
            )
        )
    if expected.cap_reached:
        contribution = cell.contribution
        share = _share_words(cell)
        warnings.append(
            FundingWarning(
                "cap",
                f"{year} — {name} : plafond atteint ; {share} du coût "
                f"({euros(plan.row(year).cost.total)}) ferait {euros(expected.uncapped)}, la "
                f"participation est limitée à {euros(contribution.cap)}.",
                year,
                org_id,
            )
        )
    if (
        cell.contribution.rule in SHARE_RULES
        and expected.amount is not None
        and expected.fraction < 1
    ):
        warnings.append(_prorated_share_warning(plan, cell))
    if expected.negative_balance is not None:
        warnings.append(
            FundingWarning(
                "negative_balance",
                f"{year} — {name} : le solde serait négatif ({euros(expected.negative_balance)}) "
                "car les autres contributions dépassent le coût du poste ; il est compté 0\u00a0€.",
                year,
                org_id,
            )
        )
    if expected.prorata_unknown:
        warnings.append(
            FundingWarning(
                "prorata_unknown",
                f"{year} — {name} : la date de prise d'effet de la convention n'est pas connue, "
                "le prorata n'est pas appliqué.",
                year,
                org_id,
            )
        )
    if cell.state == PaymentState.OVERPAID:
        warnings.append(
            FundingWarning(
                "overpaid",
                f"{year} — {name} : les versements ({euros(cell.paid)}) dépassent le montant "
                f"attendu ({euros(cell.amount)}) de {euros(cell.excess)}.",
                year,
                org_id,
            )
        )
    # Only a due date the convention states makes a payment late (rules.due_date): a
    # year without one is still to pay, and never recalls the suspensive clause.
    if cell.state == PaymentState.LATE:
        since = (
            f"depuis la signature (le {cell.due_date:%d/%m/%Y})"
            if cell.due_at_signature
            else f"depuis le {french_date(cell.due_date)}"
        )
        clause = (
            " Le non-versement des crédits est une clause suspensive de la convention."
            if getattr(plan.convention, "suspensive_clause", False)
            else ""
        )
        warnings.append(
            FundingWarning(
                "late",
                f"{year} — {name} : versement en retard, {euros(cell.remaining)} restent dus "
                f"{since}.{clause}",
                year,
                org_id,
            )
        )
    return warnings


def _prorated_share_warning(plan: FundingPlan, cell: Cell) -> FundingWarning:
    """A share of the cost, pro-rated: right on a whole year's cost, twice reduced on a
    cost already budgeted for the covered part of the year only."""
    contribution = cell.contribution
    share = _share_words(cell)
    fraction = cell.expected.fraction
    if contribution.prorata == ProRata.MONTHS:
        covered = f"{fraction * 12} mois sur 12"
    else:
        days = 366 if calendar.isleap(cell.year) else 365
        covered = f"{fraction * days} jours sur {days}"
    cost = plan.row(cell.year).cost.total
    return FundingWarning(
        "prorated_share",
        f"{cell.year} — {cell.funder or partner_name(contribution.organisation)} : "
        "la participation "
        f"({share} du coût budgété, {euros(cost)}) est réduite au prorata de la part de "
        f"l'année couverte par la convention ({covered}), soit {euros(cell.amount)}. "
        "Ce calcul suppose que le coût budgété est celui d'une année entière : s'il ne porte "
        "déjà que sur la partie de l'année couverte, la participation est réduite deux fois. "
        "Dans ce cas, budgétez le coût de l'année entière ou choisissez « Année entière » "
        "pour le prorata de la contribution.",
        cell.year,
        contribution.organisation_id,
    )


def _share_words(cell) -> str:
    """« un tiers », or the year's percentage of a share by year (« 30 % »)."""
    contribution = cell.contribution
    if contribution.rule == ContributionRule.SHARE_BY_YEAR:
        return percent(cell.expected.share)
    return share_in_words(contribution.share_numerator, contribution.share_denominator)


def _announcement_warnings(plan, announcements) -> list[FundingWarning]:
    warnings = []
    for announcement in announcements:
        rows = [r for r in plan.rows if announcement.year in (None, r.year)]
        # Years with the same actual amount share one sentence.
        mismatches: dict[Decimal, list[int]] = {}
        for row in rows:
            if announcement.organisation_id is None:
                if row.totals.incomplete:
                    continue
                actual = row.totals.expected
            else:
                # A decision announces what a funder pays, on all its budget lines.
                cells = plan.organisation_cells(row.year, announcement.organisation_id)
                if not cells or any(c.amount is None for c in cells):
                    continue
                actual = sum((c.amount for c in cells), Decimal(0))
            if actual != announcement.amount:
                mismatches.setdefault(actual, []).append(row.year)
        for actual, years in mismatches.items():
            if announcement.organisation_id is None:
                compared = f"au total des contributions ({euros(actual)})"
            else:
                column = next(
                    c for c in plan.columns if c.organisation.pk == announcement.organisation_id
                )
                compared = (
                    f"à la contribution de {partner_name(column.organisation)} ({euros(actual)})"
                )
            warnings.append(
                FundingWarning(
                    "announced",
                    f"Le montant annoncé par {announcement.label} ({euros(announcement.amount)}) "
                    f"ne correspond pas {compared} pour {french_list(years)}.",
                    years[0] if len(years) == 1 else None,
                    announcement.organisation_id,
                )
            )
    return warnings
