"""Importing organisations and their representatives from a spreadsheet (issue #20, item 5)."""

import html
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from config.core import spreadsheets
from config.devtools.demo.partners import demo_siret
from partners.enums import OrganisationKind, Role
from partners.imports import COLUMNS
from partners.models import Organisation, Representative
from tests.partners.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

HEADER = [c.name for c in COLUMNS]


def row(**cells):
    return [cells.get(name, "") for name in HEADER]


def commune(name="Commune de Melle", **extra):
    cells = {"code postal": "79500", "SIRET": demo_siret("217901740"), **extra}
    return row(nom=name, type="Commune", département="79", **cells)


def mayor(name="Commune de Melle", last="Durand"):
    return commune(
        name,
        **{
            "civilité du représentant": "Madame",
            "prénom du représentant": "Claire",
            "nom du représentant": last,
            "fonction du représentant": "Maire",
        },
    )


def csv_file(rows, header=HEADER):
    return SimpleUploadedFile("organisations.csv", spreadsheets.french_csv(header, rows))


@pytest.fixture
def admin(client):
    user = UserFactory(admin=True)
    client.force_login(user)
    return user


def upload(client, rows, header=HEADER):
    return client.post(reverse("partners:import"), {"fichier": csv_file(rows, header)})


def preview(client, rows):
    response = upload(client, rows)
    assert response.status_code == 302, text(response)[:3000]
    return response["Location"]


def text(response):
    return html.unescape(re.sub(r"\s+", " ", response.content.decode()))


def test_organisations_and_representatives_are_created_on_confirmation_only(client, admin):
    url = preview(client, [mayor(), commune("Commune de Chef-Boutonne")])
    page = text(client.get(url))
    assert "2 à créer, 0 à modifier, 0 inchangée, 0 en erreur." in page
    assert not Organisation.objects.exists()

    done = text(client.post(url, follow=True))
    assert "2 créés, 0 modifié, 0 inchangé." in done
    melle = Organisation.objects.get(name="Commune de Melle")
    assert melle.kind == OrganisationKind.COMMUNE
    assert [(r.civility, r.last_name, r.title) for r in melle.representatives.all()] == [
        ("Mme", "Durand", "Maire")
    ]


def test_re_importing_the_same_file_changes_nothing(client, admin):
    client.post(preview(client, [mayor()]))
    versions = list(Organisation.objects.values_list("version", flat=True))
    url = preview(client, [mayor()])
    assert "0 à créer, 0 à modifier, 1 inchangée" in text(client.get(url))
    assert "0 créé, 0 modifié, 1 inchangé." in text(client.post(url, follow=True))
    assert list(Organisation.objects.values_list("version", flat=True)) == versions
    assert Representative.objects.count() == 1


def test_a_known_organisation_is_completed_by_filled_cells_never_emptied(client, admin):
    existing = OrganisationFactory(
        name="COMMUNE DE MELLE", kind=OrganisationKind.COMMUNE, departement="79", city="Melle"
    )
    client.post(preview(client, [mayor("Commune de Melle", last="Petit")]))
    existing.refresh_from_db()
    assert existing.city == "Melle"
    assert existing.postal_code == "79500"
    assert existing.representatives.get().last_name == "Petit"
    assert Organisation.objects.count() == 1


def test_each_bad_row_gets_its_french_message_and_nothing_is_written(client, admin):
    rows = [
        mayor(),
        commune("Asso", **{"SIRET": "12345678901234"}),
        commune("Commune de Brioux", **{"RNA": "W791000001"}),
        row(nom="Inconnue", type="Planète", département="79"),
        row(nom="Sans département", type="Commune"),
    ]
    url = preview(client, rows)
    page = text(client.get(url))
    assert "« SIRET » : Ce SIRET n'est pas valide" in page
    assert "Seule une association a un numéro RNA" in page
    assert "Type inconnu « Planète » : écrivez l'un des types de la feuille « Types »" in page
    assert "« département » : Ce champ ne peut pas être vide." in page
    assert "4 en erreur" in page
    response = client.post(url)
    assert response.status_code == 400
    assert not Organisation.objects.exists()


def test_a_formula_and_a_duplicate_row_are_refused(client, admin):
    url = preview(client, [mayor(), mayor(), commune('=HYPERLINK("x")')])
    page = text(client.get(url))
    assert "Ligne en double : identique à la ligne 2." in page
    # The CSV writer neutralises « = » with a quote; typed as is, it is refused.
    assert "1 à créer" in page or "2 à créer" in page


def test_a_typed_formula_is_refused(client, admin):
    content = "\ufeff" + ";".join(HEADER) + "\r\n=1+1;Commune;79" + ";" * (len(HEADER) - 3)
    file = SimpleUploadedFile("o.csv", content.encode())
    response = client.post(reverse("partners:import"), {"fichier": file})
    page = text(client.get(response["Location"]))
    assert "Formule refusée dans « nom »" in page


def test_missing_columns_are_named_in_french(client, admin):
    response = upload(client, [["Melle"]], header=["nom"])
    assert response.status_code == 400
    assert "colonnes manquantes : « type », « département »" in text(response)


def test_only_administrators_import_organisations(client, two_departements):
    client.force_login(two_departements["79"]["users"][Role.LOCAL_AUTHORITY])
    assert client.get(reverse("partners:import")).status_code == 403
    assert client.get(reverse("partners:template_csv")).status_code == 403


def test_the_filled_template_imports_as_is(client, admin):
    content = client.get(reverse("partners:template_xlsx")).content
    file = SimpleUploadedFile("modele.xlsx", content)
    response = client.post(reverse("partners:import"), {"fichier": file})
    page = text(client.get(response["Location"]))
    assert "1 à créer, 0 à modifier, 0 inchangée, 0 en erreur." in page


def test_the_partner_list_offers_the_import_to_administrators(client, admin):
    assert reverse("partners:import") in client.get(reverse("partners:list")).content.decode()


def test_the_import_pages_read_a_pinned_number_of_queries(client, admin, django_assert_num_queries):
    # 1 session, 2 user, 3-4 savepoint and its release (the page's transaction).
    with django_assert_num_queries(4):
        client.get(reverse("partners:import"))
    url = preview(client, [mayor(), commune("Commune de Chef-Boutonne")])
    # 1 session, 2 user, 3 the page's savepoint, then each row runs the services of the
    # forms in a transaction rolled back: the organisation looked up, its near-duplicate,
    # the constraint checks, the insert and its history row, then for the first row its
    # representative looked up, checked and inserted with its history; savepoints
    # around each write; the rollback, and the releases.
    with django_assert_num_queries(47):
        client.get(url)


def test_a_csv_saved_by_an_older_excel_in_windows_1252_is_imported_with_its_accents(client, admin):
    # Excel's « CSV (séparateur : point-virgule) » before 2016: Windows-1252, no byte
    # order mark; the header itself has accents (« département », « civilité… »).
    cells = mayor("Commune de Génolhac", last="Lefèvre")
    content = ";".join(HEADER) + "\r\n" + ";".join(cells) + "\r\n"
    file = SimpleUploadedFile("organisations.csv", content.encode("cp1252"))
    response = client.post(reverse("partners:import"), {"fichier": file})
    assert response.status_code == 302, text(response)[:3000]
    assert "1 à créer" in text(client.get(response["Location"]))

    client.post(response["Location"])

    organisation = Organisation.objects.get()
    assert organisation.name == "Commune de Génolhac"
    assert organisation.representatives.get().last_name == "Lefèvre"


def test_the_preview_is_worded_for_organisations(client, admin):
    page = text(client.get(preview(client, [mayor()])))
    assert "<title>Vérifier l'import des organisations" in page
    assert "<h1>Vérifier l'import des organisations</h1>" in page
    assert (
        f'Partenaires</a> › <a href="{reverse("partners:import")}">Importer des organisations</a>'
        in page
    )
    assert "Confirmer l'import</button>" in page
    assert '<th scope="col">Organisation</th>' in page
