"""French typography and the reading of a typed text, shared by every document format.

The PDF (``config.core.documents``) and the editable formats (``config.core.editable``)
both read a typed text here, so that a paragraph, a list item or a footnote is the
same thing in a PDF, a DOCX and an ODT.
"""

import re

NBSP = "\u00a0"
FRENCH_SPACING = [
    (re.compile(r" ([:;!?»])"), NBSP + r"\1"),
    (re.compile(r"« "), "«" + NBSP),
    (re.compile(r"(\d) (?=\d{3}\b)"), r"\1" + NBSP),  # 25 350
    (re.compile(r"(\d) (€|euros?\b|ETP\b|heures\b|ans\b|mois\b)"), r"\1" + NBSP + r"\2"),
    (re.compile(r"\b(n°|N°|Article|article) (\d)"), r"\1" + NBSP + r"\2"),
    (re.compile(r"\b(\d{5}) (?=[A-ZÉ])"), r"\1" + NBSP),  # 79000 NIORT
]


def french_spacing(text: str) -> str:
    """Non-breaking spaces where French typography wants them (before « : », in amounts).

    The words stay as typed; only the spaces change, so that "13 000 €" or
    "Article 4" never break across lines.
    """
    for pattern, replacement in FRENCH_SPACING:
        text = pattern.sub(replacement, text)
    return text


# A footnote is typed where its call goes, its text in the brackets:
# « une prise en charge globale[^Cf. fiche de poste]. »
FOOTNOTE = re.compile(r"\[\^([^\[\]]*)\]")


def footnote_parts(text: str) -> list[tuple[str, str | None]]:
    """``text`` cut at its footnotes: (the text before the call, the note or None).

    An empty ``[^]`` is kept as typed: a number with no note under it would send
    the reader nowhere.
    """
    parts, last = [], 0
    for match in FOOTNOTE.finditer(text):
        note = match[1].strip()
        if not note:
            continue
        parts.append((text[last : match.start()], note))
        last = match.end()
    parts.append((text[last:], None))
    return parts


NUMBERED_ITEM = re.compile(r"^\d+[.)] ")
DASHES = ("- ", "– ", "• ")


def split_blocks(body: str) -> list[tuple[str, tuple[str, ...]]]:
    """A typed text as (kind, lines), French spacing applied: one line is one paragraph
    ("p"), consecutive lines starting with "- " are a list ("ul", the dash dropped),
    "1. " a list whose items keep their typed number ("ol")."""
    blocks: list[tuple[str, tuple[str, ...]]] = []
    for raw in body.splitlines():
        line = raw.strip()
        if not line:
            continue
        if line.startswith(DASHES):
            kind, line = "ul", line[2:].strip()
        elif NUMBERED_ITEM.match(line):
            kind = "ol"
        else:
            kind = "p"
        line = french_spacing(line)
        if kind != "p" and blocks and blocks[-1][0] == kind:
            blocks[-1] = (kind, (*blocks[-1][1], line))
        else:
            blocks.append((kind, (line,)))
    return blocks
