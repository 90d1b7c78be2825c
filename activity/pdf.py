"""The annual bilan of a post as a PDF, for the Préfet, the DDSP and the Maire.

Same numbers (``build_bilan``), same tables (_bilan_tables.html) and same SVG
charts as the page. Rendered like every printed document of the product
(config.core.documents): stylesheet and fonts read from static/ only, tagged PDF; kept
once laid out (config.jobs.renderings), and laid out ahead by a task when a quarter is
validated (activity.tasks).
"""

from django.template.loader import render_to_string

from activity.bilans import Bilan, Period, Scope, build_bilan
from activity.charts import bilan_charts
from activity.governing import governing_convention, quarter_end
from activity.validation import post_conventions
from config.jobs.renderings import stored_pdf


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
    # made the tagging fail: "Table wrapper without a table"). Laid out once for a given
    # content (config.jobs.renderings): the same figures, states and names are served
    # from the storage.
    return stored_pdf(html, stylesheet_name="bilan.css")


def post_bilan_pdf(post, year: int, *, validated_only: bool) -> bytes:
    """The annual bilan of ``post`` (with its sites: ``with_sites()``), as the convention
    governing the end of the year addresses it."""
    bilan = build_bilan(Scope.of_post(post), Period(year), validated_only=validated_only)
    convention = governing_convention(post_conventions(post), quarter_end(year, 4), post=post)
    return render_bilan_pdf(bilan, convention=convention)
