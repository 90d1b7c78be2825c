"""An editable document (``config.core.editable``) as an OpenDocument text (odfpy).

odfpy writes the ODF elements themselves (named styles, ``text:h`` with its outline
level, ``text:note`` footnotes, tables, the master page's header and footer with its
page fields), so nothing here is XML by hand. Every paragraph takes a named style
whose display name is LibreOffice's own (« Title », « Heading 1 », « List Bullet »…)
or the project's (Party, Signatory…); the signatures are a table.
"""

import io

from odf import dc, teletype
from odf.draw import Frame, Image
from odf.opendocument import OpenDocumentText
from odf.style import (
    FontFace,
    Footer,
    GraphicProperties,
    Header,
    ListLevelProperties,
    MasterPage,
    PageLayout,
    PageLayoutProperties,
    ParagraphProperties,
    Style,
    TableCellProperties,
    TableColumnProperties,
    TableProperties,
    TabStop,
    TabStops,
    TextProperties,
)
from odf.table import Table as OdfTable
from odf.table import TableCell, TableColumn, TableRow
from odf.text import (
    H,
    List,
    ListItem,
    ListLevelStyleBullet,
    ListStyle,
    Note,
    NoteBody,
    NoteCitation,
    P,
    PageCount,
    PageNumber,
    Span,
)
from PIL import Image as PilImage

from config.core.editable import (
    Document,
    Footnote,
    Heading,
    Inline,
    ListBlock,
    PageBreak,
    Paragraph,
    SignatureGrid,
    Table,
)
from config.core.editable import Style as Styles

CONTENT_TYPE = "application/vnd.oasis.opendocument.text"

FONT = "Liberation Serif"
SANS = "Liberation Sans"


# LibreOffice's own names for the styles it ships: its « Body Text » is "Text_20_body".
BUILT_IN = {"Body Text": "Text_20_body", "Table Contents": "Table_20_Contents"}


def _id(display_name: str) -> str:
    """The style's name as LibreOffice writes it: "Heading 1" is "Heading_20_1"."""
    return BUILT_IN.get(display_name, display_name.replace(" ", "_20_"))


# (display name, parent, paragraph properties, text properties)
PARAGRAPH_STYLES = [
    ("Standard", None, {"marginbottom": "0.2cm"}, {"fontname": FONT, "fontsize": "11pt"}),
    ("Body Text", "Standard", {"textalign": "justify"}, {}),
    ("Heading", "Standard", {"margintop": "0.4cm", "keepwithnext": "always"}, {}),
    (
        "Title",
        "Heading",
        {"textalign": "center", "marginbottom": "0.4cm"},
        # Capitals by the style, as the PDF's stylesheet does: the title stays as typed.
        {"fontname": SANS, "fontsize": "16pt", "fontweight": "bold", "texttransform": "uppercase"},
    ),
    ("Subtitle", "Heading", {"textalign": "center"}, {"fontsize": "12pt"}),
    ("Heading 1", "Heading", {}, {"fontname": SANS, "fontsize": "12pt", "fontweight": "bold"}),
    (
        "Heading 2",
        "Heading",
        {},
        {"fontname": SANS, "fontsize": "11pt", "fontweight": "bold", "fontstyle": "italic"},
    ),
    ("List Bullet", "Body Text", {}, {}),
    ("List", "Body Text", {"marginleft": "0.6cm"}, {}),
    (Styles.CENTERED, "Standard", {"textalign": "center"}, {"fontweight": "bold"}),
    (Styles.PARTY, "Standard", {"textalign": "justify"}, {}),
    (Styles.NOTE, "Standard", {}, {"fontsize": "9pt", "fontstyle": "italic"}),
    (Styles.QUOTE, "Body Text", {"marginleft": "1cm"}, {}),
    (Styles.SIGNATURE, "Standard", {}, {}),
    (Styles.SIGNATORY, "Standard", {}, {"fontweight": "bold"}),
    (Styles.DRAFT, "Standard", {"textalign": "center"}, {"fontsize": "14pt", "fontweight": "bold"}),
    (Styles.LETTERHEAD, "Standard", {"marginbottom": "0cm"}, {"fontsize": "9pt"}),
    ("Header", "Standard", {}, {"fontsize": "9pt"}),  # its right tab stop: set_up
    ("Footer", "Standard", {"textalign": "center"}, {"fontsize": "9pt"}),
    ("Footnote", "Standard", {}, {"fontsize": "9pt"}),
    ("Table Contents", "Standard", {}, {}),
    ("Table Heading", "Table Contents", {}, {"fontweight": "bold"}),
    ("Caption", "Standard", {}, {"fontstyle": "italic"}),
]
HEADING_STYLES = {1: "Heading 1", 2: "Heading 2"}


def render_odt(document: Document) -> bytes:
    odt = OpenDocumentText()
    writer = _Writer(odt)
    writer.set_up(document)
    if document.letterhead is not None:
        writer.letterhead(document.letterhead)
    if document.draft:
        writer.paragraph(Styles.DRAFT, "PROJET")
    for block in document.blocks:
        writer.block(block)
    buffer = io.BytesIO()
    odt.write(buffer)
    return buffer.getvalue()


class _Writer:
    def __init__(self, odt):
        self.odt = odt
        self.styles: dict[str, Style] = {}
        self.notes = 0
        self.tables = 0
        self.page_break = None

    # Styles, metadata, pages --------------------------------------------------------

    def set_up(self, document: Document) -> None:
        odt = self.odt
        odt.meta.addElement(dc.Title(text=document.title))
        odt.meta.addElement(dc.Creator(text=document.author))
        odt.meta.addElement(dc.Language(text=document.language))
        for name, family in ((FONT, "roman"), (SANS, "swiss")):
            odt.fontfacedecls.addElement(
                FontFace(name=name, fontfamily=f"'{name}'", fontfamilygeneric=family)
            )
        language, _, country = document.language.partition("-")
        default = Style(name="Default", family="paragraph")
        default.addElement(TextProperties(language=language, country=country or "FR"))
        for name, parent, paragraph, text in PARAGRAPH_STYLES:
            style = Style(name=_id(name), displayname=name, family="paragraph")
            if parent:
                style.setAttribute("parentstylename", _id(parent))
            if name in HEADING_STYLES.values():
                style.setAttribute("defaultoutlinelevel", name[-1])
            if paragraph or name == "Header":
                properties = ParagraphProperties(**paragraph)
                if name == "Header":
                    # The title on the left, the reference flush right.
                    stops = TabStops()
                    stops.addElement(TabStop(position="16.6cm", type="right"))
                    properties.addElement(stops)
                style.addElement(properties)
            text = {**text, **({"language": language, "country": country} if not parent else {})}
            if text:
                style.addElement(TextProperties(**text))
            odt.styles.addElement(style)
            self.styles[name] = style
        bullets = ListStyle(name="List_20_Bullet_20_Marks", displayname="List Bullet Marks")
        level = ListLevelStyleBullet(level=1, bulletchar="–")
        level.addElement(ListLevelProperties(spacebefore="0.3cm", minlabelwidth="0.5cm"))
        bullets.addElement(level)
        odt.styles.addElement(bullets)
        self.page_break = Style(name="PageBreak", family="paragraph", parentstylename="Standard")
        self.page_break.addElement(ParagraphProperties(breakbefore="page"))
        odt.automaticstyles.addElement(self.page_break)
        self._pages(document)

    def _pages(self, document: Document) -> None:
        layout = PageLayout(name="A4")
        layout.addElement(
            PageLayoutProperties(
                pagewidth="21cm",
                pageheight="29.7cm",
                printorientation="portrait",
                margintop="1.5cm",
                marginbottom="1.5cm",
                marginleft="2.2cm",
                marginright="2.2cm",
            )
        )
        self.odt.automaticstyles.addElement(layout)
        master = MasterPage(name="Standard", pagelayoutname=layout)
        header = Header()
        line = P(stylename=self.styles["Header"])
        if document.draft:
            line.addElement(Span(text="PROJET", stylename=self._bold()))
            line.addText(" – ")
        teletype.addTextToElement(line, document.header)
        header.addElement(line)
        footer = Footer()
        page = P(stylename=self.styles["Footer"])
        page.addText("page ")
        page.addElement(PageNumber(selectpage="current", text="1"))
        page.addText(" / ")
        page.addElement(PageCount(text="1"))
        footer.addElement(page)
        master.addElement(header)
        master.addElement(footer)
        self.odt.masterstyles.addElement(master)

    def _bold(self) -> Style:
        if "bold" not in self.styles:
            style = Style(name="Strong_20_Emphasis", displayname="Strong Emphasis", family="text")
            style.addElement(TextProperties(fontweight="bold"))
            self.odt.styles.addElement(style)
            self.styles["bold"] = style
        return self.styles["bold"]

    def _italic(self) -> Style:
        if "italic" not in self.styles:
            style = Style(name="Emphasis", family="text")
            style.addElement(TextProperties(fontstyle="italic"))
            self.odt.styles.addElement(style)
            self.styles["italic"] = style
        return self.styles["italic"]

    # Blocks ------------------------------------------------------------------------

    def paragraph(self, style: str, text: str = "", *, container=None):
        element = P(stylename=self.styles[style])
        if text:
            teletype.addTextToElement(element, text)
        (container or self.odt.text).addElement(element)
        return element

    def letterhead(self, letterhead) -> None:
        if letterhead.logo:
            paragraph = self.paragraph(Styles.LETTERHEAD)
            width, height = PilImage.open(io.BytesIO(letterhead.logo)).size
            extension = "png" if letterhead.logo_content_type == "image/png" else "jpg"
            href = self.odt.addPicture(
                f"Pictures/logo.{extension}", letterhead.logo_content_type, letterhead.logo
            )
            frame = Frame(
                width=f"{2 * width / height:.2f}cm",
                height="2cm",
                anchortype="as-char",
                name="Logo",
                stylename=self._frame_style(),
            )
            frame.addElement(Image(href=href))
            paragraph.addElement(frame)
        for line in letterhead.address_lines:
            self.paragraph(Styles.LETTERHEAD, line)

    def _frame_style(self) -> Style:
        style = Style(name="LogoFrame", family="graphic")
        style.addElement(GraphicProperties(verticalpos="top", verticalrel="baseline"))
        self.odt.automaticstyles.addElement(style)
        return style

    def block(self, block) -> None:
        text = self.odt.text
        if isinstance(block, Heading):
            if block.level == 0:
                element = self.paragraph("Title", block.text)
            else:
                element = H(
                    outlinelevel=block.level, stylename=self.styles[HEADING_STYLES[block.level]]
                )
                teletype.addTextToElement(element, block.text)
                text.addElement(element)
        elif isinstance(block, Paragraph):
            self._inline(self.paragraph(block.style), block.parts)
        elif isinstance(block, ListBlock):
            if block.ordered:
                # Items that carry their typed number: indented paragraphs, no bullet.
                for item in block.items:
                    self._inline(self.paragraph("List"), item)
            else:
                bullets = List(stylename="List_20_Bullet_20_Marks")
                for item in block.items:
                    entry = ListItem()
                    self._inline(self.paragraph("List Bullet", container=entry), item)
                    bullets.addElement(entry)
                text.addElement(bullets)
        elif isinstance(block, Table):
            self._table(block)
        elif isinstance(block, SignatureGrid):
            self._signatures(block)
        elif isinstance(block, PageBreak):
            text.addElement(P(stylename=self.page_break))

    def _inline(self, paragraph, parts: tuple[Inline, ...]) -> None:
        for part in parts:
            if isinstance(part, Footnote):
                self.notes += 1
                note = Note(id=f"ftn{self.notes}", noteclass="footnote")
                note.addElement(NoteCitation(text=str(self.notes)))
                body = NoteBody()
                body.addElement(P(stylename=self.styles["Footnote"], text=part.text))
                note.addElement(body)
                paragraph.addElement(note)
            elif part.bold or part.italic:
                span = Span(stylename=self._bold() if part.bold else self._italic())
                teletype.addTextToElement(span, part.text)
                paragraph.addElement(span)
            else:
                teletype.addTextToElement(paragraph, part.text)

    def _new_table(self, name: str, columns: int, *, borders: bool):
        self.tables += 1
        style = Style(name=f"{name}{self.tables}", family="table")
        style.addElement(TableProperties(width="16.6cm", align="center"))
        self.odt.automaticstyles.addElement(style)
        table = OdfTable(name=f"{name}{self.tables}", stylename=style)
        column_style = Style(name=f"{name}{self.tables}.A", family="table-column")
        column_style.addElement(TableColumnProperties(columnwidth=f"{16.6 / columns:.2f}cm"))
        self.odt.automaticstyles.addElement(column_style)
        table.addElement(TableColumn(numbercolumnsrepeated=columns, stylename=column_style))
        cell_style = Style(name=f"{name}{self.tables}.A1", family="table-cell")
        cell_style.addElement(
            TableCellProperties(
                border="0.5pt solid #000000" if borders else "none", padding="0.1cm"
            )
        )
        self.odt.automaticstyles.addElement(cell_style)
        return table, cell_style

    def _table(self, block: Table) -> None:
        if block.caption:
            self.paragraph("Caption", block.caption)
        columns = max(len(row) for row in block.rows)
        table, cell_style = self._new_table("Tableau", columns, borders=True)
        for index, values in enumerate(block.rows):
            row = TableRow()
            heading = block.header and index == 0
            for value in values:
                cell = TableCell(valuetype="string", stylename=cell_style)
                self.paragraph(
                    "Table Heading" if heading else "Table Contents", value, container=cell
                )
                row.addElement(cell)
            table.addElement(row)
        self.odt.text.addElement(table)

    def _signatures(self, grid: SignatureGrid) -> None:
        columns = max(len(row) for row in grid.rows)
        table, cell_style = self._new_table("Signatures", columns, borders=False)
        for boxes in grid.rows:
            row = TableRow()
            for box in boxes:
                cell = TableCell(valuetype="string", stylename=cell_style)
                if box is not None:
                    self.paragraph(Styles.SIGNATORY, box.title, container=cell)
                    if box.capacity:
                        self.paragraph(Styles.SIGNATURE, box.capacity, container=cell)
                    # Room for the signature itself, above the name.
                    self.paragraph(Styles.SIGNATURE, container=cell)
                    self.paragraph(Styles.SIGNATURE, container=cell)
                    self.paragraph(Styles.SIGNATURE, box.name, container=cell)
                else:
                    self.paragraph(Styles.SIGNATURE, container=cell)
                row.addElement(cell)
            table.addElement(row)
        self.odt.text.addElement(table)
