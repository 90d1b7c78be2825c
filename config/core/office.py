"""An editable document (``config.core.editable``) as the HTTP download of a DOCX or ODT."""

from django.http import HttpResponse

from config.core import docx, odt
from config.core.editable import Document

# The extensions a URL may ask for (conventions.urls' converter) and their writers.
FORMATS = {
    "docx": (docx.render_docx, docx.CONTENT_TYPE),
    "odt": (odt.render_odt, odt.CONTENT_TYPE),
}


def editable_response(document: Document, extension: str, stem: str) -> HttpResponse:
    """The file to save and edit (``attachment``, unlike the PDF read in the browser)."""
    render, content_type = FORMATS[extension]
    response = HttpResponse(render(document), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{stem}.{extension}"'
    return response
