"""An editable document (``config.core.editable``) as a Word file (python-docx).

Every paragraph takes a named style (Title, Heading 1, List Bullet, the project's
Party, Signatory…) so that a reader who edits the file keeps its structure; the
signatures are a table. python-docx has no footnote API: the footnotes part is
written here as WordprocessingML (``w:footnotes``, the part Word itself writes),
so that a note stays a real footnote, at the foot of its page and renumbered by
Word when the text changes, rather than a « Notes » list that an edit would
silently leave out of step.
"""

import io

from docx import Document as new_docx
from docx.enum.section import WD_SECTION_START
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_TAB_ALIGNMENT
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import XmlPart
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Pt, RGBColor, Twips

from config.core.editable import (
    Document,
    Footnote,
    Heading,
    Inline,
    ListBlock,
    PageBreak,
    Paragraph,
    SignatureGrid,
    Style,
    Table,
)

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

# The project's own styles: (name, based on, size, bold, italic, alignment).
PARAGRAPH_STYLES = [
    (Style.CENTERED, "Normal", None, True, False, WD_ALIGN_PARAGRAPH.CENTER),
    (Style.PARTY, "Normal", None, False, False, WD_ALIGN_PARAGRAPH.JUSTIFY),
    (Style.NOTE, "Normal", 9, False, True, None),
    (Style.SIGNATURE, "Normal", None, False, False, None),
    (Style.SIGNATORY, "Normal", None, True, False, None),
    (Style.DRAFT, "Normal", 14, True, False, WD_ALIGN_PARAGRAPH.CENTER),
    (Style.LETTERHEAD, "Normal", 9, False, False, None),
    ("Footnote Text", "Normal", 9, False, False, None),
]


def render_docx(document: Document) -> bytes:
    word = new_docx()
    _set_up_styles(word, document.language)
    _set_up_pages(word, document)
    properties = word.core_properties
    properties.title = document.title
    properties.author = document.author
    properties.language = document.language
    properties.comments = ""
    footnotes = _Footnotes(word)
    if document.letterhead is not None:
        _letterhead(word, document.letterhead)
    if document.draft:
        word.add_paragraph("PROJET", style=Style.DRAFT)
    for block in document.blocks:
        _block(word, block, footnotes)
    buffer = io.BytesIO()
    word.save(buffer)
    return buffer.getvalue()


# Styles and pages ------------------------------------------------------------------


def _set_up_styles(word, language: str) -> None:
    styles = word.styles
    normal = styles["Normal"]
    normal.font.name = "Liberation Serif"
    normal.font.size = Pt(11)
    normal.paragraph_format.space_after = Pt(6)
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), language)
    normal.element.get_or_add_rPr().append(lang)
    styles["Body Text"].paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    for name in ("Title", "Heading 1", "Heading 2", "Subtitle"):
        styles[name].font.color.rgb = RGBColor(0, 0, 0)
    styles["Title"].paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    # Capitals by the style, as the PDF's stylesheet does: the title stays as typed.
    styles["Title"].font.all_caps = True
    styles["Subtitle"].paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for name, base, size, bold, italic, alignment in PARAGRAPH_STYLES:
        style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = styles[base]
        style.font.bold, style.font.italic = bold, italic
        if size:
            style.font.size = Pt(size)
        if alignment is not None:
            style.paragraph_format.alignment = alignment
    reference = styles.add_style("Footnote Reference", WD_STYLE_TYPE.CHARACTER)
    reference.font.superscript = True


def _set_up_pages(word, document: Document) -> None:
    section = word.sections[0]
    section.start_type = WD_SECTION_START.NEW_PAGE
    section.page_height, section.page_width = Cm(29.7), Cm(21)
    section.left_margin = section.right_margin = Cm(2.2)
    section.top_margin, section.bottom_margin = Cm(2.2), Cm(2)
    header = section.header.paragraphs[0]
    header.style = word.styles["Header"]
    # The title on the left, the reference flush right: Word's Header style has a centre
    # stop that would take the tab first.
    header.paragraph_format.tab_stops.add_tab_stop(Twips(4680), WD_TAB_ALIGNMENT.CLEAR)
    header.paragraph_format.tab_stops.add_tab_stop(Cm(16.6), WD_TAB_ALIGNMENT.RIGHT)
    if document.draft:
        header.add_run("PROJET").bold = True
        header.add_run(" – ")
    header.add_run(document.header)
    footer = section.footer.paragraphs[0]
    footer.style = word.styles["Footer"]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.add_run("page ")
    _field(footer, "PAGE", "1")
    footer.add_run(" / ")
    _field(footer, "NUMPAGES", "1")


def _field(paragraph, instruction: str, placeholder: str) -> None:
    """A field Word computes when it lays out the page (the page number, the count)."""
    field = parse_xml(
        f'<w:fldSimple {nsdecls("w")} w:instr="{instruction}">'
        f"<w:r><w:t>{placeholder}</w:t></w:r></w:fldSimple>"
    )
    paragraph._p.append(field)


def _letterhead(word, letterhead) -> None:
    if letterhead.logo:
        word.add_picture(io.BytesIO(letterhead.logo), height=Cm(2))
        word.paragraphs[-1].style = word.styles[Style.LETTERHEAD]
    for line in letterhead.address_lines:
        word.add_paragraph(line, style=Style.LETTERHEAD)


# Blocks ------------------------------------------------------------------------------


def _block(word, block, footnotes) -> None:
    if isinstance(block, Heading):
        if block.level == 0:
            paragraph = word.add_paragraph(style="Title")
            for index, line in enumerate(block.lines):
                if index:
                    paragraph.add_run().add_break(WD_BREAK.LINE)
                paragraph.add_run(line)
        else:
            word.add_heading(block.text, level=block.level)
    elif isinstance(block, Paragraph):
        _inline(word.add_paragraph(style=block.style), block.parts, footnotes)
    elif isinstance(block, ListBlock):
        # Items that carry their typed number ("1. ") take a list style that adds none.
        style = "List" if block.ordered else "List Bullet"
        for item in block.items:
            _inline(word.add_paragraph(style=style), item, footnotes)
    elif isinstance(block, Table):
        _table(word, block)
    elif isinstance(block, SignatureGrid):
        _signatures(word, block)
    elif isinstance(block, PageBreak):
        word.add_page_break()


def _inline(paragraph, parts: tuple[Inline, ...], footnotes) -> None:
    for part in parts:
        if isinstance(part, Footnote):
            footnotes.call(paragraph, part.text)
        else:
            run = paragraph.add_run(part.text)
            run.bold = part.bold or None
            run.italic = part.italic or None


def _table(word, block: Table) -> None:
    if block.caption:
        word.add_paragraph(block.caption, style="Caption")
    columns = max(len(row) for row in block.rows)
    table = word.add_table(rows=0, cols=columns)
    table.style = word.styles["Table Grid"]
    for index, values in enumerate(block.rows):
        cells = table.add_row().cells
        for cell, value in zip(cells, values, strict=False):
            cell.text = value
            if block.header and index == 0:
                for run in cell.paragraphs[0].runs:
                    run.bold = True
    if block.header:
        _repeat_as_header(table.rows[0])


def _repeat_as_header(row) -> None:
    """The first row heads the columns (and repeats on a new page)."""
    properties = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)


def _signatures(word, grid: SignatureGrid) -> None:
    columns = max(len(row) for row in grid.rows)
    table = word.add_table(rows=0, cols=columns)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for boxes in grid.rows:
        cells = table.add_row().cells
        for cell, box in zip(cells, boxes, strict=False):
            if box is None:
                continue
            cell.paragraphs[0].style = word.styles[Style.SIGNATORY]
            cell.paragraphs[0].add_run(box.title)
            if box.capacity:
                cell.add_paragraph(box.capacity, style=Style.SIGNATURE)
            # Room for the signature itself, above the name.
            name = cell.add_paragraph(box.name, style=Style.SIGNATURE)
            name.paragraph_format.space_before = Pt(36)


# Footnotes --------------------------------------------------------------------------

FOOTNOTES_XML = (
    f"<w:footnotes {nsdecls('w')}>"
    # The separator lines Word draws above the notes: ids -1 and 0 by convention.
    '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
    '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/>'
    "</w:r></w:p></w:footnote>"
    "</w:footnotes>"
)


class _Footnotes:
    """The footnotes part, created with the first note."""

    def __init__(self, word):
        self.word = word
        self.part = None
        self.count = 0

    def call(self, paragraph, text: str) -> None:
        if self.part is None:
            document_part = self.word.part
            self.part = XmlPart(
                PackURI("/word/footnotes.xml"),
                CT.WML_FOOTNOTES,
                parse_xml(FOOTNOTES_XML),
                document_part.package,
            )
            document_part.relate_to(self.part, RT.FOOTNOTES)
        self.count += 1
        note_id = str(self.count)
        reference = OxmlElement("w:footnoteReference")
        reference.set(qn("w:id"), note_id)
        run = paragraph.add_run(style="Footnote Reference")
        run._r.append(reference)
        note = OxmlElement("w:footnote")
        note.set(qn("w:id"), note_id)
        body = OxmlElement("w:p")
        properties = OxmlElement("w:pPr")
        style = OxmlElement("w:pStyle")
        style.set(qn("w:val"), self.word.styles["Footnote Text"].style_id)
        properties.append(style)
        body.append(properties)
        body.append(_run_xml(self.word, footnote_ref=True))
        body.append(_run_xml(self.word, text=" " + text))
        note.append(body)
        self.part.element.append(note)


def _run_xml(word, *, text: str = "", footnote_ref: bool = False):
    run = OxmlElement("w:r")
    if footnote_ref:
        properties = OxmlElement("w:rPr")
        style = OxmlElement("w:rStyle")
        style.set(qn("w:val"), word.styles["Footnote Reference"].style_id)
        properties.append(style)
        run.append(properties)
        run.append(OxmlElement("w:footnoteRef"))
    else:
        element = OxmlElement("w:t")
        element.set(qn("xml:space"), "preserve")
        element.text = text
        run.append(element)
    return run
