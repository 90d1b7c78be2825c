from django import template
from django.utils.html import format_html

from config.core.idempotency import SUBMISSION_FIELD, new_token

register = template.Library()


@register.simple_tag
def submission_token():
    """{% submission_token %}: the hidden token of a one-button form that creates
    something (« Renouveler »), for a view decorated with ``submitted_once``."""
    return format_html('<input type="hidden" name="{}" value="{}">', SUBMISSION_FIELD, new_token())
