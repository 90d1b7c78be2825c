"""Validators every app's models share."""

from django.core.exceptions import ValidationError

SINGLE_LINE_MESSAGE = "Ce champ tient sur une ligne : retirez les retours à la ligne."
# Every character str.splitlines() breaks on: a name with one of them becomes two
# lines in a PDF, a CSV cell, or an e-mail header (which Django then refuses to send).
LINE_BREAKS = frozenset("\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029")


def single_line(value) -> None:
    """Refuse a value holding a line break: names, titles, references, addresses."""
    if isinstance(value, str) and not LINE_BREAKS.isdisjoint(value):
        raise ValidationError(SINGLE_LINE_MESSAGE, code="line_break")
