"""Issue #18 item 5, one table per rule, each case named after its source: a share of the
post cost by year (« l'État : 80 %, puis 50 %, puis 30 % », the common FIPD schedule the
2021 IGA evaluation describes) with its cap and floor, over a tacit renewal; several
contributions of one funder on different budget lines; aids in kind, shown apart and
exported as « aide en nature »; the contribution form.
"""

import csv
import datetime
import io
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from conventions.access import scope_for
from conventions.enums import (
    BudgetLine,
    ContributionNature,
    ContributionRule,
    ProRata,
    RenewalMode,
    StartRule,
)
from conventions.funding.build import funding_plan, planned_amounts
from conventions.funding.due import funding_due
from conventions.funding.exports import plan_csv
from conventions.funding.rules import expected_amount, rule_text
from conventions.models import Contribution, Convention, Payment
from conventions.opendata.schema import SUBSIDIES
from conventions.opendata.subsidies import subsidies_export
from partners.enums import Role
from tests.conventions.factories import (
    ContributionFactory,
    ConventionFactory,
    PartyFactory,
    PostCostFactory,
    PostFactory,
)
from tests.conventions.test_opendata_validata import validata_errors
from tests.partners.factories import OrganisationFactory

D = Decimal
DAY = datetime.date
NBSP = "\u00a0"


def by_year(shares, *, cap=None, floor=None):
    """What the rules read of a « part du coût par année » (no database needed)."""
    return SimpleNamespace(
        rule=ContributionRule.SHARE_BY_YEAR,
        share_schedule=tuple(sorted((year, D(share)) for year, share in shares.items())),
        cap=D(cap) if cap is not None else None,
        floor=D(floor) if floor is not None else None,
        prorata=ProRata.NONE,
    )


def third(*, cap=None, floor=None):
    return SimpleNamespace(
        rule=ContributionRule.SHARE_CAPPED,
        share_numerator=1,
        share_denominator=3,
        cap=D(cap) if cap is not None else None,
        floor=D(floor) if floor is not None else None,
        prorata=ProRata.NONE,
    )


FIPD_SCHEDULE = {2024: 80, 2025: 50, 2026: 30}

# (contribution, year, post cost) → expected amount
SHARE_CASES = {
    "FIPD schedule, 80 % the first year of 50 000 € → 40 000 €": (
        by_year(FIPD_SCHEDULE),
        2024,
        D("50000"),
        D("40000.00"),
    ),
    "FIPD schedule, 30 % the third year of 50 000 € → 15 000 €": (
        by_year(FIPD_SCHEDULE),
        2026,
        D("50000"),
        D("15000.00"),
    ),
    "A renewal keeps the last terms: 2029, after « 30 % à partir de 2026 » → 15 000 €": (
        by_year(FIPD_SCHEDULE),
        2029,
        D("50000"),
        D("15000.00"),
    ),
    "80 % of 60 000 € « plafonné à 40 000 € par an » → the cap, 40 000 €": (
        by_year({2024: 80}, cap="40000"),
        2024,
        D("60000"),
        D("40000.00"),
    ),
    "30 % of 30 000 € « au moins 10 000 € par an » → the floor, 10 000 €": (
        by_year({2024: 30}, floor="10000"),
        2024,
        D("30000"),
        D("10000.00"),
    ),
    "30 % of 50 000 € between a floor of 10 000 € and a cap of 20 000 € → 15 000 €": (
        by_year({2024: 30}, cap="20000", floor="10000"),
        2024,
        D("50000"),
        D("15000.00"),
    ),
    "A share is a maximum: 12,5 % of 33 333 € → 4 166,62 €, rounded down to the cent": (
        by_year({2024: D("12.5")}),
        2024,
        D("33333"),
        D("4166.62"),
    ),
    "The floor applies after the rounding: 12,5 % of 33 333 €, at least 4 166,63 €": (
        by_year({2024: D("12.5")}, floor="4166.63"),
        2024,
        D("33333"),
        D("4166.63"),
    ),
    "Ermont art. 7 with a floor: a third of 24 000 €, at least 10 000 € → 10 000 €": (
        third(cap="13000", floor="10000"),
        2024,
        D("24000"),
        D("10000.00"),
    ),
    "A year before the first share stated cannot be computed": (
        by_year({2025: 50}),
        2024,
        D("50000"),
        None,
    ),
    "Post cost not entered: the share cannot be computed": (
        by_year(FIPD_SCHEDULE),
        2024,
        None,
        None,
    ),
}


@pytest.mark.parametrize(
    "contribution,year,cost,amount", list(SHARE_CASES.values()), ids=list(SHARE_CASES)
)
def test_share_by_year_expected_amount(contribution, year, cost, amount):
    assert expected_amount(contribution, year, cost).amount == amount


def test_a_share_by_year_reads_as_the_convention_writes_it():
    contribution = by_year(FIPD_SCHEDULE, cap="40000", floor="10000")
    contribution.due_month = None
    assert rule_text(contribution) == (
        f"part du coût du poste : 80{NBSP}% en 2024, 50{NBSP}% en 2025, puis 30{NBSP}% à "
        f"partir de 2026, plafonné à 40{NBSP}000{NBSP}€ par an, au moins 10{NBSP}000{NBSP}€ "
        "par an"
    )


# The FIPD schedule over a tacit renewal ------------------------------------------------------


@pytest.fixture
def gip():
    """A (fictional) GIP's post, three years from 01/03/2024 tacitly renewed by one year;
    cost 50 000 € a year 2024–2027; the State's FIPD 80 %, 50 %, 30 % of the cost,
    pro-rated by months, and the employer the balance, 2024–2027."""
    post = PostFactory()
    convention = ConventionFactory(
        post=post,
        start_rule=StartRule.STATED_DATE,
        stated_start_date=DAY(2024, 3, 1),
        duration_years=3,
        renewal_mode=RenewalMode.TACIT,
        renewal_period_years=1,
    )
    state = OrganisationFactory(prefecture=True, short_name="État")
    for order, organisation in enumerate((state, post.employer)):
        PartyFactory(
            convention=convention, organisation=organisation, order=order, signed_on=DAY(2024, 2, 1)
        )
    for year in range(2024, 2028):
        PostCostFactory(post=post, year=year, total=D("50000"))
    ContributionFactory(
        convention=convention,
        organisation=state,
        share_by_year=True,
        shares=FIPD_SCHEDULE,
        first_year=2024,
        last_year=2027,
        prorata=ProRata.MONTHS,
    )
    ContributionFactory(
        convention=convention,
        organisation=post.employer,
        balance=True,
        first_year=2024,
        last_year=2027,
    )
    return convention, state


# year → (État, employer's balance)
SCHEDULE_CASES = {
    "from 01/03/2024, 80 % pro-rated 10/12: 2024 → 33 333,33 €": (
        2024,
        D("33333.33"),
        D("16666.67"),
    ),
    "second year, 50 %: 2025 → 25 000 €": (2025, D("25000.00"), D("25000.00")),
    "third year, 30 %: 2026 → 15 000 €": (2026, D("15000.00"), D("35000.00")),
    "tacitly renewed from 01/03/2027: the last share, 30 % of a whole year → 15 000 €": (
        2027,
        D("15000.00"),
        D("35000.00"),
    ),
}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "year,state_amount,balance_amount", list(SCHEDULE_CASES.values()), ids=list(SCHEDULE_CASES)
)
def test_the_fipd_schedule_is_expected_year_by_year_renewal_included(
    gip, year, state_amount, balance_amount
):
    convention, state = gip
    plan = funding_plan(Convention.objects.with_funding().get(pk=convention.pk))
    row = plan.row(year)
    assert [cell.amount for cell in row.cells] == [state_amount, balance_amount]
    assert row.deficit is None
    # The dashboards read the same amounts.
    cells, _, _ = funding_due(Convention.objects.filter(pk=convention.pk), today=DAY(year, 12, 1))
    assert {(c.organisation_name, c.amount) for c in cells if c.year == year} == {
        (state.name, state_amount),
        (convention.single_post.employer.name, balance_amount),
    }


@pytest.mark.django_db
def test_a_floor_reached_is_explained_on_the_plan(gip):
    convention, _ = gip
    convention.contributions.filter(rule=ContributionRule.SHARE_BY_YEAR).update(
        floor=D("20000"), prorata=ProRata.NONE
    )
    plan = funding_plan(Convention.objects.with_funding().get(pk=convention.pk))
    assert plan.row(2026).cells[0].amount == D("20000.00")
    assert [w.text for w in plan.warnings if w.kind == "floor" and w.year == 2026] == [
        f"2026 — État : plancher appliqué ; 30{NBSP}% du coût (50{NBSP}000{NBSP}€) ferait "
        f"15{NBSP}000{NBSP}€, la participation est portée à 20{NBSP}000{NBSP}€."
    ]


# Several budget lines of one funder --------------------------------------------------------


@pytest.fixture
def state_funded():
    """A convention of 2024–2026 whose State party funds on its FIPD line."""
    post = PostFactory()
    convention = ConventionFactory(post=post)
    state = OrganisationFactory(prefecture=True, short_name="État")
    for order, organisation in enumerate((state, post.employer)):
        PartyFactory(convention=convention, organisation=organisation, order=order)
    return convention, state


def other_line_message(line, source):
    return (
        f"Ce financeur a déjà une contribution {line}pour 2024–2026 (« {source} ») : "
        "modifiez-la, ou choisissez une autre ligne budgétaire si c'est un autre financement."
    )


# (first line and label, second line and label) → the refusal, or None when allowed
LINE_CASES = {
    "FIPD and politique de la ville over the same years (two State lines) → allowed": (
        (BudgetLine.FIPD, ""),
        (BudgetLine.CITY_POLICY, ""),
        None,
    ),
    "FIPD twice over the same years → refused, naming the other": (
        (BudgetLine.FIPD, ""),
        (BudgetLine.FIPD, ""),
        other_line_message("sur la ligne « FIPD » ", "FIPD 2024"),
    ),
    "Two « Autre » lines with different labels → allowed": (
        (BudgetLine.OTHER, "contrat de ville"),
        (BudgetLine.OTHER, "dotation de soutien à l'investissement"),
        None,
    ),
    "Two « Autre » lines with the same label, whatever its case → refused": (
        (BudgetLine.OTHER, "Contrat de ville"),
        (BudgetLine.OTHER, "contrat de ville "),
        other_line_message("sur la ligne « contrat de ville » ", "FIPD 2024"),
    ),
    "No line stated twice, as before lines existed → refused": (
        (BudgetLine.NOT_STATED, ""),
        (BudgetLine.NOT_STATED, ""),
        other_line_message("", "FIPD 2024"),
    ),
}


@pytest.mark.django_db
@pytest.mark.parametrize("first,second,refusal", list(LINE_CASES.values()), ids=list(LINE_CASES))
def test_one_funder_may_hold_one_contribution_per_budget_line(state_funded, first, second, refusal):
    convention, state = state_funded
    ContributionFactory(
        convention=convention,
        organisation=state,
        source="FIPD 2024",
        budget_line=first[0],
        budget_line_label=first[1],
        first_year=2024,
        last_year=2026,
    )
    other = Contribution(
        convention=convention,
        organisation=state,
        source="crédits politique de la ville",
        budget_line=second[0],
        budget_line_label=second[1],
        rule=ContributionRule.FIXED,
        amount=D("5000"),
        first_year=2025,
        last_year=2027,
    )
    if refusal is None:
        other.full_clean()
    else:
        with pytest.raises(ValidationError) as refused:
            other.full_clean()
        assert refused.value.message_dict["first_year"] == [refusal]


@pytest.mark.django_db
def test_two_state_lines_are_two_columns_and_add_up_everywhere(state_funded):
    convention, state = state_funded
    PostCostFactory(post=convention.single_post, year=2024, total=D("50000"))
    ContributionFactory(
        convention=convention,
        organisation=state,
        share_by_year=True,
        shares={2024: 80},
        first_year=2024,
        last_year=2024,
    )
    ContributionFactory(
        convention=convention,
        organisation=state,
        source="crédits politique de la ville",
        budget_line=BudgetLine.CITY_POLICY,
        amount=D("5000"),
        first_year=2024,
        last_year=2024,
    )
    employer = convention.single_post.employer
    ContributionFactory(
        convention=convention, organisation=employer, balance=True, first_year=2024, last_year=2024
    )
    plan = funding_plan(Convention.objects.with_funding().get(pk=convention.pk))
    assert [c.name for c in plan.columns] == [
        "État — FIPD",
        "État — Politique de la ville",
        employer.short_name or employer.name,
    ]
    row = plan.row(2024)
    assert [c.amount for c in row.cells] == [D("40000.00"), D("5000.00"), D("5000.00")]
    assert row.totals.expected == D("50000.00") and row.deficit is None
    # A deliberation announces what the State pays, on all its lines.
    assert planned_amounts(convention, 2024)[state.pk] == D("45000.00")
    cells, _, _ = funding_due(Convention.objects.filter(pk=convention.pk), today=DAY(2024, 12, 1))
    assert sorted(c.amount for c in cells if c.organisation_name == state.name) == [
        D("5000.00"),
        D("40000.00"),
    ]
    funders = [
        line["Financeur"] for line in csv.DictReader(io.StringIO(csv_text(plan)), delimiter=";")
    ]
    assert "État — FIPD" in funders and "État — Politique de la ville" in funders


def csv_text(plan) -> str:
    return plan_csv(plan).decode("utf-8-sig")


# Aids in kind -------------------------------------------------------------------------------


@pytest.fixture
def premises(two_departements):
    """The 79 convention, 2024: cost 50 000 €, the State 20 000 € a year due on 30 June,
    the employer the balance, and the commune's premises in kind, valued 6 000 € a year."""
    dep = two_departements["79"]
    convention = dep["convention"]
    convention.parties.update(signed_on=DAY(2023, 12, 1))
    parties = {p.organisation.kind: p.organisation for p in convention.parties.all()}
    PostCostFactory(post=dep["post"], year=2024, total=D("50000"))
    ContributionFactory(
        convention=convention,
        organisation=parties["etat"],
        amount=D("20000"),
        first_year=2024,
        last_year=2024,
        due_month=6,
        due_day=30,
    )
    ContributionFactory(
        convention=convention,
        organisation=dep["post"].employer,
        balance=True,
        first_year=2024,
        last_year=2024,
    )
    in_kind = ContributionFactory(
        convention=convention,
        organisation=parties["commune"],
        in_kind=True,
        in_kind_value=D("6000"),
        first_year=2024,
        last_year=2024,
        due_month=6,
        due_day=30,
    )
    return {**dep, "in_kind": in_kind}


@pytest.mark.django_db
def test_an_aid_in_kind_never_counts_in_amounts_balance_due_or_late(premises):
    convention, in_kind = premises["convention"], premises["in_kind"]
    plan = funding_plan(Convention.objects.with_funding().get(pk=convention.pk))
    assert plan.in_kind == [in_kind]
    assert in_kind.organisation not in [c.organisation for c in plan.columns]
    row = plan.row(2024)
    # The balance is the cost minus the money only: 50 000 − 20 000.
    assert [c.amount for c in row.cells] == [D("20000.00"), D("30000.00")]
    assert row.totals.expected == D("50000.00") and row.deficit is None
    assert not any("Commune" in w.text for w in plan.warnings)
    cells, _, _ = funding_due(Convention.objects.filter(pk=convention.pk), today=DAY(2024, 12, 1))
    assert in_kind.organisation.name not in {c.organisation_name for c in cells}
    assert rule_text(in_kind) == (
        f"aide en nature : mise à disposition des locaux, valorisée 6{NBSP}000{NBSP}€ par an"
    )
    payment = Payment(
        contribution=in_kind,
        year=2024,
        date=DAY(2024, 7, 1),
        amount=D("6000"),
        payer=in_kind.organisation,
    )
    with pytest.raises(ValidationError) as refused:
        payment.full_clean()
    assert refused.value.message_dict["contribution"] == [
        "Une aide en nature ne donne lieu à aucun versement : rien n'est à saisir."
    ]


@pytest.mark.django_db
def test_the_plan_page_and_its_export_show_the_aid_in_kind_apart(client, premises):
    client.force_login(premises["users"][Role.LOCAL_AUTHORITY])
    reference = premises["convention"].reference
    content = client.get(reverse("conventions:funding_plan", args=[reference])).content.decode()
    assert "Aides en nature" in content
    assert f"mise à disposition des locaux, valorisée 6{NBSP}000{NBSP}€ par an" in content
    assert f"?contribution={premises['in_kind'].pk}&amp;" not in content  # no payment entry
    export = client.get(reverse("conventions:funding_plan_csv", args=[reference]))
    lines = list(csv.DictReader(io.StringIO(export.content.decode("utf-8-sig")), delimiter=";"))
    in_kind_lines = [line for line in lines if line["État"] == "aide en nature, hors totaux"]
    assert [line["Montant attendu"] for line in in_kind_lines] == [""]
    detail = client.get(reverse("conventions:detail", args=[reference]))
    assert "Aides en nature" in detail.content.decode()


@pytest.mark.django_db
def test_an_aid_in_kind_is_exported_as_aide_en_nature_and_validata_finds_no_error(
    client, premises, tmp_path
):
    commune = premises["in_kind"].organisation
    user = premises["users"][Role.LOCAL_AUTHORITY]
    client.force_login(user)
    response = client.get(
        reverse("conventions:opendata_subsidies_csv"), {"organisation": commune.pk}
    )
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8"))))
    assert [(r["nature"], r["montant"], r["datesPeriodeVersement"]) for r in rows] == [
        ("aide en nature", "6000.00", "2024-01-01/2024-12-31")
    ]
    assert validata_errors(SUBSIDIES, response.content, tmp_path) == []


@pytest.mark.django_db
def test_an_aid_in_kind_without_a_value_is_left_out_of_the_export_and_said_so(premises):
    aid = premises["in_kind"]
    Contribution.objects.filter(pk=aid.pk).update(in_kind_value=None)
    user = premises["users"][Role.LOCAL_AUTHORITY]
    export = subsidies_export(scope_for(user), aid.organisation)
    assert export.rows == []
    assert export.left_out == [
        f"Aides en nature sans valeur connue ({premises['convention'].reference}, mise à "
        "disposition des locaux) : le schéma exige un montant ; indiquez leur valeur annuelle "
        "pour les publier."
    ]


def test_an_aid_in_kind_has_no_rule_nor_amount():
    aid = Contribution(
        nature=ContributionNature.IN_KIND,
        rule=ContributionRule.FIXED,
        amount=D("6000"),
        in_kind_description="",
        first_year=2024,
        last_year=2024,
        source="patrimoine communal",
    )
    with pytest.raises(ValidationError) as refused:
        aid.clean()
    assert refused.value.message_dict["in_kind_description"] == [
        "Décrivez l'aide en nature, par exemple « mise à disposition des locaux »."
    ]
    assert refused.value.message_dict["amount"][0].startswith("Sans objet pour une aide en nature")


# The contribution form ----------------------------------------------------------------------


def form_data(organisation, shares=(), **changes):
    data = {
        "organisation": organisation.pk,
        "nature": ContributionNature.MONEY,
        "source": "FIPD",
        "budget_line": BudgetLine.FIPD,
        "rule": ContributionRule.SHARE_BY_YEAR,
        "first_year": 2024,
        "last_year": 2026,
        "prorata": ProRata.NONE,
        "parts-TOTAL_FORMS": 3,
        "parts-INITIAL_FORMS": 0,
    }
    for index, (year, share) in enumerate(shares):
        data[f"parts-{index}-year"] = year
        data[f"parts-{index}-share"] = share
    return data | changes


@pytest.fixture
def editor(client, two_departements):
    dep = two_departements["79"]
    client.force_login(dep["users"][Role.LOCAL_AUTHORITY])
    state = dep["convention"].parties.get(organisation__kind="etat").organisation
    url = reverse("conventions:contribution_create", args=[dep["convention"].reference])
    return client, url, dep["convention"], state


@pytest.mark.django_db
def test_the_form_records_80_then_50_then_30_percent_one_line_a_year(editor):
    client, url, convention, state = editor
    shares = [(2024, "80"), (2025, "50 %"), (2026, "30")]
    response = client.post(url, form_data(state, shares))
    assert response.status_code == 302
    contribution = convention.contributions.get()
    assert contribution.share_schedule == ((2024, D("80")), (2025, D("50")), (2026, D("30")))
    plan_page = client.get(reverse("conventions:funding_plan", args=[convention.reference]))
    content = plan_page.content.decode()
    assert f"80{NBSP}% en 2024, 50{NBSP}% en 2025, puis 30{NBSP}% à partir de 2026" in content
    # Each year's cell says the share it applies.
    assert f"50{NBSP}% du coût" in content
    edit = client.get(reverse("conventions:contribution_update", args=[contribution.pk]))
    assert 'name="parts-1-year" value="2025"' in edit.content.decode()
    assert 'name="parts-1-share" value="50"' in edit.content.decode()


FORM_REFUSALS = {
    "a share above 100 %": ([(2024, "120")], "Une part du coût va de 0 à 100 %."),
    "a share that is not a number": (
        [(2024, "quatre-vingts")],
        "Indiquez un pourcentage, par exemple 80 ou 33,33.",
    ),
    "no share for the first year": (
        [(2025, "50")],
        "Indiquez la part du coût de 2024, première année de la contribution",
    ),
    "a year outside the contribution": (
        [(2024, "80"), (2028, "30")],
        "La contribution couvre 2024–2026 : retirez la part de 2028",
    ),
    "the same year twice": (
        [(2024, "80"), (2024, "50")],
        "Une seule part par année : 2024 est indiquée deux fois.",
    ),
}


@pytest.mark.django_db
@pytest.mark.parametrize("shares,message", list(FORM_REFUSALS.values()), ids=list(FORM_REFUSALS))
def test_the_form_refuses_wrong_shares_in_french(editor, shares, message):
    client, url, convention, state = editor
    response = client.post(url, form_data(state, shares))
    assert response.status_code == 200
    assert message in response.content.decode().replace("&#x27;", "'")
    assert not convention.contributions.exists()


@pytest.mark.django_db
def test_the_form_records_an_aid_in_kind_without_a_rule(editor):
    client, url, convention, state = editor
    response = client.post(
        url,
        form_data(
            state,
            nature=ContributionNature.IN_KIND,
            rule="",
            budget_line="",
            source="patrimoine de l'État",
            in_kind_description="mise à disposition d'un bureau",
            in_kind_value="1 200",
        ),
    )
    assert response.status_code == 302
    aid = convention.contributions.get()
    assert (aid.nature, aid.rule, aid.in_kind_value) == (
        ContributionNature.IN_KIND,
        "",
        D("1200"),
    )
