"""The annual bilan of a post as a PDF, for the Préfet, the DDSP and the Maire.

Same numbers (``build_bilan``), same tables (_bilan_tables.html) and same SVG
charts as the page. WeasyPrint reads the print stylesheet and the fonts from
disk through ``static_url_fetcher``: never an HTTP request. The stylesheet and
its fonts are parsed once per process; nothing of a bilan is kept.
"""

import functools
import mimetypes
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration

from .bilans import Bilan
from .charts import bilan_charts

PRINT_CSS_URL = "/static/css/print/bilan.css"


def static_url_fetcher(url: str, timeout=10, ssl_context=None, http_headers=None):
    """Serve ``/static/…`` from the static files on disk; refuse any other URL."""
    prefix = "/" + settings.STATIC_URL.lstrip("/")
    path = url.removeprefix("file://")
    if not path.startswith(prefix):
        raise ValueError(f"Only static files may be read while rendering a PDF, not {url!r}.")
    relative = path[len(prefix) :]
    if ".." in Path(relative).parts:
        raise ValueError(f"No static file {relative!r}.")
    found = finders.find(relative)
    if not found:
        raise ValueError(f"No static file {relative!r}.")
    mime_type, _ = mimetypes.guess_type(found)
    return {
        "file_obj": open(found, "rb"),  # noqa: SIM115 (WeasyPrint closes it)
        "mime_type": mime_type,
        "filename": Path(found).name,
        "redirected_url": url,
    }


def recipients(convention) -> str:
    """Who receives the annual bilan, as the convention states it (Niort, article 11)."""
    if convention is None:
        return ""
    for rule in convention.reporting_rules.all():
        if rule.kind == "annual" and rule.recipients:
            return rule.recipients
    return ""


@functools.cache
def print_resources() -> tuple[CSS, FontConfiguration]:
    """The print stylesheet and its fonts, parsed once for every render of the process."""
    font_config = FontConfiguration()
    stylesheet = CSS(url=PRINT_CSS_URL, url_fetcher=static_url_fetcher, font_config=font_config)
    return stylesheet, font_config


def render_bilan_pdf(bilan: Bilan, *, convention=None) -> bytes:
    html = render_to_string(
        "activity/bilan_pdf.html",
        {
            "bilan": bilan,
            "charts": bilan_charts(bilan),
            "convention": convention,
            "recipients": recipients(convention),
        },
    )
    stylesheet, font_config = print_resources()
    return HTML(string=html, base_url="/", url_fetcher=static_url_fetcher).write_pdf(
        stylesheets=[stylesheet], font_config=font_config
    )
