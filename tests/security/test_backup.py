"""A backup of the demo data restores with the same row counts and the same files."""

import hashlib
import io
import sqlite3
import stat
import subprocess
import tarfile
import uuid
from pathlib import Path

import psycopg
import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import connection

from conventions.agreements.services import convention_attach_scan
from tests.pdfs import ONE_PAGE_PDF

# Serialized rollback: after the test's flush, the next tests find the content types
# (same ids) and statistics grid of the migrations again.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def project_tables():
    return sorted(
        m._meta.db_table
        for m in apps.get_models()
        if m._meta.app_label in ("partners", "conventions", "activity")
    )


def live_counts():
    with connection.cursor() as cursor:
        counts = {}
        for table in project_tables():
            cursor.execute(f'SELECT COUNT(*) FROM "{table}"')
            counts[table] = cursor.fetchone()[0]
    return counts


def backup(tmp_path) -> Path:
    out = io.StringIO()
    call_command("backup_database", output_dir=str(tmp_path), stdout=out)
    return Path(out.getvalue().strip())


def restored_counts_sqlite(path):
    restored = sqlite3.connect(path)
    try:
        return {
            t: restored.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0]
            for t in project_tables()
        }
    finally:
        restored.close()


def restored_counts_postgresql(path):
    db = connection.settings_dict
    name = f"iscg_restore_{uuid.uuid4().hex[:8]}"
    base = {"host": db["HOST"] or None, "port": db["PORT"] or None, "user": db["USER"] or None}
    flags = [
        f"--{k}={v}"
        for k, v in (("host", base["host"]), ("port", base["port"]), ("username", base["user"]))
        if v
    ]
    with psycopg.connect(dbname="postgres", autocommit=True, **base) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        subprocess.run(
            ["pg_restore", "--no-owner", f"--dbname={name}", *flags, str(path)], check=True
        )
        with psycopg.connect(dbname=name, **base) as restored:
            return {
                t: restored.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0]
                for t in project_tables()
            }
    finally:
        with psycopg.connect(dbname="postgres", autocommit=True, **base) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}"')


def uploaded_files(root: Path) -> dict[str, str]:
    return {
        str(path.relative_to(root)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in root.rglob("*")
        if path.is_file()
    }


def test_a_backup_of_the_demo_data_restores_with_the_same_rows_and_files(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("load_demo", stdout=io.StringIO())
    convention = apps.get_model("conventions", "Convention").objects.get(reference="niort-2021")
    for content in (ONE_PAGE_PDF, ONE_PAGE_PDF + b"% second version\n"):
        convention_attach_scan(convention=convention, scan=ContentFile(content, name="scan.pdf"))
    payment = apps.get_model("conventions", "Payment").objects.earliest("pk")
    payment.proof.save("preuve.pdf", ContentFile(ONE_PAGE_PDF + b"%% another"), save=True)
    expected = live_counts()
    expected_files = uploaded_files(settings.MEDIA_ROOT)
    assert expected["partners_organisation"] > 0 and expected["conventions_convention"] >= 2
    assert len(expected_files) == 3  # both versions of the signed scan, and the proof

    archive = backup(tmp_path / "backups")
    assert stat.S_IMODE(archive.stat().st_mode) == 0o600
    restored = tmp_path / "restored"
    with tarfile.open(archive) as tar:
        tar.extractall(restored, filter="data")
    assert uploaded_files(restored / "media") == expected_files
    if connection.vendor == "postgresql":
        assert restored_counts_postgresql(restored / "database.dump") == expected
    else:
        assert restored_counts_sqlite(restored / "database.sqlite3") == expected
