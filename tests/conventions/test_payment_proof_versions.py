"""Payment proofs keep every version, like signed scans: a new name per upload, the file
written before the row, the previous versions listed on the payment's page and
downloadable by who sees the convention, never deleted."""

import hashlib
import importlib
import io
import os
import time
from decimal import Decimal

import pytest
from django.apps import apps as django_apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import DatabaseError
from django.urls import reverse

from conventions.funding.services import payment_attach_proof
from conventions.models import Payment, PaymentProofVersion
from partners.enums import Role
from tests.conventions.factories import ContributionFactory, PaymentFactory
from tests.pdfs import ONE_PAGE_PDF

pytestmark = pytest.mark.django_db

FIRST = ONE_PAGE_PDF + b"% first\n"
SECOND = ONE_PAGE_PDF + b"% second\n"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def pdf(content, name="avis de paiement.pdf"):
    return SimpleUploadedFile(name, content, "application/pdf")


@pytest.fixture
def world(two_departements):
    dep = two_departements["79"]
    convention = dep["convention"]
    state = next(p.organisation for p in convention.parties.all() if p.organisation.kind == "etat")
    contribution = ContributionFactory(convention=convention, organisation=state)
    payment = PaymentFactory(contribution=contribution, year=2021, amount=Decimal("25350"))
    return {**dep, "payment": payment, "other": two_departements["95"]}


def page_url(payment):
    return reverse("conventions:payment_proofs", args=[payment.pk])


def version_url(version):
    return reverse("conventions:payment_proof_version", args=[version.payment_id, version.pk])


def content(response) -> bytes:
    return b"".join(response.streaming_content)


def test_two_uploads_keep_both_and_the_newer_is_current(client, world):
    payment = world["payment"]
    client.force_login(world["users"][Role.LOCAL_AUTHORITY])
    assert client.post(page_url(payment), {"proof": pdf(FIRST)}).status_code == 302
    assert client.post(page_url(payment), {"proof": pdf(SECOND)}).status_code == 302
    newer, older = payment.proof_versions.all()
    assert (older.file.read(), newer.file.read()) == (FIRST, SECOND)
    assert older.file.name != newer.file.name
    assert "avis" not in newer.file.name  # never the name the user sent
    payment.refresh_from_db()
    assert payment.proof.name == newer.file.name
    download = client.get(reverse("conventions:payment_proof", args=[payment.pk]))
    assert content(download) == SECOND
    assert content(client.get(version_url(older))) == FIRST


def test_a_refused_upload_keeps_the_previous_proof(client, world):
    payment = world["payment"]
    first = payment_attach_proof(payment=payment, proof=pdf(FIRST))
    client.force_login(world["users"][Role.LOCAL_AUTHORITY])
    response = client.post(page_url(payment), {"proof": pdf(b"MZ\x90\x00 not a pdf")})
    assert response.status_code == 200
    assert response.context["form"].errors["proof"] == [
        "Ce fichier n'est pas un PDF. Enregistrez le justificatif au format PDF."
    ]
    payment.refresh_from_db()
    assert payment.proof.name == first.file.name
    assert list(payment.proof_versions.all()) == [first]


def test_an_upload_whose_save_fails_keeps_the_previous_proof_and_leaves_an_orphan(
    world, media_root, monkeypatch
):
    payment = world["payment"]
    first = payment_attach_proof(payment=payment, proof=pdf(FIRST))

    def broken_save(*args, **kwargs):
        raise DatabaseError("disque plein")

    with monkeypatch.context() as patch:
        patch.setattr(Payment, "save", broken_save)
        with pytest.raises(DatabaseError):
            payment_attach_proof(payment=payment, proof=pdf(SECOND))
    payment.refresh_from_db()
    assert payment.proof.name == first.file.name
    assert first.file.storage.open(first.file.name).read() == FIRST
    assert list(payment.proof_versions.all()) == [first]
    # The file written before the failure is an orphan, removed a day later.
    files = sorted(media_root.rglob("*.pdf"))
    assert len(files) == 2
    day_ago = time.time() - 2 * 86400
    for path in files:
        os.utime(path, (day_ago, day_ago))
    out = io.StringIO()
    call_command("clean_orphan_uploads", "--delete", stdout=out)
    assert "1 fichier(s) orphelin(s) supprimé(s)." in out.getvalue()
    assert [p.relative_to(media_root).as_posix() for p in media_root.rglob("*.pdf")] == [
        first.file.name
    ]


def test_the_payments_page_lists_every_version_newest_first(
    client, world, django_assert_num_queries
):
    payment = world["payment"]
    older = payment_attach_proof(payment=payment, proof=pdf(FIRST))
    newer = payment_attach_proof(payment=payment, proof=pdf(SECOND))
    client.force_login(world["users"][Role.READ_ONLY_PARTNER])
    with django_assert_num_queries(7):
        response = client.get(page_url(payment))
    assert response.status_code == 200
    page = response.content.decode()
    assert page.index(version_url(newer)) < page.index(version_url(older))
    assert "(en cours)" in page
    assert 'type="file"' not in page  # a reader may not deposit one


def test_the_plan_links_to_the_payments_proofs(client, world):
    payment = world["payment"]
    client.force_login(world["users"][Role.LOCAL_AUTHORITY])
    plan = client.get(reverse("conventions:funding_plan", args=[world["convention"].reference]))
    assert page_url(payment) in plan.content.decode()


def test_a_reader_may_not_deposit_and_another_departement_sees_nothing(client, world):
    payment = world["payment"]
    version = payment_attach_proof(payment=payment, proof=pdf(FIRST))
    client.force_login(world["users"][Role.READ_ONLY_PARTNER])
    assert client.post(page_url(payment), {"proof": pdf(SECOND)}).status_code == 403
    client.force_login(world["other"]["users"][Role.LOCAL_AUTHORITY])
    assert client.get(page_url(payment)).status_code == 404
    assert client.get(version_url(version)).status_code == 404
    assert payment.proof_versions.count() == 1


def test_a_version_is_only_served_under_its_own_payment(client, world):
    payment = world["payment"]
    version = payment_attach_proof(payment=payment, proof=pdf(FIRST))
    other = PaymentFactory(contribution=payment.contribution, year=2022, amount=Decimal("1"))
    client.force_login(world["users"][Role.LOCAL_AUTHORITY])
    wrong = reverse("conventions:payment_proof_version", args=[other.pk, version.pk])
    assert client.get(wrong).status_code == 404


def test_a_payment_recorded_with_a_proof_has_its_first_version(client, world):
    contribution = world["payment"].contribution
    client.force_login(world["users"][Role.LOCAL_AUTHORITY])
    base = reverse("conventions:payment_create", args=[world["convention"].reference])
    response = client.post(
        f"{base}?contribution={contribution.pk}&annee=2022",
        {
            "date": "2022-05-17",
            "amount": "25350",
            "payer": contribution.organisation_id,
            "proof": pdf(FIRST),
        },
    )
    assert response.status_code == 302
    payment = Payment.objects.get(year=2022)
    (version,) = payment.proof_versions.all()
    assert payment.proof.name == version.file.name
    assert version.uploaded_by == world["users"][Role.LOCAL_AUTHORITY]


def test_a_new_proof_in_the_admin_is_a_new_version(client, admin_user, world):
    payment = world["payment"]
    first = payment_attach_proof(payment=payment, proof=pdf(FIRST))
    client.force_login(admin_user)
    url = reverse("admin:conventions_payment_change", args=[payment.pk])
    response = client.post(
        url,
        {
            "contribution": payment.contribution_id,
            "year": payment.year,
            "date": payment.date.isoformat(),
            "amount": "25350",
            "payer": payment.payer_id,
            "reference": "",
            "proof": pdf(SECOND),
            "proof-clear": "on",  # no such box: a proof is never removed
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    payment.refresh_from_db()
    newer, older = payment.proof_versions.all()
    assert older == first
    assert newer.uploaded_by == admin_user
    assert payment.proof.name == newer.file.name
    assert newer.file.read() == SECOND
    assert first.file.storage.exists(first.file.name)


def test_versions_are_never_deleted_with_their_payment(world):
    payment = world["payment"]
    payment_attach_proof(payment=payment, proof=pdf(FIRST))
    assert PaymentProofVersion._meta.get_field("payment").remote_field.on_delete.__name__ == (
        "PROTECT"
    )


def test_the_migration_makes_versions_of_the_proofs_deposited_before(world):
    """The current proof and the replaced ones its history names become versions, the
    current one newest; a file missing from the storage gets none."""
    payment = world["payment"]
    payment.proof = pdf(FIRST)
    payment.save()
    replaced = payment.proof.name
    payment.proof = pdf(SECOND)
    payment.save()
    lost = PaymentFactory(contribution=payment.contribution, year=2022, amount=Decimal("1"))
    Payment.objects.filter(pk=lost.pk).update(proof="financements/versements/missing.pdf")
    migration = importlib.import_module(
        "conventions.migrations.0016_single_line_fields_and_payment_proof_versions"
    )
    migration.record_existing_proofs(django_apps, None)
    newer, older = payment.proof_versions.all()
    assert (older.file.name, newer.file.name) == (replaced, payment.proof.name)
    assert newer.sha256 == hashlib.sha256(SECOND).hexdigest()
    assert not lost.proof_versions.exists()
