"""The dossier written as one ZIP, with its manifest.

The ZIP is spooled (memory up to ``SPOOL_BYTES``, then a temporary file): nothing is
sent before every document is written, so a document that fails to render answers the
French error page (503) instead of a truncated download, and a stored scan is copied
chunk by chunk, never held twice in memory.

Refusing rather than shipping a dossier without one of its drawn documents: a dossier is
handed over as the complete record of a convention; a render failure is an incident of
the server (logged, worth a retry), not a fact about the convention. A stored file that
the storage no longer has is such a fact: the dossier is still produced and its manifest
says « fichier introuvable ».

``manifeste.csv`` lists every other file once (it cannot hold its own fingerprint):
path, what it is, its date, when it was deposited, its size and the SHA-256 of the
bytes written in the ZIP. It is written like the product's other CSV exports
(``config.core.spreadsheets.french_csv``): UTF-8 with a byte order mark, « ; ».

Entries carry the documents' dates and fixed attributes, and are written in a fixed
order: two downloads of an unchanged dossier are the same bytes, as long as the drawn
documents are (WeasyPrint writes no creation date or random identifier).
"""

import datetime
import hashlib
import logging
import tempfile
import zipfile
from dataclasses import dataclass

from config.core.spreadsheets import french_csv
from conventions.dossier.contents import DossierContents, DossierFile

logger = logging.getLogger(__name__)

SPOOL_BYTES = 16 * 1024 * 1024
CHUNK_BYTES = 1024 * 1024
MANIFEST_NAME = "manifeste.csv"
MANIFEST_HEADER = [
    "Fichier",
    "Document",
    "Date",
    "Déposé le",
    "Taille (octets)",
    "SHA-256",
    "Observation",
]
MISSING = "fichier introuvable"
ALTERED = "empreinte différente de celle enregistrée au dépôt"
# The ZIP format cannot date anything earlier.
ZIP_EPOCH = datetime.datetime(1980, 1, 1)


@dataclass(frozen=True)
class ManifestRow:
    file: DossierFile
    size: int | None
    sha256: str
    note: str

    def values(self) -> list:
        return [
            self.file.path,
            self.file.label,
            self.file.date,
            self.file.uploaded_at,
            self.size,
            self.sha256,
            self.note,
        ]


def _entry(path: str, moment: datetime.datetime, compress_type: int) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(path, date_time=max(moment, ZIP_EPOCH).timetuple()[:6])
    # Fixed, whatever the server: a Unix file readable by all, no extra field.
    info.create_system = 3
    info.external_attr = 0o644 << 16
    info.compress_type = compress_type
    return info


def _copy(chunks, archive: zipfile.ZipFile, file: DossierFile) -> tuple[int, str]:
    """Write ``chunks`` as ``file``'s entry; its size and the SHA-256 of what was written.

    PDFs are compressed already: stored as they are, which costs no CPU for nothing."""
    digest, size = hashlib.sha256(), 0
    with archive.open(_entry(file.path, file.timestamp, zipfile.ZIP_STORED), "w") as entry:
        for chunk in chunks:
            entry.write(chunk)
            digest.update(chunk)
            size += len(chunk)
    return size, digest.hexdigest()


def _stored_chunks(field_file):
    with field_file.storage.open(field_file.name, "rb") as handle:
        while chunk := handle.read(CHUNK_BYTES):
            yield chunk


def _write_stored(archive: zipfile.ZipFile, file: DossierFile) -> ManifestRow:
    field_file = file.stored
    try:
        exists = field_file.storage.exists(field_file.name)
    except OSError:
        exists = False
    if not exists:
        logger.warning("Dossier : fichier introuvable dans le stockage : %s", field_file.name)
        return ManifestRow(file, None, "", MISSING)
    size, sha256 = _copy(_stored_chunks(field_file), archive, file)
    note = ALTERED if file.recorded_sha256 and sha256 != file.recorded_sha256 else ""
    return ManifestRow(file, size, sha256, note)


def write_dossier(contents: DossierContents):
    """The dossier as a ZIP in a spooled temporary file, positioned at its start.

    Raises ``PdfRenderError`` when a document cannot be drawn (nothing is kept then)."""
    spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115 - returned open
    try:
        rows = []
        with zipfile.ZipFile(spool, "w") as archive:
            for file in contents.files:
                if file.stored is not None:
                    rows.append(_write_stored(archive, file))
                else:
                    size, sha256 = _copy([file.render()], archive, file)
                    rows.append(ManifestRow(file, size, sha256, ""))
            manifest = french_csv(MANIFEST_HEADER, [row.values() for row in rows])
            latest = max((file.timestamp for file in contents.files), default=ZIP_EPOCH)
            archive.writestr(_entry(MANIFEST_NAME, latest, zipfile.ZIP_DEFLATED), manifest)
    except BaseException:
        spool.close()
        raise
    spool.seek(0)
    return spool
