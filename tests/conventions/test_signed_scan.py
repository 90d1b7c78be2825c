"""The signed convention: a PDF checked by its content, served only to who may see it."""

import datetime
import hashlib
import importlib
import re
from pathlib import Path

import pytest
from django.apps import apps as django_apps
from django.contrib import admin
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError
from django.urls import reverse

from conventions.agreements.services import convention_attach_scan
from conventions.models import Convention, SignedScanVersion
from partners.enums import Role
from tests.pdfs import ONE_PAGE_PDF

pytestmark = pytest.mark.django_db
PDF = ONE_PAGE_PDF
SECOND = ONE_PAGE_PDF + b"% second\n"


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


def test_each_upload_is_stored_under_a_new_unguessable_name_of_our_own(client, uploaded):
    convention = uploaded["convention"]
    name = convention.signed_scan.name
    assert re.fullmatch(
        rf"conventions/{convention.pk}/signee-\d{{8}}-\d{{6}}-[0-9a-f]{{16}}\.pdf", name
    )
    upload(client, convention, SECOND, name="convention.pdf")
    convention.refresh_from_db()
    assert convention.signed_scan.name != name
    assert "convention.pdf" not in convention.signed_scan.name


def test_a_new_upload_keeps_the_previous_file_and_becomes_the_current_version(
    client, uploaded, media_root
):
    convention = uploaded["convention"]
    first = Path(convention.signed_scan.path)
    upload(client, convention, SECOND)
    convention.refresh_from_db()
    second = Path(convention.signed_scan.path)
    assert first != second
    assert first.read_bytes() == PDF
    assert second.read_bytes() == SECOND
    assert b"".join(download(client, convention).streaming_content) == SECOND
    versions = list(convention.scan_versions.all())
    assert [v.file.name for v in versions] == [
        second.relative_to(media_root).as_posix(),
        first.relative_to(media_root).as_posix(),
    ]
    assert versions[0].sha256 == hashlib.sha256(SECOND).hexdigest()
    assert versions[0].uploaded_by == uploaded["users"][Role.LOCAL_AUTHORITY]


def test_the_storage_never_overwrites_a_file_even_when_the_name_comes_out_the_same(
    client, uploaded, monkeypatch
):
    convention = uploaded["convention"]
    first = Path(convention.signed_scan.path)
    monkeypatch.setattr("secrets.token_hex", lambda n: first.stem.rsplit("-", 1)[1])
    stamp = datetime.datetime.strptime(first.stem[7:22], "%Y%m%d-%H%M%S").replace(
        tzinfo=datetime.UTC
    )
    monkeypatch.setattr("django.utils.timezone.now", lambda: stamp)
    upload(client, convention, SECOND)
    convention.refresh_from_db()
    second = Path(convention.signed_scan.path)
    assert second != first
    assert second.name.startswith(f"{first.stem}_")  # Django's get_available_name suffix
    assert first.read_bytes() == PDF


def test_every_version_is_listed_newest_first_on_the_convention_page(client, uploaded):
    convention = uploaded["convention"]
    upload(client, convention, SECOND)
    older, newer = reversed(convention.scan_versions.all())
    content = client.get(convention.get_absolute_url()).content.decode()
    newer_url = reverse("conventions:scan_version", args=[convention.reference, newer.pk])
    older_url = reverse("conventions:scan_version", args=[convention.reference, older.pk])
    assert content.index(newer_url) < content.index(older_url)
    assert "(en cours)" in content
    assert newer.sha256[:16] in content


def test_a_previous_version_is_downloaded_by_who_may_see_the_convention(
    client, uploaded, two_departements
):
    convention = uploaded["convention"]
    upload(client, convention, SECOND)
    older = convention.scan_versions.last()
    url = reverse("conventions:scan_version", args=[convention.reference, older.pk])
    client.force_login(uploaded["users"][Role.READ_ONLY_PARTNER])
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == PDF
    client.force_login(two_departements["95"]["users"][Role.LOCAL_AUTHORITY])
    assert client.get(url).status_code == 404


def test_a_version_is_not_found_under_another_conventions_reference(
    client, uploaded, two_departements
):
    version = uploaded["convention"].scan_versions.get()
    other = two_departements["95"]["convention"]
    client.force_login(uploaded["users"][Role.LOCAL_AUTHORITY])
    url = reverse("conventions:scan_version", args=[other.reference, version.pk])
    assert client.get(url).status_code == 404


@pytest.mark.parametrize(
    "content", [b"GIF89a not a pdf", PDF + b"0" * (10 * 1024 * 1024)], ids=["not_pdf", "too_large"]
)
def test_a_refused_upload_leaves_the_current_scan_in_place_and_writes_nothing(
    client, uploaded, media_root, content
):
    convention = uploaded["convention"]
    before = sorted(media_root.rglob("*.pdf"))
    upload(client, convention, content)
    convention.refresh_from_db()
    assert sorted(media_root.rglob("*.pdf")) == before
    assert convention.scan_versions.count() == 1
    assert b"".join(download(client, convention).streaming_content) == PDF


@pytest.mark.parametrize("failing", [SignedScanVersion, Convention])
def test_a_transaction_failing_after_the_file_is_written_leaves_an_orphan_not_a_loss(
    client, uploaded, media_root, monkeypatch, failing
):
    convention = uploaded["convention"]
    current = convention.signed_scan.name

    def broken_save(*args, **kwargs):
        raise DatabaseError("disque plein")

    monkeypatch.setattr(failing, "save", broken_save)
    with pytest.raises(DatabaseError):
        convention_attach_scan(
            convention=convention,
            scan=SimpleUploadedFile("s.pdf", SECOND, "application/pdf"),
            uploaded_by=None,
        )
    monkeypatch.undo()
    convention.refresh_from_db()
    assert convention.signed_scan.name == current
    assert convention.scan_versions.count() == 1
    assert b"".join(download(client, convention).streaming_content) == PDF
    written = [p for p in media_root.rglob("*.pdf") if p.read_bytes() == SECOND]
    assert len(written) == 1  # the orphan that clean_orphan_uploads removes a day later


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


def test_a_read_only_partner_may_not_upload(client, two_departements):
    world = two_departements["79"]
    client.force_login(world["users"][Role.READ_ONLY_PARTNER])
    assert upload(client, world["convention"], PDF).status_code == 403


def test_the_admin_has_no_page_for_scan_versions_so_none_is_ever_deleted_there():
    assert SignedScanVersion not in admin.site._registry


def test_a_convention_with_a_deposited_scan_cannot_be_deleted_from_the_admin(
    client, uploaded, admin_user
):
    convention = uploaded["convention"]
    client.force_login(admin_user)
    url = reverse("admin:conventions_convention_delete", args=[convention.pk])
    client.post(url, {"post": "yes"})
    assert Convention.objects.filter(pk=convention.pk).exists()
    assert convention.scan_versions.count() == 1
    assert Path(convention.signed_scan.path).exists()


def test_the_migration_records_each_scan_deposited_before_versions_existed(
    two_departements, media_root
):
    convention = two_departements["79"]["convention"]
    convention.signed_scan.save("signee.pdf", ContentFile(PDF), save=True)
    migration = importlib.import_module("conventions.migrations.0011_signed_scan_versions")
    migration.record_existing_scans(django_apps, None)
    version = convention.scan_versions.get()
    assert version.file.name == convention.signed_scan.name
    assert version.sha256 == hashlib.sha256(PDF).hexdigest()
    assert version.uploaded_by is None
