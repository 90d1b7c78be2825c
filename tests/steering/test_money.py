"""The money part of the steering pages: cost of the posts, who pays what share, the
State's credits by budget line, gaps."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from config.steering.area import Area
from config.steering.money import money_part
from conventions.enums import BudgetLine
from conventions.models import ContributionChange
from tests.conventions.factories import (
    AmendmentFactory,
    ContributionFactory,
    ConventionFactory,
    PartyFactory,
    PaymentFactory,
    PostCostFactory,
    PostFactory,
)
from tests.partners.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 1, 15)
YEARS = [2022, 2023, 2024, 2025, 2026]
SIGNED = datetime.date(2023, 12, 1)


def signed_convention(post, *organisations, signed_on=SIGNED, **kwargs):
    convention = ConventionFactory(post=post, **kwargs)
    for order, organisation in enumerate(organisations):
        PartyFactory(
            convention=convention, organisation=organisation, order=order, signed_on=signed_on
        )
    return convention


def state_funded_post(departement="79", *, amount="25350", cost="30000"):
    """A post whose State pays a fixed amount for 2024–2026, its cost entered each year."""
    post = PostFactory(departement=departement)
    state = OrganisationFactory(prefecture=True, departement=departement)
    convention = signed_convention(post, state, post.employer)
    ContributionFactory(
        convention=convention,
        organisation=state,
        first_year=2024,
        last_year=2026,
        amount=Decimal(amount),
        budget_line=BudgetLine.FIPD,
    )
    for year in (2024, 2025, 2026):
        PostCostFactory(post=post, year=year, total=Decimal(cost))
    return convention


def table(part, table_id):
    return next(t for t in part.tables if t.id == table_id)


def year_row(part, year, table_id="financement-annees"):
    found = table(part, table_id)
    labels = [c.label for c in found.columns]
    row = next(r for r in found.rows if r[0] == str(year))
    return dict(zip(labels, row, strict=True))


def state_rows(part):
    found = table(part, "financement-etat-lignes")
    labels = [c.label for c in found.columns]
    return {(r[0], r[1]): dict(zip(labels, r, strict=True)) for r in found.rows}


def test_a_fixed_amount_and_a_capped_share_of_the_cost_count_for_their_funders_each_year():
    post = PostFactory()
    state = OrganisationFactory(prefecture=True)
    departement = OrganisationFactory(departement_council=True)
    convention = signed_convention(post, state, departement, post.employer)
    ContributionFactory(convention=convention, organisation=state, first_year=2024, last_year=2026)
    ContributionFactory(
        convention=convention,
        organisation=departement,
        share_capped=True,
        first_year=2025,
        last_year=2026,
    )
    PostCostFactory(post=post, year=2024, total=Decimal("30000"))
    PostCostFactory(post=post, year=2025, total=Decimal("45000"))

    part = money_part(Area("79"), years=YEARS, today=TODAY)

    row_2024, row_2025 = year_row(part, 2024), year_row(part, 2025)
    assert row_2024["État"] == Decimal("25350.00")
    assert row_2024["Départements"] == Decimal("0.00")
    assert row_2025["État"] == Decimal("25350.00")
    # A third of 45 000 € is 15 000 €, capped at 13 000 €.
    assert row_2025["Départements"] == Decimal("13000.00")
    assert row_2025["Financement attendu (argent)"] == Decimal("38350.00")
    assert year_row(part, 2023)["Financement attendu (argent)"] == Decimal("0.00")


def test_a_signed_amendment_changes_the_amount_from_its_year_on():
    convention = state_funded_post(amount="25350")
    ContributionChange.objects.create(
        amendment=AmendmentFactory(convention=convention, signed_on=datetime.date(2025, 3, 1)),
        contribution=convention.contributions.get(),
        from_year=2025,
        amount=Decimal("27000"),
    )

    part = money_part(Area("79"), years=YEARS, today=TODAY)

    assert table(part, "financement-annees").column("État")[2:] == [
        Decimal("25350.00"),
        Decimal("27000.00"),
        Decimal("27000.00"),
    ]


def test_a_gap_is_the_cost_that_no_funder_covers():
    state_funded_post(amount="25350", cost="30000")

    row = year_row(money_part(Area("79"), years=YEARS, today=TODAY), 2025)

    assert row["Coût des postes"] == Decimal("30000.00")
    assert row["Écart (coût − financement)"] == Decimal("4650.00")


def test_a_gap_is_unknown_when_a_cost_the_share_depends_on_is_missing():
    post = PostFactory()
    departement = OrganisationFactory(departement_council=True)
    convention = signed_convention(post, departement, post.employer)
    ContributionFactory(
        convention=convention,
        organisation=departement,
        share_capped=True,
        first_year=2025,
        last_year=2026,
    )
    PostCostFactory(post=post, year=2025, total=Decimal("30000"))

    part = money_part(Area("79"), years=YEARS, today=TODAY)

    assert year_row(part, 2025)["Écart (coût − financement)"] == Decimal("20000.00")
    assert year_row(part, 2026)["Écart (coût − financement)"] is None
    assert (
        "2026 : 1 poste sans coût renseigné, écart non calculé."
        in table(part, "financement-annees").notes
    )


def test_an_aid_in_kind_is_valued_apart_and_never_in_the_money_expected():
    convention = state_funded_post(cost="30000")
    commune = OrganisationFactory()
    PartyFactory(convention=convention, organisation=commune, order=5, signed_on=SIGNED)
    ContributionFactory(
        convention=convention,
        organisation=commune,
        in_kind=True,
        in_kind_value=Decimal("3000"),
        first_year=2025,
        last_year=2026,
    )

    row = year_row(money_part(Area("79"), years=YEARS, today=TODAY), 2025)

    assert row["En nature (valorisé, hors total)"] == Decimal("3000.00")
    assert row["Communes et intercommunalités"] == Decimal("0.00")
    assert row["Financement attendu (argent)"] == Decimal("25350.00")
    assert row["Écart (coût − financement)"] == Decimal("4650.00")


def test_the_employer_paying_the_balance_counts_as_its_own_funds_not_as_an_intercommunality():
    epci = OrganisationFactory(epci=True)
    post = PostFactory(employer=epci)
    commune = OrganisationFactory()
    convention = signed_convention(post, commune, epci)
    ContributionFactory(
        convention=convention,
        organisation=commune,
        amount=Decimal("5000"),
        first_year=2025,
        last_year=2025,
    )
    ContributionFactory(
        convention=convention, organisation=epci, balance=True, first_year=2025, last_year=2025
    )
    PostCostFactory(post=post, year=2025, total=Decimal("40000"))

    part = money_part(Area("79"), years=YEARS, today=TODAY)

    row = year_row(part, 2025)
    assert row["Employeurs (fonds propres)"] == Decimal("35000.00")
    assert row["Communes et intercommunalités"] == Decimal("5000.00")
    assert row["Écart (coût − financement)"] == Decimal("0.00")
    shares = year_row(part, 2025, "financement-parts")
    assert shares["Employeurs (fonds propres)"] == Decimal("0.8750")


def test_the_state_credits_are_split_by_budget_line_with_their_total():
    convention = state_funded_post(amount="20000")
    state = convention.contributions.get().organisation
    ContributionFactory(
        convention=convention,
        organisation=state,
        amount=Decimal("4000"),
        first_year=2025,
        last_year=2026,
        budget_line=BudgetLine.CITY_POLICY,
    )

    part = money_part(Area("79"), years=YEARS, today=TODAY)

    rows = state_rows(part)
    assert rows[("FIPD", "2025")]["Programmé"] == Decimal("20000.00")
    assert rows[("Politique de la ville", "2025")]["Programmé"] == Decimal("4000.00")
    assert rows[("Total État", "2025")]["Programmé"] == Decimal("24000.00")
    assert ("Politique de la ville", "2024") not in rows
    assert year_row(part, 2025)["État"] == Decimal("24000.00")


def test_the_state_table_shows_what_was_paid_and_what_is_late_after_the_due_date():
    convention = state_funded_post(amount="25350")
    contribution = convention.contributions.get()
    contribution.due_month, contribution.due_day = 6, 30
    contribution.save()
    PaymentFactory(contribution=contribution, year=2024, amount=Decimal("25350"))
    PaymentFactory(contribution=contribution, year=2025, amount=Decimal("10000"))

    rows = state_rows(money_part(Area("79"), years=YEARS, today=TODAY))

    assert rows[("FIPD", "2024")]["Versé"] == Decimal("25350.00")
    assert rows[("FIPD", "2024")]["En retard"] == Decimal("0.00")
    assert rows[("FIPD", "2025")]["Versé"] == Decimal("10000.00")
    assert rows[("FIPD", "2025")]["En retard"] == Decimal("15350.00")
    # Due on 30 June 2026: to pay, not late yet.
    assert rows[("FIPD", "2026")]["En retard"] == Decimal("0.00")
    assert rows[("FIPD", "2026")]["Reste à verser"] == Decimal("25350.00")


def test_a_cancelled_payment_is_not_counted_as_paid():
    convention = state_funded_post(amount="25350")
    PaymentFactory(
        contribution=convention.contributions.get(),
        year=2025,
        amount=Decimal("25350"),
        cancelled_at=timezone.now(),
        cancellation_reason="Versement saisi deux fois par erreur.",
    )

    rows = state_rows(money_part(Area("79"), years=YEARS, today=TODAY))

    assert rows[("FIPD", "2025")]["Versé"] == Decimal("0.00")


def test_a_convention_not_signed_by_every_party_is_programmed_but_not_committed():
    convention = state_funded_post(amount="25350")
    convention.parties.filter(organisation=convention.single_post.employer).update(signed_on=None)

    rows = state_rows(money_part(Area("79"), years=YEARS, today=TODAY))

    assert rows[("FIPD", "2025")]["Programmé"] == Decimal("25350.00")
    assert rows[("FIPD", "2025")]["Engagé"] == Decimal("0.00")


def test_a_share_that_falls_every_year_is_named_as_decreasing():
    post = PostFactory()
    state = OrganisationFactory(prefecture=True)
    convention = signed_convention(post, state, post.employer)
    ContributionFactory(
        convention=convention,
        organisation=state,
        share_by_year=True,
        shares={2024: 80, 2025: 50, 2026: 30},
        first_year=2024,
        last_year=2026,
    )
    ContributionFactory(
        convention=convention,
        organisation=post.employer,
        balance=True,
        first_year=2024,
        last_year=2026,
    )
    for year in (2024, 2025, 2026):
        PostCostFactory(post=post, year=year, total=Decimal("40000"))

    part = money_part(Area("79"), years=YEARS, today=TODAY)

    shares = table(part, "financement-parts")
    assert shares.column("État") == [None, None, Decimal("0.8"), Decimal("0.5"), Decimal("0.3")]
    assert "Part décroissante chaque année de 2022 à 2026 : État." in shares.notes


def test_a_cancelled_convention_and_a_model_convention_count_nothing():
    state_funded_post()
    cancelled = state_funded_post()
    cancelled.cancelled_at = timezone.now()
    cancelled.cancellation_reason = "Convention signée en double par erreur."
    cancelled.save()
    template = state_funded_post()
    template.is_template = True
    template.save()

    row = year_row(money_part(Area("79"), years=YEARS, today=TODAY), 2025)

    assert row["État"] == Decimal("25350.00")
    assert row["Coût des postes"] == Decimal("30000.00")


def test_a_departement_counts_only_its_own_posts_of_a_framework_convention():
    post_79, post_95 = PostFactory(departement="79"), PostFactory(departement="95")
    state = OrganisationFactory(prefecture=True)
    convention = ConventionFactory(posts=[post_79, post_95])
    PartyFactory(convention=convention, organisation=state, signed_on=SIGNED)
    for post, amount in ((post_79, "20000"), (post_95, "13000")):
        ContributionFactory(
            convention=convention,
            organisation=state,
            post=post,
            amount=Decimal(amount),
            first_year=2025,
            last_year=2025,
        )

    row = year_row(money_part(Area("95"), years=YEARS, today=TODAY), 2025)

    assert row["État"] == Decimal("13000.00")


def test_the_national_table_by_departement_adds_up_each_departement_s_figures():
    state_funded_post("79", amount="25350", cost="30000")
    state_funded_post("79", amount="20000", cost="45000")
    state_funded_post("95", amount="13000", cost="40000")

    national = money_part(Area(), years=YEARS, today=TODAY)

    by_departement = table(national, "financement-departements")
    assert by_departement.column("Département") == ["79", "95"]
    assert by_departement.links == [Area("79").url, Area("95").url]
    for row in by_departement.rows:
        own = year_row(money_part(Area(row[0]), years=YEARS, today=TODAY), 2026)
        assert row[1:] == [
            own["Coût des postes"],
            own["Financement attendu (argent)"],
            own["État"],
            own["Écart (coût − financement)"],
        ]
    assert by_departement.column("Écart (coût − financement)") == [
        Decimal("29650.00"),
        Decimal("27000.00"),
    ]
    assert year_row(national, 2026)["État"] == Decimal("58350.00")


def test_a_departement_page_has_no_table_by_departement():
    state_funded_post("79")

    part = money_part(Area("79"), years=YEARS, today=TODAY)

    assert "financement-departements" not in [t.id for t in part.tables]


@pytest.mark.parametrize("conventions", [1, 4])
def test_the_money_part_reads_the_database_in_six_queries_whatever_the_number_of_conventions(
    django_assert_num_queries, conventions
):
    for _ in range(conventions):
        convention = state_funded_post()
        PaymentFactory(contribution=convention.contributions.get(), year=2025)
        commune = OrganisationFactory()
        ContributionFactory(
            convention=convention,
            organisation=commune,
            in_kind=True,
            in_kind_value=Decimal("1000"),
        )

    # 1. the money contributions of the area's agreements, with when each binds its funders
    # 2. the amounts that signed amendments change
    # 3. the parties that signed amendments withdraw
    # 4. the sums paid per contribution and year
    # 5. the post costs of the years shown
    # 6. the aids in kind
    with django_assert_num_queries(6):
        money_part(Area(), years=YEARS, today=TODAY)


def test_the_cost_of_a_year_is_unknown_not_zero_when_no_post_has_its_cost_entered():
    post = PostFactory(departement="79")
    state = OrganisationFactory(prefecture=True, departement="79")
    convention = signed_convention(post, state, post.employer)
    ContributionFactory(
        convention=convention,
        organisation=state,
        first_year=2024,
        last_year=2026,
        amount=Decimal("20000"),
        budget_line=BudgetLine.FIPD,
    )

    part = money_part(Area("79"), years=YEARS, today=TODAY)

    assert year_row(part, 2025)["Coût des postes"] is None
    assert year_row(part, 2025)["Écart (coût − financement)"] is None
    assert year_row(part, 2025)["Financement attendu (argent)"] == Decimal("20000")
