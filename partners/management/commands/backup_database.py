"""Write a dated backup of the database and of the uploaded files, as one archive.

``backups/iscg-AAAAMMJJ-HHMMSS.tar.gz`` (or ``--output-dir``), readable by its owner
only (0600), holds:
- ``database.dump`` (PostgreSQL, pg_dump in custom format: restore with pg_restore)
  or ``database.sqlite3`` (SQLite's online backup API, a consistent snapshot even
  while the application writes);
- ``media/``: every uploaded file (signed conventions, payment proofs), read through
  the configured storage.
The README says how to restore both.
"""

import os
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import timezone

from config.core.uploads import stored_files


def backup_postgresql(target: Path) -> None:
    db = connection.settings_dict
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    command = ["pg_dump", "--format=custom", "--no-owner", f"--file={target}"]
    if db.get("HOST"):
        command.append(f"--host={db['HOST']}")
    if db.get("PORT"):
        command.append(f"--port={db['PORT']}")
    if db.get("USER"):
        command.append(f"--username={db['USER']}")
    command.append(db["NAME"])
    # An argument list without a shell, built from the settings: nothing a user typed.
    result = subprocess.run(command, env=env, capture_output=True, text=True)  # noqa: S603
    if result.returncode != 0:
        raise CommandError(f"pg_dump a échoué : {result.stderr.strip()}")


def backup_sqlite(target: Path) -> None:
    connection.ensure_connection()
    destination = sqlite3.connect(target)
    try:
        with destination:
            connection.connection.backup(destination)
    finally:
        destination.close()


def write_archive(target: Path, database: Path) -> None:
    # Created readable by its owner only, before a byte is written.
    descriptor = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz") as archive:
        archive.add(database, arcname=database.name)
        for name in stored_files(default_storage):
            info = tarfile.TarInfo(f"media/{name}")
            info.size = default_storage.size(name)
            info.mode = 0o600
            with default_storage.open(name, "rb") as content:
                archive.addfile(info, content)


class Command(BaseCommand):
    help = (
        "Sauvegarde datée de la base de données et des pièces déposées, en une archive "
        "lisible par son seul propriétaire."
    )

    def add_arguments(self, parser):
        parser.add_argument("--output-dir", default=str(settings.BASE_DIR / "backups"))

    def handle(self, *args, output_dir, **options):
        directory = Path(output_dir)
        directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
        with tempfile.TemporaryDirectory() as work:
            if connection.vendor == "postgresql":
                database = Path(work) / "database.dump"
                backup_postgresql(database)
            elif connection.vendor == "sqlite":
                database = Path(work) / "database.sqlite3"
                backup_sqlite(database)
            else:
                raise CommandError(f"Base de données non prise en charge : {connection.vendor}")
            target = directory / f"iscg-{stamp}.tar.gz"
            write_archive(target, database)
        self.stdout.write(str(target))
