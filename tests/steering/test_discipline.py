"""The steering's reporting discipline: per secretariat and quarter, the shares of the
quarters due entered, submitted and validated, and the median days late."""

import datetime
from decimal import Decimal

import pytest

from activity.enums import QuarterState
from config.steering.area import Area
from config.steering.discipline import discipline_part
from tests.conventions.factories import PostSiteFactory
from tests.partners.factories import OrganisationFactory
from tests.steering.reporting import TODAY, YEARS, covered_post, quarter

pytestmark = pytest.mark.django_db


def table(part, table_id):
    return next(t for t in part.tables if t.id == table_id)


def rows(table, *first_cells):
    """The rows whose first cells are ``first_cells``, as {column label: value}."""
    labels = [c.label for c in table.columns]
    return [
        dict(zip(labels, r, strict=True))
        for r in table.rows
        if r[: len(first_cells)] == list(first_cells)
    ]


@pytest.fixture
def ddsp():
    return OrganisationFactory(ddsp=True, name="DDSP des Deux-Sèvres", short_name="DDSP 79")


@pytest.fixture
def groupement():
    return OrganisationFactory(groupement=True, name="Groupement 79", short_name="GGD 79")


@pytest.fixture
def year_2025(ddsp):
    """Q1 sent on time and validated, Q2 sent ten days late (due 15 July), Q3 entered but
    never sent (due 15 October 2025: 417 days late on 6 December 2026), Q4 nothing at all
    (due 15 January 2026: 325 days)."""
    post = covered_post(functional_authority=ddsp)
    quarter(post, 2025, 1, submitted=datetime.date(2025, 4, 10), personnes_rencontrees=20)
    quarter(
        post,
        2025,
        2,
        state=QuarterState.SUBMITTED,
        submitted=datetime.date(2025, 7, 25),
        personnes_rencontrees=20,
    )
    quarter(post, 2025, 3, state=QuarterState.DRAFT, personnes_rencontrees=20)
    return post


def test_a_year_counts_the_shares_of_quarters_entered_submitted_and_validated(year_2025):
    (year,) = rows(
        table(discipline_part(Area("79"), years=YEARS, today=TODAY), "remontees-annees"), "2025"
    )

    assert year["Trimestres attendus"] == 4
    assert year["Saisis"] == Decimal("0.75")
    assert year["Transmis"] == Decimal("0.5")
    assert year["Validés"] == Decimal("0.25")


def test_the_median_days_late_counts_on_time_as_zero_and_unsent_until_today(year_2025):
    """Days late: 0, 10, 417 and 325: the median is (10 + 325) / 2."""
    (year,) = rows(
        table(discipline_part(Area("79"), years=YEARS, today=TODAY), "remontees-annees"), "2025"
    )

    assert year["Retard médian"] == Decimal("167.5")


def test_each_quarter_of_the_last_year_has_its_row_per_secretariat(year_2025):
    quarters = table(
        discipline_part(Area("79"), years=[2024, 2025], today=TODAY), "remontees-trimestres"
    )

    (second,) = rows(quarters, "DDSP 79", "2e trimestre")
    assert second["Retard médian"] == 10
    assert second["Transmis"] == 1
    assert second["Validés"] == 0
    (fourth,) = rows(quarters, "DDSP 79", "4e trimestre")
    assert fourth["Saisis"] == 0
    assert fourth["Retard médian"] == 325


def test_a_quarter_not_yet_due_is_not_counted(ddsp):
    """On 6 December 2026, Q4 2026 is due on 15 January 2027."""
    post = covered_post(functional_authority=ddsp)
    for q in (1, 2, 3):
        quarter(post, 2026, q, submitted=datetime.date(2026, 3 * q + 1, 2))

    (year,) = rows(
        table(discipline_part(Area("79"), years=YEARS, today=TODAY), "remontees-annees"), "2026"
    )

    assert year["Trimestres attendus"] == 3
    assert year["Validés"] == 1
    assert year["Retard médian"] == 0


def test_a_quarter_before_the_convention_took_effect_is_not_due(ddsp):
    """Covered from 1 January 2022: 2021 expects nothing."""
    covered_post(functional_authority=ddsp)

    (year,) = rows(
        table(discipline_part(Area("79"), years=[2021, 2022], today=TODAY), "remontees-annees"),
        "2021",
    )

    assert year["Trimestres attendus"] == 0
    assert year["Retard médian"] is None


def test_the_ddsp_and_the_groupement_are_counted_apart_and_a_mixed_post_in_both(ddsp, groupement):
    police = covered_post(functional_authority=ddsp)
    brigade = covered_post(functional_authority=groupement, gendarmerie=True)
    mixed = covered_post(functional_authority=ddsp)
    PostSiteFactory(post=mixed, gendarmerie=True, functional_authority=groupement, order=2)
    for post in (police, brigade, mixed):
        quarter(post, 2025, 1, submitted=datetime.date(2025, 4, 10))

    secretariats = table(
        discipline_part(Area("79"), years=YEARS, today=TODAY), "remontees-secretariats"
    )

    (ddsp_2025,) = rows(secretariats, "DDSP 79", "2025")
    (groupement_2025,) = rows(secretariats, "GGD 79", "2025")
    assert ddsp_2025["Trimestres attendus"] == 8  # the police and the mixed post
    assert groupement_2025["Trimestres attendus"] == 8  # the brigade and the mixed post
    assert ddsp_2025["Validés"] == Decimal("0.25")


def test_the_national_table_names_the_departement_of_each_secretariat_and_sorts(ddsp):
    ddsp95 = OrganisationFactory(ddsp=True, val_doise=True, short_name="DDSP 95")
    covered_post(functional_authority=ddsp)
    covered_post(functional_authority=ddsp95, departement="95")

    part = discipline_part(Area(), years=YEARS, today=TODAY)

    secretariats = table(part, "remontees-secretariats")
    assert secretariats.sortable
    assert [c.label for c in secretariats.columns][:3] == [
        "Secrétariat",
        "Département",
        "Trimestres attendus",
    ]
    assert {tuple(r[:2]) for r in secretariats.rows} == {("DDSP 79", "79"), ("DDSP 95", "95")}
    departements = table(part, "remontees-departements")
    assert departements.sortable
    assert [row[:2] for row in departements.rows] == [["79", "Deux-Sèvres"], ["95", "Val-d'Oise"]]
    assert departements.links == ["/pilotage/departement/79/", "/pilotage/departement/95/"]
    # Eight hundred rows of secretariats and quarters are the départements' pages' own.
    assert not [t for t in part.tables if t.id == "remontees-trimestres"]


@pytest.mark.parametrize("posts", [1, 4])
@pytest.mark.parametrize("departement", [None, "79"])
def test_the_discipline_part_runs_a_fixed_number_of_queries(
    posts, departement, ddsp, groupement, django_assert_num_queries
):
    for _ in range(posts):
        quarter(covered_post(functional_authority=ddsp), 2025, 1)
        quarter(covered_post(functional_authority=groupement, gendarmerie=True), 2025, 2)
    # 1 the conventions' distinct durations (may_govern_between builds its window from
    # them), 2 the posts, 3 their sites with their functional authorities, 4 their
    # conventions that may govern the years, 5-9 the conventions' parties, renewals,
    # amendments, reporting rules and sections, 10 the quarter reports (with whether a
    # month is entered).
    with django_assert_num_queries(10):
        discipline_part(Area(departement), years=YEARS, today=TODAY)
