"""What a user can type into a field, from the plausible to the absurd (hypothesis)."""

import datetime
import re

from hypothesis import strategies as st

ODD_STRINGS = [
    "",
    " ",
    "0",
    "-0",
    "-1",
    "-0,01",
    "99999999999",
    "99999999999999999999999999",
    "1e309",
    "-1e309",
    "NaN",
    "sNaN",
    "Infinity",
    "1 000 000 000 000,00 €",
    "5 000,50 €",
    "12,345",
    "2026-13-45",
    "0000-00-00",
    "9999-12-31",
    "0001-01-01",
    "31/02/2024",
    "<script>alert('iscg')</script>",
    "'; DROP TABLE conventions_convention; --",
    "٣٤٥",
    "Ⅻ",
    "nul\x00byte",
    "\u202e\u200b",
    "x" * 3000,
]

SOME_DATES = st.dates(min_value=datetime.date(1, 1, 1), max_value=datetime.date(9999, 12, 31))

odd_text = st.one_of(
    st.sampled_from(ODD_STRINGS),
    st.text(max_size=200),
    st.integers().map(str),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
    SOME_DATES.map(datetime.date.isoformat),
    SOME_DATES.map(lambda d: f"{d.day:02d}/{d.month:02d}/{d.year}"),
)

# Django's own messages when the French translation is missing, and a few more.
ENGLISH = re.compile(
    r"\b(This field|Enter a|Ensure|Select a valid|Null characters|No file was|The submitted"
    r"|Please (submit|correct)|is not a valid|must be|cannot be|already exists"
    r"|does not exist|is required|invalid)\b"
)


def english_messages(messages) -> list[str]:
    return [m for m in messages if ENGLISH.search(m)]
