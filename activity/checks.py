"""The consistency rules of a month's counts, as pure functions.

The same rules run in the entry forms, in the services (the server has the
last word) and on the bilans; static/js/quarter-entry.js mirrors them so that
the person typing sees them live.

- A partition group sums to its total: each "public" group to the persons met,
  the referral origins to the referrals received.
- In a multiple-count group (problems, orientations) one person counts at most
  once per line, so no line exceeds its total.
- A draft may be incomplete: a missing value is not an error, but a partition
  whose lines already typed exceed the total is.
"""

from collections.abc import Mapping
from dataclasses import dataclass

from activity.layout import GroupSpec, Layout

Values = Mapping[str, int | None]


@dataclass(frozen=True)
class Problem:
    group_code: str
    message: str
    codes: tuple[str, ...]  # the cells concerned


def group_problems(group: GroupSpec, values: Values, labels: Mapping[str, str]) -> list[Problem]:
    if not group.total_code:
        return []
    total = values.get(group.total_code)
    if total is None:
        return []
    total_label = labels.get(group.total_code, group.total_code)
    if group.is_partition:
        parts = [values.get(code) for code in group.codes]
        typed = [p for p in parts if p is not None]
        if len(typed) == len(parts) and sum(typed) != total:
            return [
                Problem(
                    group.code,
                    f"La somme des lignes « {group.label} » ({sum(typed)}) doit être égale à "
                    f"« {total_label} » ({total}).",
                    tuple(group.codes),
                )
            ]
        if sum(typed) > total:
            return [
                Problem(
                    group.code,
                    f"Les lignes déjà saisies de « {group.label} » ({sum(typed)}) dépassent "
                    f"« {total_label} » ({total}).",
                    tuple(group.codes),
                )
            ]
        return []
    if group.is_multiple:
        return [
            Problem(
                group.code,
                f"« {labels.get(code, code)} » ({values[code]}) ne peut pas dépasser "
                f"« {total_label} » ({total}) : une personne compte au plus une fois par ligne.",
                (code,),
            )
            for code in group.codes
            if values.get(code) is not None and values[code] > total
        ]
    return []


def month_problems(layout: Layout, values: Values) -> list[Problem]:
    labels = layout.labels
    return [p for group in layout.groups for p in group_problems(group, values, labels)]


def missing_codes(layout: Layout, values: Values) -> list[str]:
    return [code for code in layout.codes if values.get(code) is None]


def quarter_problems(layout: Layout, values: Mapping[int, Values]) -> dict[int, list[Problem]]:
    """The problems of each month of ``values`` ({month: counts}) that has some."""
    problems = {
        month: month_problems(layout, month_values) for month, month_values in values.items()
    }
    return {month: found for month, found in problems.items() if found}
