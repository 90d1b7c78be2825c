"""A convention's documents: the PDF to read, the DOCX and ODT to edit, and its
amendments'; the same scope and the same prefetches for every format."""

from django.db.models import prefetch_related_objects
from django.http import Http404
from django.shortcuts import get_object_or_404

from config.core.documents import pdf_response
from config.core.office import editable_response
from conventions.access import scope_for
from conventions.agreements.documents import render_amendment_pdf, render_convention_pdf
from conventions.agreements.editable import amendment_document, convention_document
from conventions.letterheads import convention_letterhead
from conventions.models.funding import funding_prefetches


def _convention_for_document(request, reference):
    """The convention as its documents read it (PDF, DOCX, ODT), scoped to the user."""
    convention = get_object_or_404(
        scope_for(request.user).conventions().for_detail(), reference=reference
    )
    if len(convention.sections.all()) > 1:
        # A framework convention's annexes print each post's funding plan: its
        # contributions, payments and costs in one query each, not one per relation.
        prefetch_related_objects([convention], *funding_prefetches())
    return convention


def _amendment_of(convention, number):
    # for_detail() has prefetched the amendments and their changes.
    amendment = next((a for a in convention.amendments.all() if a.number == number), None)
    if amendment is None:
        raise Http404("Aucun avenant ne porte ce numéro.")
    return amendment


def convention_pdf(request, reference):
    """The convention as amended; ``?texte=initial`` gives the text as first signed."""
    convention = _convention_for_document(request, reference)
    consolidated = request.GET.get("texte") != "initial"
    suffix = "" if consolidated else "-initiale"
    return pdf_response(
        request,
        lambda: render_convention_pdf(convention, consolidated=consolidated),
        f"convention-{convention.reference}{suffix}.pdf",
    )


def convention_editable(request, reference, extension):
    """The convention as a DOCX or ODT to edit; ``?texte=initial`` as for the PDF."""
    convention = _convention_for_document(request, reference)
    consolidated = request.GET.get("texte") != "initial"
    document = convention_document(
        convention, consolidated=consolidated, letterhead=convention_letterhead(convention)
    )
    suffix = "" if consolidated else "-initiale"
    return editable_response(document, extension, f"convention-{convention.reference}{suffix}")


def amendment_pdf(request, reference, number):
    convention = _convention_for_document(request, reference)
    amendment = _amendment_of(convention, number)
    return pdf_response(
        request,
        lambda: render_amendment_pdf(amendment),
        f"convention-{convention.reference}-avenant-{amendment.number}.pdf",
    )


def amendment_editable(request, reference, number, extension):
    convention = _convention_for_document(request, reference)
    amendment = _amendment_of(convention, number)
    document = amendment_document(amendment, letterhead=convention_letterhead(convention))
    return editable_response(
        document, extension, f"convention-{convention.reference}-avenant-{amendment.number}"
    )
