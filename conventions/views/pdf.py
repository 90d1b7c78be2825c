from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.text import slugify

from conventions.access import scope_for
from conventions.pdf import (
    PdfRenderError,
    render_amendment_pdf,
    render_convention_pdf,
    render_deliberation_pdf,
)


def pdf_response(request, render, filename):
    """The PDF that ``render()`` makes, or the French error page when rendering fails."""
    try:
        pdf = render()
    except PdfRenderError:
        # Already logged with its cause by conventions.pdf; the server itself is fine.
        return render_error(request)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def render_error(request):
    return render(request, "errors/pdf.html", status=503)


def convention_pdf(request, reference):
    """The convention as amended; ``?texte=initial`` gives the text as first signed."""
    convention = get_object_or_404(
        scope_for(request.user).conventions().for_detail(), reference=reference
    )
    consolidated = request.GET.get("texte") != "initial"
    suffix = "" if consolidated else "-initiale"
    return pdf_response(
        request,
        lambda: render_convention_pdf(convention, consolidated=consolidated),
        f"convention-{convention.reference}{suffix}.pdf",
    )


def amendment_pdf(request, reference, number):
    convention = get_object_or_404(
        scope_for(request.user).conventions().for_detail(), reference=reference
    )
    # for_detail() has prefetched the amendments and their changes.
    amendment = next((a for a in convention.amendments.all() if a.number == number), None)
    if amendment is None:
        raise Http404("Aucun avenant ne porte ce numéro.")
    return pdf_response(
        request,
        lambda: render_amendment_pdf(amendment),
        f"convention-{convention.reference}-avenant-{amendment.number}.pdf",
    )


def deliberation_pdf(request, pk):
    """The extract of the register; a one-page notice for a deliberation only cited."""
    scope = scope_for(request.user)
    deliberation = get_object_or_404(scope.deliberations().for_register(scope.conventions()), pk=pk)
    return pdf_response(
        request,
        lambda: render_deliberation_pdf(deliberation),
        f"deliberation-{slugify(deliberation.number)}.pdf",
    )
