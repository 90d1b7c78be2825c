"""Flow 4: the DDSP secretariat enters a quarter with the keyboard, is told next to the cell
that a partition does not add up, fixes it, submits, validates, then reopens with a reason."""

import datetime
import re

from django.utils import timezone
from playwright.sync_api import expect

from tests.e2e.statistics import cell, consistent_counts, grid_codes, type_column

QUARTERS = {1: "1er trimestre", 2: "2e trimestre", 3: "3e trimestre", 4: "4e trimestre"}
PARTITION_MESSAGE = (
    "La somme des lignes « Personnes nouvelles ou déjà connues » ({typed}) doit être égale à "
    "« Personnes rencontrées » ({total})."
)


def quarter_being_entered():
    """The quarter of the month just ended: never one the demo data has already filled."""
    month = timezone.localdate().replace(day=1) - datetime.timedelta(days=1)
    return month.year, (month.month - 1) // 3 + 1


def test_the_ddsp_secretariat_enters_submits_validates_and_reopens_a_quarter(
    page, login, check_accessibility
):
    year, quarter = quarter_being_entered()
    label = f"{QUARTERS[quarter]} {year}"
    months = [3 * quarter - 2, 3 * quarter - 1, 3 * quarter]
    first_month, second_month = months[:2]
    codes = grid_codes(year, first_month)
    counts = {month: consistent_counts(year, month) for month in months}
    first = counts[first_month]
    wrong_known = first["personnes_deja_connues"] + 1

    login("ddsp79")
    page.get_by_role("link", name="Statistiques").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Tableau de suivi")
    page.get_by_label("Année").select_option(str(year))
    page.get_by_role("button", name="Afficher").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Tableau de suivi des statistiques {year}"
    )
    check_accessibility(page, "statistiques-tableau-de-suivi")

    page.get_by_role("link", name=f"Rien de saisi — {label}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"ISC du commissariat de Niort — {label}"
    )
    check_accessibility(page, "statistiques-saisie-trimestre")

    # Keyboard only: from the first cell, Tab goes down a month's column, then the next one;
    # one count of the first month is wrong.
    cell(page, "Personnes rencontrées", year, first_month).focus()
    for month in months:
        expect(cell(page, "Personnes rencontrées", year, month)).to_be_focused()
        values = counts[month]
        if month == first_month:
            values = {**values, "personnes_deja_connues": wrong_known}
        type_column(page, [values[code] for code in codes])
    expect(page.get_by_label("Commentaire qualitatif du trimestre")).to_be_focused()

    # Told as soon as typed, next to the group, and again by the server on saving.
    message = PARTITION_MESSAGE.format(
        typed=first["personnes_nouvelles"] + wrong_known, total=first["personnes_rencontrees"]
    )
    known = cell(page, "Personnes déjà connues", year, first_month)
    expect(known).to_have_attribute("aria-invalid", "true")
    expect(known).to_have_accessible_description(re.compile(re.escape(message)))
    summary = page.get_by_role("status").filter(has_text="incohérence")
    expect(summary).to_have_text(
        "1 incohérence à corriger (voir les lignes « Contrôle »). "
        "Vous pouvez tout de même continuer la saisie."
    )
    # Saved as an incomplete draft: nothing typed is lost, a reload finds it, and the
    # problem stays next to its group until fixed.
    page.get_by_role("button", name="Enregistrer", exact=True).click()
    expect(page.get_by_role("status").filter(has_text="brouillon incomplet")).to_contain_text(
        "Saisie enregistrée comme brouillon incomplet"
    )
    page.reload()
    known = cell(page, "Personnes déjà connues", year, first_month)
    expect(known).to_have_value(str(wrong_known))
    expect(known).to_have_accessible_description(re.compile(re.escape(message)))
    expect(page.get_by_role("row", name="Contrôle").get_by_text(message)).to_be_visible()
    check_accessibility(page, "statistiques-saisie-trimestre-erreur")

    known.fill(str(first["personnes_deja_connues"]))
    expect(known).not_to_have_attribute("aria-invalid", "true")
    expect(summary).to_have_text("Aucune incohérence dans les chiffres saisis.")
    page.get_by_role("button", name="Enregistrer et transmettre le trimestre").click()
    expect(
        page.get_by_text(
            "Trimestre transmis au secrétariat de l'autorité fonctionnelle du poste (DDSP 79), "
            "qui le valide."
        )
    ).to_be_visible()
    expect(page.get_by_role("definition").filter(has_text="Transmis")).to_be_visible()

    page.get_by_role("button", name="Valider le trimestre").click()
    expect(page.get_by_role("definition").filter(has_text="Validé")).to_be_visible()
    expect(
        page.get_by_text("Ce trimestre est validé : les chiffres ne peuvent plus être modifiés")
    ).to_be_visible()
    expect(cell(page, "Personnes rencontrées", year, second_month)).to_be_disabled()
    expect(page.get_by_role("button", name="Enregistrer", exact=True)).to_have_count(0)
    check_accessibility(page, "statistiques-trimestre-valide")

    page.get_by_role("link", name="Rouvrir le trimestre pour correction…").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Rouvrir le {label}")
    page.get_by_role("button", name="Rouvrir le trimestre").click()
    reason_field = page.get_by_label("Motif de la réouverture")
    expect(reason_field).to_have_accessible_description(
        re.compile("Indiquez le motif de la réouverture.$")
    )
    check_accessibility(page, "statistiques-reouverture")
    reason = "Saisines du dernier mois comptées deux fois : correction demandée par l'ISC."
    reason_field.fill(reason)
    page.get_by_role("button", name="Rouvrir le trimestre").click()

    expect(page.get_by_role("definition").filter(has_text="En saisie")).to_be_visible()
    expect(cell(page, "Personnes rencontrées", year, second_month)).to_be_enabled()
    history = page.get_by_role("region", name="Historique du trimestre")
    expect(history.get_by_role("row").filter(has_text=reason)).to_contain_text("Rouvert")

    # Back on the board, the post's bilan of the year.
    page.get_by_role("link", name=f"← Tableau de suivi {year}").click()
    page.get_by_role("link", name=f"Bilan {year}", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("ISC du commissariat de Niort")
    check_accessibility(page, "statistiques-bilan")
