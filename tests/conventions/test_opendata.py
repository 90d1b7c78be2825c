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
from conventions.models import Deliberation, PostCost
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
    header, rows = read_csv(as_user(client, "admin").get(DELIBERATIONS_URL))
    assert header == list(DELIBERATION_FIELDS)
    assert rows
    assert schema_violations(DELIBERATION_FIELDS, rows) == []
    for row in rows:
        datetime.date.fromisoformat(row["DELIB_DATE"])
    assert validate_rows(DELIBERATIONS, rows) == []


def test_every_field_of_the_subsidies_export_matches_the_schema(client, demo):
    header, rows = read_csv(as_user(client, "admin").get(SUBSIDIES_URL))
    assert header == list(SUBSIDY_FIELDS)
    assert rows
    assert schema_violations(SUBSIDY_FIELDS, rows) == []
    for row in rows:
        for day in row["datesPeriodeVersement"].split("/"):
            datetime.date.fromisoformat(day)
        assert Decimal("0.01") <= Decimal(row["pourcentageSubvention"]) <= 1
    assert validate_rows(SUBSIDIES, rows) == []


def test_the_files_are_utf8_comma_separated_downloads(client, demo):
    response = as_user(client, "admin").get(SUBSIDIES_URL)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="subventions-scdl-2.1.1.csv"'
    assert response.content.startswith(b"nomAttribuant,idAttribuant,dateConvention,")
    assert "Préfecture des Deux-Sèvres".encode() in response.content


# What the rows say ---------------------------------------------------------------------


def test_the_demo_subsidies_are_the_public_contributions_to_the_employers(client, demo):
    _, rows = read_csv(as_user(client, "admin").get(SUBSIDIES_URL))
    niort, state79, fv79 = "Commune de Niort", "Préfecture des Deux-Sèvres", "France Victimes 79"
    state95, cd95 = "Préfecture du Val-d'Oise", "Conseil départemental du Val-d'Oise"
    valparisis = "Communauté d'Agglomération Val Parisis"
    # Niort: the 2021 convention, then niort-2024 for 2024–2026.
    niort_years = (2021, 2022, 2023, 2024, 2025, 2026)
    assert subsidy_lines(rows) == {
        *((niort, fv79, year, "5000.00") for year in niort_years),
        *((state79, fv79, year, "25350.00") for year in niort_years),
        *((state95, valparisis, year, "13000.00") for year in (2022, 2023, 2024)),
        (cd95, valparisis, 2022, "12000.00"),
        (cd95, valparisis, 2023, "13000.00"),
        (cd95, valparisis, 2024, "13000.00"),
    }
    assert len(rows) == 18
    assert not [r for r in rows if r["idAttribuant"] == r["idBeneficiaire"]]


def test_a_subsidy_names_its_decision_convention_date_and_scheme(client, demo):
    _, rows = read_csv(as_user(client, "admin").get(SUBSIDIES_URL))
    by_payer = {}
    for row in rows:
        by_payer.setdefault(row["nomAttribuant"], row)
    city = by_payer["Commune de Niort"]
    assert city["referenceDecision"] == "D-2021-313"
    assert city["dateConvention"] == "2021-10-12"
    assert city["rnaBeneficiaire"] == "W791000123"
    assert city["dispositifAide"] == "budget communal"
    assert by_payer["Préfecture des Deux-Sèvres"]["dispositifAide"] == "FIPDR"
    assert by_payer["Préfecture des Deux-Sèvres"]["referenceDecision"] == ""
    assert by_payer["Conseil départemental du Val-d'Oise"]["referenceDecision"] == "3-15"
    # Val Parisis is no association: no RNA number.
    assert by_payer["Préfecture du Val-d'Oise"]["rnaBeneficiaire"] == ""


def test_the_payment_terms_follow_the_recorded_payments(client, demo):
    _, rows = read_csv(as_user(client, "admin").get(SUBSIDIES_URL))
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
def test_the_deliberation_row_counts_the_votes_and_links_to_the_register_extract(client, demo):
    _, rows = read_csv(as_user(client, "admin").get(DELIBERATIONS_URL))
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
        # The Ville's contribution it founds runs from 2021 to 2023.
        "BUDGET_ANNEE": "2021/2023",
        "BUDGET_NOM": "",
        "PREF_ID": "PREF079",
        "PREF_DATE": "",
        "VOTE_EFFECTIF": "45",
        "VOTE_REEL": "44",
        "VOTE_POUR": "44",
        "VOTE_CONTRE": "0",
        "VOTE_ABSTENTION": "0",
        "DELIB_URL": f"https://iscg.example.gouv.fr/conventions/deliberations/{deliberation.pk}/pdf/",
    }


def test_the_transmission_date_fills_pref_date(client, demo):
    Deliberation.objects.filter(number="D-2021-313").update(
        transmitted_on=datetime.date(2021, 9, 24)
    )
    _, rows = read_csv(as_user(client, "admin").get(DELIBERATIONS_URL))
    assert rows[0]["PREF_DATE"] == "2021-09-24"


def test_cited_and_rejected_deliberations_are_left_out_and_the_page_says_so(client, demo):
    Deliberation.objects.filter(number="D-2021-313").update(result=DeliberationResult.REJECTED)
    as_user(client, "admin")
    _, rows = read_csv(client.get(DELIBERATIONS_URL))
    assert rows == []
    page = client.get(reverse("conventions:opendata")).content.decode()
    assert "Délibérations seulement citées (3-15)" in page
    assert "Délibérations rejetées ou sans résultat saisi (D-2021-313)" in page


def test_the_subsidies_of_an_unsigned_convention_are_left_out(client, two_departements):
    convention = two_departements["79"]["convention"]
    state = convention.parties.get(organisation__kind="etat").organisation
    ContributionFactory(convention=convention, organisation=state)
    client.force_login(UserFactory(admin=True))
    _, rows = read_csv(client.get(SUBSIDIES_URL))
    assert rows == []
    page = client.get(reverse("conventions:opendata")).content.decode()
    assert "Conventions pas encore signées (convention-79)" in page


# Missing data: a French list, not a file --------------------------------------------------


def test_a_missing_siret_gives_the_list_of_what_to_fill_in_not_a_file(client, demo):
    fv79 = Organisation.objects.get(name="France Victimes 79")
    Organisation.objects.filter(pk=fv79.pk).update(siret="")
    response = as_user(client, "admin").get(SUBSIDIES_URL)
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
    content = as_user(client, "ville.niort").get(SUBSIDIES_URL).content.decode()
    assert f'href="{reverse("partners:detail", args=[fv79.pk])}"' in content
    assert "un administrateur la complète" in content


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
    response = as_user(client, "admin").get(SUBSIDIES_URL)
    assert response.status_code == 409
    content = response.content.decode()
    assert "le coût du poste 2024 n&#x27;est pas renseigné" in content
    assert f'href="{reverse("conventions:post_cost_edit", args=["ermont-2022", 2024])}"' in content


def test_the_open_data_page_lists_the_missing_data_too(client, demo):
    Organisation.objects.filter(name="France Victimes 79").update(siret="")
    content = as_user(client, "admin").get(reverse("conventions:opendata")).content.decode()
    assert "Le fichier ne peut pas encore être produit" in content
    assert "France Victimes 79 : le numéro SIRET" in content


# Scoping -----------------------------------------------------------------------------------


@pytest.mark.parametrize("username", ["valparisis", "ddsp95"])
def test_a_val_doise_user_exports_no_niort_row(client, demo, username):
    as_user(client, username)
    _, subsidies = read_csv(client.get(SUBSIDIES_URL))
    _, deliberations = read_csv(client.get(DELIBERATIONS_URL))
    assert subsidies
    assert not [
        r
        for r in subsidies
        if "Niort" in r["objet"] or r["nomBeneficiaire"] == "France Victimes 79"
    ]
    assert deliberations == []


def test_a_niort_user_exports_the_niort_rows_only(client, demo):
    _, rows = read_csv(as_user(client, "ville.niort").get(SUBSIDIES_URL))
    assert {r["nomBeneficiaire"] for r in rows} == {"France Victimes 79"}
    # État and Ville, 2021–2023 (niort-2021) and 2024–2026 (niort-2024).
    assert len(rows) == 12


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
    assert "12 lignes, toutes conformes au schéma." in content


def add_signed_convention_with_deliberation(world, number):
    """One more signed convention in the 79, an adopted deliberation and the State's
    subsidy it founds."""
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
        organisation=state,
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
    # subsidies: the scoped conventions with their post and employer, then parties and
    # organisations, renewals, amendments, contributions with payer and beneficiary, payments and
    # payers, post costs, and the numbers of the deliberations that found them; RELEASE.
    with django_assert_num_queries(17):
        assert client.get(url).status_code == 200
    add_signed_convention_with_deliberation(two_departements, 2)
    with django_assert_num_queries(17):
        assert client.get(url).status_code == 200


# Building blocks -------------------------------------------------------------------------


def row_with(schema, **values):
    row = dict.fromkeys(schema.header, "")
    return row | values


VALID_SUBSIDY = {
    "nomAttribuant": "Commune de Niort",
    "idAttribuant": "21790191000019",
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
        ("objet", "x" * 256, "256 caractères, 255 au plus"),
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
        COLL_SIRET="21790191000019",
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
