"""A forgotten password, from the login page: the link comes by e-mail (through a real
SMTP server on loopback), works once, and the page says the same whatever the address."""

import re

import pytest

from tests.partners.factories import UserFactory

pytestmark = pytest.mark.django_db

LINK = re.compile(r"https?://\S+/mot-de-passe-oublie/\S+/\S+/")


def log_in(client, username, password):
    return client.post("/connexion/", {"username": username, "password": password})


def ask_for_a_link(client, address):
    return client.post("/mot-de-passe-oublie/", {"email": address})


def test_the_login_page_offers_a_new_password(client):
    assert 'href="/mot-de-passe-oublie/"' in client.get("/connexion/").content.decode()


def test_a_forgotten_password_is_replaced_through_the_link_received_by_email(
    client, smtp_mailbox, django_capture_on_commit_callbacks
):
    UserFactory(username="agent.bourges", email="agent@ville-bourges.example")
    # The e-mail is a task, asked for once the request's transaction commits.
    with django_capture_on_commit_callbacks(execute=True):
        response = ask_for_a_link(client, "Agent@Ville-Bourges.example")
    assert response.status_code == 302
    assert response.url == "/mot-de-passe-oublie/envoye/"

    (body,) = smtp_mailbox.bodies_to("agent@ville-bourges.example")
    assert "« agent.bourges »" in body
    link = LINK.search(body).group()
    form = client.get(link, follow=True)
    assert "Choisir un nouveau mot de passe" in form.content.decode()
    done = client.post(
        form.redirect_chain[-1][0],
        {
            "new_password1": "une phrase de passe neuve",
            "new_password2": "une phrase de passe neuve",
        },
    )
    assert done.url == "/mot-de-passe-oublie/termine/"

    assert log_in(client, "agent.bourges", "une phrase de passe neuve").status_code == 302
    # The link has served: it no longer changes anything.
    client.logout()
    again = client.get(link, follow=True).content.decode()
    assert "Lien expiré ou déjà utilisé" in again


def test_the_answer_is_the_same_for_an_unknown_address_and_no_mail_leaves(
    client, smtp_mailbox, django_capture_on_commit_callbacks
):
    UserFactory(email="agent@ville-bourges.example")
    with django_capture_on_commit_callbacks(execute=True):
        known = ask_for_a_link(client, "agent@ville-bourges.example")
        unknown = ask_for_a_link(client, "personne@inconnu.example")
    assert (unknown.status_code, unknown.url) == (known.status_code, known.url)
    assert smtp_mailbox.bodies_to("personne@inconnu.example") == []
    assert len(smtp_mailbox.bodies_to("agent@ville-bourges.example")) == 1


def test_a_tampered_link_changes_nothing_and_says_so_in_french(
    client, smtp_mailbox, django_capture_on_commit_callbacks
):
    user = UserFactory(email="agent@ville-bourges.example")
    with django_capture_on_commit_callbacks(execute=True):
        ask_for_a_link(client, "agent@ville-bourges.example")
    (body,) = smtp_mailbox.bodies_to("agent@ville-bourges.example")
    tampered = LINK.search(body).group()[:-3] + "xx/"
    page = client.get(tampered, follow=True).content.decode()
    assert "Lien expiré ou déjà utilisé" in page
    user.refresh_from_db()
    assert user.check_password("convention-demo")
