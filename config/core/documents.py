"""Printed documents (WeasyPrint): the engine every app's documents share.

Each app writes one function per document (``render_convention_pdf``,
``render_bilan_pdf``…) that renders its template and calls ``html_to_pdf``.
The print stylesheets live in static/css/print/, the fonts in static/fonts/.
WeasyPrint may read files under static/ and nothing else: no network access,
ever, whatever a template or a stylesheet asks for. ``pdf_response`` turns a
render into the HTTP answer, or the French error page when rendering fails.
"""

import base64
import binascii
import functools
import logging
import mimetypes
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

from config.core.typography import footnote_parts, split_blocks

logger = logging.getLogger(__name__)

STATIC_DIR = Path(settings.BASE_DIR) / "static"
PRINT_CSS_DIR = STATIC_DIR / "css" / "print"

# Tagged PDF with a title and a language: readable by screen readers (PDF/UA-1).
PDF_OPTIONS = {"pdf_variant": "pdf/ua-1"}


class PdfRenderError(Exception):
    """WeasyPrint could not produce the document (logged with its cause)."""


class ForbiddenResource(ValueError):
    pass


# The images a document may carry in itself (an organisation's logo, ``image_data_uri``):
# WeasyPrint hands data: URLs to the fetcher like any other, so they are allowed here by
# name, as base64 PNG or JPEG only; any other data: URL (a stylesheet, SVG) is refused.
DATA_IMAGE = re.compile(r"data:(image/png|image/jpeg);base64,([A-Za-z0-9+/=\s]*)", re.ASCII)


def image_data_uri(content_type: str, data: bytes) -> str:
    """A PNG or JPEG as a data: URL that ``StaticURLFetcher`` serves."""
    if content_type not in ("image/png", "image/jpeg"):
        raise ValueError(f"Image refusée : {content_type}")
    return f"data:{content_type};base64,{base64.b64encode(data).decode('ascii')}"


def letterhead_context(letterhead) -> dict:
    """What templates/conventions/pdf/letterhead.html reads of an organisation's
    letterhead (``partners.letterhead.Letterhead``); nothing for None, so that the
    document prints no letterhead at all."""
    if letterhead is None:
        return {}
    logo = image_data_uri(letterhead.logo_content_type, letterhead.logo) if letterhead.logo else ""
    return {"letterhead": letterhead, "letterhead_logo": logo}


class StaticURLFetcher(URLFetcher):
    """Serve ``file:`` URLs that point inside static/ and base64 PNG or JPEG data: URLs;
    refuse everything else.

    WeasyPrint 70 takes only URLFetcher instances (no more functions returning a dict);
    ``fetch`` replaces the whole of URLFetcher's, which would open any URL.
    """

    def fetch(self, url, headers=None):
        if image := DATA_IMAGE.fullmatch(url):
            try:
                data = base64.b64decode(image[2], validate=False)
            except binascii.Error as error:
                raise ForbiddenResource("Image refusée (base64 illisible)") from error
            return URLFetcherResponse(url, data, {"Content-Type": image[1]})
        parts = urlsplit(url)
        if parts.scheme != "file":
            raise ForbiddenResource(f"Ressource refusée (seuls les fichiers statiques) : {url}")
        path = Path(unquote(parts.path)).resolve()
        if not path.is_relative_to(STATIC_DIR.resolve()) or not path.is_file():
            raise ForbiddenResource(f"Ressource refusée (hors de static/) : {url}")
        mime_type = mimetypes.guess_type(path.name)[0]
        return URLFetcherResponse(
            path.as_uri(), path.read_bytes(), {"Content-Type": mime_type} if mime_type else None
        )


static_url_fetcher = StaticURLFetcher()


@functools.cache
def print_resources(stylesheet_name: str) -> tuple[CSS, FontConfiguration]:
    """A parsed print stylesheet and its fonts, shared by every render of the process."""
    font_config = FontConfiguration()
    stylesheet = CSS(
        filename=str(PRINT_CSS_DIR / stylesheet_name),
        font_config=font_config,
        url_fetcher=static_url_fetcher,
    )
    return stylesheet, font_config


def html_to_pdf(
    html: str, *, stylesheet_name: str = "convention.css", pdf_options=PDF_OPTIONS
) -> bytes:
    try:
        stylesheet, font_config = print_resources(stylesheet_name)
        document = HTML(
            string=html, base_url=STATIC_DIR.as_uri() + "/", url_fetcher=static_url_fetcher
        )
        return document.write_pdf(stylesheets=[stylesheet], font_config=font_config, **pdf_options)
    except Exception as exc:
        # WeasyPrint has no common base exception: anything it raises is a failed render.
        logger.exception("Échec du rendu PDF")
        raise PdfRenderError(str(exc)) from exc


# Typed text as HTML --------------------------------------------------------------


def with_footnotes(text: str) -> SafeString:
    """``text`` as HTML: escaped, each ``[^note]`` a footnote.

    The print stylesheets float ``.footnote`` to the foot of its page (``float:
    footnote``), leaving its number where it was typed.
    """
    parts = []
    for before, note in footnote_parts(text):
        parts.append(conditional_escape(before))
        if note is not None:
            parts.append(format_html('<span class="footnote">{}</span>', note))
    return mark_safe("".join(parts))  # noqa: S308 - every part is escaped above


@dataclass(frozen=True)
class Block:
    kind: str  # "p", "ul" (dash items) or "ol" (items numbered in their text)
    lines: tuple[SafeString, ...]  # escaped HTML, footnotes marked up


def text_blocks(body: str) -> list[Block]:
    """A typed text as HTML paragraphs and lists (``split_blocks``), each ``[^note]``
    a footnote (``with_footnotes``)."""
    return [
        Block(kind, tuple(with_footnotes(line) for line in lines))
        for kind, lines in split_blocks(body)
    ]


def pdf_response(request, render_pdf, filename):
    """The PDF that ``render_pdf()`` makes, or the French error page when rendering fails."""
    try:
        pdf = render_pdf()
    except PdfRenderError:
        # Already logged with its cause by html_to_pdf; the server itself is fine.
        return render_error(request)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def render_error(request):
    return render(request, "errors/pdf.html", status=503)
