"""Flow 7 (start): every demo account logs in, sees its dashboard, logs out."""

import pytest

DEMO_ACCOUNTS = [
    ("admin", "Administrateur"),
    ("ville.niort", "Collectivité"),
    ("ddsp79", "Secrétariat DDSP"),
    ("fv79", "Coordination employeur"),
    ("intervenant.niort", "Intervenant social"),
    ("valparisis", "Collectivité"),
    ("ddsp95", "Secrétariat DDSP"),
    ("prefecture79", "Partenaire (lecture)"),
]


def test_the_login_page_is_accessible(page, check_accessibility):
    page.goto("/")
    assert page.url.endswith("/connexion/?next=/")
    check_accessibility(page, "connexion")


def test_a_wrong_password_is_told_in_french(page, login):
    login("ville.niort", "pas-le-bon-mot-de-passe")
    assert page.get_by_text(
        "Saisissez un nom d’utilisateur et un mot de passe valides"
    ).is_visible()


@pytest.mark.parametrize("username,role", DEMO_ACCOUNTS)
def test_each_demo_account_reaches_its_dashboard_and_logs_out(
    page, login, check_accessibility, username, role
):
    login(username)
    assert page.get_by_role("heading", name="Tableau de bord").is_visible()
    assert page.get_by_text(role, exact=False).first.is_visible()
    check_accessibility(page, f"tableau-de-bord-{username}")
    page.get_by_role("button", name="Se déconnecter").click()
    page.wait_for_url("**/connexion/")
    assert page.get_by_role("heading", name="Connexion").is_visible()
