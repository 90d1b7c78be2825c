"""The amounts a deliberation decides against the funding plan of its conventions
(``conventions.funding.build.planned_amounts``, the only reads of the checks).
"""

from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from config.core.formats import euros
from conventions.deliberations.checks.common import Check, Severity
from conventions.funding.build import planned_amounts

PlannedAmounts = Callable[[object, int], "dict[int, Decimal] | None"]


def convention_planned_amounts(convention, year: int) -> dict[int, Decimal] | None:
    """Each funder's planned contribution to ``convention`` for budget ``year``.

    Keys are organisation ids. None means the convention's funding is not
    recorded (or not computable for that year, a post cost missing), and the
    amounts cannot be compared.
    """
    amounts = planned_amounts(convention, year)
    if None not in amounts:
        return None
    return {organisation: amount for organisation, amount in amounts.items() if organisation}


@dataclass(frozen=True)
class DecidedFigure:
    amount: Decimal
    organisation_id: int | None = None
    organisation_name: str = ""
    year: int | None = None


def convention_years(convention, fallback_year: int) -> list[int]:
    """Budget years of the convention's first period, to compare an annual amount with."""
    start, end = convention.effective_date, convention.initial_end_date
    if start and end:
        return list(range(start.year, end.year + 1))
    duration = convention.duration_years or 1
    return list(range(fallback_year, fallback_year + duration))


def check_amounts(
    figures: Sequence[DecidedFigure],
    conventions: Sequence,
    *,
    session_year: int,
    planned_amounts: PlannedAmounts | None = None,
) -> list[Check]:
    if not figures or not conventions:
        return []
    planned_amounts = planned_amounts or convention_planned_amounts
    checks = []
    compared = False
    for convention in conventions:
        suffix = f" (convention {convention.reference})" if len(conventions) > 1 else ""
        all_years = convention_years(convention, session_year)
        for figure in figures:
            years = [figure.year] if figure.year else all_years
            planned = {y: planned_amounts(convention, y) for y in years}
            planned = {y: p for y, p in planned.items() if p is not None}
            if not planned:
                continue
            compared = True
            checks += _compare_figure(figure, planned, suffix)
    if not compared:
        return [
            Check(
                "amounts",
                Severity.INFO,
                "Les montants décidés ne peuvent pas encore être comparés aux contributions de "
                "la convention : son financement n'est pas saisi.",
            )
        ]
    return checks


def _compare_figure(
    figure: DecidedFigure, planned: Mapping[int, Mapping[int, Decimal]], suffix: str
) -> list[Check]:
    mismatches = defaultdict(list)
    for year, amounts in planned.items():
        if figure.organisation_id is None:
            expected = sum(amounts.values(), Decimal(0))
        else:
            expected = amounts.get(figure.organisation_id)
        if expected != figure.amount:
            mismatches[expected].append(year)
    if not mismatches:
        whose = (
            "au total des contributions de la convention"
            if figure.organisation_id is None
            else f"à la contribution de {figure.organisation_name} dans la convention"
        )
        return [
            Check(
                "amounts",
                Severity.OK,
                f"Le montant décidé ({euros(figure.amount)}) est égal {whose}{suffix}.",
            )
        ]
    checks = []
    for expected, years in mismatches.items():
        # Say which budgets differ only when not all of them do the same way.
        when = ""
        if figure.year is None and (len(mismatches) > 1 or len(years) < len(planned)):
            when = " pour " + (
                f"le budget {years[0]}"
                if len(years) == 1
                else "les budgets " + ", ".join(map(str, years))
            )
        checks.append(
            Check(
                "amounts", Severity.WARNING, _mismatch_text(figure, expected) + when + suffix + "."
            )
        )
    return checks


def _mismatch_text(figure: DecidedFigure, expected: Decimal | None) -> str:
    decided = euros(figure.amount)
    if figure.organisation_id is None:
        what = (
            "Le montant annuel annoncé par la délibération"
            if figure.year is None
            else f"Le montant annoncé par la délibération pour {figure.year}"
        )
        return (
            f"{what} ({decided}) ne correspond pas au total des contributions de la "
            f"convention ({euros(expected)})"
        )
    what = (
        f"La participation annuelle de {figure.organisation_name} décidée par la délibération"
        if figure.year is None
        else f"La participation de {figure.organisation_name} pour {figure.year} décidée par "
        "la délibération"
    )
    planned = euros(expected) if expected is not None else "aucune contribution prévue"
    return f"{what} ({decided}) ne correspond pas à sa contribution dans la convention ({planned})"
