"""Flow 1: a local authority enters a convention step by step, is told what is wrong,
finishes it, gets its PDF."""

import io

from playwright.sync_api import expect
from pypdf import PdfReader

from tests.e2e.conventions import (
    ContributionEntry,
    PartyEntry,
    duration_step,
    finish,
    funding_step,
    next_step,
    parties_step,
    posts_step,
    reporting_step,
    text_step,
)

PARTIES = [
    ("Commune de Niort", "M. Jérôme BALOGE, Maire (Ville de Niort)"),
    (
        "Préfecture des Deux-Sèvres",
        "M. Emmanuel AUBRY, Préfet des Deux-Sèvres (Préfecture 79)",
    ),
    ("France Victimes 79", "M. Jean-Marc BESNARD, Président (France Victimes 79)"),
]


def test_a_local_authority_creates_a_convention_fixes_its_dates_and_downloads_the_pdf(
    page, login, check_accessibility, browser_errors
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
    parties_step(
        page,
        reference="niort-2027",
        title="Convention de partenariat ISC 2027-2029",
        place="Niort",
        parties=[
            PartyEntry(
                organisation,
                representative,
                second_side=index == 2,
                roles=["Employeur (autorité hiérarchique)"] if index == 2 else [],
            )
            for index, (organisation, representative) in enumerate(PARTIES)
        ],
    )
    # The representatives offered are those of the organisation chosen on the row.
    first_row = page.get_by_role("region", name="Parties").get_by_role("group").first
    representatives = first_row.get_by_label("Représentant à la signature")
    expect(representatives.locator("option", has_text="Emmanuel AUBRY")).to_have_attribute(
        "hidden", ""
    )
    expect(representatives.locator("option", has_text="Jérôme BALOGE")).not_to_have_attribute(
        "hidden", ""
    )
    check_accessibility(page, "convention-etape-parties")
    next_step(page)
    posts_step(page, ["ISC du commissariat de Niort"])
    check_accessibility(page, "convention-etape-postes")
    next_step(page)
    text_step(
        page,
        references=[
            ("Vu", "la loi du 5 mars 2007 relative à la prévention de la délinquance ;"),
            ("Considérant", "la politique de la ville de Niort en matière de prévention ;"),
        ],
        articles=[
            ("Objet", "La présente convention organise le poste d'intervenant social."),
            ("Durée", "La convention est conclue pour trois ans."),
        ],
    )
    check_accessibility(page, "convention-etape-texte")
    next_step(page)
    # Typed the wrong way round: the end comes before the start.
    duration_step(page, start="2027-01-01", end="2026-12-31", years=3)
    check_accessibility(page, "convention-etape-duree")
    next_step(page)

    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    # The refused step comes back with a 400, which Chromium reports in its console.
    browser_errors[:] = [error for error in browser_errors if "status of 400" not in error]
    expect(summary).to_contain_text("Le formulaire contient")
    end_date = page.get_by_label("Date de fin écrite")
    expect(end_date).to_have_accessible_description(
        "La date de fin doit être postérieure à la date de début."
    )
    # Nothing typed is lost, and the steps before were saved: going back shows them.
    expect(page.get_by_label("Date de prise d'effet indiquée")).to_have_value("2027-01-01")
    check_accessibility(page, "convention-etape-duree-erreurs")
    end_date.fill("2029-12-31")
    page.get_by_role("button", name="Enregistrer et revenir à l'étape précédente").click()
    expect(page.get_by_role("region", name="Articles").get_by_label("Titre").nth(1)).to_have_value(
        "Durée"
    )
    next_step(page)
    expect(page.get_by_label("Date de fin écrite")).to_have_value("2029-12-31")
    next_step(page)
    funding_step(
        page,
        [
            ContributionEntry(
                "Commune de Niort",
                "Budget communal",
                rule="Montant fixe par an",
                fields={
                    "Montant annuel": "12 000",
                    "Première année": "2027",
                    "Dernière année": "2029",
                },
            )
        ],
    )
    reporting_step(page, [("Bilan annuel", "Année", 15, "avril")])
    check_accessibility(page, "convention-etape-suivi")
    next_step(page)
    expect(page.get_by_role("heading", name="Récapitulatif")).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text("Article 2 — Durée")
    check_accessibility(page, "convention-recapitulatif")
    finish(page, "Convention de partenariat ISC 2027-2029")

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
