"""What a person reads when a request is refused (found by make attack, README « L'attaque
rejouée en production »): Django's own pages are in English, without the site around them.

An object out of the user's scope answers 404: the page must say so in French, and
must not tell whether the object exists.
"""

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse

from config.legal import server_error

pytestmark = pytest.mark.django_db


def test_an_object_out_of_scope_is_a_french_page_that_does_not_say_it_exists(client, demo):
    client.force_login(demo.users["valparisis"])
    response = client.get(reverse("conventions:detail", args=[demo.niort.convention.reference]))
    assert response.status_code == 404
    page = response.content.decode()
    assert "Page introuvable" in page
    assert "n’existe pas, ou vous n’y avez pas accès" in page
    assert demo.niort.convention.title not in page


def test_an_action_the_role_may_not_do_is_refused_in_french(client, demo):
    client.force_login(demo.users["ville.niort"])
    # Importing the country's posts is the administrators' (a commune creates its own).
    response = client.get(reverse("conventions:posts_import"))
    assert response.status_code == 403
    assert "Accès refusé" in response.content.decode()


def test_a_form_of_too_many_fields_is_refused_in_french(client, demo):
    client.force_login(demo.users["admin"])
    # More fields than Django reads (DATA_UPLOAD_MAX_NUMBER_FIELDS): 400, before any view.
    fields = {f"parties-{index}-organisation": "1" for index in range(2001)}
    response = client.post(reverse("conventions:create"), fields)
    assert response.status_code == 400
    assert "Demande refusée" in response.content.decode()


def test_a_form_without_its_csrf_token_is_refused_in_french(demo):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(demo.users["admin"])
    response = browser.post(reverse("profile"), {})
    assert response.status_code == 403
    page = response.content.decode()
    assert "Formulaire expiré" in page
    assert "Rien n’a été enregistré" in page
    # In the site's layout, with the signed-in user's header: they are still signed in.
    assert "Se déconnecter" in page
    assert 'id="pied-de-page"' in page


@pytest.mark.parametrize(
    ("path", "code"),
    [
        ("/conventions/inexistante-0000/", "Erreur 404"),
        ("/conventions/postes/importer/", "Erreur 403"),
    ],
)
def test_an_error_page_names_its_error_and_offers_the_way_back(client, demo, path, code):
    client.force_login(demo.users["ville.niort"])
    page = client.get(path).content.decode()
    assert code in page
    assert 'href="/aide/"' in page  # help and contact
    assert 'class="fr-btn" href="/"' in page  # back to the dashboard


def test_the_server_error_page_is_french_in_the_sites_layout_without_the_database(
    django_assert_num_queries,
):
    # Rendered by handler500 from the settings alone: the database may be what failed.
    with django_assert_num_queries(0):
        response = server_error(RequestFactory().get("/conventions/"))
    page = response.content.decode()
    assert response.status_code == 500
    assert '<html lang="fr"' in page
    assert "Erreur du serveur" in page
    assert "République<br>Française" in page
    assert 'href="/accessibilite/"' in page
