"""The DOCX and ODT documents read like the PDFs and the originals, with real structure.

Each file is read back as Word or LibreOffice would read it: python-docx for the DOCX
(paragraphs with their style, tables, the footnotes part, the header and footer),
odfpy for the ODT (``text:h`` headings, ``text:note`` footnotes, tables, master page).
"""

import io
import zipfile

import pytest
from django.core.management import call_command
from django.urls import reverse
from docx import Document as read_docx
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn
from docx.table import Table as DocxTable
from docx.text.paragraph import Paragraph as DocxParagraph
from lxml import etree
from odf.namespaces import TABLENS, TEXTNS
from odf.opendocument import load as read_odt
from odf.table import Table as OdfTable
from odf.table import TableCell, TableRow
from odf.text import H, Note, NoteBody
from PIL import Image

from config.core.docx import render_docx
from config.core.odt import render_odt
from conventions.agreements.editable import amendment_document, convention_document
from conventions.deliberations.editable import deliberation_document
from conventions.models import CommitteeMember, Convention, Deliberation
from partners.enums import Role
from partners.letterhead import Letterhead
from tests.conventions.factories import (
    AmendmentFactory,
    ArticleChangeFactory,
    ArticleFactory,
    AssociatedPartnerFactory,
    DeliberationFactory,
    PartyFactory,
)
from tests.conventions.pdftext import ERMONT_SEED, NIORT_SEED, seed_text, text_similarity
from tests.partners.factories import UserFactory

pytestmark = pytest.mark.django_db

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ODT = "application/vnd.oasis.opendocument.text"


@pytest.fixture
def demo():
    call_command("load_demo", stdout=io.StringIO())
    return {c.reference: c for c in Convention.objects.for_detail()}


def fresh(convention):
    return Convention.objects.for_detail().get(pk=convention.pk)


def register(number):
    return Deliberation.objects.for_register(Convention.objects.all()).get(number=number)


# Reading the files back --------------------------------------------------------------


class Docx:
    """A DOCX as Word reads it: the body in order, each paragraph with its style."""

    def __init__(self, data: bytes):
        self.word = read_docx(io.BytesIO(data))
        self.blocks = []  # (style, text) of paragraphs, ("table", rows) of tables
        for element in self.word.element.body.iterchildren():
            if element.tag.endswith("}p"):
                paragraph = DocxParagraph(element, self.word)
                self.blocks.append((paragraph.style.name, paragraph.text))
            elif element.tag.endswith("}tbl"):
                table = DocxTable(element, self.word)
                self.blocks.append(
                    ("table", [[cell.text for cell in row.cells] for row in table.rows])
                )

    @property
    def text(self) -> str:
        lines = []
        for style, content in self.blocks:
            if style == "table":
                lines += ["\n".join(cell for cell in row) for row in content]
            else:
                lines.append(content)
        return "\n".join(lines)

    def styled(self, style: str) -> list[str]:
        return [text for name, text in self.blocks if name == style]

    @property
    def tables(self) -> list[list[list[str]]]:
        return [content for style, content in self.blocks if style == "table"]

    @property
    def header(self) -> str:
        return self.word.sections[0].header.paragraphs[0].text

    @property
    def footnotes(self) -> list[str]:
        """The notes of the footnotes part (python-docx keeps it as a plain part)."""
        parts = [
            rel.target_part for rel in self.word.part.rels.values() if rel.reltype == RT.FOOTNOTES
        ]
        if not parts:
            return []
        notes = etree.fromstring(parts[0].blob)
        return [
            "".join(note.itertext()).strip()
            for note in notes
            if note.get(qn("w:type")) is None  # not the separator lines
        ]


PARAGRAPHS = {(TEXTNS, "p"), (TEXTNS, "h")}


def odt_text(element) -> str:
    """The text of a paragraph as it reads, its footnotes left out (``Odt.notes``)."""
    parts = []
    for child in element.childNodes:
        if child.nodeType == child.TEXT_NODE:
            parts.append(child.data)
        elif child.qname == (TEXTNS, "s"):
            parts.append(" " * int(child.getAttrNS(TEXTNS, "c") or 1))
        elif child.qname == (TEXTNS, "tab"):
            parts.append("\t")
        elif child.qname == (TEXTNS, "line-break"):
            parts.append("\n")
        elif child.qname != (TEXTNS, "note"):
            parts.append(odt_text(child))
    return "".join(parts)


class Odt:
    """An ODT as LibreOffice reads it: headings with their level, paragraphs, notes."""

    def __init__(self, data: bytes):
        self.data = data
        self.body = read_odt(io.BytesIO(data)).text

    def paragraphs(self, node=None):
        """Every paragraph and heading in order (in lists and tables too), as elements."""
        for child in (node or self.body).childNodes:
            if child.nodeType != child.ELEMENT_NODE:
                continue
            if child.qname in PARAGRAPHS:
                yield child
            else:
                yield from self.paragraphs(child)

    @property
    def text(self) -> str:
        return "\n".join(odt_text(p) for p in self.paragraphs())

    def headings(self, level: int) -> list[str]:
        return [
            odt_text(h)
            for h in self.body.getElementsByType(H)
            if h.getAttrNS(TEXTNS, "outline-level") == str(level)
        ]

    def styled(self, style: str) -> list[str]:
        return [
            odt_text(p) for p in self.paragraphs() if p.getAttrNS(TEXTNS, "style-name") == style
        ]

    @property
    def styles_xml(self) -> str:
        return zipfile.ZipFile(io.BytesIO(self.data)).read("styles.xml").decode()

    @property
    def notes(self) -> list[str]:
        return [
            odt_text(note.getElementsByType(NoteBody)[0])
            for note in self.body.getElementsByType(Note)
        ]

    def tables(self, prefix: str) -> list[list[list[str]]]:
        return [
            [
                [
                    "\n".join(odt_text(p) for p in self.paragraphs(cell))
                    for cell in row.getElementsByType(TableCell)
                ]
                for row in table.getElementsByType(TableRow)
            ]
            for table in self.body.getElementsByType(OdfTable)
            if table.getAttrNS(TABLENS, "name").startswith(prefix)
        ]


def docx_of(document) -> Docx:
    return Docx(render_docx(document))


def odt_of(document) -> Odt:
    return Odt(render_odt(document))


READERS = {"docx": docx_of, "odt": odt_of}


def plain(text: str) -> str:
    """The text with its non-breaking spaces as spaces, as a reader quotes it."""
    return text.replace("\xa0", " ")


def letterhead(**kwargs) -> Letterhead:
    logo = io.BytesIO()
    Image.new("RGB", (120, 60), "navy").save(logo, "PNG")
    values = {
        "organisation_name": "Commune de Niort",
        "logo": logo.getvalue(),
        "logo_content_type": "image/png",
        "address_lines": ("Mairie de Niort", "1 place Martin Bastard", "79000 NIORT"),
    } | kwargs
    return Letterhead(**values)


# Fidelity ----------------------------------------------------------------------------


@pytest.mark.parametrize("extension", ["docx", "odt"])
def test_the_niort_convention_reads_like_the_seed(demo, extension):
    seed = seed_text(NIORT_SEED)
    seed = seed[seed.index("CONVENTION TRIENNALE DE PARTENARIAT") :]
    document = READERS[extension](convention_document(demo["niort-2021"]))
    assert text_similarity(seed, document.text) >= 0.95


@pytest.mark.parametrize("extension", ["docx", "odt"])
def test_the_ermont_convention_reads_like_the_seed(demo, extension):
    document = READERS[extension](convention_document(demo["ermont-2022"]))
    assert text_similarity(seed_text(ERMONT_SEED), document.text) >= 0.95


@pytest.mark.parametrize("extension", ["docx", "odt"])
def test_the_niort_deliberation_reads_like_the_seed_register(demo, extension):
    seed = seed_text(NIORT_SEED)
    seed = seed[: seed.index("CONVENTION TRIENNALE DE PARTENARIAT")]
    document = READERS[extension](deliberation_document(register("D-2021-313")))
    assert text_similarity(seed, document.text) >= 0.95


# Structure -----------------------------------------------------------------------------


def test_the_docx_title_and_articles_are_styled_headings_numbered_in_order(demo):
    document = docx_of(convention_document(demo["niort-2021"]))
    (title,) = document.styled("Title")
    assert title.startswith("Convention triennale de partenariat\n«")
    articles = document.styled("Heading 1")
    numbers = [int(h.split()[1]) for h in articles if h.startswith("Article")]
    assert numbers == list(range(1, len(numbers) + 1)) and len(numbers) >= 10
    assert "Article\xa01 : Objet" in articles
    # Never a bold body paragraph standing in for a heading.
    assert not any(text.startswith("Article") for text in document.styled("Body Text"))


def test_the_odt_articles_are_level_one_headings_numbered_in_order(demo):
    document = odt_of(convention_document(demo["niort-2021"]))
    articles = [h for h in document.headings(1) if h.startswith("Article")]
    assert [int(h.split()[1]) for h in articles] == list(range(1, len(articles) + 1))
    assert document.styled("Title")[0].startswith("Convention triennale de partenariat")
    assert all(
        h.getAttrNS(TEXTNS, "style-name") == "Heading_20_1"
        for h in document.body.getElementsByType(H)
    )
    assert 'style:display-name="Heading 1"' in document.styles_xml


@pytest.mark.parametrize("extension", ["docx", "odt"])
def test_the_parties_are_written_out_in_their_own_style(demo, extension):
    document = READERS[extension](convention_document(demo["niort-2021"]))
    parties = document.styled("Party")
    assert any(
        party.startswith(
            "La Commune de Niort, représentée par M. Jérôme BALOGE, Maire, dûment habilité par "
            "délibération du conseil municipal du 20 septembre 2021"
        )
        for party in parties
    )
    assert "D’une part," in parties and "D’autre part." in parties
    assert "ENTRE" in document.styled("Centered")


def test_the_docx_signatures_are_a_table_with_each_signatory(demo):
    document = docx_of(convention_document(demo["ermont-2022"]))
    (grid,) = document.tables
    cells = [cell for row in grid for cell in row]
    for title in (
        "Le Préfet du Val d’Oise",
        "La Présidente du Conseil Départemental",
        "Le Directeur Départemental de la Sécurité Publique",
        "Le Président de La Communauté d’Agglomération Val Parisis",
    ):
        assert any(cell.startswith(title) for cell in cells), title
    # The original's grid: the Préfet above the DDSP on the left.
    assert grid[0][0].startswith("Le Préfet") and grid[1][0].startswith("Le Directeur")
    assert "Fait à Cergy-Pontoise" in document.text


def test_the_odt_signatures_are_a_table_with_names_under_titles(demo):
    document = odt_of(convention_document(demo["niort-2021"]))
    (grid,) = document.tables("Signatures")
    cells = [cell for row in grid for cell in row]
    besnard = next(cell for cell in cells if "Jean-Marc BESNARD" in cell)
    assert besnard.startswith("Le Président de l’Association France Victimes 79,")
    assert "Fait à Niort, le 12 octobre 2021" in document.text


def test_footnotes_are_real_notes_called_where_they_were_typed(demo):
    convention = demo["niort-2021"]
    docx = docx_of(convention_document(convention))
    assert "Cf. fiche de poste" in " ".join(docx.footnotes)
    assert "[^" not in docx.text and "Cf. fiche de poste" not in docx.text
    odt = odt_of(convention_document(convention))
    assert "Cf. fiche de poste" in odt.notes
    assert "Cf. fiche de poste" not in odt.text


def test_every_page_has_the_reference_in_its_header_and_its_number_in_its_footer(demo):
    docx = docx_of(convention_document(demo["niort-2021"]))
    assert docx.header.endswith("Réf. niort-2021")
    footer = docx.word.sections[0].footer.paragraphs[0]._p.xml
    assert 'w:instr="PAGE"' in footer and 'w:instr="NUMPAGES"' in footer
    styles = odt_of(convention_document(demo["niort-2021"])).styles_xml
    assert "Réf. niort-2021" in styles
    assert "<text:page-number" in styles and "<text:page-count" in styles


# Draft, consolidation, amendments ------------------------------------------------------


@pytest.mark.parametrize("extension", ["docx", "odt"])
def test_a_signed_convention_never_says_projet(demo, extension):
    data = {"docx": render_docx, "odt": render_odt}[extension](
        convention_document(demo["niort-2021"])
    )
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert not any(b"PROJET" in archive.read(name) for name in archive.namelist())


def test_a_convention_not_signed_by_every_party_says_projet_at_the_top_and_on_every_page(demo):
    convention = demo["niort-2021"]
    convention.parties.filter(order=1).update(signed_on=None)
    document = convention_document(fresh(convention))
    docx = docx_of(document)
    assert docx.blocks[0] == ("Draft", "PROJET")
    assert docx.header.startswith("PROJET")
    odt = odt_of(document)
    assert odt.styled("Draft") == ["PROJET"]
    assert "PROJET" in odt.styles_xml  # the master page's header: every page


def amended_niort(demo):
    amendment = AmendmentFactory(convention=demo["niort-2021"], number=1)
    ArticleChangeFactory(amendment=amendment, article_number=6)
    return fresh(demo["niort-2021"])


@pytest.mark.parametrize("extension", ["docx", "odt"])
def test_the_consolidated_text_integrates_the_amendment_and_the_initial_does_not(demo, extension):
    convention = amended_niort(demo)
    consolidated = plain(READERS[extension](convention_document(convention)).text)
    assert "Texte consolidé intégrant l’avenant n° 1" in consolidated
    assert "à hauteur de 27 000 euros par an" in consolidated
    assert "25 350 euros" not in consolidated
    assert "(Rédaction issue de l’avenant n° 1 du 15 novembre 2022)" in consolidated
    initial = plain(READERS[extension](convention_document(convention, consolidated=False)).text)
    assert "Texte consolidé" not in initial
    assert "25 350 euros" in initial


@pytest.mark.parametrize("extension", ["docx", "odt"])
def test_an_amendment_is_its_own_document(demo, extension):
    convention = amended_niort(demo)
    (amendment,) = convention.amendments.all()
    ArticleChangeFactory(amendment=amendment, delete=True, article_number=10)
    (amendment,) = fresh(convention).amendments.all()
    document = READERS[extension](amendment_document(amendment))
    text = plain(document.text)
    assert document.styled("Title") == ["Avenant n°\xa01"]
    assert "L’article 6 de la convention est remplacé par les dispositions suivantes :" in text
    assert "L’article 10 de la convention est supprimé." in text
    assert "Les autres stipulations de la convention demeurent inchangées." in text
    assert "Fait à Niort, le 15 novembre 2022" in text
    assert any(
        p.startswith("La Commune de Niort, représentée par") for p in document.styled("Party")
    )
    assert "PROJET" not in text


def test_an_amendment_not_yet_signed_says_projet(demo):
    convention = amended_niort(demo)
    convention.amendments.update(signed_on=None)
    (amendment,) = fresh(convention).amendments.all()
    assert docx_of(amendment_document(amendment)).blocks[0] == ("Draft", "PROJET")


# Deliberation --------------------------------------------------------------------------


@pytest.mark.parametrize("extension", ["docx", "odt"])
def test_the_extract_gives_attendance_votes_and_signature_as_the_pdf(demo, extension):
    text = READERS[extension](deliberation_document(register("D-2021-313"))).text
    assert "MONSIEUR JÉRÔME BALOGE" in text
    assert "Monsieur Jérôme BALOGE, Monsieur Dominique SIX, Madame Rose-Marie NIETO" in text
    assert "Secrétaire de séance : Thibault HEBRARD" in text
    assert "Madame Michel PAILLEY" not in text
    assert "Monsieur Michel PAILLEY, ayant donné pouvoir à Monsieur Jérôme BALOGE" in text
    assert "CONSEIL MUNICIPAL DU 20 septembre 2021" in text
    assert "LE CONSEIL ADOPTE" in text
    assert "Pour :\n44" in text and "Excusé :\n1" in text
    assert "Jérôme BALOGE" in text and "Valérie BELY-VOLLAND" in text


def test_the_extract_puts_the_act_on_its_own_page(demo):
    word = docx_of(deliberation_document(register("D-2021-313"))).word
    assert 'w:type="page"' in word.element.body.xml


@pytest.mark.parametrize("extension", ["docx", "odt"])
def test_a_deliberation_only_cited_gives_a_notice(demo, extension):
    text = READERS[extension](deliberation_document(register("3-15"))).text
    assert "Délibération seulement citée par une convention." in text
    assert "(réf.\xa0ermont-2022)" in text
    assert "LE CONSEIL" not in text


# Letterhead, typed text ------------------------------------------------------------------


def test_the_docx_prints_the_letterhead_at_the_top_of_the_first_page(demo):
    document = docx_of(convention_document(demo["niort-2021"], letterhead=letterhead()))
    assert len(document.word.inline_shapes) == 1
    assert [text for _style, text in document.blocks[1:4]] == [
        "Mairie de Niort",
        "1 place Martin Bastard",
        "79000 NIORT",
    ]
    assert document.styled("Letterhead")[1:] == [
        "Mairie de Niort",
        "1 place Martin Bastard",
        "79000 NIORT",
    ]


def test_the_odt_prints_the_letterhead_with_its_logo(demo):
    data = render_odt(deliberation_document(register("D-2021-313"), letterhead=letterhead()))
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert any(name.startswith("Pictures/") for name in archive.namelist())
    document = Odt(data)
    assert document.styled("Letterhead")[1:] == [
        "Mairie de Niort",
        "1 place Martin Bastard",
        "79000 NIORT",
    ]


def test_an_address_without_a_logo_prints_the_address_alone(demo):
    document = docx_of(convention_document(demo["niort-2021"], letterhead=letterhead(logo=None)))
    assert len(document.word.inline_shapes) == 0
    assert document.styled("Letterhead") == [
        "Mairie de Niort",
        "1 place Martin Bastard",
        "79000 NIORT",
    ]


def test_no_letterhead_prints_nothing_in_its_place(demo):
    assert docx_of(convention_document(demo["niort-2021"])).styled("Letterhead") == []


@pytest.mark.parametrize("extension", ["docx", "odt"])
def test_typed_text_stays_text_never_markup(demo, extension):
    niort = demo["niort-2021"]
    ArticleFactory(
        convention=niort, number=13, title="<b>Gras</b>", body='<img src="x.png"> & co[^<i>n</i>]'
    )
    document = READERS[extension](convention_document(fresh(niort)))
    assert "Article\xa013 : <b>Gras</b>" in document.text
    assert '<img src="x.png"> & co' in document.text
    notes = document.footnotes if extension == "docx" else document.notes
    assert "<i>n</i>" in " ".join(notes)


# Views ---------------------------------------------------------------------------------


def client_for(client, user):
    client.force_login(user)
    return client


@pytest.mark.parametrize(("extension", "content_type"), [("docx", DOCX), ("odt", ODT)])
def test_the_view_downloads_the_convention_named_after_its_reference(
    client, demo, extension, content_type
):
    client_for(client, UserFactory(admin=True))
    url = reverse("conventions:convention_editable", args=["niort-2021", extension])
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"] == (
        f'attachment; filename="convention-niort-2021.{extension}"'
    )
    assert zipfile.is_zipfile(io.BytesIO(response.content))


def test_the_view_gives_the_initial_text_on_request(client, demo):
    amended_niort(demo)
    client_for(client, UserFactory(admin=True))
    url = reverse("conventions:convention_editable", args=["niort-2021", "docx"])
    response = client.get(url, {"texte": "initial"})
    assert response["Content-Disposition"].endswith(
        'filename="convention-niort-2021-initiale.docx"'
    )
    assert "Texte consolidé" not in Docx(response.content).text


def test_an_unknown_format_is_not_a_page(client, demo):
    client_for(client, UserFactory(admin=True))
    assert client.get("/conventions/niort-2021/convention.pdf").status_code == 404


def test_the_amendment_view_downloads_the_amendment(client, two_departements):
    convention = two_departements["79"]["convention"]
    ArticleChangeFactory(amendment=AmendmentFactory(convention=convention, number=2))
    client_for(client, two_departements["79"]["users"][Role.DDSP_SECRETARIAT])
    url = reverse("conventions:amendment_editable", args=[convention.reference, 2, "odt"])
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        f'attachment; filename="convention-{convention.reference}-avenant-2.odt"'
    )
    assert "Avenant n°\xa02" in Odt(response.content).text


def test_an_unknown_amendment_number_gets_404(client, two_departements):
    convention = two_departements["79"]["convention"]
    client_for(client, UserFactory(admin=True))
    url = reverse("conventions:amendment_editable", args=[convention.reference, 9, "docx"])
    assert client.get(url).status_code == 404


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("conventions:convention_editable", ["docx"]),
        ("conventions:amendment_editable", [1, "odt"]),
    ],
)
def test_a_user_of_the_other_departement_gets_404(client, two_departements, name, args):
    convention = two_departements["79"]["convention"]
    AmendmentFactory(convention=convention, number=1)
    client_for(client, two_departements["95"]["users"][Role.LOCAL_AUTHORITY])
    assert client.get(reverse(name, args=[convention.reference, *args])).status_code == 404


def test_the_deliberation_view_downloads_the_extract(client, demo):
    client_for(client, UserFactory(admin=True))
    deliberation = Deliberation.objects.get(number="D-2021-313")
    response = client.get(
        reverse("conventions:deliberation_editable", args=[deliberation.pk, "docx"])
    )
    assert response["Content-Type"] == DOCX
    assert response["Content-Disposition"] == 'attachment; filename="deliberation-d-2021-313.docx"'
    assert "LE CONSEIL ADOPTE" in Docx(response.content).text


def test_a_deliberation_out_of_scope_gets_404(client, two_departements):
    deliberation = DeliberationFactory(conventions=[two_departements["79"]["convention"]])
    client_for(client, two_departements["95"]["users"][Role.LOCAL_AUTHORITY])
    url = reverse("conventions:deliberation_editable", args=[deliberation.pk, "odt"])
    assert client.get(url).status_code == 404


def test_the_view_runs_as_many_queries_as_the_pdf(
    client, two_departements, django_assert_num_queries
):
    convention = two_departements["79"]["convention"]
    ArticleChangeFactory(amendment__convention=convention)
    AssociatedPartnerFactory(convention=convention)
    CommitteeMember.objects.create(
        convention=convention, organisation=convention.parties.first().organisation, member="M."
    )
    client_for(client, two_departements["79"]["users"][Role.LOCAL_AUTHORITY])
    url = reverse("conventions:convention_editable", args=[convention.reference, "odt"])
    # The convention PDF's queries (test_convention_pdf): session, user, SAVEPOINT, the
    # user's organisation (scope), the scoped convention, one query per prefetched
    # relation (sections with posts, parties, their organisations and representatives,
    # associated partners and their organisations, references, articles, annexes,
    # amendments with their article, contribution and party changes and the
    # contributions they add, renewals, reporting rules, committee members and their
    # organisations, post holders, sites, renewing conventions and their parties,
    # deliberations), RELEASE SAVEPOINT; the letterhead reads the prefetched parties.
    with django_assert_num_queries(28):
        assert client.get(url).status_code == 200
    for number in range(1, 6):
        ArticleFactory(convention=convention, number=number)
    ArticleChangeFactory(amendment__convention=convention)
    PartyFactory(convention=convention)
    with django_assert_num_queries(28):
        assert client.get(url).status_code == 200


def test_the_detail_pages_link_to_the_editable_documents(client, demo):
    client_for(client, UserFactory(admin=True))
    convention = amended_niort(demo)
    page = client.get(convention.get_absolute_url()).content.decode()
    for extension in ("docx", "odt"):
        url = reverse("conventions:convention_editable", args=["niort-2021", extension])
        assert f'href="{url}"' in page and f'href="{url}?texte=initial"' in page
    page = client.get(reverse("conventions:amendment_detail", args=["niort-2021", 1])).content
    assert reverse("conventions:amendment_editable", args=["niort-2021", 1, "odt"]) in page.decode()
    assert reverse("conventions:amendment_pdf", args=["niort-2021", 1]) in page.decode()
    deliberation = Deliberation.objects.get(number="D-2021-313")
    page = client.get(reverse("conventions:deliberation_detail", args=[deliberation.pk]))
    url = reverse("conventions:deliberation_editable", args=[deliberation.pk, "docx"])
    assert f'href="{url}"' in page.content.decode()
