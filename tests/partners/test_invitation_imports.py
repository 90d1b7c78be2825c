"""Inviting an organisation's users from a spreadsheet (issue #20, item 5): each row goes
through the invitation service; the mail leaves through a real SMTP server on loopback."""

import html
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from config.core import spreadsheets
from partners.enums import OrganisationKind, Role
from partners.invitation_imports import COLUMNS
from partners.models import User
from tests.partners.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

HEADER = [c.name for c in COLUMNS]


@pytest.fixture(autouse=True)
def mail_on_commit(django_capture_on_commit_callbacks, monkeypatch):
    original = Client.post

    def post(self, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return original(self, *args, **kwargs)

    monkeypatch.setattr(Client, "post", post)


@pytest.fixture
def ddsp(db):
    return OrganisationFactory(kind=OrganisationKind.POLICE, name="DDSP du Cher", departement="18")


@pytest.fixture
def referent(client, ddsp):
    user = UserFactory(organisation=ddsp, role=Role.DDSP_SECRETARIAT, is_referent=True)
    client.force_login(user)
    return user


def text(response):
    return html.unescape(re.sub(r"\s+", " ", response.content.decode()))


def preview(client, organisation, rows):
    file = SimpleUploadedFile("equipe.csv", spreadsheets.french_csv(HEADER, rows))
    response = client.post(
        reverse("partners:team_import", args=[organisation.pk]), {"fichier": file}
    )
    assert response.status_code == 302, text(response)[:3000]
    return response["Location"]


ROWS = [
    ["anne.durand@cher.example", "Anne", "Durand", "Secrétariat DDSP", "oui"],
    ["paul.morel@cher.example", "Paul", "Morel", "Partenaire (lecture)", ""],
]


def test_a_referent_invites_the_rows_of_a_file_on_confirmation(
    client, referent, ddsp, smtp_mailbox
):
    url = preview(client, ddsp, ROWS)
    assert "2 à créer, 0 à modifier, 0 inchangée, 0 en erreur." in text(client.get(url))
    assert not User.objects.filter(email__endswith="cher.example").exists()
    assert not smtp_mailbox.messages

    done = text(client.post(url, follow=True))
    assert "2 invitations envoyées, 0 compte déjà existant." in done
    anne = User.objects.get(email="anne.durand@cher.example")
    assert (anne.role, anne.is_referent, anne.is_active) == (Role.DDSP_SECRETARIAT, True, False)
    assert len(smtp_mailbox.bodies_to("paul.morel@cher.example")) == 1


def test_re_importing_the_same_file_sends_nothing(client, referent, ddsp, smtp_mailbox):
    client.post(preview(client, ddsp, ROWS))
    url = preview(client, ddsp, ROWS)
    assert "0 invitation envoyée, 2 comptes déjà existants." in text(client.post(url, follow=True))
    assert len(smtp_mailbox.messages) == 2


def test_a_role_not_offered_and_a_bad_address_are_refused_per_row(client, referent, ddsp):
    rows = [
        ["luc@cher.example", "Luc", "", "Collectivité", ""],
        ["pas-une-adresse", "", "", "Secrétariat DDSP", ""],
        ["eve@cher.example", "", "", "Secrétariat DDSP", "peut-être"],
    ]
    url = preview(client, ddsp, rows)
    page = text(client.get(url))
    assert "Rôle « Collectivité » non proposé pour cette organisation" in page
    assert "« courriel » : Saisissez une adresse de courriel valide." in page
    assert "« référent » : écrivez oui ou non (et non « peut-être »)." in page
    assert client.post(url).status_code == 400
    assert not User.objects.filter(email__endswith="cher.example").exists()


def test_an_address_of_another_organisation_is_refused(client, referent, ddsp):
    UserFactory(email="anne.durand@cher.example")
    page = text(client.get(preview(client, ddsp, ROWS[:1])))
    assert "Un compte existe déjà pour cette adresse." in page


def test_someone_who_does_not_manage_the_team_gets_404(client, ddsp):
    client.force_login(UserFactory(organisation=ddsp, role=Role.DDSP_SECRETARIAT))
    assert client.get(reverse("partners:team_import", args=[ddsp.pk])).status_code == 404


def test_a_referent_gives_no_role_above_their_own(client, db):
    commune = OrganisationFactory(name="Commune de Vierzon", departement="18")
    reader = UserFactory(organisation=commune, role=Role.READ_ONLY_PARTNER, is_referent=True)
    client.force_login(reader)
    rows = [["max@vierzon.example", "Max", "", "Collectivité", ""]]
    page = text(client.get(preview(client, commune, rows)))
    assert "« rôle » : Vous ne pouvez pas donner un rôle plus étendu que le vôtre" in page


def test_the_import_pages_read_a_pinned_number_of_queries(client, ddsp, django_assert_num_queries):
    client.force_login(UserFactory(admin=True))
    # 1 session, 2 user, 3 savepoint, 4 the organisation, 5 release.
    with django_assert_num_queries(5):
        client.get(reverse("partners:team_import", args=[ddsp.pk]))
    url = preview(client, ddsp, ROWS)
    # 1 session, 2 user, the page's savepoint, the organisation, then each row through
    # invitation_send in a transaction rolled back: the address looked up in the
    # organisation, then anywhere (e-mail, username), the organisation and the inviter
    # checked, the constraint checks, the insert of the waiting account; savepoints
    # around each write; the rollback, and the releases.
    with django_assert_num_queries(42):
        client.get(url)


def test_the_preview_is_worded_for_invitations(client, referent, ddsp):
    page = text(client.get(preview(client, ddsp, ROWS)))
    assert "<title>Vérifier les invitations à importer" in page
    upload_url = reverse("partners:team_import", args=[ddsp.pk])
    assert f'Équipe de {ddsp}</a> › <a href="{upload_url}">Importer des invitations</a>' in page
    assert "Envoyer les invitations</button>" in page
    assert '<th scope="col">Courriel</th>' in page
