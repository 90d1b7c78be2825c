"""Write a dated backup of the database into backups/ (or --output-dir).

PostgreSQL: pg_dump in custom format (restore with pg_restore, see README).
SQLite: SQLite's online backup API, which copies a consistent snapshot even
while the application writes.
"""

import os
import sqlite3
import subprocess
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import timezone


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


class Command(BaseCommand):
    help = "Sauvegarde datée de la base de données (pg_dump ou copie SQLite cohérente)."

    def add_arguments(self, parser):
        parser.add_argument("--output-dir", default=str(settings.BASE_DIR / "backups"))

    def handle(self, *args, output_dir, **options):
        directory = Path(output_dir)
        directory.mkdir(parents=True, exist_ok=True)
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
        if connection.vendor == "postgresql":
            target = directory / f"iscg-{stamp}.dump"
            backup_postgresql(target)
        elif connection.vendor == "sqlite":
            target = directory / f"iscg-{stamp}.sqlite3"
            backup_sqlite(target)
        else:
            raise CommandError(f"Base de données non prise en charge : {connection.vendor}")
        self.stdout.write(str(target))
