"""Uploaded documents: a size cap applied while the upload arrives, and a real PDF check.

``CappedUploadHandler`` runs first among Django's upload handlers: past
``MAX_UPLOAD_BYTES`` it keeps nothing more of the file (neither in memory nor on
disk) and hands the form an empty file that still reports its real size, so the
field says « le fichier pèse 48,2 Mo » instead of the server storing it.
``check_pdf`` then parses the document (pypdf): a file is a PDF when a PDF reader
finds its pages, not when its first bytes say « %PDF- ».
``sha256_of`` fingerprints a kept document; ``stored_files`` walks the storage (for
the backup and for the orphan clean-up).
"""

import hashlib
import io

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from django.db.models.fields.files import FieldFile
from pypdf import PdfReader


class CappedUploadHandler(FileUploadHandler):
    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > settings.MAX_UPLOAD_BYTES:
            return None  # swallowed: the handlers after this one keep none of it
        return raw_data

    def file_complete(self, file_size):
        if self.received <= settings.MAX_UPLOAD_BYTES:
            return None  # the next handler (memory or temporary file) has it whole
        return UploadedFile(
            file=io.BytesIO(),
            name=self.file_name,
            content_type=self.content_type,
            size=self.received,
            charset=self.charset,
        )


def megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:.1f}".replace(".", ",")


def check_pdf(file, *, max_bytes: int, too_large: str, not_pdf: str) -> None:
    """Refuse ``file`` unless it is a PDF with at least one page, of at most ``max_bytes``.

    ``too_large`` may hold ``{size}`` (in megabytes, French decimal comma). A file already
    stored (a row's current document, validated again by its ``full_clean``) was checked
    when it was deposited: it is not read back, which in an S3 bucket is a download.
    """
    if isinstance(file, FieldFile) and file._committed:
        return
    if file.size > max_bytes:
        raise ValidationError(too_large.format(size=megabytes(file.size)), code="too_large")
    position = file.tell() if hasattr(file, "tell") else 0
    file.seek(0)
    try:
        has_pages = len(PdfReader(file, strict=False).pages) > 0
    except Exception:
        # pypdf raises many kinds of errors on a damaged or foreign file: each means
        # that no PDF reader would open it either.
        has_pages = False
    finally:
        file.seek(position)
    if not has_pages:
        raise ValidationError(not_pdf, code="not_pdf")


def sha256_of(file) -> str:
    """The hex SHA-256 of a Django ``File`` (uploaded or stored), read in chunks."""
    digest = hashlib.sha256()
    for chunk in file.chunks():  # from the start, whatever the position
        digest.update(chunk)
    file.seek(0)
    return digest.hexdigest()


def stored_files(storage, directory=""):
    """Every file name of ``storage``, walked from ``directory``."""
    try:
        folders, files = storage.listdir(directory)
    except FileNotFoundError:
        return  # nothing uploaded yet: MEDIA_ROOT does not exist
    for name in sorted(files):
        yield f"{directory}/{name}" if directory else name
    for folder in sorted(folders):
        yield from stored_files(storage, f"{directory}/{folder}" if directory else folder)
