"""The pages a French public service must publish, linked from every page's footer and
readable without an account; the State's identity block only for a State operator."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

FOOTER_PAGES = [
    pytest.param("accessibility", "Déclaration d'accessibilité", "non conforme", id="RGAA"),
    pytest.param("legal_notice", "Mentions légales", "Éditeur", id="legal notice"),
    pytest.param(
        "personal_data", "Données personnelles", "Aucune donnée sur les personnes", id="RGPD"
    ),
    pytest.param("help", "Aide et contact", "Obtenir un compte", id="help"),
]


@pytest.mark.parametrize(("name", "title", "text"), FOOTER_PAGES)
def test_a_footer_page_is_public_and_linked_from_the_login_page(client, name, title, text):
    login = client.get(reverse("login")).content.decode()
    assert f'href="{reverse(name)}"' in login

    response = client.get(reverse(name))

    assert response.status_code == 200
    page = response.content.decode()
    assert f"<h1>{title}</h1>" in page
    assert text in page


def test_the_personal_data_page_says_how_long_form_traces_are_kept(client, settings):
    settings.SUBMISSION_RETENTION_DAYS = 45
    page = client.get(reverse("personal_data")).content.decode()
    assert "45 jours" in page


def test_the_legal_notice_names_the_operator_from_the_settings(client, settings):
    settings.OPERATOR_NAME = "Communauté d'agglomération de Démonstration"
    settings.CONTACT_EMAIL = "iscg@agglo.example"
    page = client.get(reverse("legal_notice")).content.decode()
    assert "Communauté d&#x27;agglomération de Démonstration" in page
    assert "mailto:iscg@agglo.example" in page


@pytest.mark.parametrize(
    ("state_operator", "shown"),
    [
        pytest.param(True, True, id="a State service shows Marianne's block"),
        pytest.param(False, False, id="another operator keeps the components without it"),
    ],
)
def test_the_state_identity_block_follows_the_setting(client, settings, state_operator, shown):
    settings.STATE_OPERATOR = state_operator
    page = client.get(reverse("login")).content.decode()
    assert ('<p class="fr-logo">' in page) is shown
    assert "fr-header__service-title" in page
