"""The signed convention: a PDF checked by its content, served only to who may see it."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from partners.enums import Role
from tests.pdfs import ONE_PAGE_PDF

pytestmark = pytest.mark.django_db
PDF = ONE_PAGE_PDF


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def upload(client, convention, content, name="convention.pdf"):
    return client.post(
        reverse("conventions:upload_scan", args=[convention.reference]),
        {"scan": SimpleUploadedFile(name, content, content_type="application/pdf")},
    )


def download(client, convention):
    return client.get(reverse("conventions:scan", args=[convention.reference]))


@pytest.fixture
def uploaded(client, two_departements):
    world = two_departements["79"]
    client.force_login(world["users"][Role.LOCAL_AUTHORITY])
    upload(client, world["convention"], PDF)
    world["convention"].refresh_from_db()
    return world


def test_an_uploaded_pdf_is_stored_under_media_root(uploaded, media_root):
    stored = Path(uploaded["convention"].signed_scan.path)
    assert stored.is_relative_to(media_root)
    assert stored.read_bytes() == PDF


def test_a_partner_downloads_the_signed_pdf_as_an_attachment(client, uploaded):
    client.force_login(uploaded["users"][Role.READ_ONLY_PARTNER])
    response = download(client, uploaded["convention"])
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="convention-79-signee.pdf"'
    assert b"".join(response.streaming_content) == PDF


def test_a_user_of_the_other_departement_gets_404_on_download(client, uploaded, two_departements):
    client.force_login(two_departements["95"]["users"][Role.LOCAL_AUTHORITY])
    assert download(client, uploaded["convention"]).status_code == 404


def test_a_download_without_a_scan_is_404(client, two_departements):
    client.force_login(two_departements["79"]["users"][Role.LOCAL_AUTHORITY])
    assert download(client, two_departements["79"]["convention"]).status_code == 404


def test_it_rejects_a_file_that_is_not_a_pdf_whatever_its_name(client, two_departements):
    world = two_departements["79"]
    client.force_login(world["users"][Role.LOCAL_AUTHORITY])
    response = upload(client, world["convention"], b"GIF89a not a pdf", name="scan.pdf")
    assert "Ce fichier n&#x27;est pas un PDF." in response.content.decode()
    world["convention"].refresh_from_db()
    assert not world["convention"].signed_scan


def test_it_rejects_a_file_over_10_mb(client, two_departements):
    world = two_departements["79"]
    client.force_login(world["users"][Role.LOCAL_AUTHORITY])
    response = upload(client, world["convention"], PDF + b"0" * (10 * 1024 * 1024))
    assert "la limite est de 10 Mo" in response.content.decode()
    world["convention"].refresh_from_db()
    assert not world["convention"].signed_scan


def test_a_new_upload_replaces_the_previous_file(client, uploaded, media_root):
    first = Path(uploaded["convention"].signed_scan.path)
    upload(client, uploaded["convention"], PDF + b"% second\n")
    uploaded["convention"].refresh_from_db()
    second = Path(uploaded["convention"].signed_scan.path)
    assert second.read_bytes().endswith(b"% second\n")
    assert list(second.parent.iterdir()) == [second]
    assert first == second


def test_a_read_only_partner_may_not_upload(client, two_departements):
    world = two_departements["79"]
    client.force_login(world["users"][Role.READ_ONLY_PARTNER])
    assert upload(client, world["convention"], PDF).status_code == 403
