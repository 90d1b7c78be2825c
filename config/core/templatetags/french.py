from django import template

from config.core import formats
from config.core.documents import with_footnotes

register = template.Library()


@register.filter
def date_fr(value):
    """{{ convention.effective_date|date_fr }} → "20 septembre 2021"."""
    return formats.french_date(value)


@register.filter
def euros(value):
    """{{ amount|euros }} → "28 967 €"."""
    return formats.euros(value)


@register.filter
def number_fr(value, places=0):
    return formats.french_number(value, places)


@register.filter
def notes(value):
    """{{ article.body|notes|linebreaksbr }}: the text escaped, each ``[^note]`` typed in
    it shown as a note in place (on paper, the PDF puts it at the foot of the page)."""
    return with_footnotes(value or "")
