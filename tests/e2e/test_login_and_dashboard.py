"""Flow 7: every demo account logs in, finds its deadlines on its dashboard, logs out."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

CITY_UNPAID_PAYMENT = "Commune de Niort — 2023 : reste 5 000 € à verser (niort-2021)"
QUARTERS = {1: "1er trimestre", 2: "2e trimestre", 3: "3e trimestre", 4: "4e trimestre"}


def quarter_being_entered():
    """The quarter of the month just ended, the one the social worker is entering."""
    month = timezone.localdate().replace(day=1) - datetime.timedelta(days=1)
    return f"{QUARTERS[(month.month - 1) // 3 + 1]} {month.year}"


# (username, role shown in the header, {section: items it lists, whatever the date}).
DEMO_ACCOUNTS = [
    (
        "admin",
        "Administrateur",
        {
            "Postes par département": [],
            "Conventions arrivant à échéance dans les 6 mois": [],
            "Financements dus et non versés": [CITY_UNPAID_PAYMENT],
        },
    ),
    (
        "ville.niort",
        "Collectivité",
        {
            "Prochaines échéances des conventions": [],
            "Financements dus et non versés": [CITY_UNPAID_PAYMENT],
            "Délibérations à transmettre au contrôle de légalité": [
                "Délibération D-2021-313 du 20/09/2021 non transmise en préfecture"
            ],
        },
    ),
    (
        "ddsp79",
        "Secrétariat DDSP",
        {
            "Bilans dus dans les 30 jours": [],
            "Réunions annuelles de bilan": [],
            "Trimestres transmis à valider": [],
            "Trimestres en retard": [],
        },
    ),
    (
        "fv79",
        "Coordination employeur",
        {
            "Financements dus et non versés": [CITY_UNPAID_PAYMENT],
            "Statistiques à saisir et transmettre": ["ISC du commissariat de Niort"],
        },
    ),
    (
        "intervenant.niort",
        "Intervenant social",
        {"Statistiques à saisir et transmettre": ["{quarter} — ISC du commissariat de Niort"]},
    ),
    (
        "valparisis",
        "Collectivité",
        {
            "Prochaines échéances des conventions": [],
            "Délibérations à transmettre au contrôle de légalité": [],
        },
    ),
    (
        "ddsp95",
        "Secrétariat DDSP",
        {"Trimestres en retard": [], "Bilans dus dans les 30 jours": []},
    ),
    ("prefecture79", "Partenaire (lecture)", {"Conventions en vigueur": []}),
    (
        "pilotage79",
        "Pilotage départemental (préfecture)",
        {"Pilotage du département": [], "Conventions en vigueur": []},
    ),
]


def test_the_login_page_is_accessible(page, check_accessibility):
    page.goto("/")
    assert page.url.endswith("/connexion/?next=/")
    check_accessibility(page, "connexion")


def test_a_wrong_password_is_told_in_french(page, login):
    login("ville.niort", "pas-le-bon-mot-de-passe")
    expect(
        page.get_by_text("Saisissez un nom d’utilisateur et un mot de passe valides")
    ).to_be_visible()


@pytest.mark.parametrize(
    "username,role,sections", DEMO_ACCOUNTS, ids=[account[0] for account in DEMO_ACCOUNTS]
)
def test_each_demo_account_finds_its_deadlines_on_its_dashboard_and_logs_out(
    page, login, check_accessibility, username, role, sections
):
    login(username)
    expect(page.get_by_role("heading", name="Tableau de bord", level=1)).to_be_visible()
    expect(page.get_by_role("banner")).to_contain_text(role)
    for title, items in sections.items():
        section = page.get_by_role("region", name=title)
        expect(section.get_by_role("heading", name=title, level=2)).to_be_visible()
        for item in items:
            text = item.format(quarter=quarter_being_entered())
            expect(section.get_by_role("listitem").filter(has_text=text).first).to_be_visible()
    check_accessibility(page, f"tableau-de-bord-{username}")

    page.get_by_role("button", name="Se déconnecter").click()
    page.wait_for_url("**/connexion/")
    expect(page.get_by_role("heading", name="Connexion")).to_be_visible()
    page.goto("/")
    expect(page).to_have_url("/connexion/?next=/")
