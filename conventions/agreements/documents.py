"""The convention and its amendments as PDF documents.

What they say comes from ``texts.py`` (shared with the DOCX and ODT of
``editable.py``); the HTML from templates/conventions/pdf/, the engine from
``config.core.documents``.
"""

from django.template.loader import render_to_string

from config.core.documents import letterhead_context, text_blocks, with_footnotes
from config.jobs.renderings import stored_pdf
from conventions.agreements.texts import CommonText, amendment_text, convention_text
from conventions.letterheads import convention_letterhead


def _common_context(common: CommonText) -> dict:
    return {
        "convention": common.convention,
        "title_lines": common.title_lines,
        "parties_block": common.parties_block,
        "associated": common.associated,
        "signature_rows": common.signature_rows,
        "authors": common.authors,
        **letterhead_context(convention_letterhead(common.convention)),
    }


def render_convention_pdf(convention, *, consolidated=True) -> bytes:
    """The convention as signed, or as amended by every avenant (``consolidated``)."""
    text = convention_text(convention, consolidated=consolidated)
    context = {
        **_common_context(text.common),
        "draft": text.draft,
        "consolidation_note": text.consolidation_note,
        "preamble": text_blocks(text.preamble),
        "references": [(kind, with_footnotes(typed)) for kind, typed in text.references],
        "articles": [
            {
                "number": a.number,
                "title": a.title,
                "blocks": text_blocks(a.body),
                "amended_by": a.amended_by,
            }
            for a in text.articles
        ],
        "amendment_summaries": text.amendment_summaries,
        "signature_date": text.signature_date,
        "post_annexes": text.post_annexes,
        "annexes": [
            {"number": a.number, "title": a.title, "blocks": text_blocks(a.body)}
            for a in text.annexes
        ],
    }
    # Laid out once per content (config.jobs.renderings): a convention unchanged since its
    # last download is read from the storage.
    return stored_pdf(
        render_to_string("conventions/pdf/convention.html", context),
        stylesheet_name="convention.css",
    )


def render_amendment_pdf(amendment) -> bytes:
    text = amendment_text(amendment)
    context = {
        **_common_context(text.common),
        "draft": text.draft,
        "amendment": amendment,
        "object_blocks": text_blocks(text.object),
        "changes": [
            {
                "action": c.action,
                "article_number": c.article_number,
                "title": c.title,
                "blocks": text_blocks(c.body),
            }
            for c in text.changes
        ],
        "structured_changes": text.structured_changes,
        "signature_date": text.signature_date,
    }
    return stored_pdf(
        render_to_string("conventions/pdf/amendment.html", context),
        stylesheet_name="convention.css",
    )
