"""Funding exports of a framework convention (issue #18, item 3): every line names its post
and annex, carries that post's cost, and the numbers are those of the page's plan."""

import csv
import io
from decimal import Decimal as D

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from config.devtools.demo.fictional import FRAMEWORK_COSTS
from conventions.enums import ContributionNature
from conventions.funding.build import funding_plan
from conventions.models import Contribution, Convention
from tests.conventions.factories import (
    ContributionFactory,
    ConventionFactory,
    PartyFactory,
    PaymentFactory,
    PostCostFactory,
    PostFactory,
)
from tests.partners.factories import UserFactory

pytestmark = pytest.mark.django_db

FRAMEWORK = "cadre-18-2025"


@pytest.fixture
def demo():
    call_command("load_demo", stdout=io.StringIO())


def csv_rows(content: bytes) -> list[dict[str, str]]:
    text = content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text[1:]), delimiter=";"))


def money(value: str) -> D | None:
    return D(value.replace(",", ".")) if value else None


def admin_get(client, name, reference):
    client.force_login(UserFactory(admin=True))
    return client.get(reverse(f"conventions:{name}", args=[reference]))


def framework_plan():
    return funding_plan(Convention.objects.for_detail().get(reference=FRAMEWORK))


def test_each_line_of_a_framework_convention_names_its_post_and_that_post_s_cost(client, demo):
    plan = framework_plan()
    rows = csv_rows(admin_get(client, "funding_plan_csv", FRAMEWORK).content)
    annexes = {s.number: str(s.post) for s in plan.convention.ordered_sections()}
    assert len(annexes) == 3
    checked = 0
    for block in plan.blocks:
        number, name = block.section.number, str(block.section.post)
        costs = FRAMEWORK_COSTS[name]
        for row in block.rows:
            lines = [r for r in rows if r["Annexe"] == str(number) and r["Année"] == str(row.year)]
            assert {r["Poste"] for r in lines} == {name}
            # That post's cost on each of its lines, never the sum of the three.
            assert {money(r["Coût du poste"]) for r in lines} == {D(costs[row.year])}
            for column, cell in zip(block.columns, row.cells, strict=True):
                if cell is None:
                    continue
                (line,) = [r for r in lines if r["Financeur"] == column.name_in_annex]
                assert money(line["Montant attendu"]) == cell.amount
                assert money(line["Versé"]) == cell.paid
                assert money(line["Reste à verser"]) == cell.remaining
                checked += 1
            (total,) = [r for r in lines if r["Financeur"].startswith(f"Total {row.year}")]
            assert total["Financeur"] == f"Total {row.year} — annexe n° {number}"
            assert money(total["Montant attendu"]) == row.totals.expected
            assert money(total["Écart avec le coût"]) == row.gap
    # 3 posts × 3 years × (State, Département, balance of the intercommunality or the GIP)
    assert checked == 27
    # The State pays 80 % of Castelnau's own cost in 2025, not of the three posts' sum.
    castelnau = next(b for b in plan.blocks if b.section.number == 1).section.post
    (state_2025,) = [
        r
        for r in rows
        if r["Poste"] == str(castelnau) and r["Année"] == "2025" and r["Source"] == "FIPD"
    ]
    assert money(state_2025["Montant attendu"]) == D(FRAMEWORK_COSTS[str(castelnau)][2025]) * D(
        "0.8"
    )
    # Then the convention's totals, as before: the posts' costs summed.
    for row in plan.rows:
        (total,) = [r for r in rows if r["Financeur"] == f"Total {row.year}"]
        assert total["Poste"] == "Tous les postes"
        assert money(total["Coût du poste"]) == sum(
            D(FRAMEWORK_COSTS[name][row.year]) for name in annexes.values()
        )
        assert money(total["Montant attendu"]) == row.totals.expected
    (grand,) = [r for r in rows if r["Financeur"] == "Total de la convention"]
    assert money(grand["Montant attendu"]) == plan.totals.expected
    assert money(grand["Coût du poste"]) == plan.cost_total


def test_an_aid_in_kind_line_says_so_and_names_its_post(client, demo):
    rows = csv_rows(admin_get(client, "funding_plan_csv", FRAMEWORK).content)
    (in_kind,) = [r for r in rows if "aide en nature" in r["État"]]
    convention = framework_plan().convention
    aid = convention.contributions.get(nature=ContributionNature.IN_KIND)
    (section,) = [s for s in convention.ordered_sections() if s.post_id == aid.post_id]
    assert in_kind["Annexe"] == str(section.number) == "2"
    assert in_kind["Poste"] == str(section.post)
    assert in_kind["Financeur"] == "CC du Haut-Cher"
    assert "aide en nature" in in_kind["Règle"]
    # Never in the amounts: the totals stay those of money.
    assert in_kind["Montant attendu"] == ""


def test_each_payment_names_its_post(client, demo):
    plan = framework_plan()
    rows = csv_rows(admin_get(client, "payments_csv", FRAMEWORK).content)
    assert len(rows) == len(plan.payments)
    sections = {s.post_id: s for s in plan.convention.ordered_sections()}
    for row, (cell, payment) in zip(rows, plan.payments, strict=True):
        section = sections[cell.contribution.post_id]
        assert (row["Poste"], row["Annexe"]) == (str(section.post), str(section.number))
        assert money(row["Montant"]) == payment.amount
        assert "annexe" not in row["Financeur"]  # the « Annexe » column says which
    assert {r["Annexe"] for r in rows} == {"1", "2", "3"}


def test_the_xlsx_has_the_numbers_and_posts_of_the_csv(client, demo):
    rows = csv_rows(admin_get(client, "funding_plan_csv", FRAMEWORK).content)
    response = admin_get(client, "funding_plan_xlsx", FRAMEWORK)
    sheet = load_workbook(io.BytesIO(response.content))["Plan de financement"]
    header = [c.value for c in sheet[1]]
    assert header[1:3] == ["Poste", "Annexe"]
    lines = list(sheet.iter_rows(min_row=2, values_only=True))
    assert len(lines) == len(rows)
    for csv_row, values in zip(rows, lines, strict=True):
        values = dict(zip(header, values, strict=True))
        assert (values["Poste"] or "") == csv_row["Poste"]
        assert str(values["Annexe"] or "") == csv_row["Annexe"]
        for column in ("Coût du poste", "Montant attendu", "Versé"):
            expected = money(csv_row[column])
            assert (D(str(values[column])) if values[column] is not None else None) == expected


def test_a_one_post_convention_fills_its_post_and_annex_on_every_line(client):
    convention = with_funding([PostFactory(name="ISC de Niort")])
    rows = csv_rows(admin_get(client, "funding_plan_csv", convention.reference).content)
    assert rows
    assert {(r["Poste"], r["Annexe"]) for r in rows} == {("ISC de Niort", "1")}
    # No total line per post: the year's total is the convention's, as before.
    assert [r["Financeur"] for r in rows if r["Financeur"].startswith("Total")] == [
        "Total 2021",
        "Total 2022",
        "Total de la convention",
    ]
    payments = csv_rows(admin_get(client, "payments_csv", convention.reference).content)
    assert payments
    assert {(r["Poste"], r["Annexe"]) for r in payments} == {("ISC de Niort", "1")}


def with_funding(posts):
    """A convention covering ``posts``, each with a cost, two funders and a payment."""
    convention = ConventionFactory(post=None, posts=posts)
    state, departement = PartyFactory(convention=convention), PartyFactory(convention=convention)
    for post in posts:
        for year in (2021, 2022):
            PostCostFactory(post=post, year=year)
        share = ContributionFactory(
            convention=convention,
            organisation=state.organisation,
            post=post,
            share_by_year=True,
            shares={2021: 80, 2022: 50},
            last_year=2022,
        )
        PaymentFactory(contribution=share, year=2021)
        ContributionFactory(
            convention=convention, organisation=departement.organisation, post=post, last_year=2022
        )
    return convention


# session, user, savepoint (atomic request), the convention (scoped), its sections with
# their posts, parties with their organisations, renewals, amendments, contributions with
# their organisations, payments with their payers, yearly shares, post costs, amounts
# decided by linked deliberations, release savepoint: one query per relation, whatever
# the number of posts.
PINNED_EXPORTS = {"funding_plan_csv": 14, "funding_plan_xlsx": 14, "payments_csv": 14}


@pytest.mark.parametrize("name", PINNED_EXPORTS)
def test_an_export_runs_as_many_queries_for_three_posts_as_for_one(
    client, django_assert_num_queries, name
):
    client.force_login(UserFactory(admin=True))
    for posts in (1, 3):
        convention = with_funding([PostFactory() for _ in range(posts)])
        url = reverse(f"conventions:{name}", args=[convention.reference])
        with django_assert_num_queries(PINNED_EXPORTS[name]):
            assert client.get(url).status_code == 200


def test_a_contribution_of_no_annex_is_listed_and_every_euro_of_a_total_is_on_a_line(client):
    convention = with_funding([PostFactory(), PostFactory()])
    # Entered before the convention covered several posts: it funds no annex.
    Contribution.objects.filter(pk=convention.contributions.order_by("pk").last().pk).update(
        post=None
    )
    rows = csv_rows(admin_get(client, "funding_plan_csv", convention.reference).content)
    assert {r["Poste"] for r in rows if r["Annexe"] == ""} == {
        "poste non précisé",
        "Tous les postes",
    }
    for year in ("2021", "2022"):
        lines = [r for r in rows if r["Année"] == year and not r["Financeur"].startswith("Total")]
        (total,) = [r for r in rows if r["Financeur"] == f"Total {year}"]
        assert sum(money(r["Montant attendu"]) for r in lines) == money(total["Montant attendu"])
        assert any(r["Poste"] == "poste non précisé" for r in lines)
