"""Flow 6: the social worker enters the month's figures of their own post, with the keyboard."""

import datetime

from django.utils import timezone
from playwright.sync_api import expect

from config.core.formats import MONTHS
from tests.e2e.statistics import consistent_counts, grid_codes, type_column


def test_the_social_worker_enters_the_month_figures_of_their_post(page, login, check_accessibility):
    # Figures are entered once the month is over: the page opens on the month just ended.
    month = timezone.localdate().replace(day=1) - datetime.timedelta(days=1)
    month_label = f"{MONTHS[month.month - 1].capitalize()} {month.year}"
    counts = consistent_counts(month.year, month.month)
    codes = grid_codes(month.year, month.month)

    login("intervenant.niort")
    page.get_by_role("link", name="Statistiques").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"ISC du commissariat de Niort — {month_label}"
    )
    expect(page.get_by_role("button", name="Valider le trimestre")).to_have_count(0)
    check_accessibility(page, "statistiques-saisie-mois")

    first = page.get_by_role("spinbutton", name=f"Personnes rencontrées {month_label}", exact=True)
    first.focus()
    type_column(page, [counts[code] for code in codes])
    expect(page.get_by_role("button", name="Enregistrer le mois")).to_be_focused()
    expect(page.get_by_role("status").filter(has_text="incohérence")).to_have_text(
        "Aucune incohérence dans les chiffres saisis."
    )
    page.keyboard.press("Enter")

    expect(page.get_by_text("Saisie enregistrée.")).to_be_visible()
    expect(first).to_have_value(str(counts["personnes_rencontrees"]))
    expect(page.get_by_role("spinbutton", name=f"Femmes {month_label}", exact=True)).to_have_value(
        str(counts["femmes"])
    )
    expect(page.get_by_role("definition").filter(has_text="En saisie")).to_be_visible()
