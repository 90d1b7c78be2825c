"""The consistency rules, on their own (the form and the service tests reuse them)."""

import pytest

from activity.checks import missing_codes, month_problems
from activity.layout import GroupSpec, IndicatorSpec, Layout, layout_of
from activity.models import GridVersion
from tests.activity.factories import default_version, month_values

PARTITION_GROUPS = [
    "personnes_connues",
    "entretiens_modalite",
    "premier_contact",
    "public_sexe",
    "public_age",
    "public_situation",
    "public_services_sociaux",
    "origine_saisine",
]


@pytest.fixture
def layout(db):
    return layout_of(GridVersion.objects.with_layout().get(pk=default_version().pk))


def test_consistent_counts_raise_no_problem(layout):
    assert month_problems(layout, month_values()) == []


@pytest.mark.parametrize("group_code", PARTITION_GROUPS)
def test_each_partition_must_sum_to_its_total(layout, group_code):
    values = month_values()
    group = layout.group(group_code)
    values[group.codes[-1]] += 1
    problems = month_problems(layout, values)
    assert [p.group_code for p in problems] == [group_code]
    assert f"La somme des lignes « {group.label} »" in problems[0].message
    assert "doit être égale" in problems[0].message


def test_a_partition_short_of_its_total_is_also_refused(layout):
    values = month_values(persons=20)
    values["femmes"] -= 1
    assert "(19) doit être égale à « Personnes rencontrées » (20)" in (
        month_problems(layout, values)[0].message
    )


def test_a_partly_typed_partition_may_stay_below_its_total(layout):
    values = month_values()
    values["hommes"] = None
    assert month_problems(layout, values) == []


def test_a_partly_typed_partition_may_not_exceed_its_total(layout):
    values = month_values(persons=10)
    values.update(femmes=11, hommes=None, sexe_non_renseigne=None)
    (problem,) = month_problems(layout, values)
    assert "Les lignes déjà saisies de « Public : sexe » (11) dépassent" in problem.message


@pytest.mark.parametrize("group_code", ["problematiques", "orientations"])
def test_no_line_of_a_multiple_count_group_exceeds_the_persons_met(layout, group_code):
    values = month_values(persons=10)
    code = layout.group(group_code).codes[0]
    values[code] = 11
    (problem,) = month_problems(layout, values)
    assert problem.codes == (code,)
    assert "ne peut pas dépasser « Personnes rencontrées » (10)" in problem.message


def test_multiple_counts_may_add_up_to_more_than_the_persons_met(layout):
    values = month_values(persons=10)
    values.update(dict.fromkeys(layout.group("problematiques").codes, 10))
    assert month_problems(layout, values) == []


def test_without_its_total_a_partition_is_not_checked_yet(layout):
    values = month_values()
    values["personnes_rencontrees"] = None
    assert month_problems(layout, values) == []


def test_missing_values_are_listed_in_grid_order(layout):
    values = month_values()
    values["hommes"] = None
    values["entretiens"] = None
    assert missing_codes(layout, values) == ["entretiens", "hommes"]


def test_a_pure_layout_needs_no_database():
    layout = Layout(
        (
            GroupSpec("a", "A", "counts", indicators=(IndicatorSpec("total", "Total"),)),
            GroupSpec(
                "b",
                "B",
                "partition",
                "total",
                indicators=(IndicatorSpec("x", "X"), IndicatorSpec("y", "Y")),
            ),
        )
    )
    assert month_problems(layout, {"total": 3, "x": 1, "y": 2}) == []
    assert len(month_problems(layout, {"total": 3, "x": 1, "y": 1})) == 1
