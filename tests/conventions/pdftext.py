"""Reading a rendered PDF back as a reader would (pypdf), and comparing it with a seed.

Shared by the convention and deliberation PDF tests: one normalisation, so that
both fidelity ratios mean the same thing.
"""

import difflib
import io
import re
import unicodedata
from pathlib import Path

from pypdf import PdfReader
from pypdf.generic import ContentStream

# Copies of the two seed documents (text extracted from the original PDFs).
SEEDS_DIR = Path(__file__).parent / "seeds"
NIORT_SEED = "000_d7d122a64a72f610.txt"
ERMONT_SEED = "002_1227ec57b4791c86.txt"

PAGE_FOOTER = re.compile(r"^\s*page \d+ / \d+\s*$")
# The running header of conventions and amendments ends with their reference.
CONVENTION_HEADER = re.compile(r"Réf\. [\w-]+\s*$")


def seed_text(name: str) -> str:
    return (SEEDS_DIR / name).read_text(encoding="utf-8")


def pdf_pages(data: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


def text_runs(data: bytes, page: int) -> list[tuple[float, float, str]]:
    """(x, y, text) of each run of text on a page, where a reader sees it: x from the
    left edge, y growing down the page (WeasyPrint's text matrices)."""
    runs = []

    def visit(text, cm, tm, font_dict, font_size):
        if text.strip():
            runs.append((tm[4], tm[5], text.strip()))

    PdfReader(io.BytesIO(data)).pages[page].extract_text(visitor_text=visit)
    return runs


def body_text(data: bytes, header: re.Pattern = CONVENTION_HEADER) -> str:
    """The text a reader reads, without running headers and footers."""
    lines = []
    for page in pdf_pages(data):
        lines += [
            line
            for line in page.splitlines()
            if not PAGE_FOOTER.match(line) and not header.search(line)
        ]
    return "\n".join(lines)


def flat(data: bytes, header: re.Pattern = CONVENTION_HEADER) -> str:
    """The body text on one line, as a reader would quote it.

    Undoes two artefacts of reading a PDF back: the hyphen WeasyPrint puts where
    it cuts a word at a line end ("re‐\\nprésentée"), and the space pypdf inserts
    between a kerned "L" and its apostrophe ("L ’État").
    """
    text = re.sub(r"(\w)\u2010\s*\n\s*(\w)", r"\1\2", body_text(data, header))
    text = re.sub(r"\b([LlDd]) ’", r"\1’", text)
    return " ".join(text.split())


QUOTES_AND_DASHES = str.maketrans("’‘«»“”–—‐‑", '\'\'""""----')


def words(text: str) -> list[str]:
    """Lowercase words, with quotes, dashes and punctuation unified or dropped.

    A word cut by a hyphen at the end of a line ("Préfec-\\nture") is joined again,
    in the seed (Word's hyphenation) as in the PDF (WeasyPrint's).
    """
    text = unicodedata.normalize("NFC", text).replace("\u00ad", "").translate(QUOTES_AND_DASHES)
    text = re.sub(r"(\w) ?-\n\s*(\w)", r"\1\2", text)
    return re.findall(r"\w+", text.lower().replace("œ", "oe"))


def text_similarity(seed: str, text: str) -> float:
    """Word-sequence similarity (difflib ratio) of the seed and a document's text, in
    whatever format the document was read from (PDF, DOCX, ODT)."""
    return difflib.SequenceMatcher(None, words(seed), words(text), autojunk=False).ratio()


def similarity(seed: str, pdf: bytes, header: re.Pattern = CONVENTION_HEADER) -> float:
    """Word-sequence similarity of the seed and the PDF's body text."""
    return text_similarity(seed, body_text(pdf, header))


def drawn_images(data: bytes) -> list[list[tuple[int, int]]]:
    """The (width, height) in pixels of each image drawn on each page.

    A page's resources may list images it does not draw (WeasyPrint shares them
    between pages), so the content streams are read: each ``Do`` of an image, and
    the images drawn inside a form drawn by the page.
    """

    def images_in(stream, resources) -> list[tuple[int, int]]:
        objects = resources.get("/XObject", {}) if resources else {}
        found = []
        for operands, operator in ContentStream(stream, reader).operations:
            if operator != b"Do" or operands[0] not in objects:
                continue
            xobject = objects[operands[0]].get_object()
            if xobject["/Subtype"] == "/Image":
                found.append((int(xobject["/Width"]), int(xobject["/Height"])))
            elif xobject["/Subtype"] == "/Form":
                found += images_in(xobject, xobject.get("/Resources"))
        return found

    reader = PdfReader(io.BytesIO(data))
    return [images_in(page.get_contents(), page.get("/Resources")) for page in reader.pages]
