"""The annual bilan of a post as a PDF, for the Préfet, the DDSP and the Maire.

Same numbers (``build_bilan``), same tables (_bilan_tables.html) and same SVG
charts as the page. Rendered like every printed document of the product
(config.core.documents): stylesheet and fonts read from static/ only, tagged PDF.
"""

from django.template.loader import render_to_string

from activity.bilans import Bilan
from activity.charts import bilan_charts
from config.core.documents import html_to_pdf


def recipients(convention) -> str:
    """Who receives the annual bilan, as the convention states it (Niort, article 11)."""
    if convention is None:
        return ""
    for rule in convention.reporting_rules.all():
        if rule.kind == "annual" and rule.recipients:
            return rule.recipients
    return ""


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
    # Tagged (PDF/UA-1) like every printed document: bilan.css keeps each table's caption
    # whole, so no caption is left at the foot of a page without its table (which once
    # made the tagging fail: "Table wrapper without a table").
    return html_to_pdf(html, stylesheet_name="bilan.css")
