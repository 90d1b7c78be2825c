"""The steering's activity part: validated quarters only, the share validated, the
per-post statistical secrecy."""

import datetime
from decimal import Decimal

import pytest

from activity.enums import GroupKind, QuarterState
from activity.models import GridVersion, Indicator, IndicatorGroup, MonthlyRecord, MonthlyValue
from config.steering.activity import SECRECY_THRESHOLD, Withheld, activity_part
from config.steering.area import Area
from config.steering.figures import Masked, formatted
from tests.activity.factories import fill
from tests.steering.reporting import TODAY, YEARS, covered_post, quarter

pytestmark = pytest.mark.django_db

PERSONS, INTERVIEWS, REFERRALS = "personnes_rencontrees", "entretiens", "saisines_recues"


def table(part, table_id):
    return next(t for t in part.tables if t.id == table_id)


def row(table, first_cell):
    return dict(
        zip(
            [c.label for c in table.columns],
            next(r for r in table.rows if r[0] == first_cell),
            strict=True,
        )
    )


def counts(persons, interviews=0, referrals=0):
    return {PERSONS: persons, INTERVIEWS: interviews, REFERRALS: referrals}


def test_validated_and_locked_quarters_count_and_submitted_ones_do_not():
    post = covered_post()
    quarter(post, 2025, 1, **counts(30, 45, 20))
    quarter(post, 2025, 2, state=QuarterState.LOCKED, **counts(12, 15, 10))
    quarter(post, 2025, 3, state=QuarterState.SUBMITTED, **counts(500, 500, 500))
    quarter(post, 2025, 4, state=QuarterState.DRAFT, **counts(700, 700, 700))

    part = activity_part(Area("79"), years=YEARS, today=TODAY)

    year = row(table(part, "activite-annees"), "2025")
    assert year["Personnes rencontrées"] == 42
    assert year["Entretiens"] == 60
    assert year["Saisines reçues"] == 30


def test_the_share_validated_is_validated_quarters_over_quarters_due():
    """2025: four quarters due, one validated; 2026: Q1 to Q3 due (Q4 is due on 15 January
    2027), two validated."""
    post = covered_post()
    quarter(post, 2025, 1, **counts(30))
    quarter(post, 2025, 2, state=QuarterState.SUBMITTED, **counts(30))
    quarter(post, 2026, 1, **counts(30))
    quarter(post, 2026, 2, **counts(30))

    years = table(activity_part(Area("79"), years=YEARS, today=TODAY), "activite-annees")

    assert row(years, "2025")["Trimestres validés"] == Decimal("0.25")
    assert formatted(row(years, "2026")["Trimestres validés"], "percent") == "67\u00a0%"


def test_a_year_without_any_validated_quarter_shows_no_figure_rather_than_zero():
    post = covered_post()
    quarter(post, 2024, 1, state=QuarterState.SUBMITTED, **counts(30))

    part = activity_part(Area("79"), years=YEARS, today=TODAY)

    assert row(table(part, "activite-annees"), "2024")["Personnes rencontrées"] is None
    assert row(table(part, "activite-annees"), "2024")["Trimestres validés"] == 0
    chart = next(c for c in part.charts if c.id == "activite-personnes")
    assert chart.kind == "bars"
    assert chart.series[0].values[YEARS.index(2024)] is None


def test_persons_met_per_year_are_charted_as_bars():
    post = covered_post()
    quarter(post, 2024, 1, **counts(25))
    quarter(post, 2025, 1, **counts(40))

    chart = next(
        c
        for c in activity_part(Area(), years=YEARS, today=TODAY).charts
        if c.id == "activite-personnes"
    )

    assert chart.categories == [str(y) for y in YEARS]
    assert chart.series[0].values[YEARS.index(2024) :] == [25, 40, None]


def test_a_post_below_the_threshold_shows_less_than_eleven_and_zero_stays_zero():
    small, empty, large, medium = (covered_post(name=n) for n in ("A", "B", "C", "D"))
    quarter(small, 2026, 1, **counts(5, 30, 12))
    quarter(empty, 2026, 1, **counts(0, 0, 0))
    quarter(large, 2026, 1, **counts(40, 80, 3))
    quarter(medium, 2026, 1, **counts(25, 50, 0))
    covered_post(name="E")  # nothing validated

    posts = table(activity_part(Area("79"), years=YEARS, today=TODAY), "activite-postes")

    assert row(posts, "A")["Personnes rencontrées"] == Masked(SECRECY_THRESHOLD)
    assert formatted(row(posts, "A")["Personnes rencontrées"], "count") == "< 11"
    assert row(posts, "B")["Personnes rencontrées"] == 0
    assert row(posts, "C")["Personnes rencontrées"] == 40
    assert row(posts, "E")["Personnes rencontrées"] is None
    # Interviews: nothing below 11, nothing masked.
    assert [r[2] for r in posts.rows] == [30, 0, 80, 50, None]


def test_the_next_smallest_count_is_masked_when_one_alone_would_be_recovered_from_the_total():
    """The département's total is published: 40 + 25 + x = 70 gives x; with 25 masked too,
    it does not."""
    small, large, medium = (covered_post(name=n) for n in ("A", "C", "D"))
    quarter(small, 2026, 1, **counts(5, 30, 12))
    quarter(large, 2026, 1, **counts(40, 80, 3))
    quarter(medium, 2026, 1, **counts(25, 50, 0))

    posts = table(activity_part(Area("79"), years=YEARS, today=TODAY), "activite-postes")

    assert posts.column("Personnes rencontrées") == [
        Masked(SECRECY_THRESHOLD),
        40,
        Withheld(SECRECY_THRESHOLD),
    ]
    assert formatted(row(posts, "D")["Personnes rencontrées"], "count") == "secret"
    # Referrals: 3 is masked, and the next smallest (12, not the zero) with it.
    assert posts.column("Saisines reçues") == [
        Withheld(SECRECY_THRESHOLD),
        Masked(SECRECY_THRESHOLD),
        0,
    ]


def test_two_small_counts_in_a_column_need_no_secondary_masking():
    for name, persons in (("A", 5), ("B", 7), ("C", 40)):
        quarter(covered_post(name=name), 2026, 1, **counts(persons))

    posts = table(activity_part(Area("79"), years=YEARS, today=TODAY), "activite-postes")

    assert posts.column("Personnes rencontrées") == [Masked(11), Masked(11), 40]


def test_a_departement_count_made_by_one_post_is_masked_like_the_posts_own():
    """One post alone has figures: the département's count is the post's, published it
    would give the post's « < 11 » away."""
    quarter(covered_post(name="A"), 2026, 1, **counts(5, 30, 7))
    quarter(covered_post(name="B"), 2026, 1, **counts(0, 40, 0))

    part = activity_part(Area("79"), years=YEARS, today=TODAY)

    year = row(table(part, "activite-annees"), "2026")
    assert year["Personnes rencontrées"] == Masked(SECRECY_THRESHOLD)
    assert year["Saisines reçues"] == Masked(SECRECY_THRESHOLD)
    assert year["Entretiens"] == 70  # two posts, above the threshold anyway
    assert row(table(part, "activite-postes"), "A")["Personnes rencontrées"] == Masked(11)
    chart = next(c for c in part.charts if c.id == "activite-personnes")
    assert chart.series[0].values[-1] == Masked(SECRECY_THRESHOLD)


def test_a_small_departement_count_made_by_two_posts_is_published():
    quarter(covered_post(name="A"), 2026, 1, **counts(5, 30, 0))
    quarter(covered_post(name="B"), 2026, 1, **counts(3, 40, 0))

    part = activity_part(Area("79"), years=YEARS, today=TODAY)

    assert row(table(part, "activite-annees"), "2026")["Personnes rencontrées"] == 8
    assert row(table(part, "activite-annees"), "2026")["Saisines reçues"] == 0


def test_a_breakdown_line_made_by_one_post_is_masked_when_small():
    quarter(covered_post(), 2025, 1, **counts(40), pb_logement=12, pb_violences_conjugales=3)
    quarter(covered_post(), 2026, 1, **counts(40), pb_logement=4, pb_violences_conjugales=20)

    part = activity_part(Area("79"), years=YEARS, today=TODAY)

    assert table(part, "activite-problematiques").rows == [
        ["Violences conjugales", Masked(SECRECY_THRESHOLD), 20],
        ["Logement, expulsion, hébergement d'urgence", 12, Masked(SECRECY_THRESHOLD)],
    ]
    chart = next(c for c in part.charts if c.id == "activite-problematiques-graphique")
    assert [s.values for s in chart.series] == [[Masked(11), 12], [20, Masked(11)]]


def test_the_national_table_masks_a_departement_made_by_one_small_post_and_one_more():
    """The national total is published: the next smallest département is withheld too."""
    quarter(covered_post(departement="18"), 2026, 1, **counts(100, 50, 20))
    quarter(covered_post(departement="79"), 2026, 1, **counts(5, 60, 30))
    for persons in (20, 30):
        quarter(covered_post(departement="95"), 2026, 1, **counts(persons, 40, 25))

    national = activity_part(Area(), years=YEARS, today=TODAY)

    departements = table(national, "activite-departements")
    assert departements.column("Personnes rencontrées") == [
        100,
        Masked(SECRECY_THRESHOLD),
        Withheld(SECRECY_THRESHOLD),
    ]
    assert departements.column("Saisines reçues") == [20, 30, 50]
    # National figures aggregate many départements: never masked.
    assert row(table(national, "activite-annees"), "2026")["Personnes rencontrées"] == 155


def test_the_national_table_has_a_row_per_departement_linked_to_its_page():
    quarter(covered_post(departement="79"), 2026, 1, **counts(30, 40, 20))
    quarter(covered_post(departement="95"), 2026, 1, **counts(50, 60, 25))
    quarter(covered_post(departement="95"), 2026, 2, state=QuarterState.SUBMITTED, **counts(99))

    departements = table(activity_part(Area(), years=YEARS, today=TODAY), "activite-departements")

    assert departements.sortable
    assert departements.columns[0].label == "Département"
    assert [r[0] for r in departements.rows] == ["79", "95"]
    assert departements.links == [Area("79").url, Area("95").url]
    assert row(departements, "95")["Personnes rencontrées"] == 50
    # 95: two posts × three quarters due in 2026, one validated.
    assert row(departements, "95")["Trimestres validés"] == Decimal("0.1667")
    assert not [
        t
        for t in activity_part(Area(), years=YEARS, today=TODAY).tables
        if t.id == "activite-postes"
    ]


def test_the_main_problems_compare_the_last_year_with_the_year_before():
    post = covered_post()
    quarter(post, 2025, 1, **counts(40), pb_logement=19, pb_violences_conjugales=12)
    quarter(post, 2026, 1, **counts(40), pb_logement=14, pb_violences_conjugales=20)

    part = activity_part(Area("79"), years=YEARS, today=TODAY)

    problems = table(part, "activite-problematiques")
    assert problems.rows == [
        ["Violences conjugales", 12, 20],
        ["Logement, expulsion, hébergement d'urgence", 19, 14],
    ]
    assert [c.label for c in problems.columns][1:] == ["2025", "2026"]
    chart = next(c for c in part.charts if c.id == "activite-problematiques-graphique")
    assert chart.kind == "hbars"
    assert [s.values for s in chart.series] == [[12, 19], [20, 14]]


def test_every_orientation_is_shown_when_the_grid_has_fewer_than_ten():
    report = quarter(covered_post(), 2026, 1)
    fill(report, persons=90)  # every orientation 30 a month, in each of the three months

    orientations = table(
        activity_part(Area("79"), years=YEARS, today=TODAY), "activite-orientations"
    )

    # The default grid has nine orientations: all of them, each 90 in 2026.
    assert len(orientations.rows) == 9
    assert {r[2] for r in orientations.rows} == {90}


def test_problems_keep_the_ten_largest_lines():
    post = covered_post()
    codes = [
        "pb_violences_conjugales", "pb_violences_intrafamiliales", "pb_violences_sexuelles",
        "pb_conflit_familial", "pb_mineurs", "pb_detresse_sociale", "pb_logement",
        "pb_sante_mentale", "pb_addictions", "pb_personne_vulnerable", "pb_conflit_voisinage",
        "pb_harcelement",
    ]  # fmt: skip
    # From 11: above the threshold, a single post's lines are published.
    quarter(post, 2026, 1, **counts(50), **{code: i + 11 for i, code in enumerate(codes)})

    problems = table(activity_part(Area("79"), years=YEARS, today=TODAY), "activite-problematiques")

    assert [r[2] for r in problems.rows] == list(range(22, 12, -1))


def test_grid_versions_add_up_by_indicator_code_and_the_newest_label_wins():
    version = GridVersion.objects.create(name="Grille 2026", valid_from=datetime.date(2026, 1, 1))
    activity = IndicatorGroup.objects.create(
        version=version, code="activite", label="Activité", kind=GroupKind.COUNTS
    )
    problems = IndicatorGroup.objects.create(
        version=version,
        code="problematiques",
        label="Problématiques",
        kind=GroupKind.MULTIPLE,
        total_code=PERSONS,
    )
    persons = Indicator.objects.create(group=activity, code=PERSONS, label="Personnes vues")
    housing = Indicator.objects.create(group=problems, code="pb_logement", label="Logement")
    post = covered_post()
    quarter(post, 2025, 4, **counts(30), pb_logement=6)
    report = quarter(post, 2026, 1)
    report.grid_version = version
    report.save()
    record = MonthlyRecord.objects.create(report=report, month=1, entered_at=report.validated_at)
    MonthlyValue.objects.bulk_create(
        [
            MonthlyValue(record=record, indicator=persons, value=12),
            MonthlyValue(record=record, indicator=housing, value=5),
        ]
    )

    part = activity_part(Area(), years=YEARS, today=TODAY)

    assert row(table(part, "activite-annees"), "2025")["Personnes rencontrées"] == 30
    assert row(table(part, "activite-annees"), "2026")["Personnes rencontrées"] == 12
    assert table(part, "activite-problematiques").rows == [["Logement", 6, 5]]


@pytest.mark.parametrize("posts", [1, 4])
@pytest.mark.parametrize("departement", [None, "79"])
def test_the_activity_part_runs_a_fixed_number_of_queries(
    posts, departement, django_assert_num_queries
):
    for _ in range(posts):
        post = covered_post()
        quarter(post, 2025, 1, **counts(30, 40, 20))
        quarter(post, 2026, 2, state=QuarterState.SUBMITTED, **counts(30, 40, 20))
    # 1 the indicators of every grid version, 2 the sums per year of the validated quarters,
    # then reported_quarters: 3 the conventions' distinct durations (may_govern_between
    # builds its window from them), 4 the posts, 5 their conventions that may govern the
    # years, 6-10 the conventions' parties, renewals, amendments, reporting rules and
    # sections, 11 the quarter reports (with whether a month is entered);
    # 12 the sums of the last year per département (national) or per post (département).
    with django_assert_num_queries(12):
        activity_part(Area(departement), years=YEARS, today=TODAY)
