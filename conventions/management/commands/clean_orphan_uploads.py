"""List, and with ``--delete`` remove, uploaded files that no row refers to.

An upload is written before its row is committed (``convention_attach_scan``,
``payment_record``): when the transaction fails afterwards, the file stays behind as
an orphan rather than the previous document being lost. This command is the "later"
of that rule. A file is an orphan only when no file field of any row refers to it,
history rows included (a replaced payment proof is still named by the payment's
history), and when it is older than a day, so that an upload whose transaction is still
running is never taken for one. Dry run by default.
"""

import datetime

from django.apps import apps
from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand
from django.db import models
from django.utils import timezone

from config.core.uploads import stored_files

MINIMUM_AGE = datetime.timedelta(days=1)


def referenced_names() -> set[str]:
    """Every file name held by a row, current or historical (simple_history keeps a
    model's file fields as text fields of the same name)."""
    names = set()
    for model in apps.get_models():
        source = getattr(model, "instance_type", model)  # a historical model's original
        fields = [
            field.attname
            for field in source._meta.concrete_fields
            if isinstance(field, models.FileField)
        ]
        for field in fields:
            names.update(
                model._base_manager.exclude(**{field: ""})
                .exclude(**{f"{field}__isnull": True})
                .values_list(field, flat=True)
            )
    return names


def orphan_uploads(storage, *, now: datetime.datetime) -> list[str]:
    referenced = referenced_names()
    return [
        name
        for name in stored_files(storage)
        if name not in referenced and now - storage.get_modified_time(name) > MINIMUM_AGE
    ]


class Command(BaseCommand):
    help = (
        "Liste les fichiers déposés auxquels aucune ligne ne renvoie, vieux de plus d'un jour "
        "(envois dont l'enregistrement a échoué) ; --delete les supprime."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--delete",
            action="store_true",
            help="Supprime les fichiers orphelins (sans cette option, ils sont seulement listés).",
        )

    def handle(self, *args, delete=False, **options):
        orphans = orphan_uploads(default_storage, now=timezone.now())
        for name in orphans:
            if delete:
                default_storage.delete(name)
            self.stdout.write(f"{'supprimé' if delete else 'orphelin'} : {name}")
        if delete:
            self.stdout.write(f"{len(orphans)} fichier(s) orphelin(s) supprimé(s).")
        else:
            self.stdout.write(
                f"{len(orphans)} fichier(s) orphelin(s) ; "
                "relancez avec --delete pour les supprimer."
            )
