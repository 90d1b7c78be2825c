"""The extract of the register (or the notice of a deliberation only cited) as an
editable document (DOCX, ODT): what ``render_deliberation_pdf`` prints, from the same
``register_extract``, in the order of templates/conventions/pdf/deliberation.html."""

from config.core.editable import (
    Document,
    Heading,
    Letterhead,
    ListBlock,
    PageBreak,
    Paragraph,
    Run,
    Style,
    Table,
)
from config.core.formats import french_date
from config.core.typography import NBSP
from conventions.deliberations.documents import register_extract


def deliberation_document(deliberation, *, letterhead: Letterhead | None = None) -> Document:
    """Reads ``Deliberation.objects.for_register(conventions)``."""
    extract = register_extract(deliberation)
    number = f"Délibération n°{NBSP}{deliberation.number}"
    organisation = extract["organisation"].name
    reference_only = deliberation.is_reference_only
    document = Document(
        title=f"{number} – {extract['object']}" if extract["object"] else number,
        header=(
            f"{organisation} – "
            f"{'Délibération citée' if reference_only else extract['register_title']}\t{number}"
        ),
        author=extract["authors"],
        letterhead=letterhead,
    )
    if reference_only:
        _notice(document, extract, number)
    else:
        _session(document, extract, number)
        document.add(PageBreak())
        _act(document, extract, number)
    _legality(document, deliberation)
    return document


def _session(document: Document, extract: dict, number: str) -> None:
    """The first page: who sat, who was excused, who gave a proxy."""
    attendance = extract["attendance"]
    document.add(Heading(0, number))
    if extract["object"]:
        document.add(Paragraph.plain(extract["object"], Style.SUBTITLE))
    document.add(
        Heading(2, "Président :"),
        Paragraph.plain(attendance["president"] or "non indiqué"),
        Heading(2, "Présents :"),
        Paragraph.plain(attendance["present"] or "feuille de présence non saisie"),
    )
    if attendance["secretaries"]:
        label = (
            "Secrétaires de séance" if attendance["secretary_count"] > 1 else "Secrétaire de séance"
        )
        document.add(Paragraph((Run(f"{label} : ", bold=True), Run(attendance["secretaries"]))))
    for key, label in (
        ("proxies", "Excusés ayant donné pouvoir :"),
        ("excused", "Excusés :"),
        ("absent", "Absents :"),
    ):
        if attendance[key]:
            document.add(Heading(2, label), Paragraph.plain(attendance[key]))
    if attendance["in_office"]:
        in_office = attendance["in_office"]
        document.add(Paragraph.plain(f"{in_office[:1].upper()}{in_office[1:]}."))


def _act(document: Document, extract: dict, number: str) -> None:
    """The second page: the act itself, its vote and its signatures."""
    deliberation = extract["deliberation"]
    document.add(
        Paragraph.plain(extract["session_heading"], Style.CENTERED),
        Heading(1, number),
    )
    document.add(
        Table(((deliberation.service, extract["object"]),), header=False),
    )
    if extract["exposes"]:
        document.add(Paragraph.plain(extract["exposes"]))
    document.add_text(extract["report_text"])
    if extract["decisions"]:
        document.add(ListBlock(False, tuple((Run(d),) for d in extract["decisions"])))
    if extract["result"]:
        document.add(Paragraph.plain(extract["result"], bold=True))
    if extract["votes"]:
        document.add(
            Table(
                tuple((f"{label} :", str(count)) for label, count in extract["votes"]), header=False
            )
        )
        if deliberation.secret_ballot:
            document.add(Paragraph.plain("Scrutin secret."))
    lines = []
    if deliberation.signer_for or deliberation.signer_name:
        if deliberation.signer_for:
            lines += [deliberation.signer_for, deliberation.signer_for_name]
        lines += [
            deliberation.signer_capacity,
            deliberation.signed_mention,
            deliberation.signer_name,
        ]
    else:
        lines = list(extract["signatory_lines"] or ())
    document.add(*(Paragraph.plain(line, Style.SIGNATURE) for line in lines if line))
    if extract["register_signatures"]:
        document.add(Paragraph.plain(extract["register_signatures"]))


def _notice(document: Document, extract: dict, number: str) -> None:
    organisation = extract["organisation"].name
    document.add(
        Paragraph.plain(extract["session_heading"], Style.CENTERED),
        Heading(0, number),
        Paragraph.plain(organisation, Style.SUBTITLE),
    )
    if extract["object"]:
        document.add(Paragraph.plain(extract["object"]))
    document.add(
        Paragraph(
            (
                Run("Délibération seulement citée par une convention.", bold=True),
                Run(
                    " Son texte n’est pas enregistré dans l’application : seuls son numéro, sa "
                    "date, l’assemblée qui l’a adoptée et son objet sont connus. Ce document "
                    "n’est pas un extrait du registre ; le texte fait foi tel que l’a adopté "
                    f"l’organisation délibérante : {organisation}."
                ),
            ),
            Style.NOTE,
        )
    )
    if extract["conventions"]:
        document.add(
            Heading(2, "Citée par"),
            ListBlock(
                False,
                tuple(
                    (
                        Run(
                            f"{c.title}{' ' + c.subtitle if c.subtitle else ''}"
                            f" (réf.{NBSP}{c.reference})"
                        ),
                    )
                    for c in extract["conventions"]
                ),
            ),
        )


def _legality(document: Document, deliberation) -> None:
    """ "Transmis en préfecture le …", "Publié le …", "Certifié exécutoire …" when known."""
    if deliberation.transmitted_on:
        receipt = (
            f" (accusé de réception @ctes n°{NBSP}{deliberation.actes_id})"
            if deliberation.actes_id
            else ""
        )
        document.add(
            Paragraph.plain(
                f"Transmis en préfecture le {french_date(deliberation.transmitted_on)}{receipt}."
            )
        )
    if deliberation.published_on:
        where = f" sur {deliberation.publication_url}" if deliberation.publication_url else ""
        document.add(Paragraph.plain(f"Publié le {french_date(deliberation.published_on)}{where}."))
    if (deliberation.transmitted_on or deliberation.published_on) and deliberation.enforceable_on:
        document.add(
            Paragraph.plain(
                f"Certifié exécutoire à compter du {french_date(deliberation.enforceable_on)}."
            )
        )
