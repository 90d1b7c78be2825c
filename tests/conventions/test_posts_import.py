"""Importing posts and their sites from a spreadsheet (issue #20, item 5)."""

import html
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from config.core import spreadsheets
from conventions.enums import Force, SiteKind
from conventions.models import Post
from conventions.posts.imports import COLUMNS
from partners.enums import Role
from tests.partners.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

HEADER = [c.name for c in COLUMNS]


@pytest.fixture
def registry(db):
    return {
        "employer": OrganisationFactory(association=True, name="France Victimes 79"),
        "ddsp": OrganisationFactory(ddsp=True, name="DDSP des Deux-Sèvres"),
        "groupement": OrganisationFactory(groupement=True, name="Groupement des Deux-Sèvres"),
    }


@pytest.fixture
def admin(client):
    user = UserFactory(admin=True)
    client.force_login(user)
    return user


def site_row(post="ISC de Niort", site="Commissariat de Niort", **cells):
    values = {
        "intitulé": post,
        "département": "79",
        "ETP": "0,5",
        "employeur": "France Victimes 79",
        "type de site": "Commissariat",
        "nom du site": site,
        "force": "Police nationale",
        "autorité fonctionnelle": "DDSP des Deux-Sèvres",
        **cells,
    }
    return [values.get(name, "") for name in HEADER]


def brigade_row(post="ISC de Niort"):
    return site_row(
        post,
        "Brigade de Mauzé",
        **{
            "type de site": "Brigade de gendarmerie",
            "force": "Gendarmerie nationale",
            "autorité fonctionnelle": "Groupement des Deux-Sèvres",
        },
    )


def text(response):
    return html.unescape(re.sub(r"\s+", " ", response.content.decode()))


def preview(client, rows):
    file = SimpleUploadedFile("postes.csv", spreadsheets.french_csv(HEADER, rows))
    response = client.post(reverse("conventions:posts_import"), {"fichier": file})
    assert response.status_code == 302, text(response)[:3000]
    return response["Location"]


def test_a_mixed_post_is_created_with_its_two_sites_on_confirmation(client, admin, registry):
    url = preview(client, [site_row(), brigade_row()])
    assert "2 à créer, 0 à modifier, 0 inchangée, 0 en erreur." in text(client.get(url))
    assert not Post.objects.exists()
    assert "2 créés, 0 modifié, 0 inchangé." in text(client.post(url, follow=True))
    post = Post.objects.get()
    assert (post.name, str(post.fte), post.employer) == (
        "ISC de Niort",
        "0.50",
        registry["employer"],
    )
    assert [(s.kind, s.force, s.functional_authority) for s in post.sites.order_by("order")] == [
        (SiteKind.COMMISSARIAT, Force.POLICE, registry["ddsp"]),
        (SiteKind.GENDARMERIE_BRIGADE, Force.GENDARMERIE, registry["groupement"]),
    ]


def test_re_importing_the_same_file_changes_nothing(client, admin, registry):
    client.post(preview(client, [site_row(), brigade_row()]))
    version = Post.objects.get().version
    url = preview(client, [site_row(), brigade_row()])
    assert "0 créé, 0 modifié, 2 inchangés." in text(client.post(url, follow=True))
    assert Post.objects.get().version == version
    assert Post.objects.get().sites.count() == 2


def test_an_unknown_organisation_is_a_message_on_its_row(client, admin, registry):
    url = preview(client, [site_row(employeur="Association inconnue")])
    page = text(client.get(url))
    assert "Organisation inconnue dans « employeur » : « Association inconnue »." in page
    assert client.post(url).status_code == 400
    assert not Post.objects.exists()


def test_the_services_checks_apply_per_row(client, admin, registry):
    rows = [
        site_row("ISC A", **{"autorité fonctionnelle": "Groupement des Deux-Sèvres"}),
        site_row("ISC B", ETP="3"),
        site_row("ISC C", force="Marine"),
    ]
    page = text(client.get(preview(client, rows)))
    assert "l'autorité fonctionnelle d'un site de la police nationale est une organisation" in page
    assert "3 en erreur" in page
    assert "« Marine » n'est pas un choix de « force »" in page


def test_a_failing_post_leaves_the_other_posts_of_the_file_unwritten(client, admin, registry):
    url = preview(client, [site_row("ISC A"), site_row("ISC B", employeur="Inconnue")])
    client.post(url)
    assert not Post.objects.exists()


def test_only_administrators_import_posts(client, two_departements):
    client.force_login(two_departements["79"]["users"][Role.LOCAL_AUTHORITY])
    assert client.get(reverse("conventions:posts_import")).status_code == 403


def test_the_import_pages_read_a_pinned_number_of_queries(
    client, admin, registry, django_assert_num_queries
):
    # 1 session, 2 user, 3-4 savepoint and its release (the page's transaction).
    with django_assert_num_queries(4):
        client.get(reverse("conventions:posts_import"))
    url = preview(client, [site_row(), brigade_row()])
    # 1 session, 2 user, then the post of the two rows through the services, in a
    # transaction rolled back: its employer and authorities looked up (3), the post
    # looked up, checked and created with its history, its sites checked and created
    # with theirs; savepoints around each; 36 release of the page's savepoint.
    with django_assert_num_queries(36):
        client.get(url)


def test_the_preview_is_worded_for_posts(client, admin, registry):
    page = text(client.get(preview(client, [site_row()])))
    assert "<title>Vérifier l'import des postes" in page
    assert (
        f'Postes</a> › <a href="{reverse("conventions:posts_import")}">Importer des postes</a>'
        in page
    )
    assert "Confirmer l'import</button>" in page
    assert '<th scope="col">Poste — site</th>' in page
