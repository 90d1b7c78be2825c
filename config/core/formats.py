"""How a French reader expects dates and amounts: "20 septembre 2021", "28 967 €"."""

import datetime
import re
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone

MONTHS = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
]
NBSP = "\u00a0"


def french_date(value: datetime.date | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        # A time stored in UTC: 23:16 UTC on 5 December is 6 December in Paris.
        value = timezone.localtime(value).date()
    day = "1er" if value.day == 1 else str(value.day)
    return f"{day} {MONTHS[value.month - 1]} {value.year}"


def french_number(value, places: int = 0) -> str:
    amount = Decimal(value).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    sign = "-" if amount < 0 else ""
    whole, _, fraction = f"{abs(amount):f}".partition(".")
    groups = []
    while whole:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    text = NBSP.join(groups) or "0"
    return f"{sign}{text},{fraction}" if fraction else f"{sign}{text}"


def euros(value) -> str:
    """Whole euros without decimals, cents only when there are some."""
    if value is None or value == "":
        return ""
    amount = Decimal(value)
    places = 0 if amount == amount.to_integral_value() else 2
    return f"{french_number(amount, places)}{NBSP}€"


# Any run of white space but the non-breaking ones French typography puts in amounts and
# before « : » (U+00A0, U+202F).
BREAKABLE_SPACES = re.compile(r"[^\S\u00a0\u202f]+")


def one_line(text: str) -> str:
    """``text`` on one line, for an e-mail's subject (a header cannot hold a line break)
    or a title: every line break and run of spaces becomes one space, the non-breaking
    spaces stay."""
    return BREAKABLE_SPACES.sub(" ", text).strip()
