"""Accounts by invitation: the administrator invites an organisation's first referent, a
referent invites colleagues with the roles of the organisation's kind; the link, sent
through a real SMTP server on loopback, sets the password, works once and lasts 7 days."""

import datetime
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from partners.enums import OrganisationKind, Role
from partners.invitations import invitation_tokens, send_invitation
from partners.models import User
from tests.partners.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def mail_on_commit(django_capture_on_commit_callbacks, monkeypatch):
    """The invitation leaves once its transaction commits: run the test client's
    requests as if each one committed."""
    original = Client.post

    def post(self, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return original(self, *args, **kwargs)

    monkeypatch.setattr(Client, "post", post)


LINK = re.compile(r"https?://\S+/invitation/\S+/\S+/")


def invite(client, organisation, **fields):
    data = {"email": "claire.martin@bourges.example", "first_name": "Claire", "last_name": "Martin"}
    data |= fields
    return client.post(reverse("partners:team_invite", args=[organisation.pk]), data)


def the_link(mailbox, address="claire.martin@bourges.example"):
    *_, body = mailbox.bodies_to(address)
    return LINK.search(body).group()


def accept(client, link, password="une phrase de passe neuve"):
    return client.post(link, {"new_password1": password, "new_password2": password})


def test_the_administrator_invites_a_communes_first_referent_who_opens_her_account(
    client, smtp_mailbox
):
    commune = OrganisationFactory(name="Commune de Bourges", departement="18")
    client.force_login(UserFactory(admin=True))
    response = invite(client, commune, role=Role.LOCAL_AUTHORITY, is_referent="on")
    assert response.status_code == 302

    invited = User.objects.get(email="claire.martin@bourges.example")
    assert (invited.organisation, invited.role, invited.is_referent) == (
        commune,
        Role.LOCAL_AUTHORITY,
        True,
    )
    assert not invited.is_active  # nobody can log in before choosing a password
    (body,) = smtp_mailbox.bodies_to("claire.martin@bourges.example")
    assert "Commune de Bourges" in body
    assert "« Collectivité »" in body

    client.logout()
    link = the_link(smtp_mailbox)
    assert "Ouvrir votre compte" in client.get(link).content.decode()
    opened = accept(client, link)
    assert opened.url == reverse("dashboard")
    client.logout()
    login = client.post(
        "/connexion/",
        {"username": "claire.martin@bourges.example", "password": "une phrase de passe neuve"},
    )
    assert login.status_code == 302
    # The link has served.
    again = client.get(link)
    assert again.status_code == 404
    assert "Invitation expirée ou déjà utilisée" in again.content.decode()


def test_a_referent_invites_a_colleague_with_a_role_of_the_organisations_kind_only(
    client, smtp_mailbox
):
    ddsp = OrganisationFactory(ddsp=True)
    client.force_login(UserFactory(organisation=ddsp, role=Role.DDSP_SECRETARIAT, is_referent=True))
    page = client.get(reverse("partners:team_invite", args=[ddsp.pk])).content.decode()
    assert "Secrétariat DDSP" in page
    assert "Collectivité" not in page

    refused = invite(client, ddsp, role=Role.LOCAL_AUTHORITY)
    assert refused.status_code == 200
    assert "Sélectionnez un choix valide" in refused.content.decode()
    assert not User.objects.filter(email="claire.martin@bourges.example").exists()

    assert invite(client, ddsp, role=Role.DDSP_SECRETARIAT).status_code == 302
    assert User.objects.get(email="claire.martin@bourges.example").role == Role.DDSP_SECRETARIAT


def test_nobody_but_the_administrator_and_the_referent_of_the_organisation_sees_its_team(client):
    commune = OrganisationFactory()
    team = reverse("partners:team", args=[commune.pk])
    for outsider in (
        UserFactory(organisation=commune, role=Role.LOCAL_AUTHORITY),  # not referent
        UserFactory(referent=True),  # referent of another organisation
    ):
        client.force_login(outsider)
        assert client.get(team).status_code == 404
        assert invite(client, commune, role=Role.LOCAL_AUTHORITY).status_code == 404
    assert not User.objects.filter(email="claire.martin@bourges.example").exists()


def test_an_address_already_in_use_is_refused_next_to_the_field(client, smtp_mailbox):
    commune = OrganisationFactory()
    UserFactory(email="claire.martin@bourges.example")
    client.force_login(UserFactory(organisation=commune, referent=True))
    response = invite(client, commune, role=Role.LOCAL_AUTHORITY)
    assert response.status_code == 200
    assert "Un compte existe déjà pour cette adresse." in response.content.decode()
    assert smtp_mailbox.messages == []


def test_a_double_click_sends_one_invitation(client, smtp_mailbox):
    commune = OrganisationFactory()
    client.force_login(UserFactory(organisation=commune, referent=True))
    form = client.get(reverse("partners:team_invite", args=[commune.pk]))
    token = form.context["form"]["submission_token"].value()
    for _ in range(2):
        invite(client, commune, role=Role.LOCAL_AUTHORITY, submission_token=token)
    assert User.objects.filter(email="claire.martin@bourges.example").count() == 1
    assert len(smtp_mailbox.messages) == 1


def test_an_invitation_link_expires_after_seven_days(client, smtp_mailbox, monkeypatch):
    commune = OrganisationFactory()
    client.force_login(UserFactory(organisation=commune, referent=True))
    invite(client, commune, role=Role.LOCAL_AUTHORITY)
    link = the_link(smtp_mailbox)
    client.logout()
    later = datetime.datetime.now() + datetime.timedelta(days=7, hours=1)
    monkeypatch.setattr(invitation_tokens, "_now", lambda: later)
    response = accept(client, link)
    assert response.status_code == 404
    assert not User.objects.get(email="claire.martin@bourges.example").is_active


def test_resending_makes_the_first_link_useless_and_revoking_the_second(client, smtp_mailbox):
    commune = OrganisationFactory()
    referent = UserFactory(organisation=commune, referent=True)
    client.force_login(referent)
    invite(client, commune, role=Role.LOCAL_AUTHORITY)
    first = the_link(smtp_mailbox)
    invited = User.objects.get(email="claire.martin@bourges.example")
    action = "partners:team_member_action"
    resent = client.post(reverse(action, args=[commune.pk, invited.pk, "renvoyer"]), follow=True)
    assert "Une nouvelle invitation a été envoyée" in resent.content.decode()
    second = the_link(smtp_mailbox)
    assert first != second
    client.post(reverse(action, args=[commune.pk, invited.pk, "retirer"]))
    assert not User.objects.filter(pk=invited.pk).exists()

    client.logout()
    for link in (first, second):
        assert accept(client, link).status_code == 404
    assert not User.objects.filter(email="claire.martin@bourges.example").exists()


def test_a_tampered_link_opens_nothing(client, smtp_mailbox):
    commune = OrganisationFactory()
    client.force_login(UserFactory(organisation=commune, referent=True))
    invite(client, commune, role=Role.LOCAL_AUTHORITY)
    client.logout()
    tampered = the_link(smtp_mailbox)[:-4] + "abc/"
    assert accept(client, tampered).status_code == 404
    assert not User.objects.get(email="claire.martin@bourges.example").is_active


def test_a_referent_deactivates_a_colleague_who_can_no_longer_log_in(client):
    commune = OrganisationFactory()
    colleague = UserFactory(organisation=commune, role=Role.LOCAL_AUTHORITY, username="paul")
    client.force_login(UserFactory(organisation=commune, referent=True))
    client.post(
        reverse("partners:team_member_action", args=[commune.pk, colleague.pk, "desactiver"])
    )
    client.logout()
    response = client.post("/connexion/", {"username": "paul", "password": "convention-demo"})
    assert response.status_code == 200  # the login form again, with its error


def test_the_team_page_lists_accounts_and_waiting_invitations(
    client, smtp_mailbox, django_assert_num_queries
):
    commune = OrganisationFactory(kind=OrganisationKind.COMMUNE)
    referent = UserFactory(organisation=commune, referent=True, first_name="Anne", last_name="Roy")
    UserFactory.create_batch(3, organisation=commune, role=Role.LOCAL_AUTHORITY)
    client.force_login(referent)
    invite(client, commune, role=Role.LOCAL_AUTHORITY)
    # Session and user, the organisation, its accounts with who invited them.
    client.get(reverse("partners:team", args=[commune.pk]))  # the invitation's message shown
    # Session, user, the request's savepoint and its release, the organisation, the
    # user's organisation (header), the accounts with who invited them.
    with django_assert_num_queries(7):
        page = client.get(reverse("partners:team", args=[commune.pk]))
    content = page.content.decode()
    assert "Invitation envoyée" in content
    assert "par Anne Roy" in content
    assert content.count("Désactiver") == 3  # not on her own account


def test_an_invitation_task_late_after_a_resend_or_an_acceptance_sends_nothing(smtp_mailbox):
    # With a broker, an invitation's e-mail is a task that may run late: it carries the
    # account and the invitation's time, never the link, and sends nothing once the
    # invitation was resent (the newer task sends it) or accepted.
    invited = UserFactory(
        email="claire.martin@bourges.example", is_active=False, invited_at=timezone.now()
    )
    invited.set_unusable_password()
    invited.save()
    invited.refresh_from_db()
    earlier = (invited.invited_at - datetime.timedelta(minutes=5)).isoformat()

    assert send_invitation.delay(invited.pk, earlier).result is False
    assert send_invitation.delay(invited.pk, invited.invited_at.isoformat()).result is True
    invited.set_password("une phrase de passe neuve")
    invited.save()
    assert send_invitation.delay(invited.pk, invited.invited_at.isoformat()).result is False
    assert len(smtp_mailbox.bodies_to(invited.email)) == 1
