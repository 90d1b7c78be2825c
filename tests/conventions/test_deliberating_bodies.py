"""Each deliberating body in its own words, under its own rules, and signatures by
delegation or « par intérim » in the register extract and the convention (issue #18,
items 4 and 6). One case per body, named after what its register writes."""

import datetime
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from conventions.agreements.documents import render_convention_pdf
from conventions.agreements.texts import party_clause
from conventions.bodies import usual_body
from conventions.deliberations.checks.attendance import check_attendance
from conventions.deliberations.checks.common import Severity, Sitting
from conventions.deliberations.documents import render_deliberation_pdf
from conventions.deliberations.services import council_create
from conventions.enums import DeliberatingBody
from conventions.models import Convention, Deliberation
from partners.enums import Civility, OrganisationKind
from tests.conventions.factories import (
    ConventionFactory,
    DeliberationFactory,
    PartyFactory,
    sitting,
)
from tests.conventions.pdftext import flat, pdf_pages
from tests.partners.factories import OrganisationFactory, RepresentativeFactory, UserFactory

pytestmark = pytest.mark.django_db

D = datetime.date


def register(deliberation):
    return Deliberation.objects.for_register(Convention.objects.all()).get(pk=deliberation.pk)


def whole_text(data: bytes) -> str:
    """Every word of the PDF, running headers included, on one line."""
    return " ".join(" ".join(pdf_pages(data)).split())


# The register extract, body by body ----------------------------------------------------

BODY_CASES = [
    pytest.param(
        DeliberatingBody.SYNDICATE_COMMITTEE,
        "",
        "Extrait du registre des délibérations du comité syndical",
        "COMITÉ SYNDICAL DU 18 mars 2024",
        "LE COMITÉ SYNDICAL ADOPTE",
        "3 délégués en exercice.",
        id="comité syndical: « LE COMITÉ SYNDICAL ADOPTE », its délégués",
    ),
    pytest.param(
        DeliberatingBody.BOARD,
        "",
        "Extrait du registre des délibérations du conseil d'administration",
        "CONSEIL D'ADMINISTRATION DU 18 mars 2024",
        "LE CONSEIL D'ADMINISTRATION ADOPTE",
        "3 administrateurs en exercice.",
        id="conseil d'administration (GIP, hospital): its administrateurs",
    ),
    pytest.param(
        DeliberatingBody.COMMUNITY_BUREAU,
        "",
        "Extrait du registre des délibérations du bureau communautaire",
        "BUREAU COMMUNAUTAIRE DU 18 mars 2024",
        "LE BUREAU COMMUNAUTAIRE ADOPTE",
        "3 conseillers en exercice.",
        id="bureau communautaire: « DU BUREAU COMMUNAUTAIRE »",
    ),
    pytest.param(
        DeliberatingBody.REGIONAL_COUNCIL,
        "",
        "Extrait du registre des délibérations du conseil régional",
        "CONSEIL RÉGIONAL DU 18 mars 2024",
        "LE CONSEIL RÉGIONAL ADOPTE",
        "3 conseillers en exercice.",
        id="conseil régional: « DU CONSEIL RÉGIONAL »",
    ),
    pytest.param(
        DeliberatingBody.STANDING_COMMITTEE,
        "",
        "Extrait du registre des délibérations de la commission permanente",
        "COMMISSION PERMANENTE DU 18 mars 2024",
        "LA COMMISSION PERMANENTE ADOPTE",
        "3 conseillers en exercice.",
        id="commission permanente: feminine, « DE LA COMMISSION PERMANENTE »",
    ),
    pytest.param(
        DeliberatingBody.MUNICIPAL_COUNCIL,
        "",
        "Extrait du registre des délibérations du conseil municipal",
        "CONSEIL MUNICIPAL DU 18 mars 2024",
        "LE CONSEIL ADOPTE",
        "3 conseillers en exercice.",
        id="conseil municipal: « LE CONSEIL ADOPTE » as the Niort register",
    ),
    pytest.param(
        DeliberatingBody.OTHER,
        "l'assemblée générale",
        "Extrait du registre des délibérations de l'assemblée générale",
        "ASSEMBLÉE GÉNÉRALE DU 18 mars 2024",
        "L'ASSEMBLÉE GÉNÉRALE ADOPTE",
        "3 membres en exercice.",
        id="Autre: the council's own name, never « AUTRE ASSEMBLÉE »",
    ),
]


@pytest.mark.parametrize(
    ("body", "label", "register_title", "session", "result", "in_office"), BODY_CASES
)
def test_the_register_extract_speaks_of_its_own_body(
    body, label, register_title, session, result, in_office
):
    deliberation = DeliberationFactory(council__body=body, council__body_label=label)
    sitting(deliberation, present=3)
    text = whole_text(render_deliberation_pdf(register(deliberation)))
    assert f"{deliberation.organisation.name} – {register_title} Délibération n°" in text
    assert f"{session} Délibération n° {deliberation.number}" in text
    assert f"{result} Pour : 3" in text
    assert in_office in text
    assert "AUTRE ASSEMBLÉE" not in text.upper()


def test_the_detail_page_heads_the_register_with_its_body(client):
    deliberation = DeliberationFactory(council__body=DeliberatingBody.SYNDICATE_COMMITTEE)
    sitting(deliberation, present=3)
    client.force_login(UserFactory(admin=True))
    page = client.get(reverse("conventions:deliberation_detail", args=[deliberation.pk]))
    content = page.content.decode()
    assert "EXTRAIT DU REGISTRE DES DÉLIBÉRATIONS DU COMITÉ SYNDICAL" in content
    assert "LE COMITÉ SYNDICAL ADOPTE" in content


@pytest.mark.parametrize(
    ("label", "message"),
    [
        pytest.param("", "Pour une assemblée « Autre », écrivez son nom.", id="label required"),
        pytest.param(
            "assemblée générale",
            "Commencez par l'article (le, la, l' ou les).",
            id="label with its article, for « DE L'ASSEMBLÉE GÉNÉRALE »",
        ),
    ],
)
def test_a_council_autre_needs_its_name_with_its_article(label, message):
    with pytest.raises(ValidationError) as error:
        council_create(
            organisation=OrganisationFactory(),
            body=DeliberatingBody.OTHER,
            body_label=label,
            term_start_year=2020,
        )
    assert message in error.value.message_dict["body_label"][0]


def test_a_cited_deliberation_of_a_body_autre_takes_its_label_too():
    council = council_create(
        organisation=OrganisationFactory(kind=OrganisationKind.HOSPITAL),
        body=DeliberatingBody.OTHER,
        body_label="le conseil de surveillance",
        term_start_year=2020,
    )
    deliberation = DeliberationFactory(council=council)
    deliberation.full_clean()
    assert deliberation.body_label == "le conseil de surveillance"
    assert deliberation.body_display == "Conseil de surveillance"


# The rules each body is checked against ------------------------------------------------


def quorum_check(body, present=20, in_office=45):
    members = range(1, in_office + 1)
    checks = check_attendance(
        Sitting(
            names={m: f"Membre {m}" for m in members},
            in_office=frozenset(members),
            present=list(range(1, present + 1)),
            proxies=[],
            absent=[m for m in members if m > present],
            president=1,
            secretaries=[2],
            rapporteur=3,
            session_date=D(2024, 3, 18),
            body=body,
        )
    )
    return next(c for c in checks if c.code == "quorum")


@pytest.mark.parametrize(
    ("body", "severity", "cited"),
    [
        pytest.param(
            DeliberatingBody.MUNICIPAL_COUNCIL,
            Severity.ERROR,
            "(article L2121-17 du CGCT)",
            id="L2121-17: commune",
        ),
        pytest.param(
            DeliberatingBody.COMMUNITY_COUNCIL,
            Severity.ERROR,
            "(article L2121-17 du CGCT)",
            id="L5211-1: an EPCI council follows the commune's rules",
        ),
        pytest.param(
            DeliberatingBody.DEPARTEMENT_COUNCIL,
            Severity.ERROR,
            "(article L3121-14 du CGCT)",
            id="L3121-14: département",
        ),
        pytest.param(
            DeliberatingBody.REGIONAL_COUNCIL,
            Severity.ERROR,
            "(article L4132-13 du CGCT)",
            id="L4132-13: région",
        ),
        pytest.param(
            DeliberatingBody.SYNDICATE_COMMITTEE,
            Severity.INFO,
            "Règles des statuts : vérification du quorum non automatisée",
            id="L5711-1 / L5721-2: syndicat mixte under its statutes",
        ),
        pytest.param(
            DeliberatingBody.BOARD,
            Severity.INFO,
            "Règles des statuts : vérification du quorum non automatisée",
            id="conseil d'administration (GIP, hospital): statutes",
        ),
        pytest.param(
            DeliberatingBody.COMMUNITY_BUREAU,
            Severity.INFO,
            "Règles des statuts : vérification du quorum non automatisée",
            id="bureau communautaire: internal rules (L5211-10)",
        ),
        pytest.param(
            DeliberatingBody.OTHER,
            Severity.INFO,
            "Règles des statuts : vérification du quorum non automatisée",
            id="Autre: statutes",
        ),
    ],
)
def test_each_body_gets_its_own_quorum_rule(body, severity, cited):
    check = quorum_check(body)
    assert check.severity == severity
    assert cited in check.message
    if severity == Severity.INFO:
        assert "L2121" not in check.message


def test_the_attendance_page_of_a_body_under_statutes_gives_no_quorum_figure(client):
    deliberation = DeliberationFactory(council__body=DeliberatingBody.SYNDICATE_COMMITTEE)
    sitting(deliberation, present=3)
    client.force_login(UserFactory(admin=True))
    page = client.get(reverse("conventions:deliberation_attendance", args=[deliberation.pk]))
    content = page.content.decode()
    assert "3 délégués en exercice à cette date" in content
    assert "règles des statuts : vérification du quorum non automatisée" in content
    assert "il en faut au moins" not in content
    # No article of the commune's law cited for a body under its statutes.
    assert "L2121" not in content


# Signatures by delegation and « par intérim » -----------------------------------------


def test_the_register_extract_signed_by_delegation_says_so():
    deliberation = DeliberationFactory()
    sitting(deliberation, present=3)
    mayor = RepresentativeFactory(
        organisation=deliberation.organisation, civility=Civility.MR, title="Maire"
    )
    deliberation.signatory = RepresentativeFactory(
        organisation=deliberation.organisation,
        civility=Civility.MRS,
        first_name="Valérie",
        last_name="Durand",
        title="Adjointe déléguée",
        delegated_by=mayor,
        delegation_reference="arrêté n° 2024-7",
    )
    deliberation.save()
    text = flat(render_deliberation_pdf(register(deliberation)), re.compile("registre"))
    assert (
        "Pour le Maire et par délégation, l'Adjointe déléguée (arrêté n° 2024-7) "
        "Mme Valérie DURAND" in text
    )


def test_the_register_extract_signed_by_an_acting_mayor_says_so():
    deliberation = DeliberationFactory()
    sitting(deliberation, present=3)
    deliberation.signatory = RepresentativeFactory(
        organisation=deliberation.organisation,
        civility="",
        first_name="Paul",
        last_name="Roux",
        title="Maire",
        acting=True,
    )
    deliberation.save()
    text = flat(render_deliberation_pdf(register(deliberation)), re.compile("registre"))
    assert "Le Maire par intérim Paul ROUX" in text


def test_a_signatory_of_another_organisation_is_refused():
    deliberation = DeliberationFactory()
    deliberation.signatory = RepresentativeFactory()
    with pytest.raises(ValidationError) as error:
        deliberation.full_clean()
    assert "Choisissez un représentant de l'organisation qui délibère" in str(error.value)


@pytest.mark.parametrize(
    ("representative", "expected"),
    [
        pytest.param(
            {
                "civility": Civility.MRS,
                "first_name": "Inès",
                "last_name": "Duval",
                "title": "Sous-préfète chargée de mission",
                "delegated_by_title": "le Préfet",
                "delegation_reference": "arrêté n° 2024-12",
            },
            "L’État, représenté par Mme Inès DUVAL, Sous-préfète chargée de mission, pour le "
            "Préfet et par délégation (arrêté n°\u00a02024-12)",
            id="delegation of signature by the préfet",
        ),
        pytest.param(
            {
                "civility": "",
                "first_name": "Paul",
                "last_name": "Roux",
                "title": "Maire",
                "acting": True,
            },
            "L’État, représenté par Paul ROUX, Maire par intérim",
            id="acting, civility unknown: no « M. »",
        ),
        pytest.param(
            {"civility": "", "first_name": "", "last_name": "", "title": "Préfet du Val-d'Oise"},
            "L’État, représenté par le Préfet du Val-d'Oise",
            id="title only, civility unknown: neither Monsieur nor Madame",
        ),
    ],
)
def test_the_parties_block_writes_acting_delegation_and_unknown_civility(representative, expected):
    party = PartyFactory(
        designation="L’État", **{f"representative__{k}": v for k, v in representative.items()}
    )
    assert party_clause(party) == expected


def test_the_convention_pdf_and_page_print_the_signature_by_delegation(client):
    convention = ConventionFactory()
    state = OrganisationFactory(prefecture=True)
    prefect = RepresentativeFactory(organisation=state, civility=Civility.MR, title="Préfet")
    deputy = RepresentativeFactory(
        organisation=state,
        civility=Civility.MRS,
        first_name="Inès",
        last_name="Duval",
        title="Sous-préfète chargée de mission",
        delegated_by=prefect,
    )
    PartyFactory(
        convention=convention,
        organisation=state,
        representative=deputy,
        designation="L’État",
        signatory_title="Pour l’État,",
    )
    loaded = Convention.objects.for_detail().get(pk=convention.pk)
    text = flat(render_convention_pdf(loaded))
    assert (
        "L’État, représenté par Mme Inès DUVAL, Sous-préfète chargée de mission, pour le "
        "Préfet et par délégation" in text
    )
    signatures = text[text.index("Fait à") :]
    assert (
        "Pour l’État, Pour le Préfet et par délégation, la Sous-préfète chargée de mission "
        "Inès DUVAL" in signatures
    )
    client.force_login(UserFactory(admin=True))
    page = client.get(reverse("conventions:detail", args=[convention.reference]))
    assert (
        "Pour le Préfet et par délégation, la Sous-préfète chargée de mission, Mme Inès DUVAL"
        in page.content.decode()
    )


@pytest.mark.parametrize(
    ("kind", "body"),
    [
        pytest.param(OrganisationKind.COMMUNE, DeliberatingBody.MUNICIPAL_COUNCIL, id="commune"),
        pytest.param(OrganisationKind.EPCI, DeliberatingBody.COMMUNITY_COUNCIL, id="EPCI"),
        pytest.param(
            OrganisationKind.PETR,
            DeliberatingBody.SYNDICATE_COMMITTEE,
            id="L5741-1: a PETR is a syndicat mixte, its comité syndical",
        ),
        pytest.param(OrganisationKind.REGION, DeliberatingBody.REGIONAL_COUNCIL, id="région"),
        pytest.param(OrganisationKind.HOSPITAL, DeliberatingBody.BOARD, id="hospital board"),
        pytest.param(OrganisationKind.PUBLIC_INTEREST_GROUP, DeliberatingBody.BOARD, id="GIP"),
    ],
)
def test_a_new_council_starts_from_the_usual_body_of_its_organisation(kind, body):
    assert usual_body(kind) == body
