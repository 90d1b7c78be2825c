"""Flow 3: a local authority records a payment from a cell of the funding plan."""

import re

from playwright.sync_api import expect


def test_a_local_authority_records_a_payment_from_the_plan_and_sees_what_remains(
    page, login, check_accessibility
):
    login("ville.niort")
    page.get_by_role("link", name="Financements").click()
    expect(page.get_by_role("heading", name="Financements", level=1)).to_contain_text(
        "Financements"
    )
    check_accessibility(page, "financements")

    page.get_by_role("link", name="niort-2021").click()
    expect(page.get_by_role("heading", name="Plan de financement")).to_be_visible()
    plan = page.get_by_role("table", name="Plan de financement par année et par financeur")
    year_2023 = plan.get_by_role("row").filter(has=page.get_by_role("rowheader", name="2023"))
    city_2023 = year_2023.get_by_role("cell").filter(
        has=page.get_by_role("link", name="Saisir un versement de Commune de Niort pour 2023")
    )
    expect(city_2023).to_contain_text(re.compile(r"Reste\s*5\s000\s€"))
    # Niort's article 6 states no due date: still to pay, never « en retard ».
    expect(city_2023).to_contain_text("À verser")
    expect(city_2023).not_to_contain_text("En retard")
    total = plan.get_by_role("row").filter(has=page.get_by_role("rowheader", name="Total"))
    expect(total.get_by_role("cell").nth(3)).to_contain_text(re.compile(r"Reste\s*17\s675\s€"))
    check_accessibility(page, "plan-de-financement")

    city_2023.get_by_role("link", name="Saisir un versement de Commune de Niort pour 2023").click()
    expect(page.get_by_role("heading", name="Saisir un versement")).to_be_visible()
    check_accessibility(page, "versement-formulaire")
    page.get_by_label("Montant").fill("3 000")
    page.get_by_label("Référence").fill("Mandat 2023-118")
    page.get_by_role("button", name="Enregistrer le versement").click()

    expect(page.get_by_role("heading", name="Plan de financement")).to_be_visible()
    expect(city_2023).to_contain_text(re.compile(r"Versé\s*3\s000\s€"))
    expect(city_2023).to_contain_text(re.compile(r"Reste\s*2\s000\s€"))
    expect(total.get_by_role("cell").nth(3)).to_contain_text(re.compile(r"Reste\s*14\s675\s€"))
    payments = page.get_by_role("table", name="Versements enregistrés, par année")
    expect(payments.get_by_role("row").filter(has_text="Mandat 2023-118")).to_contain_text(
        "3 000 €"
    )
