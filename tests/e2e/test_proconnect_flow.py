"""ProConnect in a real browser: the login page's button, the provider's sign-in (a real
OpenID Connect provider on loopback, tests/proconnect/fixtures.py), back on the
dashboard; an e-mail without an account gets the page that explains how to be invited."""

from playwright.sync_api import expect

from partners.models import User
from tests.partners.factories import UserFactory
from tests.proconnect.fixtures import KNOWN_AGENT, PROVIDER_PASSWORD, UNKNOWN_AGENT


def sign_in_with_proconnect(page, username):
    page.goto("/connexion/")
    page.get_by_role("link", name="S’identifier avec ProConnect").click()
    expect(page.get_by_role("heading", name="Fournisseur d’identité de test")).to_be_visible()
    page.get_by_label("Identifiant du fournisseur").fill(username)
    page.get_by_label("Mot de passe du fournisseur").fill(PROVIDER_PASSWORD)
    page.get_by_role("button", name="Se connecter au fournisseur").click()
    page.wait_for_load_state()


def test_an_invited_agent_logs_in_with_proconnect(
    page, live_server, proconnect, check_accessibility
):
    UserFactory(
        username="camille.agent",
        first_name="Camille",
        last_name="Agent",
        email="agent.connu@interieur.gouv.fr",
    )
    page.goto("/connexion/")
    expect(page.get_by_role("link", name="Qu’est-ce que ProConnect ?")).to_be_visible()
    check_accessibility(page, "connexion-proconnect")

    sign_in_with_proconnect(page, KNOWN_AGENT["username"])

    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.get_by_role("button", name="Se déconnecter")).to_be_visible()


def test_an_unknown_agent_is_told_how_to_be_invited(
    page, live_server, proconnect, browser_errors, check_accessibility
):
    users_before = User.objects.count()

    sign_in_with_proconnect(page, UNKNOWN_AGENT["username"])

    expect(
        page.get_by_role("heading", name="Aucun compte actif pour cette adresse")
    ).to_be_visible()
    expect(page.get_by_text("demandez au référent de votre organisation")).to_be_visible()
    # The page is a 403: Chromium reports the status in the console, nothing else may.
    browser_errors[:] = [error for error in browser_errors if "status of 403" not in error]
    check_accessibility(page, "proconnect-sans-compte")
    page.goto("/")
    expect(page).to_have_url(f"{live_server.url}/connexion/?next=/")
    assert User.objects.count() == users_before
