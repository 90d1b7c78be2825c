"""Open-data exports (SCDL Délibérations 2.1.5 and Subventions 2.1.1) on the demo data."""

import csv
import datetime
import io
import re
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse

from conventions.enums import DeliberationResult
from conventions.models import Convention, Deliberation, Post, PostCost
from conventions.opendata.export import matter_name, prefecture_id
from conventions.opendata.schema import DELIBERATIONS, SUBSIDIES, validate_rows
from partners.enums import Role
from partners.models import Organisation, User
from tests.conventions.factories import (
    ContributionFactory,
    DeliberationFactory,
    signed_convention,
    sitting,
)
from tests.partners.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

DELIBERATIONS_URL = reverse("conventions:opendata_deliberations_csv")
SUBSIDIES_URL = reverse("conventions:opendata_subsidies_csv")

# The schemas as data.gouv.fr publishes them, written out again here so that the
# test does not trust conventions.opendata.exports to describe them: (required, pattern).
DELIBERATION_FIELDS = {
    "COLL_NOM": (True, r".+"),
    "COLL_SIRET": (True, r"\d{14}"),
    "DELIB_ID": (True, r".+"),
    "DELIB_DATE": (True, r"\d{4}-\d{2}-\d{2}"),
    "DELIB_MATIERE_CODE": (True, r"\d\.\d{1,2}"),
    "DELIB_MATIERE_NOM": (True, r".+"),
    "DELIB_OBJET": (True, r".+"),
    "BUDGET_ANNEE": (False, r"[0-9]{4}(/[0-9]{4})?"),
    "BUDGET_NOM": (False, r".*"),
    "PREF_ID": (False, r"PREF(\d{3}|02[AB])"),
    "PREF_DATE": (False, r"\d{4}-\d{2}-\d{2}"),
    "VOTE_EFFECTIF": (False, r"\d+"),
    "VOTE_REEL": (False, r"\d+"),
    "VOTE_POUR": (False, r"\d+"),
    "VOTE_CONTRE": (False, r"\d+"),
    "VOTE_ABSTENTION": (False, r"\d+"),
    "DELIB_URL": (False, r"https?://\S+"),
}
SUBSIDY_FIELDS = {
    "nomAttribuant": (True, r".+"),
    "idAttribuant": (True, r"\d{14}"),
    "dateConvention": (True, r"\d{4}-\d{2}-\d{2}"),
    "referenceDecision": (False, r".*"),
    "nomBeneficiaire": (True, r".+"),
    "idBeneficiaire": (True, r"\d{14}"),
    "rnaBeneficiaire": (False, r"W\d{9}"),
    "objet": (True, r".{1,255}"),
    "montant": (True, r"\d+\.\d{2}"),
    "nature": (
        True,
        "aide en numéraire|aide en nature|aide en numéraire;aide en nature"
        "|aide en nature;aide en numéraire",
    ),
    "conditionsVersement": (True, r"unique|échelonné|.{1,255}"),
    "datesPeriodeVersement": (True, r"[0-9]{4}-[0-9]{2}-[0-9]{2}(/[0-9]{4}-[0-9]{2}-[0-9]{2})?"),
    "idRAE": (False, r".{1,4}"),
    "notificationUE": (True, r"oui|non"),
    "pourcentageSubvention": (True, r"(0\.\d*[1-9]\d*|1(\.0+)?)"),
    "dispositifAide": (False, r".*"),
}


@pytest.fixture
def demo():
    call_command("load_demo", stdout=io.StringIO())


def as_user(client, username):
    client.force_login(User.objects.get(username=username))
    return client


def publisher(name):
    return {"organisation": Organisation.objects.get(name=name).pk}


NIORT = "Commune de Niort"
STATE79 = "Préfecture des Deux-Sèvres"
STATE95 = "Préfecture du Val-d'Oise"
CD95 = "Conseil départemental du Val-d'Oise"


def admin_export(client, url, name):
    """The file an administrator downloads for the organisation ``name``."""
    return read_csv(as_user(client, "admin").get(url, publisher(name)))


def read_csv(response) -> tuple[list[str], list[dict[str, str]]]:
    assert response.status_code == 200, response.content.decode()[:2000]
    text = response.content.decode("utf-8")
    reader = csv.DictReader(io.StringIO(text))
    return reader.fieldnames, list(reader)


def schema_violations(fields, rows) -> list[str]:
    found = []
    for number, row in enumerate(rows, start=2):
        for name, (required, pattern) in fields.items():
            value = row[name]
            if value == "":
                if required:
                    found.append(f"line {number}: {name} is empty")
            elif not re.fullmatch(pattern, value):
                found.append(f"line {number}: {name}={value!r}")
    return found


def subsidy_lines(rows) -> set[tuple]:
    return {
        (
            row["nomAttribuant"],
            row["nomBeneficiaire"],
            int(re.search(r"Cofinancement (\d{4})", row["objet"]).group(1)),
            row["montant"],
        )
        for row in rows
    }


# Every field of every row --------------------------------------------------------------


def test_every_field_of_the_deliberations_export_matches_the_schema(client, demo):
    header, rows = admin_export(client, DELIBERATIONS_URL, NIORT)
    assert header == list(DELIBERATION_FIELDS)
    assert rows
    assert schema_violations(DELIBERATION_FIELDS, rows) == []
    for row in rows:
        datetime.date.fromisoformat(row["DELIB_DATE"])
    assert validate_rows(DELIBERATIONS, rows) == []


@pytest.mark.parametrize("name", [NIORT, STATE79, STATE95, CD95])
def test_every_field_of_the_subsidies_export_matches_the_schema(client, demo, name):
    header, rows = admin_export(client, SUBSIDIES_URL, name)
    assert header == list(SUBSIDY_FIELDS)
    assert rows
    assert schema_violations(SUBSIDY_FIELDS, rows) == []
    for row in rows:
        for day in row["datesPeriodeVersement"].split("/"):
            datetime.date.fromisoformat(day)
        assert Decimal("0.01") <= Decimal(row["pourcentageSubvention"]) <= 1
    assert validate_rows(SUBSIDIES, rows) == []


def test_the_files_are_utf8_comma_separated_downloads(client, demo):
    response = as_user(client, "admin").get(SUBSIDIES_URL, publisher(STATE79))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="subventions-scdl-2.1.1.csv"'
    assert response.content.startswith(b"nomAttribuant,idAttribuant,dateConvention,")
    assert "Préfecture des Deux-Sèvres".encode() in response.content


# What the rows say ---------------------------------------------------------------------


NIORT_YEARS = (2021, 2022, 2023, 2024, 2025, 2026)  # niort-2021, then niort-2024


# Each organisation publishes what it grants, nothing else (issue #17): the commune's
# file does not republish the State's FIPD or the Département's share.
@pytest.mark.parametrize(
    ("name", "expected"),
    [
        (NIORT, {(NIORT, "France Victimes 79", y, "5000.00") for y in NIORT_YEARS}),
        (STATE79, {(STATE79, "France Victimes 79", y, "25350.00") for y in NIORT_YEARS}),
        (
            STATE95,
            {
                (STATE95, "Communauté d'Agglomération Val Parisis", y, "13000.00")
                for y in (2022, 2023, 2024)
            },
        ),
        (
            CD95,
            {
                (CD95, "Communauté d'Agglomération Val Parisis", 2022, "12000.00"),
                (CD95, "Communauté d'Agglomération Val Parisis", 2023, "13000.00"),
                (CD95, "Communauté d'Agglomération Val Parisis", 2024, "13000.00"),
            },
        ),
        # Val Parisis pays the balance of its own post: no subsidy, an empty file.
        ("Communauté d'Agglomération Val Parisis", set()),
    ],
    ids=["niort", "prefecture79", "prefecture95", "cd95", "valparisis"],
)
def test_an_organisation_publishes_only_the_subsidies_it_grants(client, demo, name, expected):
    _, rows = admin_export(client, SUBSIDIES_URL, name)
    assert subsidy_lines(rows) == expected
    assert len(rows) == len(expected)
    assert {r["idAttribuant"] for r in rows} <= {Organisation.objects.get(name=name).siret}


def test_a_subsidy_names_its_decision_and_convention_date(client, demo):
    _, (city, *_) = admin_export(client, SUBSIDIES_URL, NIORT)
    assert city["referenceDecision"] == "D-2021-313"
    assert city["dateConvention"] == "2021-10-12"
    assert city["rnaBeneficiaire"] == "W791000123"
    _, (state, *_) = admin_export(client, SUBSIDIES_URL, STATE79)
    assert state["referenceDecision"] == ""
    _, (cd95, *_) = admin_export(client, SUBSIDIES_URL, CD95)
    assert cd95["referenceDecision"] == "3-15"
    # Val Parisis is no association: no RNA number.
    _, (state95, *_) = admin_export(client, SUBSIDIES_URL, STATE95)
    assert state95["rnaBeneficiaire"] == ""


# dispositifAide is "Identifiant référençant le dispositif d'aide" in the national
# register of aid schemes (a UUID in the schema's example), not a budget line such as
# « budget communal » nor a name such as « FIPDR »: none is recorded, so it stays empty.
@pytest.mark.parametrize("name", [NIORT, STATE79, STATE95, CD95])
def test_dispositif_aide_holds_no_budget_line_nor_name(client, demo, name):
    _, rows = admin_export(client, SUBSIDIES_URL, name)
    assert rows
    assert {r["dispositifAide"] for r in rows} == {""}


def test_the_payment_terms_follow_the_recorded_payments(client, demo):
    rows = admin_export(client, SUBSIDIES_URL, STATE79)[1]
    rows += admin_export(client, SUBSIDIES_URL, NIORT)[1]
    terms = {
        (r["nomAttribuant"], r["objet"][14:18]): (
            r["conditionsVersement"],
            r["datesPeriodeVersement"],
        )
        for r in rows
    }
    # Paid in full at once.
    assert terms["Préfecture des Deux-Sèvres", "2021"] == ("unique", "2021-12-14")
    # Half paid on 20 June 2023, the rest still due.
    assert terms["Préfecture des Deux-Sèvres", "2023"] == ("échelonné", "2023-06-20/2023-12-31")
    # Nothing paid yet: some time in the budget year.
    assert terms["Commune de Niort", "2023"] == ("unique", "2023-01-01/2023-12-31")


@override_settings(SITE_URL="https://iscg.example.gouv.fr/")
def test_the_deliberation_row_counts_the_votes_and_has_no_link_until_published(client, demo):
    _, rows = admin_export(client, DELIBERATIONS_URL, NIORT)
    (row,) = rows
    deliberation = Deliberation.objects.get(number="D-2021-313")
    assert row == {
        "COLL_NOM": "Commune de Niort",
        "COLL_SIRET": deliberation.organisation.siret,
        "DELIB_ID": "D-2021-313",
        "DELIB_DATE": "2021-09-20",
        "DELIB_MATIERE_CODE": "7.5",
        "DELIB_MATIERE_NOM": "finances locales/subventions",
        "DELIB_OBJET": "Poste d'intervenant social au Commissariat de police de Niort - "
        "Convention triennale de partenariat technique et financier",
        # The budget is not named: the schema wants BUDGET_ANNEE and BUDGET_NOM together.
        "BUDGET_ANNEE": "",
        "BUDGET_NOM": "",
        "PREF_ID": "PREF079",
        "PREF_DATE": "",
        "VOTE_EFFECTIF": "45",
        "VOTE_REEL": "44",
        "VOTE_POUR": "44",
        "VOTE_CONTRE": "0",
        "VOTE_ABSTENTION": "0",
        # Not published (test_publication: the public extract's address once it is).
        "DELIB_URL": "",
    }


def test_the_transmission_date_fills_pref_date(client, demo):
    Deliberation.objects.filter(number="D-2021-313").update(
        transmitted_on=datetime.date(2021, 9, 24)
    )
    _, rows = admin_export(client, DELIBERATIONS_URL, NIORT)
    assert rows[0]["PREF_DATE"] == "2021-09-24"


@pytest.mark.parametrize(
    ("budget_name", "years", "name"),
    [
        # The Ville's contribution it founds runs from 2021 to 2023.
        ("Budget principal", "2021/2023", "Budget principal"),
        ("", "", ""),
        ("  ", "", ""),
    ],
)
def test_budget_years_are_published_with_the_budget_name_or_not_at_all(
    client, demo, budget_name, years, name
):
    Deliberation.objects.filter(number="D-2021-313").update(budget_name=budget_name)
    _, (row,) = admin_export(client, DELIBERATIONS_URL, NIORT)
    assert (row["BUDGET_ANNEE"], row["BUDGET_NOM"]) == (years, name)


# VOTE_REEL is who voted: pour + contre + abstention, the schema's "sum-columns-value";
# a member present who « ne prend pas part au vote » is not in it.
@pytest.mark.parametrize(
    ("votes", "expected"),
    [
        ((44, 0, 0, 0), ("45", "44", "44", "0", "0")),
        ((43, 0, 0, 1), ("45", "43", "43", "0", "0")),
        ((40, 2, 1, 1), ("45", "43", "40", "2", "1")),
        # No vote recorded: the five counts are all empty, never some of them.
        ((None, None, None, None), ("", "", "", "", "")),
    ],
    ids=["all-for", "one-not-taking-part", "mixed", "no-vote"],
)
def test_vote_reel_counts_those_who_voted(client, demo, votes, expected):
    for_, against, abstentions, not_participating = votes
    Deliberation.objects.filter(number="D-2021-313").update(
        votes_for=for_,
        votes_against=against,
        abstentions=abstentions,
        not_participating=not_participating,
    )
    _, (row,) = admin_export(client, DELIBERATIONS_URL, NIORT)
    columns = ("VOTE_EFFECTIF", "VOTE_REEL", "VOTE_POUR", "VOTE_CONTRE", "VOTE_ABSTENTION")
    assert tuple(row[c] for c in columns) == expected


def test_a_rejected_deliberation_is_left_out_and_the_page_says_so(client, demo):
    Deliberation.objects.filter(number="D-2021-313").update(result=DeliberationResult.REJECTED)
    _, rows = admin_export(client, DELIBERATIONS_URL, NIORT)
    assert rows == []
    page = client.get(reverse("conventions:opendata"), publisher(NIORT)).content.decode()
    assert "Délibérations rejetées ou sans résultat saisi (D-2021-313)" in page


def test_a_deliberation_only_cited_is_left_out_of_its_authors_file(client, demo):
    _, rows = admin_export(client, DELIBERATIONS_URL, CD95)
    assert rows == []
    page = client.get(reverse("conventions:opendata"), publisher(CD95)).content.decode()
    assert "Délibérations seulement citées (3-15)" in page


# An organisation publishes its own deliberations only: the Préfecture sees Niort's
# deliberation (it signs the convention) but does not republish it.
@pytest.mark.parametrize(
    ("username", "numbers"),
    [("ville.niort", ["D-2021-313"]), ("prefecture79", []), ("fv79", []), ("ddsp79", [])],
)
def test_a_partner_does_not_republish_the_deliberations_it_can_see(client, demo, username, numbers):
    _, rows = read_csv(as_user(client, username).get(DELIBERATIONS_URL))
    assert [r["DELIB_ID"] for r in rows] == numbers


def test_the_subsidies_of_an_unsigned_convention_are_left_out(client, two_departements):
    convention = two_departements["79"]["convention"]
    state = convention.parties.get(organisation__kind="etat").organisation
    ContributionFactory(convention=convention, organisation=state)
    client.force_login(UserFactory(admin=True))
    _, rows = read_csv(client.get(SUBSIDIES_URL, {"organisation": state.pk}))
    assert rows == []
    page = client.get(reverse("conventions:opendata"), {"organisation": state.pk})
    assert "Conventions pas encore signées (convention-79)" in page.content.decode()


# Choosing the publisher ------------------------------------------------------------------


def test_an_administrator_first_chooses_the_publishing_organisation(client, demo):
    response = as_user(client, "admin").get(reverse("conventions:opendata"))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Organisation qui publie" in content
    assert f'<option value="{Organisation.objects.get(name=NIORT).pk}">' in content
    assert DELIBERATIONS_URL not in content


@pytest.mark.parametrize(
    ("username", "params", "message"),
    [
        ("admin", {}, "Choisissez l&#x27;organisation dont vous publiez les données."),
        ("admin", {"organisation": "999999"}, "ne figure pas dans la liste"),
        ("admin", {"organisation": "abc"}, "ne figure pas dans la liste"),
        # A user publishes for their own organisation, not for a partner.
        ("ville.niort", "prefecture79", "ne figure pas dans la liste"),
    ],
    ids=["none", "unknown", "not-a-number", "another-organisation"],
)
def test_a_wrong_publisher_gets_a_french_message_and_a_400(client, demo, username, params, message):
    if isinstance(params, str):
        params = {"organisation": Organisation.objects.get(name=STATE79).pk}
    as_user(client, username)
    for url in (SUBSIDIES_URL, DELIBERATIONS_URL):
        response = client.get(url, params)
        assert response.status_code == 400
        assert message in response.content.decode()
    if params:
        response = client.get(reverse("conventions:opendata"), params)
        assert response.status_code == 400
        assert message in response.content.decode()


# Missing data: a French list, not a file --------------------------------------------------


def test_a_missing_siret_gives_the_list_of_what_to_fill_in_not_a_file(client, demo):
    fv79 = Organisation.objects.get(name="France Victimes 79")
    Organisation.objects.filter(pk=fv79.pk).update(siret="")
    response = as_user(client, "admin").get(SUBSIDIES_URL, publisher(NIORT))
    assert response.status_code == 409
    assert response["Content-Type"].startswith("text/html")
    content = response.content.decode()
    assert "Subventions (SCDL 2.1.1) : informations à compléter" in content
    assert "France Victimes 79 : le numéro SIRET n&#x27;est pas renseigné." in content
    # Once, however many rows it spoils.
    assert content.count("France Victimes 79 : le numéro SIRET") == 1
    assert f'href="{reverse("partners:edit", args=[fv79.pk])}"' in content


def test_a_user_who_cannot_edit_partners_is_sent_to_the_partner_page(client, demo):
    fv79 = Organisation.objects.get(name="France Victimes 79")
    Organisation.objects.filter(pk=fv79.pk).update(siret="")
    content = as_user(client, "prefecture79").get(SUBSIDIES_URL).content.decode()
    assert f'href="{reverse("partners:detail", args=[fv79.pk])}"' in content
    assert "un administrateur ou une collectivité du département la complète" in content


def test_a_local_authority_completes_a_partner_of_its_departement(client, demo):
    fv79 = Organisation.objects.get(name="France Victimes 79")
    Organisation.objects.filter(pk=fv79.pk).update(siret="")
    content = as_user(client, "ville.niort").get(SUBSIDIES_URL).content.decode()
    assert f'href="{reverse("partners:edit", args=[fv79.pk])}"' in content


def test_a_deliberation_without_actes_code_links_to_its_edit_page(client, demo):
    Deliberation.objects.filter(number="D-2021-313").update(matter_code="", matter_name="")
    deliberation = Deliberation.objects.get(number="D-2021-313")
    response = as_user(client, "ville.niort").get(DELIBERATIONS_URL)
    assert response.status_code == 409
    content = response.content.decode()
    assert (
        "Délibération n° D-2021-313 (Commune de Niort) : le code matière ACTES et le nom de la "
        "matière ACTES ne sont pas renseignés." in content
    )
    assert f'href="{reverse("conventions:deliberation_edit", args=[deliberation.pk])}"' in content


def test_a_missing_post_cost_links_to_the_cost_form(client, demo):
    PostCost.objects.filter(post__name="ISC du commissariat d'Ermont", year=2024).delete()
    response = as_user(client, "admin").get(SUBSIDIES_URL, publisher(CD95))
    assert response.status_code == 409
    content = response.content.decode()
    assert "le coût du poste 2024 n&#x27;est pas renseigné" in content
    assert f'href="{reverse("conventions:post_cost_edit", args=["ermont-2022", 2024])}"' in content


def test_the_open_data_page_lists_the_missing_data_too(client, demo):
    Organisation.objects.filter(name="France Victimes 79").update(siret="")
    page = as_user(client, "admin").get(reverse("conventions:opendata"), publisher(NIORT))
    content = page.content.decode()
    assert "Le fichier ne peut pas encore être produit" in content
    assert "France Victimes 79 : le numéro SIRET" in content


# Scoping -----------------------------------------------------------------------------------


@pytest.mark.parametrize("username", ["valparisis", "ddsp95", "fv79", "intervenant.niort"])
def test_a_user_whose_organisation_grants_nothing_publishes_nothing(client, demo, username):
    as_user(client, username)
    _, subsidies = read_csv(client.get(SUBSIDIES_URL))
    _, deliberations = read_csv(client.get(DELIBERATIONS_URL))
    assert subsidies == []
    assert deliberations == []


def test_a_niort_user_publishes_the_communes_subsidies_only(client, demo):
    _, rows = read_csv(as_user(client, "ville.niort").get(SUBSIDIES_URL))
    assert {r["nomAttribuant"] for r in rows} == {NIORT}
    assert {r["nomBeneficiaire"] for r in rows} == {"France Victimes 79"}
    # 2021–2023 (niort-2021) and 2024–2026 (niort-2024).
    assert len(rows) == 6


def test_anonymous_visitors_are_sent_to_the_login_page(client):
    for url in (reverse("conventions:opendata"), DELIBERATIONS_URL, SUBSIDIES_URL):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


# The page and its links ------------------------------------------------------------------


def test_the_deliberation_list_and_the_funding_overview_link_to_the_open_data_page(client, demo):
    as_user(client, "ville.niort")
    url = reverse("conventions:opendata")
    for page in ("conventions:deliberation_list", "conventions:funding_overview"):
        assert f'href="{url}"' in client.get(reverse(page)).content.decode()


def test_the_open_data_page_offers_both_files(client, demo):
    content = as_user(client, "ville.niort").get(reverse("conventions:opendata")).content.decode()
    assert f'href="{DELIBERATIONS_URL}"' in content
    assert f'href="{SUBSIDIES_URL}"' in content
    assert "1 ligne, toutes conformes au schéma." in content
    assert "6 lignes, toutes conformes au schéma." in content


def add_signed_convention_with_deliberation(world, number):
    """One more signed convention in the 79, an adopted deliberation of the commune and
    the commune's subsidy it founds (the commune user publishes both)."""
    commune = world["79"]["convention"].parties.get(organisation__name="Commune 79").organisation
    state = OrganisationFactory(prefecture=True)
    employer = world["79"]["post"].employer
    convention = signed_convention(
        post=world["79"]["post"],
        signed_on=datetime.date(2022, 1, 10),
        organisations=[state, commune, employer],
        reference=f"convention-79-{number}",
    )
    deliberation = DeliberationFactory(
        council__organisation=commune,
        council__term_start_year=2020 + number,
        session_date=datetime.date(2022, 1, 3),
        conventions=[convention],
        matter_code="7.5",
        matter_name="Subventions",
    )
    sitting(deliberation, present=5, represented=1, excused=1)
    ContributionFactory(
        convention=convention,
        organisation=commune,
        first_year=2022,
        last_year=2022,
        legal_basis=deliberation,
    )


def test_the_open_data_page_runs_a_fixed_number_of_queries(
    client, two_departements, django_assert_num_queries
):
    add_signed_convention_with_deliberation(two_departements, 1)
    client.force_login(two_departements["79"]["users"][Role.LOCAL_AUTHORITY])
    url = reverse("conventions:opendata")
    # session, user, SAVEPOINT, the user's organisation (scope);
    # deliberations: the scoped deliberations with their organisation, council and
    # attendance counts, then council members, decided amounts, founded contributions;
    # subsidies: the scoped conventions, their sections with post and employer, then parties and
    # organisations, renewals, amendments, contributions with payer and beneficiary, payments and
    # payers, yearly shares of the contributions, post costs, the posts' sites (the object
    # names them), and the numbers of the
    # deliberations that found them; RELEASE.
    with django_assert_num_queries(20):
        assert client.get(url).status_code == 200
    add_signed_convention_with_deliberation(two_departements, 2)
    with django_assert_num_queries(20):
        assert client.get(url).status_code == 200


# Building blocks -------------------------------------------------------------------------


def row_with(schema, **values):
    row = dict.fromkeys(schema.header, "")
    return row | values


VALID_SUBSIDY = {
    "nomAttribuant": "Commune de Niort",
    "idAttribuant": "73282932000074",
    "dateConvention": "2021-10-12",
    "nomBeneficiaire": "France Victimes 79",
    "idBeneficiaire": "38047555800058",
    "objet": "Cofinancement 2021",
    "montant": "5000.00",
    "nature": "aide en numéraire",
    "conditionsVersement": "unique",
    "datesPeriodeVersement": "2021-11-30",
    "notificationUE": "non",
    "pourcentageSubvention": "1.00",
}


def test_a_valid_row_has_no_problem():
    assert validate_rows(SUBSIDIES, [row_with(SUBSIDIES, **VALID_SUBSIDY)]) == []


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("idAttribuant", "2179019100001", "format attendu : 14 chiffres (SIRET)"),
        ("dateConvention", "2021-02-30", "« 2021-02-30 » n'est pas une date du calendrier"),
        ("montant", "5000,00", "format attendu : un nombre avec un point décimal"),
        ("nature", "subvention", "valeur non autorisée"),
        ("objet", "x" * 257, "257 caractères, 256 au plus"),
        ("pourcentageSubvention", "1.5", "la valeur doit être comprise entre 0.01 et 1"),
        ("rnaBeneficiaire", "W12345", "format attendu : W suivi de 9 chiffres"),
        ("notificationUE", "", "valeur obligatoire manquante"),
        ("nomBeneficiaire", "France\nVictimes", "retour à la ligne"),
    ],
)
def test_validation_names_the_line_the_field_and_the_rule(field, value, message):
    row = row_with(SUBSIDIES, **VALID_SUBSIDY) | {field: value}
    (problem,) = validate_rows(SUBSIDIES, [row])
    assert problem.startswith(f"Ligne 2, {field}")
    assert message in problem


def test_an_actes_code_outside_the_nomenclature_is_rejected():
    row = row_with(
        DELIBERATIONS,
        COLL_NOM="Commune",
        COLL_SIRET="73282932000074",
        DELIB_ID="1",
        DELIB_DATE="2021-09-20",
        DELIB_MATIERE_CODE="7.11",
        DELIB_MATIERE_NOM="finances locales/divers",
        DELIB_OBJET="Objet",
    )
    (problem,) = validate_rows(DELIBERATIONS, [row])
    assert "nomenclature ACTES" in problem


def test_columns_other_than_the_schemas_are_rejected():
    (problem,) = validate_rows(SUBSIDIES, [{"montant": "1.00"}])
    assert "les colonnes ne sont pas celles du schéma" in problem


@pytest.mark.parametrize(
    ("departement", "expected"), [("79", "PREF079"), ("2A", "PREF02A"), ("971", "PREF971")]
)
def test_the_prefecture_id_pads_the_departement_to_three_characters(departement, expected):
    assert prefecture_id(departement) == expected


@pytest.mark.parametrize(
    ("code", "name", "expected"),
    [
        ("7.5", "Subventions", "finances locales/subventions"),
        (
            "8.5",
            "Politique de la ville-habitat-logement",
            "domaines de compétences par thèmes/politique de la ville-habitat-logement",
        ),
        ("7.5", "Finances locales/Subventions", "finances locales/subventions"),
        (
            "1.4",
            "Autres types de contrats (conventions)",
            "commande publique/autres types de contrats conventions",
        ),
    ],
)
def test_the_matter_name_is_written_as_the_schema_asks(code, name, expected):
    assert matter_name(code, name) == expected


# The schema has no post column: a framework convention's subsidy names, in its free
# « objet », the post (and annex) the contribution funds (issue #18, item 3).
def test_each_subsidy_of_a_framework_convention_names_the_post_it_funds(client, demo):
    fields, rows = admin_export(client, SUBSIDIES_URL, "Préfecture du Cher")
    assert fields == list(SUBSIDY_FIELDS)
    framework = Convention.objects.for_detail().get(reference="cadre-18-2025")
    sections = framework.ordered_sections()
    named = {}
    for row in rows:
        assert "cadre-18-2025" in row["objet"]
        (section,) = [s for s in sections if f"« {s.post} »" in row["objet"]]
        assert f"annexe n° {section.number} de la convention" in row["objet"]
        named[(section.number, row["objet"][14:18])] = row["montant"]
    # One row per post and year, each with that post's share: 80 % of Castelnau's 52 000 €.
    assert len(named) == len(rows) == 9
    assert named[(1, "2025")] == "41600.00"


def test_a_subsidy_of_a_framework_convention_goes_to_the_employer_of_its_post(client, demo):
    # The posts of a framework convention may have different employers: each subsidy
    # goes to the employer of the post it funds (the convention has no single one).
    framework = Convention.objects.for_detail().get(reference="cadre-18-2025")
    sancy = framework.ordered_sections()[2].post
    other = Organisation.objects.get(name="France Victimes 79")
    Post.objects.filter(pk=sancy.pk).update(employer=other)
    framework.contributions.update(beneficiary=None)  # no beneficiary written: the employer
    _, rows = admin_export(client, SUBSIDIES_URL, "Préfecture du Cher")
    beneficiaries = {
        ("sancy" if f"« {sancy} »" in row["objet"] else "other", row["nomBeneficiaire"])
        for row in rows
    }
    gip = framework.ordered_sections()[0].post.employer
    assert beneficiaries == {("sancy", other.name), ("other", gip.name)}


def test_an_aid_in_kind_of_a_framework_convention_names_its_post(client, demo):
    _, rows = admin_export(client, SUBSIDIES_URL, "Communauté de communes du Haut-Cher")
    framework = Convention.objects.for_detail().get(reference="cadre-18-2025")
    vierval = framework.ordered_sections()[1]
    assert [(r["nature"], r["montant"]) for r in rows] == [("aide en nature", "4800.00")] * 3
    for row in rows:
        assert f"« {vierval.post} »" in row["objet"] and "annexe n° 2" in row["objet"]
