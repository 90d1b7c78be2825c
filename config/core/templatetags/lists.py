"""What the shared list includes need: a form field drawn with the DSFR's classes."""

from django import template

register = template.Library()

DSFR_CLASSES = {"select": "fr-select", "fastselect": "fr-select"}


@register.simple_tag
def dsfr_widget(field):
    """The field's widget with the DSFR class and, on error, the message linked to it."""
    attrs = {"class": DSFR_CLASSES.get(field.widget_type, "fr-input")}
    if field.errors:
        attrs["aria-describedby"] = f"{field.auto_id}_error"
        attrs["aria-invalid"] = "true"
    elif field.help_text:
        attrs["aria-describedby"] = f"{field.auto_id}_helptext"
    return field.as_widget(attrs=attrs)
