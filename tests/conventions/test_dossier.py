"""A convention's complete file as one ZIP (issue #22 item 5): every document, every
signed scan and proof deposited, the deliberations, and a manifest with each file's
date and SHA-256; scoped like the convention."""

import csv
import datetime
import hashlib
import io
import zipfile
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from pypdf import PdfReader

from config.core.documents import PdfRenderError
from conventions.agreements.services import convention_attach_scan
from conventions.funding.services import payment_attach_proof
from conventions.models import SignedScanVersion
from partners.enums import Role
from tests.conventions.factories import (
    AmendmentFactory,
    ArticleFactory,
    ContributionFactory,
    CouncilFactory,
    DeliberationFactory,
    PaymentFactory,
)
from tests.pdfs import ONE_PAGE_PDF

pytestmark = pytest.mark.django_db

SCAN = ONE_PAGE_PDF + b"% signed scan\n"
NEW_SCAN = ONE_PAGE_PDF + b"% signed scan, second deposit\n"
PROOF = ONE_PAGE_PDF + b"% proof\n"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def stand_in_pdfs(monkeypatch):
    """Drawing the documents for real takes seconds each; one test below does. Each
    stand-in's bytes say which document it is, so that a test can tell them apart."""
    monkeypatch.setattr(
        "conventions.dossier.contents.render_convention_pdf",
        lambda convention, consolidated: f"%PDF convention consolidated={consolidated}".encode(),
    )
    monkeypatch.setattr(
        "conventions.dossier.contents.render_amendment_pdf",
        lambda amendment: f"%PDF avenant {amendment.number}".encode(),
    )
    monkeypatch.setattr(
        "conventions.dossier.contents.render_deliberation_pdf",
        lambda deliberation: f"%PDF deliberation {deliberation.number}".encode(),
    )


@pytest.fixture
def world(two_departements):
    """Deux-Sèvres' convention as the demo's Niort one: signed, an article, an amendment,
    a signed scan deposited twice, the commune's deliberation approving it, and a paid
    contribution with its proof."""
    world = two_departements["79"]
    convention = world["convention"]
    commune = world["users"][Role.LOCAL_AUTHORITY].organisation
    convention.parties.update(signed_on=datetime.date(2021, 10, 12))
    ArticleFactory(convention=convention, number=1, title="Objet", body="Un poste d'ISCG.")
    AmendmentFactory(convention=convention, number=1, signed_on=datetime.date(2024, 3, 1))
    convention_attach_scan(convention=convention, scan=ContentFile(SCAN, name="a.pdf"))
    convention_attach_scan(convention=convention, scan=ContentFile(NEW_SCAN, name="b.pdf"))
    first, second = convention.scan_versions.order_by("pk")
    # Deposited on two days (in Paris: 12:00 summer time, 10:30 winter time).
    first.uploaded_at = datetime.datetime(2024, 4, 2, 10, 0, tzinfo=datetime.UTC)
    second.uploaded_at = datetime.datetime(2025, 1, 15, 9, 30, tzinfo=datetime.UTC)
    SignedScanVersion.objects.bulk_update([first, second], ["uploaded_at"])
    council = CouncilFactory(organisation=commune)
    world["deliberation"] = DeliberationFactory(
        council=council,
        number="D-2021-313",
        session_date=datetime.date(2021, 9, 20),
        conventions=[convention],
    )
    world["contribution"] = ContributionFactory(convention=convention, organisation=commune)
    world["payment"] = PaymentFactory(
        contribution=world["contribution"], year=2022, date=datetime.date(2022, 6, 15)
    )
    payment_attach_proof(payment=world["payment"], proof=ContentFile(PROOF, name="p.pdf"))
    world["commune"] = commune
    return world


def download(client, user, convention):
    client.force_login(user)
    return client.get(reverse("conventions:dossier", args=[convention.reference]))


def dossier_of(client, world, role=Role.LOCAL_AUTHORITY):
    response = download(client, world["users"][role], world["convention"])
    assert response.status_code == 200
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def manifest(archive) -> list[dict]:
    text = archive.read("manifeste.csv").decode("utf-8")
    assert text.startswith("\ufeff"), "UTF-8 with a byte order mark, like the other exports"
    return list(csv.DictReader(io.StringIO(text[1:]), delimiter=";"))


def test_the_dossier_holds_each_document_in_its_folder(client, world, stand_in_pdfs):
    archive = dossier_of(client, world)
    first, second = "20240402-120000", "20250115-103000"
    assert archive.namelist() == [
        "01-convention/convention-initiale.pdf",
        "01-convention/convention-consolidee.pdf",
        f"01-convention/convention-signee-{first}.pdf",
        f"01-convention/convention-signee-{second}.pdf",
        "02-avenants/avenant-01.pdf",
        "03-deliberations/2021-09-20-commune-79-d-2021-313.pdf",
        "04-paiements/2022-commune-79-verse-le-2022-06-15.pdf",
        "manifeste.csv",
    ]
    assert archive.read("01-convention/convention-initiale.pdf") == (
        b"%PDF convention consolidated=False"
    )
    assert archive.read(f"01-convention/convention-signee-{first}.pdf") == SCAN
    assert archive.read(f"01-convention/convention-signee-{second}.pdf") == NEW_SCAN
    assert archive.read("04-paiements/2022-commune-79-verse-le-2022-06-15.pdf") == PROOF


def test_the_manifest_lists_every_file_once_with_the_sha256_of_its_bytes_and_its_date(
    client, world, stand_in_pdfs
):
    archive = dossier_of(client, world)
    rows = manifest(archive)
    files = [name for name in archive.namelist() if name != "manifeste.csv"]
    assert [row["Fichier"] for row in rows] == files
    for row in rows:
        content = archive.read(row["Fichier"])
        assert row["SHA-256"] == hashlib.sha256(content).hexdigest(), row["Fichier"]
        assert row["Taille (octets)"] == str(len(content))
        assert row["Observation"] == ""
    by_path = {row["Fichier"]: row for row in rows}
    assert by_path["01-convention/convention-initiale.pdf"]["Date"] == "12/10/2021"
    assert by_path["02-avenants/avenant-01.pdf"]["Document"] == "Avenant n° 1"
    assert by_path["02-avenants/avenant-01.pdf"]["Date"] == "01/03/2024"
    deliberation = by_path["03-deliberations/2021-09-20-commune-79-d-2021-313.pdf"]
    assert deliberation["Date"] == "20/09/2021"
    assert "D-2021-313" in deliberation["Document"]
    proof = by_path["04-paiements/2022-commune-79-verse-le-2022-06-15.pdf"]
    assert proof["Date"] == "15/06/2022"
    assert proof["Document"] == "Justificatif du versement du 15/06/2022 (Commune 79, année 2022)"
    scans = [row for row in rows if "convention-signee" in row["Fichier"]]
    assert [row["Document"].endswith("(version remplacée)") for row in scans] == [True, False]
    assert [row["Déposé le"] for row in scans] == ["02/04/2024 12:00", "15/01/2025 10:30"]
    assert [row["Date"] for row in scans] == ["02/04/2024", "15/01/2025"]


def test_the_zip_entries_are_dated_by_their_documents(client, world, stand_in_pdfs):
    archive = dossier_of(client, world)
    dates = {info.filename: info.date_time[:3] for info in archive.infolist()}
    assert dates["01-convention/convention-initiale.pdf"] == (2021, 10, 12)
    assert dates["02-avenants/avenant-01.pdf"] == (2024, 3, 1)
    assert dates["03-deliberations/2021-09-20-commune-79-d-2021-313.pdf"] == (2021, 9, 20)
    assert dates["01-convention/convention-signee-20250115-103000.pdf"] == (2025, 1, 15)


def test_two_downloads_of_an_unchanged_dossier_are_the_same_bytes(client, world, stand_in_pdfs):
    user = world["users"][Role.READ_ONLY_PARTNER]
    first = b"".join(download(client, user, world["convention"]).streaming_content)
    second = b"".join(download(client, user, world["convention"]).streaming_content)
    assert first == second


def test_the_dossier_downloads_as_a_zip_named_after_the_reference(client, world, stand_in_pdfs):
    response = download(client, world["users"][Role.READ_ONLY_PARTNER], world["convention"])
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"] == 'attachment; filename="dossier-convention-79.zip"'


def test_a_user_of_another_organisation_gets_404(client, world, two_departements, stand_in_pdfs):
    other = two_departements["95"]["users"][Role.LOCAL_AUTHORITY]
    assert download(client, other, world["convention"]).status_code == 404


def test_a_deliberation_not_linked_to_the_convention_is_left_out(client, world, stand_in_pdfs):
    # The same council's other act, on another subject: in the reader's scope (their own
    # organisation's), but no part of this convention's file.
    DeliberationFactory(council=world["deliberation"].council, number="D-2021-400")
    names = dossier_of(client, world).namelist()
    assert [name for name in names if name.startswith("03-deliberations/")] == [
        "03-deliberations/2021-09-20-commune-79-d-2021-313.pdf"
    ]


def test_a_file_missing_from_storage_is_reported_in_the_manifest(
    client, world, stand_in_pdfs, media_root
):
    (Path(media_root) / world["payment"].proof_versions.get().file.name).unlink()
    archive = dossier_of(client, world)
    row = next(row for row in manifest(archive) if row["Fichier"].startswith("04-paiements/"))
    assert row["Observation"] == "fichier introuvable"
    assert row["SHA-256"] == row["Taille (octets)"] == ""
    assert row["Fichier"] not in archive.namelist()


def test_a_stored_file_changed_since_its_deposit_is_reported_in_the_manifest(
    client, world, stand_in_pdfs, media_root
):
    stored = Path(media_root) / world["payment"].proof_versions.get().file.name
    stored.write_bytes(PROOF + b"% altered\n")
    row = next(
        row for row in manifest(dossier_of(client, world)) if row["Fichier"].startswith("04-")
    )
    assert row["Observation"] == "empreinte différente de celle enregistrée au dépôt"


def test_a_document_that_fails_to_render_gives_the_french_error_page_not_a_partial_zip(
    client, world, stand_in_pdfs, monkeypatch
):
    def fail(amendment):
        raise PdfRenderError("boom")

    monkeypatch.setattr("conventions.dossier.contents.render_amendment_pdf", fail)
    response = download(client, world["users"][Role.LOCAL_AUTHORITY], world["convention"])
    assert response.status_code == 503
    assert "Le document PDF n’a pas pu être produit" in response.content.decode()


def test_the_convention_page_links_to_the_dossier(client, world):
    client.force_login(world["users"][Role.READ_ONLY_PARTNER])
    page = client.get(reverse("conventions:detail", args=[world["convention"].reference]))
    url = reverse("conventions:dossier", args=[world["convention"].reference])
    assert f'href="{url}">Télécharger le dossier complet (ZIP)' in page.content.decode()


# Queries: the session, the user, the savepoint, the reader's organisation (scope) (4);
# the convention (1), then what for_detail() prefetches (20): parties, their
# organisations, their representatives, associated partners, legal references, articles,
# annexes, amendments, their article changes, contribution changes, party changes and new
# contributions, renewals, reporting rules, committee members, sections with their posts,
# the posts' sites and holders, the conventions renewing it, linked deliberations (a
# level under an empty one, such as the associated partners' organisations, costs
# nothing); the scan versions (1); the payments with their funders and payers, their
# proof versions (2); the deliberations, their secretaries, attendances, decisions and
# conventions (5); each of its three drawn PDFs (the convention initial and amended, the
# avenant) looked up among the stored layouts, then kept (savepoint, insert, release:
# 3 × 4); the savepoint's release (1).
STORED_LAYOUTS = 3 * 4
DOSSIER_QUERIES = 4 + 1 + 20 + 1 + 2 + 5 + STORED_LAYOUTS + 1


def test_the_dossier_runs_a_fixed_number_of_queries_and_its_pdfs_read_back(
    client, world, django_assert_num_queries
):
    client.force_login(world["users"][Role.LOCAL_AUTHORITY])
    url = reverse("conventions:dossier", args=[world["convention"].reference])
    with django_assert_num_queries(DOSSIER_QUERIES):
        response = client.get(url)
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    initial = PdfReader(io.BytesIO(archive.read("01-convention/convention-initiale.pdf")))
    first_page = initial.pages[0].extract_text()
    assert "INTERVENANT SOCIAL EN COMMISSARIAT" in first_page
    assert "Réf. convention-79" in first_page
    assert "PROJET" not in first_page  # signed by every party: the text as signed
    amendment = PdfReader(io.BytesIO(archive.read("02-avenants/avenant-01.pdf")))
    assert "AVENANT N° 1" in amendment.pages[0].extract_text()


def test_more_payments_and_proofs_add_no_query(
    client, world, stand_in_pdfs, django_assert_num_queries
):
    for day in (1, 2, 3):
        payment = PaymentFactory(
            contribution=world["contribution"], year=2023, date=datetime.date(2023, 2, day)
        )
        payment_attach_proof(payment=payment, proof=ContentFile(PROOF, name="p.pdf"))
    client.force_login(world["users"][Role.LOCAL_AUTHORITY])
    url = reverse("conventions:dossier", args=[world["convention"].reference])
    # The PDFs stand in (stand_in_pdfs): no stored layout is looked up.
    with django_assert_num_queries(DOSSIER_QUERIES - STORED_LAYOUTS):
        response = client.get(url)
    names = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))).namelist()
    assert len([name for name in names if name.startswith("04-paiements/")]) == 4
