"""clean_orphan_uploads: only files no row names, older than a day, and only with --delete."""

import io
import os
import time
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import DatabaseError

from conventions.agreements.services import convention_attach_scan
from conventions.funding.services import payment_attach_proof
from conventions.models import Convention
from tests.conventions.factories import PaymentFactory
from tests.pdfs import ONE_PAGE_PDF

pytestmark = pytest.mark.django_db
TWO_DAYS = 2 * 24 * 3600


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def pdf(marker):
    return SimpleUploadedFile("x.pdf", ONE_PAGE_PDF + marker, "application/pdf")


def age(path: Path, seconds=TWO_DAYS):
    past = time.time() - seconds
    os.utime(path, (past, past))


def orphan(media_root, name, seconds=TWO_DAYS):
    path = media_root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(ONE_PAGE_PDF)
    age(path, seconds)
    return path


def run(*args):
    out = io.StringIO()
    call_command("clean_orphan_uploads", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def referenced(two_departements, media_root):
    """Every kind of referenced file, all aged past a day: none may ever be removed."""
    convention = two_departements["79"]["convention"]
    first = convention_attach_scan(convention=convention, scan=pdf(b"% 1\n"))
    current = convention_attach_scan(convention=convention, scan=pdf(b"% 2\n"))
    payment = PaymentFactory(proof=pdf(b"% proof 1\n"))
    replaced_proof = payment.proof.name
    payment.proof = pdf(b"% proof 2\n")
    payment.save()  # the first proof is now named only by the payment's history
    # Proofs kept as versions (payment_attach_proof): the replaced one is named by its
    # version row only.
    versioned = PaymentFactory()
    older = payment_attach_proof(payment=versioned, proof=pdf(b"% proof 3\n"))
    newer = payment_attach_proof(payment=versioned, proof=pdf(b"% proof 4\n"))
    names = [
        first.file.name,
        current.file.name,
        replaced_proof,
        payment.proof.name,
        older.file.name,
        newer.file.name,
    ]
    for name in names:
        age(media_root / name)
    return names


def test_a_dry_run_lists_an_old_orphan_and_deletes_nothing(referenced, media_root):
    stray = orphan(media_root, "conventions/1/signee-20200101-000000-0123456789abcdef.pdf")
    output = run()
    assert "orphelin : conventions/1/signee-20200101-000000-0123456789abcdef.pdf" in output
    assert "1 fichier(s) orphelin(s) ; relancez avec --delete" in output
    assert stray.exists()


def test_delete_removes_an_old_orphan_and_keeps_every_referenced_file(referenced, media_root):
    stray = orphan(media_root, "financements/versements/abandoned.pdf")
    output = run("--delete")
    assert "1 fichier(s) orphelin(s) supprimé(s)." in output
    assert not stray.exists()
    assert all((media_root / name).exists() for name in referenced)


def test_a_file_younger_than_a_day_is_never_taken_for_an_orphan(referenced, media_root):
    # Its upload's transaction may still be running.
    recent = orphan(media_root, "conventions/1/signee-recent.pdf", seconds=3600)
    assert "0 fichier(s) orphelin(s) supprimé(s)." in run("--delete")
    assert recent.exists()


def test_it_says_so_when_nothing_was_uploaded_yet(db):
    assert "0 fichier(s) orphelin(s)" in run()


def test_the_file_of_an_upload_whose_transaction_failed_is_removed_a_day_later(
    two_departements, media_root, monkeypatch
):
    convention = two_departements["79"]["convention"]
    current = convention_attach_scan(convention=convention, scan=pdf(b"% 1\n"))
    with monkeypatch.context() as patch:
        patch.setattr(Convention, "save", broken_save)
        with pytest.raises(DatabaseError):
            convention_attach_scan(convention=convention, scan=pdf(b"% 2\n"))
    for path in media_root.rglob("*.pdf"):
        age(path)
    assert "1 fichier(s) orphelin(s) supprimé(s)." in run("--delete")
    assert [p.relative_to(media_root).as_posix() for p in media_root.rglob("*.pdf")] == [
        current.file.name
    ]


def broken_save(*args, **kwargs):
    raise DatabaseError("disque plein")
