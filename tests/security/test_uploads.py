"""Uploads: PDF only (read from the content), 10 MB at most, stored under MEDIA_ROOT outside
the static files, downloaded only through the access check, as an attachment.

The signed scan's page is covered rule by rule in tests/conventions/test_signed_scan.py;
here are the payment proof's rules, the paths that bypass the page (the admin, the
model), and the settings both rely on.
"""

import datetime
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError
from django.test import Client
from django.urls import Resolver404, resolve, reverse

from config import settings as project_settings
from config.core.uploads import CappedUploadHandler
from conventions.funding.services import payment_record
from conventions.models import Convention, Payment
from partners.enums import Role
from tests.conventions.factories import ContributionFactory, PaymentFactory
from tests.pdfs import ONE_PAGE_PDF

pytestmark = pytest.mark.django_db
PDF = ONE_PAGE_PDF
TEN_MB = 10 * 1024 * 1024


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def world(two_departements):
    world = two_departements["79"]
    commune = world["convention"].parties.get(organisation__name="Commune 79").organisation
    world["contribution"] = ContributionFactory(
        convention=world["convention"], organisation=commune, amount=Decimal("5000")
    )
    return world


def post_payment(client, world, proof):
    contribution = world["contribution"]
    url = reverse("conventions:payment_create", args=[world["convention"].reference])
    return client.post(
        f"{url}?contribution={contribution.pk}&annee=2022",
        {
            "date": "2022-05-17",
            "amount": "5000",
            "payer": contribution.organisation_id,
            "proof": proof,
        },
    )


@pytest.fixture
def editor(client, world):
    client.force_login(world["users"][Role.LOCAL_AUTHORITY])
    return client


# The payment proof ----------------------------------------------------------------------


def test_a_proof_over_10_mb_is_refused_next_to_the_field(editor, world):
    big = SimpleUploadedFile("avis.pdf", PDF + b"0" * TEN_MB, "application/pdf")
    response = post_payment(editor, world, big)
    assert "Le justificatif dépasse 10 Mo" in response.content.decode()
    assert not Payment.objects.exists()


def test_a_proof_named_pdf_but_holding_something_else_is_refused(editor, world):
    fake = SimpleUploadedFile("avis.pdf", b"<html>not a pdf</html>", "application/pdf")
    response = post_payment(editor, world, fake)
    assert "Ce fichier n&#x27;est pas un PDF." in response.content.decode()
    assert not Payment.objects.exists()


def test_a_file_that_only_starts_like_a_pdf_is_refused(editor, world):
    fake = SimpleUploadedFile("avis.pdf", b"%PDF-1.7\n<script>alert(1)</script>", "application/pdf")
    response = post_payment(editor, world, fake)
    assert "Ce fichier n&#x27;est pas un PDF." in response.content.decode()
    assert not Payment.objects.exists()


def test_an_upload_over_the_cap_is_refused_with_its_real_size_and_nothing_kept(
    editor, world, media_root
):
    big = SimpleUploadedFile("avis.pdf", PDF + b"0" * (TEN_MB + TEN_MB // 2), "application/pdf")
    response = post_payment(editor, world, big)
    assert "Le justificatif dépasse 10 Mo (15,0 Mo)" in response.content.decode()
    assert not any(path.is_file() for path in media_root.rglob("*"))


def test_a_proof_is_stored_under_media_root(editor, world, media_root):
    post_payment(editor, world, SimpleUploadedFile("avis.pdf", PDF, "application/pdf"))
    stored = Path(Payment.objects.get().proof.path)
    assert stored.is_relative_to(media_root)
    assert stored.read_bytes() == PDF


def test_each_proof_gets_a_new_unguessable_name_never_the_uploaded_one(editor, world):
    for _ in range(2):
        post_payment(editor, world, SimpleUploadedFile("avis.pdf", PDF, "application/pdf"))
    names = [p.proof.name for p in Payment.objects.order_by("pk")]
    assert len(set(names)) == 2
    for name in names:
        assert re.fullmatch(r"financements/versements/[0-9a-f]{32}\.pdf", name)


def test_a_payment_failing_after_its_proof_is_written_leaves_an_orphan_file_and_no_row(
    world, media_root, monkeypatch
):
    original_save = Payment.save

    def save_then_fail(self, *args, **kwargs):
        original_save(self, *args, **kwargs)
        if self.proof:  # the save that points the payment at its proof, once written
            raise DatabaseError("disque plein")

    monkeypatch.setattr(Payment, "save", save_then_fail)
    contribution = world["contribution"]
    with pytest.raises(DatabaseError):
        payment_record(
            contribution=contribution,
            year=2022,
            date=datetime.date(2022, 5, 17),
            amount=Decimal("5000"),
            payer=contribution.organisation,
            proof=SimpleUploadedFile("avis.pdf", PDF, "application/pdf"),
        )
    assert not Payment.objects.exists()
    # Left for clean_orphan_uploads, a day later.
    assert [p.read_bytes() for p in media_root.rglob("*.pdf")] == [PDF]


def test_a_proof_replaced_in_the_admin_keeps_its_file(world):
    payment = PaymentFactory(
        contribution=world["contribution"],
        year=2022,
        proof=SimpleUploadedFile("avis.pdf", PDF, "application/pdf"),
    )
    first = Path(payment.proof.path)
    payment.proof = SimpleUploadedFile("avis.pdf", PDF + b"% new\n", "application/pdf")
    payment.save()
    assert first.read_bytes() == PDF
    assert Path(payment.proof.path) != first


def test_a_proof_is_downloaded_as_an_attachment_by_who_may_see_the_convention(
    client, world, two_departements
):
    payment = PaymentFactory(
        contribution=world["contribution"],
        year=2022,
        proof=SimpleUploadedFile("avis.pdf", PDF, "application/pdf"),
    )
    url = reverse("conventions:payment_proof", args=[payment.pk])
    client.force_login(world["users"][Role.READ_ONLY_PARTNER])
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="versement-{payment.pk}.pdf"'
    assert response["Content-Type"] == "application/pdf"
    client.force_login(two_departements["95"]["users"][Role.READ_ONLY_PARTNER])
    assert client.get(url).status_code == 404


def test_the_admin_refuses_a_proof_that_is_not_a_pdf(world, admin_user):
    payment = PaymentFactory(contribution=world["contribution"], year=2022)
    client = Client()
    client.force_login(admin_user)
    url = reverse("admin:conventions_payment_change", args=[payment.pk])
    response = client.post(
        url,
        {
            "contribution": payment.contribution_id,
            "year": 2022,
            "date": "2022-06-01",
            "amount": "1000",
            "payer": payment.payer_id,
            "reference": "",
            "proof": SimpleUploadedFile("avis.pdf", b"GIF89a", "application/pdf"),
        },
    )
    assert response.status_code == 200
    assert "Ce fichier n&#x27;est pas un PDF." in response.content.decode()
    payment.refresh_from_db()
    assert not payment.proof


# The signed scan, whatever the path ------------------------------------------------------


def test_the_model_refuses_a_signed_scan_that_is_not_a_pdf(world):
    convention = world["convention"]
    convention.signed_scan = SimpleUploadedFile("scan.pdf", b"GIF89a", "application/pdf")
    with pytest.raises(ValidationError) as error:
        convention.full_clean()
    assert "Ce fichier n'est pas un PDF." in error.value.message_dict["signed_scan"][0]


def test_the_model_refuses_a_signed_scan_over_10_mb(world):
    convention = world["convention"]
    convention.signed_scan = SimpleUploadedFile("scan.pdf", PDF + b"0" * TEN_MB)
    with pytest.raises(ValidationError) as error:
        convention.full_clean()
    assert "la limite est de 10 Mo" in error.value.message_dict["signed_scan"][0]


def test_the_admin_offers_no_upload_of_the_signed_scan_and_links_the_scoped_download(
    client, world, admin_user
):
    convention = world["convention"]
    convention.signed_scan.save("signee.pdf", SimpleUploadedFile("s.pdf", PDF), save=True)
    client.force_login(admin_user)
    response = client.get(reverse("admin:conventions_convention_change", args=[convention.pk]))
    content = response.content.decode()
    assert 'name="signed_scan"' not in content
    assert reverse("conventions:scan", args=[convention.reference]) in content
    assert settings.MEDIA_URL not in content
    assert Convention.objects.get(pk=convention.pk).signed_scan


# Settings -----------------------------------------------------------------------------------


def test_uploads_are_stored_outside_the_static_files():
    # The project's own settings: the fixture above moves MEDIA_ROOT for the other tests.
    media = Path(project_settings.MEDIA_ROOT).resolve()
    statics = [project_settings.STATIC_ROOT, *project_settings.STATICFILES_DIRS]
    for static in map(Path, statics):
        static = static.resolve()
        assert not media.is_relative_to(static) and not static.is_relative_to(media)


def test_no_url_serves_the_uploaded_files_directly():
    with pytest.raises(Resolver404):
        resolve(f"{settings.MEDIA_URL}conventions/1/signee.pdf")


def test_past_the_cap_the_upload_handler_keeps_nothing_more_of_the_file(settings):
    settings.MAX_UPLOAD_BYTES = 100
    handler = CappedUploadHandler()
    handler.new_file("proof", "avis.pdf", "application/pdf", None)
    assert handler.receive_data_chunk(b"a" * 60, 0) == b"a" * 60
    assert handler.receive_data_chunk(b"b" * 60, 60) is None  # not passed on, not stored
    assert handler.receive_data_chunk(b"c" * 60, 120) is None
    oversized = handler.file_complete(180)
    assert oversized.size == 180
    assert oversized.read() == b""


def test_under_the_cap_the_upload_handler_lets_django_store_the_file(settings):
    settings.MAX_UPLOAD_BYTES = 100
    handler = CappedUploadHandler()
    handler.new_file("proof", "avis.pdf", "application/pdf", None)
    assert handler.receive_data_chunk(b"a" * 60, 0) == b"a" * 60
    assert handler.file_complete(60) is None
