"""Issue #18, item 7: the two fictional demo conventions entered through the pages, as a
user would (not the admin site), their PDF read back, their statistics validated by the
right secretariat.

The organisations, people, accounts and posts are the demo's (``fictional.load_reference``);
the conventions, their parties, funding and costs are typed here. The national
administrator enters them, on the site's pages.
"""

import io
import re

import pytest
from django.test.utils import override_settings
from django.utils.module_loading import import_string
from playwright.sync_api import expect
from pypdf import PdfReader

from config.devtools.demo import fictional
from config.devtools.management.commands.load_demo import DEMO_LOADERS, FICTIONAL_LOADER
from partners.models import Representative
from tests.e2e.conventions import PartyEntry, create_convention_with_stepper
from tests.e2e.statistics import cell, consistent_counts, grid_codes, type_column

YEAR, QUARTER, MONTHS = 2026, 3, (7, 8, 9)


@pytest.fixture
def demo(transactional_db):
    """The seeds' demo and the fictional reference data, without the two conventions."""
    with override_settings(SIMPLE_HISTORY_ENABLED=False):
        for path in DEMO_LOADERS:
            if path != FICTIONAL_LOADER:
                import_string(path)()
        fictional.load_reference()


def org_pk(key):
    return str(fictional.org(key).pk)


def rep_pk(key, title):
    return str(Representative.objects.get(organisation=fictional.org(key), title=title).pk)


def enter_convention(page, *, reference, title, posts, place, parties, dates, articles):
    """Through the six steps of a new convention (no contribution there: the funding
    pages add them after), ending on its page."""
    start, end, years = dates
    create_convention_with_stepper(
        page,
        reference=reference,
        title=title,
        place=place,
        parties=[
            PartyEntry(
                org_pk(key),
                rep_pk(key, title_of_representative),
                second_side=side == "second",
                roles=roles,
                signed_on=signed_on,
            )
            for key, title_of_representative, side, roles, signed_on in parties
        ],
        posts=posts,
        articles=articles,
        start=start,
        end=end,
        years=years,
    )


def field(page, label):
    """A field by its label as shown: a required field's label ends with « * »."""
    return page.get_by_label(re.compile("^" + re.escape(label) + r"( \*)?$"))


def add_contribution(page, reference, *, funder, post, source, rule="", line="", **fields):
    page.goto(f"/conventions/financements/{reference}/contributions/nouvelle/")
    field(page, "Financeur").select_option(org_pk(funder))
    if post:
        field(page, "Poste financé").select_option(str(fictional.post(post).pk))
    if fields.pop("in_kind", False):
        field(page, "Nature").select_option(label="En nature (locaux, matériel…)")
    field(page, "Source de financement").fill(source)
    if line:
        field(page, "Ligne budgétaire").select_option(label=line)
    if rule:
        field(page, "Règle").select_option(label=rule)
    shares = fields.pop("shares", {})
    for label, value in fields.items():
        field(page, label).fill(value)
    rows = page.locator("[data-formset-list=parts] .year-share")
    for index, (year, share) in enumerate(shares.items()):
        if rows.count() <= index:
            page.get_by_role("button", name="Ajouter une année").click()
        rows.nth(index).get_by_label("Année").fill(str(year))
        rows.nth(index).get_by_label("Part du coût (%)").fill(str(share))
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("heading", name="Plan de financement", level=1)).to_be_visible()


def enter_cost(page, reference, post, year, total):
    page.goto(f"/conventions/financements/{reference}/cout/{year}/?poste={fictional.post(post).pk}")
    field(page, "Coût total").fill(str(total))
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("heading", name="Plan de financement", level=1)).to_be_visible()


def pdf_text(page, reference) -> str:
    page.goto(f"/conventions/{reference}/")
    link = page.get_by_role("link", name="Convention (PDF)")
    response = page.request.get(link.get_attribute("href"))
    assert response.headers["content-type"] == "application/pdf"
    return read_pdf(response.body())


def read_pdf(data: bytes) -> str:
    """As a reader reads it: lines joined, words cut at the end of a line put together."""
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)
    return " ".join(text.replace("‐\n", "").split())


def submit_quarter(page, post):
    """The employer's coordinator types the third quarter and transmits it."""
    page.goto(f"/statistiques/postes/{fictional.post(post).pk}/{YEAR}/t{QUARTER}/saisie/")
    codes = grid_codes(YEAR, MONTHS[0])
    cell(page, "Personnes rencontrées", YEAR, MONTHS[0]).focus()
    for month in MONTHS:
        counts = consistent_counts(YEAR, month)
        type_column(page, [counts[code] for code in codes])
    page.get_by_role("button", name="Enregistrer et transmettre le trimestre").click()
    expect(page.get_by_role("definition").filter(has_text="Transmis").first).to_be_visible()


def quarter_url(post):
    return f"/statistiques/postes/{fictional.post(post).pk}/{YEAR}/t{QUARTER}/saisie/"


FRAMEWORK_PARTIES = [
    ("pref18", "Sous-préfète, directrice de cabinet", "first", ["Financeur"], "2024-12-18"),
    ("cd18", "Président du Conseil départemental", "first", ["Financeur"], "2024-12-12"),
    (
        "deux_rives",
        "Présidente de la Communauté d'agglomération",
        "first",
        ["Financeur"],
        "2024-12-10",
    ),
    (
        "haut_cher",
        "Président de la Communauté de communes du Haut-Cher",
        "first",
        ["Financeur"],
        "2024-12-11",
    ),
    (
        "ddpn18",
        "Directeur départemental de la police nationale du Cher",
        "second",
        ["Autorité fonctionnelle", "Accueille le poste"],
        "2024-12-09",
    ),
    (
        "ggd18",
        "Commandant du groupement de gendarmerie départementale du Cher",
        "second",
        ["Autorité fonctionnelle", "Accueille le poste"],
        "2024-12-09",
    ),
    (
        "gip18",
        "Directrice du GIP",
        "second",
        ["Employeur (autorité hiérarchique)", "Financeur"],
        "2024-12-05",
    ),
]


def test_a_departmental_framework_convention_with_three_posts(page, login, check_accessibility):
    reference = "cadre-18-2025"
    login("admin")
    enter_convention(
        page,
        reference=reference,
        title="Convention-cadre départementale ISCG du Cher",
        posts=[fictional.CASTELNAU, fictional.VIERVAL, fictional.SANCY],
        place="Bourges",
        parties=FRAMEWORK_PARTIES,
        dates=("2025-01-01", "2027-12-31", 3),
        articles=fictional.FRAMEWORK_ARTICLES[:2],
    )
    check_accessibility(page, "convention-cadre-detail")
    expect(page.get_by_role("heading", name="Postes couverts")).to_be_visible()

    for post in (fictional.CASTELNAU, fictional.VIERVAL, fictional.SANCY):
        add_contribution(
            page,
            reference,
            funder="pref18",
            post=post,
            source="FIPD",
            line="FIPD",
            rule="Part du coût du poste par année",
            shares={2025: 80, 2026: 50, 2027: 30},
            **{"Première année": "2025", "Dernière année": "2027"},
        )
        add_contribution(
            page,
            reference,
            funder="cd18",
            post=post,
            source="budget départemental",
            rule="Montant fixe par an",
            **{"Montant annuel": "6000", "Première année": "2025", "Dernière année": "2027"},
        )
        enter_cost(page, reference, post, 2025, fictional.FRAMEWORK_COSTS[post][2025])
    add_contribution(
        page,
        reference,
        funder="deux_rives",
        post=fictional.CASTELNAU,
        source="budget communautaire",
        rule="Solde du coût du poste",
        **{"Première année": "2025", "Dernière année": "2027"},
    )
    add_contribution(
        page,
        reference,
        funder="haut_cher",
        post=fictional.VIERVAL,
        source="mise à disposition",
        in_kind=True,
        **{
            "Aide en nature": "mise à disposition des locaux de l'antenne de Vierval",
            "Valeur annuelle de l'aide en nature": "4800",
            "Première année": "2025",
            "Dernière année": "2027",
        },
    )
    for post in (fictional.VIERVAL, fictional.SANCY):
        add_contribution(
            page,
            reference,
            funder="gip18",
            post=post,
            source="fonds propres du GIP",
            line="Fonds propres",
            rule="Solde du coût du poste",
            **{"Première année": "2025", "Dernière année": "2027"},
        )

    # The plan: one table per annex, each post's 2025 balanced against its own cost.
    castelnau = page.get_by_role("table", name=re.compile(re.escape(f"({fictional.CASTELNAU})")))
    row_2025 = castelnau.get_by_role("row", name=re.compile("^2025"))
    expect(row_2025).to_contain_text("41 600 €")  # 80 % of 52 000 €
    expect(row_2025).to_contain_text("4 400 €")  # the balance of Deux Rives
    expect(row_2025).to_contain_text("Équilibré")
    sancy = page.get_by_role("table", name=re.compile(re.escape(f"({fictional.SANCY})")))
    expect(sancy.get_by_role("row", name=re.compile("^2025"))).to_contain_text("33 600 €")
    expect(page.get_by_text("valorisée 4 800 € par an")).to_be_visible()
    check_accessibility(page, "convention-cadre-financement")

    text = pdf_text(page, reference)
    # One annex per post, numbered in the order of the posts' names on the form.
    annexes = re.findall(r"Annexe (\d) : (ISC [^:]+?) (?:Site|Sites) d", text)
    assert sorted(annexes) == [
        ("1", fictional.SANCY),
        ("2", fictional.CASTELNAU),
        ("3", fictional.VIERVAL),
    ]
    for expected in (
        "Poste en zone gendarmerie",
        "41 600 €",
        "33 600 €",
        "pour la Préfète du Cher et par délégation",
        # Only the title of its representative is known: no civility, no name.
        "par le Président de la Communauté de communes du Haut-Cher",
    ):
        assert expected in text, expected

    # Statistics: the GIP transmits the gendarmerie post's and a police post's quarter;
    # each is validated by its own secretariat, which never sees the other's post.
    login("gip18")
    submit_quarter(page, fictional.SANCY)
    submit_quarter(page, fictional.CASTELNAU)

    login("ddpn18")
    # With the police secretariat's session, the gendarmerie post's quarter is refused.
    assert page.request.get(quarter_url(fictional.SANCY)).status == 403
    page.goto(quarter_url(fictional.CASTELNAU))
    page.get_by_role("button", name="Valider le trimestre").click()
    expect(page.get_by_role("definition").filter(has_text="Validé").first).to_be_visible()

    login("ggd18")
    page.goto(quarter_url(fictional.SANCY))
    # A gendarmerie post: its grid, status and messages never speak of a commissariat or
    # of the DDSP (the history names each count by the grid's neutral label, « au
    # commissariat ou à la brigade »).
    history = page.get_by_role("region", name="Historique du trimestre").inner_text()
    page_text = page.locator("main").inner_text().replace(history, "")
    assert not re.search("commissariat|DDSP", page_text), page_text
    page.get_by_role("button", name="Valider le trimestre").click()
    expect(page.get_by_role("definition").filter(has_text="Validé").first).to_be_visible()
    check_accessibility(page, "statistiques-gendarmerie-valide")


MIXED_PARTIES = [
    (
        "region",
        "Vice-président délégué à la tranquillité publique",
        "first",
        ["Financeur"],
        "2025-03-10",
    ),
    ("syndicat", "Président du syndicat mixte", "first", ["Financeur"], "2025-03-04"),
    (
        "ch_montclar",
        "Directeur du centre hospitalier",
        "second",
        ["Employeur (autorité hiérarchique)"],
        "2025-03-03",
    ),
    (
        "ddpn12",
        "Directeur départemental de la police nationale de l'Aveyron",
        "second",
        ["Autorité fonctionnelle", "Accueille le poste"],
        "2025-03-12",
    ),
    (
        "ggd12",
        "Commandante du groupement de gendarmerie départementale de l'Aveyron",
        "second",
        ["Autorité fonctionnelle", "Accueille le poste"],
        "2025-03-14",
    ),
]


def test_a_mixed_post_with_its_comite_syndical_and_signatures_by_delegation(
    page, login, check_accessibility
):
    reference = "montclar-2025"
    login("admin")
    enter_convention(
        page,
        reference=reference,
        title="Convention de partenariat pour le poste d'intervenant social de Montclar",
        posts=[fictional.MONTCLAR],
        place="Montclar",
        parties=MIXED_PARTIES,
        dates=("", "", 3),
        articles=fictional.MIXED_ARTICLES[:2],
    )
    add_contribution(
        page,
        reference,
        funder="region",
        post=None,
        source="budget régional",
        rule="Montant fixe par an",
        **{"Montant annuel": "20000", "Première année": "2025", "Dernière année": "2027"},
    )
    add_contribution(
        page,
        reference,
        funder="syndicat",
        post=None,
        source="budget syndical",
        rule="Solde du coût du poste",
        **{"Première année": "2025", "Dernière année": "2027"},
    )
    enter_cost(page, reference, fictional.MONTCLAR, 2025, 50000)
    row_2025 = page.get_by_role("row", name=re.compile("^2025"))
    expect(row_2025).to_contain_text("30 000 €")  # the syndicat mixte's balance

    text = pdf_text(page, reference)
    assert "pour la Présidente du Conseil régional et par délégation" in text
    assert "Directeur du centre hospitalier par intérim" in text
    assert "Commissariat de Montclar" not in text or "Brigade" in text

    # The syndicat mixte records its comité syndical and the deliberation.
    login("syndicat.montclar")
    page.goto("/conventions/deliberations/conseils/")
    new_council = page.get_by_role("region", name="Nouveau conseil (nouveau mandat)")
    field(new_council, "Assemblée").select_option(label="Comité syndical")
    field(new_council, "Début du mandat (année)").fill("2020")
    field(new_council, "Fin du mandat (année)").fill("2026")
    new_council.get_by_role("button", name="Créer le conseil").click()
    field(page, "Membres à ajouter").fill(" ".join(fictional.COMMITTEE_MEMBERS.split()))
    page.get_by_role("button", name="Ajouter", exact=True).click()
    expect(page.get_by_text("Henri COMBES").first).to_be_visible()

    page.goto("/conventions/deliberations/nouvelle/")
    seance = page.get_by_role("group", name="Séance et objet")
    seance.get_by_label("Numéro").fill("CS-2025-04")
    seance.get_by_label("Date de la séance").fill("2025-02-20")
    seance.get_by_label("Objet").fill("Poste d'intervenant social de Montclar : convention")
    bureau = page.get_by_role("group", name="Bureau de séance et rapport")
    bureau.get_by_label("Président de séance").select_option(label="Henri COMBES")
    bureau.get_by_role("group", name="Secrétaire(s) de séance").get_by_role(
        "checkbox", name="Anaïs VERNHET"
    ).check()
    page.get_by_label("Texte de la décision 1").fill("approuver la convention de partenariat ;")
    vote = page.get_by_role("group", name="Vote", exact=True)
    vote.get_by_label("Pour").fill("10")
    vote.get_by_label("Contre").fill("0")
    vote.get_by_label("Abstention").fill("0")
    vote.get_by_label("Ne prend pas part au vote").fill("0")
    vote.get_by_label("Résultat").select_option(label="Adoptée")
    linked = page.get_by_role("group", name="Conventions et montants")
    linked.get_by_role("checkbox", name=reference).check()
    page.get_by_role("button", name="Enregistrer").click()

    expect(page.get_by_role("heading", name="Feuille de présence")).to_be_visible()
    page.get_by_role("button", name="Marquer présents tous les membres non renseignés").click()
    for name in ("Madame Marthe SOULIÉ", "Monsieur Yves TRUEL"):
        page.get_by_role("radiogroup", name=name).get_by_role(
            "radio", name="Excusé", exact=True
        ).check()
    page.get_by_role("button", name="Enregistrer la feuille de présence").click()
    expect(page.get_by_role("heading", name="Délibération n° CS-2025-04")).to_be_visible()
    checks = page.get_by_role("region", name="Vérifications")
    # A syndicat mixte's quorum is its statutes': said, not computed.
    expect(checks).to_contain_text("10 membres présents sur 12 en exercice")
    expect(checks).to_contain_text("Conforme : Résultat conforme aux votes : 10 voix pour")
    check_accessibility(page, "deliberation-comite-syndical")
    response = page.request.get(page.url.rstrip("/") + "/pdf/")
    extract = read_pdf(response.body())
    assert "LE COMITÉ SYNDICAL" in extract
    assert "AUTRE ASSEMBLÉE" not in extract

    # The mixed post's quarter: the police validates, then the gendarmerie.
    login("ch.montclar")
    submit_quarter(page, fictional.MONTCLAR)
    login("ddpn12")
    page.goto(quarter_url(fictional.MONTCLAR))
    page.get_by_role("button", name="Valider le trimestre").click()
    expect(
        page.get_by_text(re.compile("en attente de .*gendarmerie", re.IGNORECASE)).first
    ).to_be_visible()
    login("ggd12")
    page.goto(quarter_url(fictional.MONTCLAR))
    page.get_by_role("button", name="Valider le trimestre").click()
    expect(page.get_by_role("definition").filter(has_text="Validé").first).to_be_visible()
