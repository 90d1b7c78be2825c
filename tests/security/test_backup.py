"""A backup of the demo data restores with the same row counts."""

import io
import sqlite3
import subprocess
import uuid
from pathlib import Path

import psycopg
import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection

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


def test_a_backup_of_the_demo_data_restores_with_the_same_row_counts(tmp_path):
    call_command("load_demo", stdout=io.StringIO())
    expected = live_counts()
    assert expected["partners_organisation"] > 0 and expected["conventions_convention"] >= 2
    path = backup(tmp_path)
    assert path.exists() and path.stat().st_size > 0
    if connection.vendor == "postgresql":
        assert restored_counts_postgresql(path) == expected
    else:
        assert restored_counts_sqlite(path) == expected
