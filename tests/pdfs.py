"""PDF helpers for the tests: a real one-page PDF for the uploads (the product parses what
it receives); what a screen reader finds in a rendered document (its tags)."""

import io
from dataclasses import dataclass

from pypdf import PdfReader, PdfWriter


def one_page_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


ONE_PAGE_PDF = one_page_pdf()


@dataclass
class Tagging:
    """What makes a PDF readable by a screen reader (PDF/UA-1): a structure tree, marked
    content, its language and its title, shown instead of the file name."""

    lang: str | None
    marked: bool
    display_title: bool
    title: str | None
    structure: list[tuple[str, list[str]]]  # (tag, the tags under it) of every element


def _element_tags(element) -> list[str]:
    """The tags of the structure elements under ``element``, depth first."""
    kids = element.get("/K")
    kids = kids.get_object() if kids is not None else []
    tags = []
    for kid in kids if isinstance(kids, list) else [kids]:
        kid = kid.get_object() if hasattr(kid, "get_object") else kid
        if hasattr(kid, "keys") and "/S" in kid:
            tags.append(str(kid["/S"]))
            tags.extend(_element_tags(kid))
    return tags


def _elements(element):
    yield element
    kids = element.get("/K")
    kids = kids.get_object() if kids is not None else []
    for kid in kids if isinstance(kids, list) else [kids]:
        kid = kid.get_object() if hasattr(kid, "get_object") else kid
        if hasattr(kid, "keys") and "/S" in kid:
            yield from _elements(kid)


def tagging(data: bytes) -> Tagging:
    reader = PdfReader(io.BytesIO(data))
    root = reader.trailer["/Root"]
    tree = root.get("/StructTreeRoot")
    structure = []
    if tree is not None:
        for element in _elements(tree.get_object()):
            if "/S" in element:
                structure.append((str(element["/S"]), _element_tags(element)))
    return Tagging(
        lang=root.get("/Lang"),
        marked=bool(root.get("/MarkInfo", {}).get("/Marked")),
        display_title=bool(root.get("/ViewerPreferences", {}).get("/DisplayDocTitle")),
        title=reader.metadata.title if reader.metadata else None,
        structure=structure,
    )
