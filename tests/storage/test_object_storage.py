"""Uploaded files on S3-compatible object storage (issue #24): stored in the bucket,
private, read back through the views that check access, in the dossier, the orphan
clean-up and the backup. Against a real S3 API server on loopback (conftest.py)."""

import datetime
import io
import logging
import tarfile
import zipfile

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from conventions.agreements.services import convention_attach_scan
from conventions.funding.services import payment_attach_proof
from conventions.models import Convention
from partners.enums import Role
from partners.management.commands.backup_database import write_archive
from tests.conventions.factories import ContributionFactory, PaymentFactory
from tests.images import PNG_LOGO
from tests.partners.factories import OrganisationFactory, UserFactory
from tests.pdfs import ONE_PAGE_PDF
from tests.smtp import free_port
from tests.storage.conftest import PREFIX, settings_run_with

pytestmark = pytest.mark.django_db

SCAN = ONE_PAGE_PDF + b"% signed scan\n"
PROOF = ONE_PAGE_PDF + b"% payment proof\n"
PUBLIC_GROUPS = (
    "http://acs.amazonaws.com/groups/global/AllUsers",
    "http://acs.amazonaws.com/groups/global/AuthenticatedUsers",
)


def key(name: str) -> str:
    return f"{PREFIX}/{name}"


def content(response) -> bytes:
    return b"".join(response.streaming_content)


@pytest.fixture
def world(two_departements):
    dep = two_departements["79"]
    convention = dep["convention"]
    state = next(p.organisation for p in convention.parties.all() if p.organisation.kind == "etat")
    contribution = ContributionFactory(convention=convention, organisation=state)
    payment = PaymentFactory(contribution=contribution, year=2022, date=datetime.date(2022, 6, 15))
    return {**dep, "payment": payment, "stranger": two_departements["95"]["users"]}


def upload_scan(client, world):
    client.force_login(world["users"][Role.LOCAL_AUTHORITY])
    response = client.post(
        reverse("conventions:upload_scan", args=[world["convention"].reference]),
        {"scan": SimpleUploadedFile("convention.pdf", SCAN, "application/pdf")},
    )
    assert response.status_code == 302
    world["convention"].refresh_from_db()
    return world["convention"].signed_scan.name


def upload_proof(client, world):
    client.force_login(world["users"][Role.LOCAL_AUTHORITY])
    response = client.post(
        reverse("conventions:payment_proofs", args=[world["payment"].pk]),
        {"proof": SimpleUploadedFile("avis de paiement.pdf", PROOF, "application/pdf")},
    )
    assert response.status_code == 302
    world["payment"].refresh_from_db()
    return world["payment"].proof.name


# Settings -------------------------------------------------------------------------------


def test_without_a_bucket_the_uploads_stay_on_the_disk():
    assert settings_run_with({"S3_BUCKET_NAME": ""}).STORAGES["default"] == {
        "BACKEND": "django.core.files.storage.FileSystemStorage"
    }


def test_with_a_bucket_uploads_are_private_never_overwritten_and_under_the_prefix(
    s3_storage_settings,
):
    assert s3_storage_settings["BACKEND"] == "storages.backends.s3.S3Storage"
    options = s3_storage_settings["OPTIONS"]
    assert options["default_acl"] is None
    assert options["file_overwrite"] is False
    assert options["querystring_expire"] <= 60
    assert options["location"] == PREFIX


# Signed scans ---------------------------------------------------------------------------


def test_a_signed_scan_uploaded_on_its_page_is_stored_in_the_bucket(client, world, bucket):
    name = upload_scan(client, world)
    assert name.startswith(f"conventions/{world['convention'].pk}/signee-")
    assert bucket.object_keys() == [key(name)]
    assert bucket.read(key(name)) == SCAN


def test_the_signed_scan_in_the_bucket_downloads_through_the_checked_view(client, world, bucket):
    upload_scan(client, world)
    client.force_login(world["users"][Role.READ_ONLY_PARTNER])
    response = client.get(reverse("conventions:scan", args=[world["convention"].reference]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="convention-79-signee.pdf"'
    assert content(response) == SCAN


def storage_gone(settings):
    """The storage of the test pointed at a port where nothing answers (a provider down)."""
    default = settings.STORAGES["default"]
    options = {**default["OPTIONS"], "endpoint_url": f"http://127.0.0.1:{free_port()}"}
    settings.STORAGES = {**settings.STORAGES, "default": {**default, "OPTIONS": options}}


def test_a_storage_that_does_not_answer_gets_the_french_page_not_a_server_error(
    client, world, bucket, settings
):
    name = upload_scan(client, world)
    storage_gone(settings)
    client.raise_request_exception = False
    download = client.get(reverse("conventions:scan", args=[world["convention"].reference]))
    assert download.status_code == 503
    assert "Les fichiers sont momentanément indisponibles" in download.content.decode()
    upload = client.post(
        reverse("conventions:upload_scan", args=[world["convention"].reference]),
        {"scan": SimpleUploadedFile("nouvelle.pdf", SCAN, "application/pdf")},
    )
    assert upload.status_code == 503
    world["convention"].refresh_from_db()
    assert world["convention"].signed_scan.name == name  # what was saved is kept


def test_a_user_of_another_departement_gets_404_on_a_scan_in_the_bucket(client, world, bucket):
    upload_scan(client, world)
    client.force_login(world["stranger"][Role.LOCAL_AUTHORITY])
    response = client.get(reverse("conventions:scan", args=[world["convention"].reference]))
    assert response.status_code == 404


def test_an_upload_under_a_name_already_taken_never_replaces_the_stored_file(bucket):
    first = default_storage.save("conventions/1/same.pdf", ContentFile(b"first"))
    second = default_storage.save("conventions/1/same.pdf", ContentFile(b"second"))
    assert first != second
    assert (bucket.read(key(first)), bucket.read(key(second))) == (b"first", b"second")


def test_stored_files_grant_nothing_to_the_public(client, world, bucket):
    name = upload_scan(client, world)
    grants = bucket.client.get_object_acl(Bucket=bucket.name, Key=key(name))["Grants"]
    assert not [g for g in grants if g["Grantee"].get("URI") in PUBLIC_GROUPS]


# Payment proofs -------------------------------------------------------------------------


def test_a_payment_proof_uploaded_on_its_page_is_stored_in_the_bucket(client, world, bucket):
    name = upload_proof(client, world)
    assert name.startswith("financements/versements/")
    assert "avis" not in name  # never the name the user sent
    assert bucket.object_keys() == [key(name)]
    assert bucket.read(key(name)) == PROOF


def test_the_proof_in_the_bucket_downloads_through_the_checked_view(client, world, bucket):
    upload_proof(client, world)
    client.force_login(world["users"][Role.READ_ONLY_PARTNER])
    response = client.get(reverse("conventions:payment_proof", args=[world["payment"].pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert content(response) == PROOF


def test_a_user_of_another_departement_gets_404_on_a_proof_in_the_bucket(client, world, bucket):
    upload_proof(client, world)
    client.force_login(world["stranger"][Role.LOCAL_AUTHORITY])
    response = client.get(reverse("conventions:payment_proof", args=[world["payment"].pk]))
    assert response.status_code == 404


def test_a_signed_convention_is_validated_without_reading_its_scan_back(world, bucket, caplog):
    # Every service that edits the convention runs full_clean(): the stored scan was
    # checked when it was deposited, and reading it again would be a download each time.
    convention = world["convention"]
    scan = convention_attach_scan(convention=convention, scan=ContentFile(SCAN, name="a.pdf"))
    convention = Convention.objects.get(pk=convention.pk)
    with caplog.at_level(logging.INFO, logger="werkzeug"):
        convention.full_clean()
    requests = [r.getMessage() for r in caplog.records if r.name == "werkzeug"]
    assert not [line for line in requests if scan.file.name in line]


# Logos ----------------------------------------------------------------------------------


def test_a_logo_in_the_bucket_is_shown_through_the_checked_view(client, bucket):
    organisation = OrganisationFactory(letterhead=True)
    assert bucket.object_keys() == [key(organisation.logo.name)]
    client.force_login(UserFactory(organisation=organisation, role=Role.READ_ONLY_PARTNER))
    response = client.get(reverse("partners:logo", args=[organisation.pk]))
    assert response.status_code == 200
    assert response.content == PNG_LOGO


def test_the_admin_links_a_logo_in_the_bucket_through_its_checked_view(client, admin_user, bucket):
    organisation = OrganisationFactory(letterhead=True)
    client.force_login(admin_user)
    page = client.get(reverse("admin:partners_organisation_change", args=[organisation.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert f'href="{reverse("partners:logo", args=[organisation.pk])}"' in text
    assert bucket.name not in text


# What reads every file ------------------------------------------------------------------


def test_the_dossier_holds_the_scan_and_the_proof_read_from_the_bucket(
    client, world, bucket, monkeypatch
):
    # The drawn documents are not this test's subject: stand-ins, as in test_dossier.py.
    for name in ("render_convention_pdf", "render_amendment_pdf", "render_deliberation_pdf"):
        monkeypatch.setattr(f"conventions.dossier.contents.{name}", lambda *a, **k: b"%PDF")
    upload_scan(client, world)
    upload_proof(client, world)
    client.force_login(world["users"][Role.READ_ONLY_PARTNER])
    response = client.get(reverse("conventions:dossier", args=[world["convention"].reference]))
    assert response.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(content(response)))
    scans = [n for n in archive.namelist() if n.startswith("01-convention/convention-signee-")]
    proofs = [n for n in archive.namelist() if n.startswith("04-paiements/")]
    assert [archive.read(n) for n in scans + proofs] == [SCAN, PROOF]
    assert "introuvable" not in archive.read("manifeste.csv").decode()


def run_clean_orphan_uploads(monkeypatch, *, days_later: int) -> str:
    """The command as cron would run it ``days_later`` days from now."""
    now = timezone.now() + datetime.timedelta(days=days_later)
    out = io.StringIO()
    with monkeypatch.context() as patch:
        patch.setattr(timezone, "now", lambda: now)
        call_command("clean_orphan_uploads", "--delete", stdout=out)
    return out.getvalue()


def test_clean_orphan_uploads_deletes_only_the_old_orphans_of_the_bucket(
    world, bucket, monkeypatch
):
    convention = world["convention"]
    first = convention_attach_scan(convention=convention, scan=ContentFile(SCAN, name="a.pdf"))
    current = convention_attach_scan(
        convention=convention, scan=ContentFile(b"% 2\n" + SCAN, name="b.pdf")
    )
    proof = payment_attach_proof(payment=world["payment"], proof=ContentFile(PROOF, name="p.pdf"))
    bucket.put(key("financements/versements/abandoned.pdf"), ONE_PAGE_PDF)
    referenced = [key(v.file.name) for v in (first, current, proof)]

    assert "0 fichier(s) orphelin(s) supprimé(s)." in run_clean_orphan_uploads(
        monkeypatch, days_later=0
    )
    assert key("financements/versements/abandoned.pdf") in bucket.object_keys()

    output = run_clean_orphan_uploads(monkeypatch, days_later=2)
    assert "supprimé : financements/versements/abandoned.pdf" in output
    assert "1 fichier(s) orphelin(s) supprimé(s)." in output
    assert bucket.object_keys() == sorted(referenced)


def test_the_backup_archives_every_file_of_the_bucket(client, world, bucket, tmp_path):
    # The archive's writing, given a database file: the dump itself and its restoration
    # are tests/security/test_backup.py's (a transactional test, the dump reads commits).
    scan, proof = upload_scan(client, world), upload_proof(client, world)
    database = tmp_path / "database.sqlite3"
    database.write_bytes(b"stand-in")
    write_archive(tmp_path / "backup.tar.gz", database)
    with tarfile.open(tmp_path / "backup.tar.gz") as archive:
        files = {
            member.name: archive.extractfile(member).read()
            for member in archive.getmembers()
            if member.name.startswith("media/")
        }
    assert files == {f"media/{scan}": SCAN, f"media/{proof}": PROOF}
