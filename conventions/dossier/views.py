from django.http import FileResponse
from django.views.decorators.http import require_http_methods

from config.core.documents import PdfRenderError, render_error
from conventions.access import scope_for
from conventions.dossier.archive import write_dossier
from conventions.dossier.contents import dossier_contents


@require_http_methods(["GET"])
def convention_dossier(request, reference):
    """The convention's complete file as one ZIP, to who may see the convention."""
    contents = dossier_contents(scope_for(request.user), reference)
    try:
        archive = write_dossier(contents)
    except PdfRenderError:
        # Already logged with its cause by html_to_pdf: no partial dossier is sent.
        return render_error(request)
    return FileResponse(
        archive,
        as_attachment=True,
        filename=f"dossier-{contents.convention.reference}.zip",
        content_type="application/zip",
    )
