"""The convention and its amendments as editable documents (DOCX, ODT).

The same words as the PDF, from the same functions (``texts.py``), in the order of
templates/conventions/pdf/convention.html and amendment.html, as a neutral tree
(``config.core.editable``) that the DOCX and ODT writers turn into files.
"""

from config.core.editable import (
    Document,
    Heading,
    Letterhead,
    PageBreak,
    Paragraph,
    Run,
    SignatureCell,
    SignatureGrid,
    Style,
    Table,
    inline,
)
from config.core.formats import euros, french_date, french_number
from config.core.typography import NBSP
from conventions.agreements.texts import CommonText, amendment_text, convention_text


def _parties(document: Document, common: CommonText) -> None:
    block = common.parties_block
    if block.opening:
        document.add(Paragraph.plain(block.opening, Style.CENTERED))
    for index, side in enumerate(block.sides):
        if index and block.group_link:
            document.add(Paragraph.plain(block.group_link, Style.CENTERED))
        for number, clause in enumerate(side.clauses):
            if number and block.member_link:
                document.add(Paragraph.plain(block.member_link, Style.CENTERED))
            document.add(Paragraph.plain(clause, Style.PARTY))
        if side.closing:
            document.add(Paragraph.plain(side.closing, Style.PARTY))
    for wording in common.associated:
        document.add(Paragraph.plain(wording))


def _signatures(document: Document, common: CommonText, signature_date) -> None:
    place = common.convention.place_of_signature or "…"
    document.add(Paragraph.plain(f"Fait à {place}, le {french_date(signature_date)}".rstrip()))
    if common.signature_rows:
        document.add(
            SignatureGrid(
                tuple(
                    tuple(
                        SignatureCell(box.title, box.name, box.capacity) if box else None
                        for box in row
                    )
                    for row in common.signature_rows
                )
            )
        )


def _full_title(convention) -> str:
    return f"{convention.title} {convention.subtitle}".strip()


def convention_document(
    convention, *, consolidated=True, letterhead: Letterhead | None = None
) -> Document:
    """The convention as signed, or consolidated with its amendments; what
    ``render_convention_pdf`` prints. Reads ``Convention.objects.for_detail()``."""
    text = convention_text(convention, consolidated=consolidated)
    common = text.common
    document = Document(
        title=_full_title(convention),
        header=f"{common.title_lines[0]}\tRéf. {convention.reference}",
        draft=text.draft,
        author=common.authors,
        letterhead=letterhead,
    )
    document.add(Heading(0, "\n".join(common.title_lines)))
    if convention.subtitle:
        document.add(Paragraph.plain(convention.subtitle, Style.SUBTITLE))
    if text.consolidation_note:
        document.add(Paragraph.plain(text.consolidation_note, Style.NOTE))
    _parties(document, common)
    if text.preamble.strip():
        document.add(Heading(1, "Préambule"))
        document.add_text(text.preamble)
    for kind, reference in text.references:
        document.add(Paragraph((Run(kind, bold=True), Run(" "), *inline(reference))))
    if convention.agreement_heading:
        document.add(Paragraph.plain(convention.agreement_heading, Style.CENTERED))
    for article in text.articles:
        title = f" : {article.title}" if article.title else ""
        document.add(Heading(1, f"Article{NBSP}{article.number}{title}"))
        if article.amended_by:
            signed = article.amended_by.signed_on
            when = f" du {french_date(signed)}" if signed else ""
            document.add(
                Paragraph.plain(
                    f"(Rédaction issue de l’avenant n°{NBSP}{article.amended_by.number}{when})",
                    Style.NOTE,
                )
            )
        document.add_text(article.body)
    if text.amendment_summaries:
        document.add(Heading(1, "Modifications apportées par les avenants"))
        document.add(*(Paragraph.plain(f"{summary}.") for summary in text.amendment_summaries))
    _signatures(document, common, text.signature_date)
    for annex in text.post_annexes:
        _post_annex(document, annex)
    for annex in text.annexes:
        document.add(PageBreak(), Heading(1, f"Annexe {annex.number} : {annex.title}"))
        document.add_text(annex.body)
    return document


def _fact(label: str, value: str) -> Paragraph:
    return Paragraph((Run(f"{label} : ", bold=True), Run(value)))


def _post_annex(document: Document, annex) -> None:
    post = annex.post
    document.add(PageBreak(), Heading(1, f"Annexe {annex.number} : {post.name}"))
    document.add(
        _fact(
            "Sites d’accueil" if len(annex.sites) > 1 else "Site d’accueil", "\n".join(annex.sites)
        ),
        _fact("Nature du poste", f"{post.get_kind_display()}, département {post.departement}"),
        _fact("Employeur (autorité hiérarchique)", post.employer.name),
        _fact("Temps de travail", f"{french_number(post.fte, 2)}{NBSP}ETP"),
    )
    if annex.rows:
        header = ("Année", "Coût du poste", *annex.columns)
        rows = [
            (
                str(year),
                "non renseigné" if cost is None else euros(cost),
                *("—" if amount is None else euros(amount) for amount in amounts),
            )
            for year, cost, amounts in annex.rows
        ]
        document.add(Table((header, *rows), caption="Coût et financement du poste par année"))
    if annex.in_kind:
        document.add(
            Paragraph.plain(f"Aide en nature (hors montants) : {' ; '.join(annex.in_kind)}.")
        )


def amendment_document(amendment, *, letterhead: Letterhead | None = None) -> Document:
    """One avenant as its own document; what ``render_amendment_pdf`` prints."""
    text = amendment_text(amendment)
    common = text.common
    convention = common.convention
    number = f"n°{NBSP}{amendment.number}"
    document = Document(
        title=f"Avenant {number} à la {_full_title(convention)}",
        header=f"Avenant {number}\tRéf. {convention.reference}",
        draft=text.draft,
        author=common.authors,
        letterhead=letterhead,
    )
    document.add(
        Heading(0, f"Avenant {number}"),
        Paragraph.plain(
            f"à la {' '.join(common.title_lines)} {convention.subtitle}".strip(), Style.SUBTITLE
        ),
    )
    _parties(document, common)
    signed = convention.last_signature_date
    document.add(
        Paragraph(
            (
                Run("Vu", bold=True),
                Run(
                    f" la convention intitulée {_full_title(convention)}"
                    + (f", signée le {french_date(signed)}" if signed else "")
                    + f"{NBSP};"
                ),
            )
        ),
        Paragraph.plain("IL A ÉTÉ CONVENU CE QUI SUIT", Style.CENTERED),
        Heading(1, f"Article{NBSP}1 : Objet de l’avenant"),
    )
    document.add_text(text.object)
    if text.structured_changes:
        start = (
            french_date(amendment.takes_effect_on)
            if amendment.takes_effect_on
            else "jour de sa signature"
        )
        document.add(
            Paragraph.plain(
                f"À compter du {start}, le présent avenant porte les modifications suivantes : "
                f"{' ; '.join(text.structured_changes)}."
            )
        )
    for index, change in enumerate(text.changes, start=2):
        article = change.article_number
        if change.action == "delete":
            document.add(
                Heading(1, f"Article{NBSP}{index} : Suppression de l’article {article}"),
                Paragraph.plain(f"L’article {article} de la convention est supprimé."),
            )
            continue
        if change.action == "insert":
            heading = f"Ajout d’un article {article}"
            lead = f"Il est inséré dans la convention un article {article} ainsi rédigé :"
        else:
            heading = f"Modification de l’article {article}"
            lead = (
                f"L’article {article} de la convention est remplacé par les dispositions "
                "suivantes :"
            )
        title = f" : {change.title}" if change.title else ""
        document.add(
            Heading(1, f"Article{NBSP}{index} : {heading}"),
            Paragraph.plain(lead),
            Paragraph.plain(f"«{NBSP}Article {article}{title}", Style.QUOTE),
        )
        start = len(document.blocks)
        document.add_text(change.body)
        # The new wording is a quotation: every paragraph of it in the Quote style.
        document.blocks[start:] = [
            Paragraph(block.parts, Style.QUOTE) if isinstance(block, Paragraph) else block
            for block in document.blocks[start:]
        ]
    document.add(
        Heading(1, f"Article{NBSP}{len(text.changes) + 2} : Autres stipulations"),
        Paragraph.plain("Les autres stipulations de la convention demeurent inchangées."),
    )
    _signatures(document, common, text.signature_date)
    return document
