"""Funding pages: what each role sees and may do, payments, exports, query counts."""

import csv
import datetime
import io
import re
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from config.core.formats import euros
from conventions.enums import PaymentState
from conventions.models import Payment, PostCost
from partners.enums import Role
from tests.conventions.factories import (
    ContributionFactory,
    ConventionFactory,
    PartyFactory,
    PaymentFactory,
    PostCostFactory,
)
from tests.partners.factories import OrganisationFactory
from tests.pdfs import ONE_PAGE_PDF

pytestmark = pytest.mark.django_db

D = Decimal
PDF = ONE_PAGE_PDF


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def world(two_departements):
    """The 79 convention funded like Niort: signed on 12 October 2021, État 25 350 € and
    commune 5 000 € a year for 2021–2023, due on 30 June; 2021 paid in full."""
    dep = two_departements["79"]
    convention = dep["convention"]
    convention.parties.update(signed_on=datetime.date(2021, 10, 12))
    parties = {p.organisation.kind: p.organisation for p in convention.parties.all()}
    state = ContributionFactory(
        convention=convention, organisation=parties["etat"], due_month=6, due_day=30
    )
    city = ContributionFactory(
        convention=convention,
        organisation=parties["commune"],
        amount=D("5000"),
        source="budget communal",
        due_month=6,
        due_day=30,
    )
    PaymentFactory(contribution=state, year=2021, amount=D("25350"))
    PaymentFactory(contribution=city, year=2021, amount=D("5000"))
    return {
        **dep,
        "state": state,
        "city": city,
        "users": dep["users"],
        "other": two_departements["95"],
    }


def login(client, user):
    client.force_login(user)
    return client


def plan_url(convention):
    return reverse("conventions:funding_plan", args=[convention.reference])


def payment_url(world, contribution, year):
    base = reverse("conventions:payment_create", args=[world["convention"].reference])
    return f"{base}?contribution={contribution.pk}&annee={year}"


class CellParser(HTMLParser):
    """Reads the plan table: {(year, partner id or column): {"expected": …, "paid": …}}."""

    def __init__(self):
        super().__init__()
        self.cells, self.key, self.field = {}, None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "td" and "data-year" in attrs:
            self.key = (int(attrs["data-year"]), attrs.get("data-partner") or attrs["data-column"])
            self.cells[self.key] = {}
        elif tag == "td":
            self.key = None
        if tag == "dd" and self.key:
            self.field = attrs.get("class")

    def handle_endtag(self, tag):
        if tag == "dd":
            self.field = None

    def handle_data(self, data):
        if self.key and self.field:
            self.cells[self.key][self.field] = self.cells[self.key].get(self.field, "") + data


def page_cells(content: bytes):
    parser = CellParser()
    parser.feed(content.decode())
    return parser.cells


# Seeing the plan -------------------------------------------------------------------


def test_the_plan_shows_each_partner_s_expected_paid_and_remaining_amounts(client, world):
    login(client, world["users"][Role.LOCAL_AUTHORITY])
    response = client.get(plan_url(world["convention"]))
    assert response.status_code == 200
    cells = page_cells(response.content)
    state = str(world["state"].organisation_id)
    assert cells[(2021, state)] == {
        "expected": "25\u00a0350\u00a0€",
        "paid": "25\u00a0350\u00a0€",
    } | {"remaining": "0\u00a0€"}
    assert cells[(2022, state)]["remaining"] == "25\u00a0350\u00a0€"
    assert (
        "25\u00a0350\u00a0€ par an ; à verser au plus tard le 30 juin" in response.content.decode()
    )


def test_a_convention_out_of_scope_answers_404_on_every_funding_url(client, world):
    login(client, world["other"]["users"][Role.LOCAL_AUTHORITY])
    reference = world["convention"].reference
    payment = Payment.objects.first()
    for url in [
        plan_url(world["convention"]),
        reverse("conventions:funding_plan_csv", args=[reference]),
        reverse("conventions:funding_plan_xlsx", args=[reference]),
        reverse("conventions:payments_csv", args=[reference]),
        payment_url(world, world["city"], 2022),
        reverse("conventions:contribution_create", args=[reference]),
        reverse("conventions:contribution_update", args=[world["city"].pk]),
        reverse("conventions:post_cost_edit", args=[reference, 2022]),
        reverse("conventions:payment_cancel", args=[payment.pk]),
        reverse("conventions:payment_proof", args=[payment.pk]),
    ]:
        assert client.get(url).status_code == 404, url


def test_a_read_only_partner_sees_the_plan_but_no_payment_entry(client, world):
    login(client, world["users"][Role.READ_ONLY_PARTNER])
    response = client.get(plan_url(world["convention"]))
    assert response.status_code == 200
    assert "Saisir un versement" not in response.content.decode()


@pytest.mark.parametrize(
    "role", [Role.READ_ONLY_PARTNER, Role.DDSP_SECRETARIAT, Role.EMPLOYER_COORDINATION]
)
def test_a_partner_who_may_not_edit_gets_403_on_every_write(client, world, role):
    login(client, world["users"][role])
    reference = world["convention"].reference
    payment = Payment.objects.first()
    for url in [
        payment_url(world, world["city"], 2022),
        reverse("conventions:contribution_create", args=[reference]),
        reverse("conventions:contribution_update", args=[world["city"].pk]),
        reverse("conventions:post_cost_edit", args=[reference, 2022]),
        reverse("conventions:payment_cancel", args=[payment.pk]),
    ]:
        assert client.get(url).status_code == 403, url
        assert client.post(url, {}).status_code == 403, url
    assert Payment.objects.count() == 2
    assert not Payment.objects.exclude(cancelled_at=None).exists()


# Payments ------------------------------------------------------------------------------


def test_one_click_on_a_cell_opens_the_payment_form_with_the_remaining_amount(client, world):
    PaymentFactory(contribution=world["city"], year=2022, amount=D("2000"))
    login(client, world["users"][Role.LOCAL_AUTHORITY])
    page = client.get(plan_url(world["convention"])).content.decode()
    link = payment_url(world, world["city"], 2022).replace("&", "&amp;")
    assert f'href="{link}"' in page
    form = client.get(payment_url(world, world["city"], 2022)).content.decode()
    assert 'value="3\u00a0000"' in form
    assert "Reste à verser</dt><dd>3\u00a0000\u00a0€" in form


def test_a_payment_typed_the_french_way_is_recorded_and_lowers_what_remains(client, world):
    user = world["users"][Role.LOCAL_AUTHORITY]
    login(client, user)
    response = client.post(
        payment_url(world, world["city"], 2022),
        {
            "date": "2022-05-17",
            "amount": "2 500,50 €",
            "payer": world["city"].organisation_id,
            "reference": "mandat 2022-05120",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == plan_url(world["convention"]) + "#annee-2022"
    payment = Payment.objects.get(year=2022)
    assert (payment.amount, payment.recorded_by) == (D("2500.50"), user)
    page = client.get(response["Location"]).content.decode()
    assert "Versement de 2\u00a0500,50\u00a0€ enregistré" in page
    cell = page_cells(page.encode())[(2022, str(world["city"].organisation_id))]
    assert cell["remaining"] == "2\u00a0499,50\u00a0€"


def test_an_overpayment_is_recorded_with_a_warning(client, world):
    login(client, world["users"][Role.LOCAL_AUTHORITY])
    response = client.post(
        payment_url(world, world["city"], 2022),
        {"date": "2022-05-17", "amount": "6000", "payer": world["city"].organisation_id},
        follow=True,
    )
    content = response.content.decode()
    assert "dépassent maintenant le montant attendu (5\u00a0000\u00a0€)" in content
    assert "Versé au-delà du montant attendu" in content


def test_an_amount_that_is_not_a_number_is_refused_next_to_the_field(client, world):
    login(client, world["users"][Role.LOCAL_AUTHORITY])
    response = client.post(
        payment_url(world, world["city"], 2022),
        {"date": "2022-05-17", "amount": "cinq mille", "payer": world["city"].organisation_id},
    )
    assert response.status_code == 200
    assert "Indiquez un montant en euros, par exemple 5 000 ou 5 000,50." in (
        response.content.decode()
    )
    assert not Payment.objects.filter(year=2022).exists()


def test_a_payment_for_a_year_the_contribution_does_not_cover_is_not_found(client, world):
    login(client, world["users"][Role.LOCAL_AUTHORITY])
    assert client.get(payment_url(world, world["city"], 2025)).status_code == 404


def test_a_pdf_proof_is_stored_and_downloaded_only_through_the_scoped_view(client, world):
    login(client, world["users"][Role.LOCAL_AUTHORITY])
    client.post(
        payment_url(world, world["city"], 2022),
        {
            "date": "2022-05-17",
            "amount": "5000",
            "payer": world["city"].organisation_id,
            "proof": SimpleUploadedFile("avis de paiement.pdf", PDF, "application/pdf"),
        },
    )
    payment = Payment.objects.get(year=2022)
    assert payment.proof.name.startswith("financements/versements/")
    assert "avis" not in payment.proof.name
    url = reverse("conventions:payment_proof", args=[payment.pk])
    login(client, world["users"][Role.READ_ONLY_PARTNER])
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == PDF
    login(client, world["other"]["users"][Role.READ_ONLY_PARTNER])
    assert client.get(url).status_code == 404


def test_a_proof_that_is_not_a_pdf_is_refused_next_to_the_field(client, world):
    login(client, world["users"][Role.LOCAL_AUTHORITY])
    response = client.post(
        payment_url(world, world["city"], 2022),
        {
            "date": "2022-05-17",
            "amount": "5000",
            "payer": world["city"].organisation_id,
            "proof": SimpleUploadedFile("avis.pdf", b"MZ\x90\x00 not a pdf", "application/pdf"),
        },
    )
    assert "Ce fichier n&#x27;est pas un PDF." in response.content.decode()
    assert not Payment.objects.filter(year=2022).exists()


def test_cancelling_a_payment_keeps_it_and_its_proof_but_it_no_longer_counts(client, world):
    payment = PaymentFactory(
        contribution=world["city"],
        year=2022,
        amount=D("5000"),
        proof=SimpleUploadedFile("avis.pdf", PDF, "application/pdf"),
    )
    storage, name = payment.proof.storage, payment.proof.name
    login(client, world["users"][Role.LOCAL_AUTHORITY])
    url = reverse("conventions:payment_cancel", args=[payment.pk])
    response = client.post(url, {"reason": "Versement saisi deux fois."})
    assert response.status_code == 302
    payment.refresh_from_db()
    assert payment.cancellation_reason == "Versement saisi deux fois."
    assert storage.exists(name)
    cells = page_cells(client.get(plan_url(world["convention"])).content)
    assert cells[(2022, str(world["city"].organisation_id))]["paid"].strip() == "0\u00a0€"


# Contributions and post cost -------------------------------------------------------------


def contribution_data(contribution, **changes):
    data = {
        "organisation": contribution.organisation_id,
        "source": contribution.source,
        "rule": contribution.rule,
        "amount": str(contribution.amount or ""),
        "first_year": contribution.first_year,
        "last_year": contribution.last_year,
        "prorata": contribution.prorata,
        "due_day": contribution.due_day or "",
        "due_month": contribution.due_month or "",
        "version": contribution.version,
    }
    return data | changes


def test_a_contribution_edited_from_a_stale_page_is_refused_and_the_other_edit_kept(client, world):
    city = world["city"]
    login(client, world["users"][Role.LOCAL_AUTHORITY])
    url = reverse("conventions:contribution_update", args=[city.pk])
    first = client.post(url, contribution_data(city, amount="6 000"))
    assert first.status_code == 302
    second = client.post(url, contribution_data(city, amount="4 000"))
    assert second.status_code == 200
    assert "Quelqu&#x27;un d&#x27;autre a enregistré cette contribution pendant votre saisie" in (
        second.content.decode()
    )
    city.refresh_from_db()
    assert (city.amount, city.version) == (D("6000"), 2)


def test_a_contribution_cannot_be_given_to_an_organisation_that_is_not_a_party(client, world):
    login(client, world["users"][Role.LOCAL_AUTHORITY])
    outsider = OrganisationFactory()
    url = reverse("conventions:contribution_create", args=[world["convention"].reference])
    response = client.post(
        url, contribution_data(world["city"], organisation=outsider.pk, first_year=2024)
    )
    assert response.status_code == 200
    assert "Sélectionnez un choix valide" in response.content.decode()


def test_a_new_post_cost_recomputes_a_share_of_the_cost(client, world):
    convention = world["convention"]
    departement = PartyFactory(
        convention=convention, organisation=OrganisationFactory(departement_council=True)
    ).organisation
    share = ContributionFactory(convention=convention, organisation=departement, share_capped=True)
    PostCostFactory(post=convention.single_post, year=2022, total=D("36000"))
    login(client, world["users"][Role.LOCAL_AUTHORITY])
    key = (2022, str(share.organisation_id))
    assert page_cells(client.get(plan_url(convention)).content)[key]["expected"] == (
        "12\u00a0000\u00a0€"
    )
    url = reverse("conventions:post_cost_edit", args=[convention.reference, 2022])
    response = client.post(url, {"total": "30 000", "note": "budget révisé", "version": 1})
    assert response.status_code == 302
    assert PostCost.objects.get(year=2022).total == D("30000")
    assert page_cells(client.get(plan_url(convention)).content)[key]["expected"] == (
        "10\u00a0000\u00a0€"
    )


def test_a_cost_breakdown_that_does_not_add_up_is_refused_in_french(client, world):
    login(client, world["users"][Role.LOCAL_AUTHORITY])
    url = reverse("conventions:post_cost_edit", args=[world["convention"].reference, 2022])
    response = client.post(url, {"total": "45000", "salary": "30000"})
    assert response.status_code == 200
    assert (
        "Le détail fait 30\u00a0000\u00a0€ et non 45\u00a0000\u00a0€" in response.content.decode()
    )
    assert not PostCost.objects.exists()


# Partner and département views ---------------------------------------------------------------


def test_the_partner_view_shows_what_a_partner_owes_in_a_year_across_conventions(client, world):
    city_org = world["city"].organisation
    second = ConventionFactory(post__departement="79")
    PartyFactory(convention=second, organisation=city_org)
    ContributionFactory(
        convention=second, organisation=city_org, amount=D("3000"), source="budget communal"
    )
    login(client, world["users"][Role.LOCAL_AUTHORITY])
    url = reverse("conventions:partner_funding", args=[city_org.pk])
    content = client.get(url, {"annee": 2022}).content.decode()
    assert world["convention"].reference in content and second.reference in content
    total = re.search(r"Total 2022</th>\s*<td class=\"num\">([^<]+)</td>", content)
    assert total.group(1) == "8\u00a0000\u00a0€"


def test_the_partner_view_flags_a_late_year(client, world):
    login(client, world["users"][Role.LOCAL_AUTHORITY])
    url = reverse("conventions:partner_funding", args=[world["city"].organisation_id])
    content = client.get(url, {"annee": 2023}).content.decode()
    assert "En retard" in content
    assert "5\u00a0000\u00a0€ restant dus depuis le 30 juin 2023" in content


def test_the_partner_view_leaves_out_conventions_out_of_scope(client, world):
    state_org = world["state"].organisation
    foreign = ConventionFactory(post__departement="95")
    PartyFactory(convention=foreign, organisation=state_org)
    ContributionFactory(convention=foreign, organisation=state_org)
    login(client, world["users"][Role.LOCAL_AUTHORITY])
    url = reverse("conventions:partner_funding", args=[state_org.pk])
    content = client.get(url, {"annee": 2022}).content.decode()
    assert world["convention"].reference in content
    assert foreign.reference not in content


def test_the_departement_view_totals_each_partner_for_administrators(client, world, admin_user):
    login(client, admin_user)
    url = reverse("conventions:departement_funding", args=["79"])
    content = client.get(url, {"annee": 2021}).content.decode()
    assert world["convention"].reference in content
    assert world["other"]["convention"].reference not in content
    assert "30\u00a0350\u00a0€" in content


def test_the_departement_view_is_for_administrators_only(client, world):
    login(client, world["users"][Role.DDSP_SECRETARIAT])
    url = reverse("conventions:departement_funding", args=["79"])
    assert client.get(url).status_code == 403


def test_the_overview_lists_this_year_s_totals_and_late_payments(client, world):
    login(client, world["users"][Role.DDSP_SECRETARIAT])
    content = client.get(reverse("conventions:funding_overview"), {"annee": 2023}).content
    content = content.decode()
    assert world["convention"].reference in content
    assert world["other"]["convention"].reference not in content
    assert "30\u00a0350\u00a0€" in content
    assert "versement en retard" in content


# Exports --------------------------------------------------------------------------------------


def csv_rows(content: bytes):
    text = content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text[1:]), delimiter=";"))


def french_csv_decimal(value: str) -> Decimal:
    return Decimal(value.replace(",", "."))


def test_the_csv_export_has_the_numbers_of_the_page(client, world):
    PaymentFactory(contribution=world["state"], year=2023, amount=D("12675"))
    login(client, world["users"][Role.LOCAL_AUTHORITY])
    reference = world["convention"].reference
    cells = page_cells(client.get(plan_url(world["convention"])).content)
    response = client.get(reverse("conventions:funding_plan_csv", args=[reference]))
    assert response["Content-Disposition"] == f'attachment; filename="financement-{reference}.csv"'
    names = {c.organisation.name: str(c.organisation_id) for c in (world["state"], world["city"])}
    checked = 0
    for row in csv_rows(response.content):
        if row["Année"] == "Total":
            continue
        year = int(row["Année"])
        if row["Financeur"] == f"Total {year}":
            key = (year, "total")
        else:
            key = (year, names[row["Financeur"]])
        for column, field in (("Montant attendu", "expected"), ("Versé", "paid")):
            assert euros(french_csv_decimal(row[column])) == cells[key][field], (key, column)
        assert euros(french_csv_decimal(row["Reste à verser"])) == cells[key]["remaining"]
        checked += 1
    assert checked == 9  # 3 years × (2 partners + total)


def test_the_xlsx_export_has_the_numbers_of_the_csv(client, world):
    login(client, world["users"][Role.LOCAL_AUTHORITY])
    reference = world["convention"].reference
    rows = csv_rows(client.get(reverse("conventions:funding_plan_csv", args=[reference])).content)
    response = client.get(reverse("conventions:funding_plan_xlsx", args=[reference]))
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Plan de financement", "Versements", "Alertes"]
    sheet = workbook["Plan de financement"]
    header = [c.value for c in sheet[1]]
    for csv_row, cells in zip(rows, sheet.iter_rows(min_row=2), strict=True):
        values = dict(zip(header, [c.value for c in cells], strict=True))
        for column in ("Montant attendu", "Versé", "Reste à verser"):
            assert D(str(values[column])) == french_csv_decimal(csv_row[column])
    payments = list(workbook["Versements"].iter_rows(values_only=True))
    amount = payments[0].index("Montant")
    assert sorted(row[amount] for row in payments[1:]) == [5000, 25350]


def test_the_payments_csv_lists_every_payment(client, world):
    login(client, world["users"][Role.READ_ONLY_PARTNER])
    url = reverse("conventions:payments_csv", args=[world["convention"].reference])
    rows = csv_rows(client.get(url).content)
    assert [(r["Année"], r["Montant"], r["Date du versement"]) for r in rows] == [
        ("2021", "25350,00", "01/06/2021"),
        ("2021", "5000,00", "01/06/2021"),
    ]


# Query counts -------------------------------------------------------------------------------


def add_funding(world, years=range(2024, 2027)):
    """More of everything: a partner, post costs, payments on every year."""
    convention = world["convention"]
    extra = PartyFactory(
        convention=convention, organisation=OrganisationFactory(departement_council=True)
    ).organisation
    share = ContributionFactory(
        convention=convention,
        organisation=extra,
        share_capped=True,
        first_year=2021,
        last_year=max(years),
    )
    for year in (2021, 2022, 2023, *years):
        PostCostFactory(post=convention.single_post, year=year, total=D("45000"))
        PaymentFactory(contribution=share, year=year, amount=D("1000"))
        PaymentFactory(contribution=share, year=year, amount=D("2000"))


def test_the_funding_plan_page_runs_a_fixed_number_of_queries(
    client, world, django_assert_num_queries
):
    login(client, world["users"][Role.LOCAL_AUTHORITY])
    url = plan_url(world["convention"])
    # savepoint (atomic request), session, user, user's organisation, convention (scoped),
    # its sections with their posts (framework conventions), parties and their
    # organisations, renewals, amendments (none, so no query for
    # their contribution changes), contributions
    # and their organisations, payments and payers, yearly shares of the contributions,
    # post costs, amounts decided by linked
    # deliberations; history: which of its tables hold records, then the latest entries
    # with the states they follow of those that do (contributions, post costs); release
    # savepoint
    with django_assert_num_queries(18):
        assert client.get(url).status_code == 200
    add_funding(world)
    # One more: the first payments are the first records of their history table.
    with django_assert_num_queries(19):
        assert client.get(url).status_code == 200


def test_the_partner_view_runs_a_fixed_number_of_queries(client, world, django_assert_num_queries):
    login(client, world["users"][Role.LOCAL_AUTHORITY])
    city_org = world["city"].organisation
    url = reverse("conventions:partner_funding", args=[city_org.pk])
    # savepoint, session, user, user's organisation, the partner, conventions (scoped),
    # their sections with their posts, parties, renewals, amendments, contributions,
    # payments, yearly shares of the contributions, post costs, amounts decided by linked
    # deliberations, release
    with django_assert_num_queries(16):
        assert client.get(url, {"annee": 2022}).status_code == 200
    add_funding(world)
    for _ in range(3):
        other = ConventionFactory(post__departement="79")
        PartyFactory(convention=other, organisation=city_org)
        ContributionFactory(convention=other, organisation=city_org)
    with django_assert_num_queries(16):
        assert client.get(url, {"annee": 2022}).status_code == 200


def test_the_overview_runs_a_fixed_number_of_queries(client, world, django_assert_num_queries):
    login(client, world["users"][Role.DDSP_SECRETARIAT])
    url = reverse("conventions:funding_overview")
    # savepoint, session, user, user's organisation, the départements of the filter panel,
    # count for the paginator, conventions (scoped), their sections with their posts,
    # parties, renewals, amendments, contributions, payments, yearly shares of the
    # contributions, post costs, amounts decided by linked deliberations, release
    with django_assert_num_queries(17):
        assert client.get(url).status_code == 200
    add_funding(world)
    ConventionFactory(post__departement="79")
    with django_assert_num_queries(17):
        assert client.get(url).status_code == 200


# Demo ----------------------------------------------------------------------------------------


@pytest.fixture
def demo(db):
    from django.core.management import call_command

    call_command("load_demo", stdout=io.StringIO())


def test_the_niort_demo_shows_2023_still_to_pay_but_never_late_without_a_stated_date(client, demo):
    """Niort's article 6 states no due date: no « en retard », no suspensive clause."""
    from partners.models import User

    client.force_login(User.objects.get(username="ville.niort"))
    response = client.get("/conventions/financements/niort-2021/")
    city = response.context["plan"].cell(
        2023, User.objects.get(username="ville.niort").organisation_id
    )
    assert (city.state, city.remaining, city.due_date) == (PaymentState.DUE, 5000, None)
    content = response.content.decode()
    assert "En retard" not in content
    assert "clause suspensive" not in content
    assert "Saisir un versement" in content
    # The dashboard still lists it, as still to pay.
    home = client.get("/").content.decode()
    assert "Commune de Niort — 2023 : reste 5\u00a0000\u00a0€ à verser (niort-2021)" in home


def test_the_ermont_demo_states_its_cost_is_demo_data_and_shows_the_cap(client, demo):
    from partners.models import User

    client.force_login(User.objects.get(username="ddsp95"))
    content = client.get("/conventions/financements/ermont-2022/").content.decode()
    assert "montant de démonstration" in content
    assert "un tiers du coût du poste, plafonné à 13\u00a0000\u00a0€ par an" in content
    assert "2023 — Département du Val-d&#x27;Oise : plafond atteint" in content
    assert "2022 — Département du Val-d&#x27;Oise : plafond atteint" not in content


def test_text_typed_by_a_user_is_never_exported_as_a_formula(client, world):
    world["city"].source = '=HYPERLINK("http://example.invalid","x")'
    world["city"].save()
    login(client, world["users"][Role.LOCAL_AUTHORITY])
    reference = world["convention"].reference
    rows = csv_rows(client.get(reverse("conventions:funding_plan_csv", args=[reference])).content)
    assert {r["Source"] for r in rows if r["Source"].startswith(("=", "'"))} == {
        '\'=HYPERLINK("http://example.invalid","x")'
    }
    response = client.get(reverse("conventions:funding_plan_xlsx", args=[reference]))
    sheet = load_workbook(io.BytesIO(response.content))["Plan de financement"]
    source = [c.value for c in sheet[1]].index("Source")
    sources = {row[source] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert '\'=HYPERLINK("http://example.invalid","x")' in sources


def test_a_payment_dated_in_the_future_is_refused_next_to_the_date(client, world):
    login(client, world["users"][Role.LOCAL_AUTHORITY])
    response = client.post(
        payment_url(world, world["city"], 2022),
        {
            "date": (timezone.localdate() + datetime.timedelta(days=3650)).isoformat(),
            "amount": "2 500",
            "payer": world["city"].organisation_id,
        },
    )
    assert response.status_code == 200
    assert "ne peut pas être postérieure à aujourd" in response.content.decode()
    assert not Payment.objects.filter(year=2022).exists()
