"""Editable documents (DOCX, ODT): a neutral tree that both writers read.

An app builds its document once as this tree (``conventions.agreements.editable``…),
from the same data functions as its PDF; ``config.core.docx`` and ``config.core.odt``
turn the tree into a file with real named styles (Title, Heading 1, List Bullet,
a table for the signatures, footnotes), never spaces for layout. The typed text
only ever becomes text: nothing in it is markup.

A typed text is read as the PDF reads it (``config.core.typography``): one line a
paragraph, "- " and "1. " lists, ``[^note]`` footnotes.
"""

from dataclasses import dataclass, field
from typing import Protocol

from config.core.typography import footnote_parts, split_blocks

# The tree ---------------------------------------------------------------------------


class Style:
    """The paragraph styles a document may ask for (named styles in both formats).

    Heading levels are ``Heading``'s; these are the body's other kinds of paragraph.
    """

    BODY = "Body Text"
    SUBTITLE = "Subtitle"
    CENTERED = "Centered"  # « ENTRE », « ET », « IL A ÉTÉ CONVENU CE QUI SUIT »
    PARTY = "Party"
    NOTE = "Note"  # "(Rédaction issue de l'avenant n° 1)", a notice
    QUOTE = "Quote"  # the new wording an amendment writes
    SIGNATURE = "Signature"
    SIGNATORY = "Signatory"
    DRAFT = "Draft"  # « PROJET » at the top of a draft
    LETTERHEAD = "Letterhead"
    LIST_TEXT = "List"  # items that carry their own typed number


@dataclass(frozen=True)
class Run:
    text: str
    bold: bool = False
    italic: bool = False


@dataclass(frozen=True)
class Footnote:
    """A note called at this point of its paragraph, printed at the foot of the page."""

    text: str


Inline = Run | Footnote


@dataclass(frozen=True)
class Paragraph:
    parts: tuple[Inline, ...]
    style: str = Style.BODY

    @classmethod
    def typed(cls, text: str, style: str = Style.BODY) -> "Paragraph":
        """A typed text whose ``[^notes]`` become footnotes."""
        return cls(inline(text), style)

    @classmethod
    def plain(cls, text: str, style: str = Style.BODY, *, bold=False) -> "Paragraph":
        return cls((Run(text, bold=bold),), style)


def inline(text: str) -> tuple[Inline, ...]:
    parts: list[Inline] = []
    for before, note in footnote_parts(text):
        if before:
            parts.append(Run(before))
        if note is not None:
            parts.append(Footnote(note))
    return tuple(parts)


@dataclass(frozen=True)
class Heading:
    """Level 0 is the document's title (one line a ``lines`` item), 1 and 2 headings."""

    level: int
    text: str

    @property
    def lines(self) -> list[str]:
        return self.text.split("\n")


@dataclass(frozen=True)
class ListBlock:
    ordered: bool  # its items carry their typed number ("1. ") rather than a bullet
    items: tuple[tuple[Inline, ...], ...]


@dataclass(frozen=True)
class Table:
    rows: tuple[tuple[str, ...], ...]
    header: bool = True  # the first row heads the columns
    caption: str = ""


@dataclass(frozen=True)
class SignatureCell:
    title: str
    name: str
    capacity: str = ""


@dataclass(frozen=True)
class SignatureGrid:
    """The signature boxes, row by row; an empty cell is None (a party's place is kept)."""

    rows: tuple[tuple[SignatureCell | None, ...], ...]


@dataclass(frozen=True)
class PageBreak:
    pass


Block = Heading | Paragraph | ListBlock | Table | SignatureGrid | PageBreak


class Letterhead(Protocol):
    """What the first page prints above everything: the logo and the address lines.

    An organisation's ``partners.letterhead.Letterhead`` is one; the shared core may
    not import it (it is a layer above), so it only says what it reads.
    """

    logo: bytes | None
    logo_content_type: str | None  # "image/png" or "image/jpeg"
    address_lines: tuple[str, ...]


@dataclass
class Document:
    title: str  # the file's metadata title
    header: str  # the running header, after « PROJET » on a draft
    draft: bool = False
    author: str = ""
    language: str = "fr-FR"
    letterhead: Letterhead | None = None
    blocks: list[Block] = field(default_factory=list)

    def add(self, *blocks: Block) -> None:
        self.blocks.extend(blocks)

    def add_text(self, body: str) -> None:
        """A typed text: its paragraphs and lists (``split_blocks``)."""
        for kind, lines in split_blocks(body):
            if kind == "p":
                self.blocks.append(Paragraph.typed(lines[0]))
            else:
                self.blocks.append(ListBlock(kind == "ol", tuple(inline(line) for line in lines)))
