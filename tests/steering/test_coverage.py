import datetime
from decimal import Decimal

import pytest

from config.steering.area import Area
from config.steering.coverage import coverage_part
from config.steering.models import DepartementTarget, NationalTarget
from conventions.enums import Force
from tests.conventions.factories import (
    PostFactory,
    PostHolderFactory,
    PostSiteFactory,
    signed_convention,
)
from tests.partners.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 3, 5)


def table(part, table_id):
    return next(t for t in part.tables if t.id == table_id)


def chart(part, chart_id):
    return next(c for c in part.charts if c.id == chart_id)


def departement_row(part, code):
    departements = table(part, "couverture-departements")
    row = next(row for row in departements.rows if row[0] == code)
    return dict(zip((c.label for c in departements.columns), row, strict=True))


def summary(part):
    synthesis = table(part, "couverture-synthese")
    return dict(zip((c.label for c in synthesis.columns), synthesis.rows[0], strict=True))


def in_force_convention(post):
    return signed_convention(
        post=post,
        signed_on=datetime.date(2025, 1, 10),
        organisations=[OrganisationFactory(), OrganisationFactory(association=True)],
    )


def test_each_of_the_101_departements_has_a_row_with_its_posts_against_the_default_target():
    PostFactory.create_batch(3, departement="79")
    PostFactory(departement="95")

    part = coverage_part(Area(), today=TODAY)

    departements = table(part, "couverture-departements")
    assert len(departements.rows) == 101
    assert departements.links[0] == "/pilotage/departement/01/"
    seventy_nine = departement_row(part, "79")
    assert (seventy_nine["Nom"], seventy_nine["Postes"], seventy_nine["Objectif"]) == (
        "Deux-Sèvres",
        3,
        2,
    )
    assert seventy_nine["Écart à l'objectif"] == 1
    assert departement_row(part, "95")["Écart à l'objectif"] == -1
    assert departement_row(part, "2A")["Postes"] == 0
    assert departement_row(part, "2A")["Écart à l'objectif"] == -2
    assert summary(part)["Postes"] == 4
    assert summary(part)["Objectif (somme des départements)"] == 202


def test_a_departement_target_replaces_the_default_set_by_the_administrator():
    NationalTarget.objects.create(pk=1, posts_per_departement=3)
    DepartementTarget.objects.create(departement="79", posts=5)
    PostFactory(departement="79")

    national = coverage_part(Area(), today=TODAY)
    departement = coverage_part(Area("79"), today=TODAY)

    assert departement_row(national, "79")["Objectif"] == 5
    assert departement_row(national, "95")["Objectif"] == 3
    assert summary(national)["Objectif (somme des départements)"] == 5 + 100 * 3
    assert summary(departement)["Objectif"] == 5
    assert summary(departement)["Écart à l'objectif"] == -4


def test_the_national_total_is_shown_beside_the_sum_and_the_gap_is_to_it():
    NationalTarget.objects.create(pk=1, national_total=600)
    PostFactory.create_batch(2)

    row = summary(coverage_part(Area(), today=TODAY))

    assert row["Objectif (somme des départements)"] == 202
    assert row["Objectif national fixé"] == 600
    assert row["Écart à l'objectif"] == -598


def test_posts_are_split_by_force_with_a_post_at_both_forces_counted_as_mixed():
    PostFactory(fte=Decimal("0.50"))
    PostFactory(gendarmerie=True)
    mixed = PostFactory(mixed=True)
    PostSiteFactory(post=mixed, force=Force.POLICE, order=3)

    part = coverage_part(Area(), today=TODAY)

    row = departement_row(part, "79")
    assert (row["Police"], row["Gendarmerie"], row["Mixtes"]) == (1, 1, 1)
    assert row["ETP"] == Decimal("2.50")
    forces = table(coverage_part(Area("79"), today=TODAY), "couverture-postes").column("Force")
    assert sorted(forces) == ["Gendarmerie", "Mixte", "Police"]


def test_a_vacant_post_counts_its_days_since_its_last_holder_left():
    for left in (datetime.date(2026, 2, 2), datetime.date(2026, 1, 3), datetime.date(2025, 11, 4)):
        PostHolderFactory(post=PostFactory(), start=datetime.date(2024, 1, 1), end=left)
    never_held = PostFactory(name="Poste jamais pourvu")
    held = PostFactory(name="Poste pourvu")
    PostHolderFactory(post=held, name="Camille Martin", start=datetime.date(2025, 9, 1))

    part = coverage_part(Area("79"), today=TODAY)

    row = summary(part)
    assert row["Postes vacants"] == 4
    assert (row["Vacance médiane"], row["Vacance moyenne"]) == (60, 70)
    assert departement_row(coverage_part(Area(), today=TODAY), "79")["Postes vacants"] == 4
    posts = table(part, "couverture-postes")
    holders = dict(zip(posts.column("Poste"), posts.column("Titulaire"), strict=True))
    days = dict(zip(posts.column("Poste"), posts.column("Jours de vacance"), strict=True))
    assert holders[held.name] == "Camille Martin"
    assert days[held.name] is None
    assert holders[never_held.name] == "vacant, jamais pourvu"
    assert "vacant depuis le 3 février 2026" in holders.values()
    assert sorted(d for d in days.values() if d is not None) == [30, 60, 120]


def test_turnover_counts_the_holders_who_began_each_year_but_not_a_posts_first():
    changing = PostFactory()
    PostHolderFactory(
        post=changing, start=datetime.date(2021, 1, 1), end=datetime.date(2023, 5, 31)
    )
    PostHolderFactory(
        post=changing, start=datetime.date(2023, 6, 1), end=datetime.date(2025, 1, 31)
    )
    PostHolderFactory(post=changing, start=datetime.date(2025, 2, 1))
    PostHolderFactory(post=PostFactory(), start=datetime.date(2025, 5, 1))
    elsewhere = PostFactory(departement="95")
    PostHolderFactory(
        post=elsewhere, start=datetime.date(2022, 1, 1), end=datetime.date(2024, 3, 1)
    )
    PostHolderFactory(post=elsewhere, start=datetime.date(2024, 3, 2))

    departement = chart(coverage_part(Area("79"), today=TODAY), "couverture-rotation")
    national = chart(coverage_part(Area(), today=TODAY), "couverture-rotation")

    assert departement.categories == ["2022", "2023", "2024", "2025", "2026"]
    assert departement.series[0].values == [0, 1, 0, 1, 0]
    assert national.series[0].values == [0, 1, 1, 1, 0]
    assert departement.table.rows[1] == ["2023", 1]


def test_a_post_without_a_convention_in_force_today_is_counted():
    covered = PostFactory(name="Poste couvert")
    in_force_convention(covered)
    expired = PostFactory(name="Poste à convention échue")
    signed_convention(
        post=expired,
        signed_on=datetime.date(2020, 1, 10),
        organisations=[OrganisationFactory(), OrganisationFactory(association=True)],
    )
    PostFactory(name="Poste sans convention")

    national = coverage_part(Area(), today=TODAY)
    departement = coverage_part(Area("79"), today=TODAY)

    assert departement_row(national, "79")["Sans convention en vigueur"] == 2
    assert summary(national)["Sans convention en vigueur"] == 2
    posts = table(departement, "couverture-postes")
    assert dict(zip(posts.column("Poste"), posts.column("Convention en vigueur"), strict=True)) == {
        "Poste couvert": "oui",
        "Poste à convention échue": "non",
        "Poste sans convention": "non",
    }


def test_posts_are_broken_down_by_the_kind_of_their_employer():
    PostFactory.create_batch(2)
    PostFactory(employer=OrganisationFactory())

    employers = chart(coverage_part(Area(), today=TODAY), "couverture-employeurs")

    assert employers.kind == "hbars"
    assert employers.categories == ["Association", "Commune"]
    assert employers.series[0].values == [2, 1]


def some_posts(count):
    for number in range(count):
        post = PostFactory(mixed=number % 2 == 1)
        PostHolderFactory(post=post, start=datetime.date(2024, 1, 1), end=datetime.date(2025, 6, 1))
        PostHolderFactory(post=post, start=datetime.date(2025, 7, 1))
        in_force_convention(post)


@pytest.mark.parametrize("count", [1, 5])
def test_the_national_coverage_is_read_in_a_fixed_number_of_queries(
    count, django_assert_num_queries
):
    some_posts(count)
    # 1-5. the conventions in force (convention_list): the durations in use, the
    #      candidates Python decides, their parties, renewals and amendments;
    # 6. the sections of the conventions in force, with the amendments adding or removing
    #    them and their post's département;
    # 7-8. the national target and the départements' own targets;
    # 9. the posts, FTE, forces and vacant posts per département (GROUP BY);
    # 10. the holder changes per year; 11. the posts per employer kind;
    # 12. the summary's totals; 13. the days since the last holder left, vacant posts.
    with django_assert_num_queries(13):
        coverage_part(Area(), today=TODAY)


@pytest.mark.parametrize("count", [1, 5])
def test_the_departement_coverage_is_read_in_a_fixed_number_of_queries(
    count, django_assert_num_queries
):
    some_posts(count)
    # 1-8. as nationally (the conventions in force, their sections, the targets);
    # 9. the posts with their kind, employer, holder today and last holder's departure;
    # 10. the holder changes per year; 11. the posts per employer kind;
    # 12. the summary's totals; 13. the days since the last holder left, vacant posts.
    with django_assert_num_queries(13):
        coverage_part(Area("79"), today=TODAY)
