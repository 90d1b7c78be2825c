"""PDFs laid out once: WeasyPrint's layout is the costly step of a document (about a
second for a post's annual bilan with its charts), its HTML is cheap. A document is
keyed by the digest of its HTML, its print stylesheet and WeasyPrint's version: the
same content is served from the storage (disk or S3), a changed content (a value, a
state, a name, a template) is laid out again. Nothing is ever stale, nothing needs to be
invalidated.
"""

import hashlib
import logging
from functools import cache

import weasyprint
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction

from config.core.documents import PRINT_CSS_DIR, html_to_pdf
from config.jobs.models import Rendering

logger = logging.getLogger(__name__)


@cache
def _stylesheet_digest(stylesheet_name: str) -> bytes:
    return hashlib.sha256((PRINT_CSS_DIR / stylesheet_name).read_bytes()).digest()


def rendering_key(html: str, *, stylesheet_name: str) -> str:
    digest = hashlib.sha256()
    digest.update(weasyprint.__version__.encode())
    digest.update(_stylesheet_digest(stylesheet_name))
    digest.update(html.encode())
    return digest.hexdigest()


def stored_pdf(html: str, *, stylesheet_name: str) -> bytes:
    """The PDF of ``html``: read from the storage when this content was laid out before,
    else laid out now and kept (``PdfRenderError`` as ``html_to_pdf``)."""
    key = rendering_key(html, stylesheet_name=stylesheet_name)
    found = Rendering.objects.filter(key=key).first()
    if found is not None:
        try:
            with found.file.open("rb") as stored:
                return stored.read()
        except OSError:
            # The file is gone (a storage restored without it): laid out again below.
            logger.warning("Document mis en page introuvable, refait : %s", found.file.name)
            found.delete()
    pdf = html_to_pdf(html, stylesheet_name=stylesheet_name)
    keep(key, pdf)
    return pdf


def keep(key: str, pdf: bytes) -> None:
    rendering = Rendering(key=key, size=len(pdf))
    rendering.file.save(f"{key}.pdf", ContentFile(pdf), save=False)
    try:
        with transaction.atomic():
            rendering.save()
    except IntegrityError:
        # Laid out at the same time by another request or a task: theirs is kept, and the
        # file just written (under a name of its own) is an orphan, cleaned by
        # clean_orphan_uploads.
        pass
