"""Flow 1: a local authority drafts a convention, is told what is wrong, saves it, gets its PDF."""

import io

from playwright.sync_api import expect
from pypdf import PdfReader

PARTIES = [
    ("Commune de Niort", "M. Jérôme BALOGE, Maire (Ville de Niort)"),
    (
        "Préfecture des Deux-Sèvres",
        "M. Emmanuel AUBRY, Préfet des Deux-Sèvres (Préfecture 79)",
    ),
    ("France Victimes 79", "M. Jean-Marc BESNARD, Président (France Victimes 79)"),
]


def fill_party(row, organisation, representative, *, other_side=False):
    row.get_by_label("Organisation").select_option(label=organisation)
    row.get_by_label("Représentant à la signature").select_option(label=representative)
    if other_side:
        row.get_by_role("combobox", name="Partie", exact=True).select_option(label="D'autre part")


def test_a_local_authority_creates_a_convention_fixes_its_dates_and_downloads_the_pdf(
    page, login, check_accessibility
):
    login("ville.niort")
    navigation = page.get_by_role("navigation", name="Navigation principale")
    # First, the partner registry: who signs for whom.
    navigation.get_by_role("link", name="Partenaires").click()
    expect(page.get_by_role("heading", name="Partenaires", level=1)).to_be_visible()
    check_accessibility(page, "partenaires-liste")
    page.get_by_role("link", name="France Victimes 79").click()
    expect(page.get_by_role("rowheader", name="M. Jean-Marc BESNARD")).to_be_visible()
    check_accessibility(page, "partenaire-detail")

    navigation.get_by_role("link", name="Conventions").click()
    expect(page.get_by_role("heading", name="Conventions", level=1)).to_be_visible()
    check_accessibility(page, "conventions-liste")

    page.get_by_role("link", name="Nouvelle convention", exact=True).click()
    expect(page.get_by_role("heading", name="Nouvelle convention")).to_be_visible()
    page.get_by_label("Référence").fill("niort-2027")
    identification = page.get_by_role("region", name="Identification")
    identification.get_by_role("textbox", name="Titre", exact=True).fill(
        "Convention de partenariat ISC 2027-2029"
    )
    page.get_by_role("group", name="Postes d'ISC").get_by_label(
        "ISC du commissariat de Niort"
    ).check()
    page.get_by_label("Lieu de signature").fill("Niort")

    parties = page.get_by_role("region", name="Parties")
    for _ in range(len(PARTIES) - 1):
        parties.get_by_role("button", name="Ajouter une partie").click()
    rows = parties.get_by_role("group")
    expect(rows).to_have_count(3)
    for index, (organisation, representative) in enumerate(PARTIES):
        fill_party(rows.nth(index), organisation, representative, other_side=index == 2)
    rows.nth(2).get_by_label("Employeur (autorité hiérarchique)").check()

    page.get_by_role("combobox", name="Prise d'effet", exact=True).select_option(
        label="À une date indiquée"
    )
    page.get_by_label("Date de prise d'effet indiquée").fill("2027-01-01")
    # Typed the wrong way round: the end comes before the start.
    page.get_by_label("Date de fin écrite").fill("2026-12-31")
    page.get_by_label("Durée (années)").fill("3")

    visas = page.get_by_role("region", name="Visas (Vu, Considérant)")
    visas.get_by_role("button", name="Ajouter un visa").click()
    references = [
        ("Vu", "la loi du 5 mars 2007 relative à la prévention de la délinquance ;"),
        ("Considérant", "la politique de la ville de Niort en matière de prévention ;"),
    ]
    for index, (kind, text) in enumerate(references):
        row = visas.get_by_role("group").nth(index)
        row.get_by_label("Type").select_option(label=kind)
        row.get_by_label("Texte").fill(text)
        row.get_by_label("Ordre").fill(str(index + 1))

    articles = page.get_by_role("region", name="Articles")
    articles.get_by_role("button", name="Ajouter un article").click()
    for index, (title, body) in enumerate(
        [
            ("Objet", "La présente convention organise le poste d'intervenant social."),
            ("Durée", "La convention est conclue pour trois ans."),
        ]
    ):
        row = articles.get_by_role("group").nth(index)
        row.get_by_label("Numéro").fill(str(index + 1))
        row.get_by_label("Titre").fill(title)
        row.get_by_label("Texte").fill(body)

    check_accessibility(page, "convention-formulaire")
    page.get_by_role("button", name="Enregistrer").click()

    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Le formulaire contient")
    end_date = page.get_by_label("Date de fin écrite")
    expect(end_date).to_have_accessible_description(
        "La date de fin doit être postérieure à la date de début."
    )
    # Nothing typed is lost: the parties, references and articles are still there.
    expect(page.get_by_label("Référence")).to_have_value("niort-2027")
    expect(page.get_by_role("region", name="Articles").get_by_label("Titre").nth(1)).to_have_value(
        "Durée"
    )
    check_accessibility(page, "convention-formulaire-erreurs")

    end_date.fill("2029-12-31")
    page.get_by_role("button", name="Enregistrer").click()

    expect(
        page.get_by_role("heading", name="Convention de partenariat ISC 2027-2029", level=1)
    ).to_be_visible()
    party_tables = page.get_by_role("region", name="Parties")
    for organisation, _ in PARTIES:
        expect(party_tables.get_by_role("rowheader", name=organisation)).to_be_visible()
    check_accessibility(page, "convention-detail")

    # The link opens Chromium's PDF viewer; the test fetches what it points to with the
    # browser's session, as "save as" would.
    link = page.get_by_role("link", name="Convention (PDF)")
    response = page.request.get(link.get_attribute("href"))
    assert response.headers["content-type"] == "application/pdf"
    assert 'filename="convention-niort-2027.pdf"' in response.headers["content-disposition"]
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(response.body())).pages)
    for expected in ("Commune de Niort", "Jérôme BALOGE", "Emmanuel AUBRY", "France Victimes 79"):
        assert expected in text
    assert "la loi du 5 mars 2007" in text
    assert "La convention est conclue pour trois ans." in text
