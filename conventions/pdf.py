"""Conventions, amendments and deliberations as printed documents (WeasyPrint).

One function per document. The HTML comes from templates/conventions/pdf/, each
document's print stylesheet from static/css/print/ (convention.css,
deliberation.css, both importing fonts.css), the fonts from static/fonts/.
WeasyPrint may read files under static/ and nothing else: no network access,
ever, whatever a template or a stylesheet asks for.
"""

import functools
import logging
import mimetypes
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.template.loader import render_to_string
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration

from partners.enums import Civility
from partners.formats import french_date

logger = logging.getLogger(__name__)

STATIC_DIR = Path(settings.BASE_DIR) / "static"
PRINT_CSS_DIR = STATIC_DIR / "css" / "print"

# Tagged PDF with a title and a language: readable by screen readers (PDF/UA-1).
PDF_OPTIONS = {"pdf_variant": "pdf/ua-1"}


class PdfRenderError(Exception):
    """WeasyPrint could not produce the document (logged with its cause)."""


class ForbiddenResource(ValueError):
    pass


def static_url_fetcher(url, *args, **kwargs):
    """Serve ``file:`` URLs that point inside static/; refuse everything else."""
    parts = urlsplit(url)
    if parts.scheme != "file":
        raise ForbiddenResource(f"Ressource refusée (seuls les fichiers statiques) : {url}")
    path = Path(unquote(parts.path)).resolve()
    if not path.is_relative_to(STATIC_DIR.resolve()) or not path.is_file():
        raise ForbiddenResource(f"Ressource refusée (hors de static/) : {url}")
    return {
        "string": path.read_bytes(),
        "mime_type": mimetypes.guess_type(path.name)[0],
        "redirected_url": path.as_uri(),
        "path": str(path),
    }


@functools.cache
def print_resources(stylesheet_name: str) -> tuple[CSS, FontConfiguration]:
    """A parsed print stylesheet and its fonts, shared by every render of the process."""
    font_config = FontConfiguration()
    stylesheet = CSS(
        filename=str(PRINT_CSS_DIR / stylesheet_name),
        font_config=font_config,
        url_fetcher=static_url_fetcher,
    )
    return stylesheet, font_config


def html_to_pdf(
    html: str, *, stylesheet_name: str = "convention.css", pdf_options=PDF_OPTIONS
) -> bytes:
    try:
        stylesheet, font_config = print_resources(stylesheet_name)
        document = HTML(
            string=html, base_url=STATIC_DIR.as_uri() + "/", url_fetcher=static_url_fetcher
        )
        return document.write_pdf(stylesheets=[stylesheet], font_config=font_config, **pdf_options)
    except Exception as exc:
        # WeasyPrint has no common base exception: anything it raises is a failed render.
        logger.exception("Échec du rendu PDF")
        raise PdfRenderError(str(exc)) from exc


# Typography ------------------------------------------------------------------

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


@dataclass(frozen=True)
class Block:
    kind: str  # "p", "ul" (dash items) or "ol" (items numbered in their text)
    lines: tuple[str, ...]


NUMBERED_ITEM = re.compile(r"^\d+[.)] ")


def text_blocks(body: str) -> list[Block]:
    """Split a typed text into paragraphs and lists: one line is one paragraph,
    consecutive lines starting with "- " are a list, "1. " a numbered list."""
    blocks: list[Block] = []
    for raw in body.splitlines():
        line = raw.strip()
        if not line:
            continue
        if line.startswith(("- ", "– ", "• ")):
            kind, line = "ul", line[2:].strip()
        elif NUMBERED_ITEM.match(line):
            kind = "ol"
        else:
            kind = "p"
        line = french_spacing(line)
        if kind != "p" and blocks and blocks[-1].kind == kind:
            blocks[-1] = Block(kind, (*blocks[-1].lines, line))
        else:
            blocks.append(Block(kind, (line,)))
    return blocks


# Parties ---------------------------------------------------------------------

# Nouns after an elided article ("L'Association") that make the party feminine.
FEMININE_ELIDED = ("association", "agglomération", "union", "entente", "académie")


def represented(designation: str) -> str:
    """ "représenté" or "représentée", agreeing with how the party is designated."""
    words = designation.replace("’", "'").split()
    first = words[0].lower() if words else ""
    feminine = first == "la" or (first.startswith("l'") and first[2:].startswith(FEMININE_ELIDED))
    return "représentée" if feminine else "représenté"


def _by_title(representative) -> str:
    """ "Monsieur le Préfet du Val-d'Oise" when only the title is known."""
    title = representative.title
    if representative.civility == Civility.MRS:
        lead = "Madame l’" if title[:1].lower() in "aeéiou" else "Madame la "
    else:
        lead = "Monsieur l’" if title[:1].lower() in "aeéiou" else "Monsieur le "
    return lead + title


def party_clause(party) -> str:
    """One party as written after "ENTRE": designation, representation, mandate, domicile.

    "La Commune de Niort, représentée par M. Jérôme BALOGE, Maire, dûment habilité par
    délibération du conseil municipal du 20 septembre 2021 ayant élu domicile à la
    Mairie de Niort - 1 Place Martin Bastard - 79000 NIORT"
    """
    designation = party.display_designation
    representative = party.representative
    if party.representation:
        text = f"{designation}, {party.representation}"
    elif representative is not None and representative.full_name:
        text = (
            f"{designation}, {represented(designation)} par {representative.full_name}, "
            f"{representative.title}"
        )
    elif representative is not None:
        text = f"{designation}, {represented(designation)} par {_by_title(representative)}"
    else:
        text = designation
    if party.mandate_note:
        text += f", {party.mandate_note}"
    if party.domicile:
        text += f"{' ' if party.mandate_note else ', '}ayant élu domicile {party.domicile}"
    return french_spacing(text)


@dataclass(frozen=True)
class SideOfParties:
    clauses: tuple[str, ...]
    closing: str  # "D'une part," / "D'autre part."


def sides(parties) -> list[SideOfParties]:
    """Signing parties grouped as the convention prints them, one group per side."""
    first = tuple(party_clause(p) for p in parties if p.side == "first")
    second = tuple(party_clause(p) for p in parties if p.side != "first")
    groups = []
    if first:
        groups.append(SideOfParties(first, "D’une part," if second else ""))
    if second:
        groups.append(SideOfParties(second, "D’autre part." if first else ""))
    return groups


@dataclass(frozen=True)
class Signature:
    title: str
    name: str


def signatures(parties) -> list[tuple[Signature, ...]]:
    """Signature boxes in rows of two, in the order of the parties."""
    boxes = [
        Signature(
            p.signatory_title or p.display_designation,
            p.representative.name if p.representative else "",
        )
        for p in parties
    ]
    return [tuple(boxes[i : i + 2]) for i in range(0, len(boxes), 2)]


def title_lines(title: str) -> list[str]:
    """The title as printed, the quoted name of the scheme on its own line."""
    head, quote, rest = title.partition("«")
    if not quote or not head.strip():
        return [french_spacing(title)]
    return [head.strip(), french_spacing(quote + rest)]


def amendments_note(amendments) -> str:
    numbers = [str(a.number) for a in sorted(amendments, key=lambda a: a.number)]
    if not numbers:
        return ""
    if len(numbers) == 1:
        return f"Texte consolidé intégrant l’avenant n°{NBSP}{numbers[0]}"
    listed = ", ".join(numbers[:-1]) + f" et {numbers[-1]}"
    return f"Texte consolidé intégrant les avenants n°{NBSP}{listed}"


# Documents -------------------------------------------------------------------


def _common_context(convention):
    parties = list(convention.parties.all())
    signing = [p for p in parties if p.signs]
    return {
        "convention": convention,
        "title_lines": title_lines(convention.title),
        "sides": sides(signing),
        "associated": [
            french_spacing(a.wording or f"{a.organisation} est associé à la présente convention.")
            for a in convention.associated_partners.all()
        ],
        "signature_rows": signatures(signing),
        "authors": " ; ".join(p.display_designation for p in signing),
    }


def render_convention_pdf(convention, *, consolidated=True) -> bytes:
    """The convention as signed, or as amended by every avenant (``consolidated``).

    Pass a convention from ``Convention.objects.for_detail()`` to avoid one query
    per relation.
    """
    amendments = list(convention.amendments.all())
    if consolidated and amendments:
        articles = [
            {
                "number": a.number,
                "title": french_spacing(a.title),
                "blocks": text_blocks(a.body),
                "amended_by": a.amended_by,
            }
            for a in convention.articles_as_amended()
        ]
    else:
        articles = [
            {"number": a.number, "title": french_spacing(a.title), "blocks": text_blocks(a.body)}
            for a in convention.articles.all()
        ]
    context = {
        **_common_context(convention),
        "consolidation_note": amendments_note(amendments) if consolidated else "",
        "preamble": text_blocks(convention.preamble),
        "references": [
            (r.get_kind_display(), french_spacing(r.text)) for r in convention.references.all()
        ],
        "articles": articles,
        "signature_date": convention.last_signature_date,
        "annexes": [
            {"title": french_spacing(a.title), "blocks": text_blocks(a.body)}
            for a in convention.annexes.all()
        ],
    }
    return html_to_pdf(render_to_string("conventions/pdf/convention.html", context))


def render_amendment_pdf(amendment) -> bytes:
    """One avenant as its own document: parties, object, changed articles, signatures."""
    convention = amendment.convention
    changes = [
        {
            "action": change.action,
            "article_number": change.article_number,
            "title": french_spacing(change.new_title),
            "blocks": text_blocks(change.new_body),
        }
        for change in amendment.changes.all()
    ]
    context = {
        **_common_context(convention),
        "amendment": amendment,
        "object_blocks": text_blocks(amendment.object),
        "changes": changes,
        "signature_date": amendment.signed_on,
    }
    return html_to_pdf(render_to_string("conventions/pdf/amendment.html", context))


# Deliberations ---------------------------------------------------------------


def _session_heading(deliberation) -> str:
    """ "CONSEIL MUNICIPAL DU 20 septembre 2021", as the register heads the act."""
    return f"{deliberation.get_body_display().upper()} DU {french_date(deliberation.session_date)}"


def _attendance(deliberation) -> dict:
    """The session as the first page of the extract writes it, names in roster order."""
    present = deliberation.present_members
    excused = deliberation.excused_members
    absent = deliberation.absent_members
    return {
        "president": deliberation.president.full_name.upper() if deliberation.president else "",
        "present": ", ".join(m.full_name for m in present) + ("." if present else ""),
        "secretaries": ", ".join(m.name for m in deliberation.secretaries.all()),
        "secretary_count": len(deliberation.secretaries.all()),
        # The register ends this list without a full stop.
        "proxies": ", ".join(
            f"{a.member.full_name}, ayant donné pouvoir à {a.proxy_holder.full_name}"
            for a in deliberation.proxies
        ),
        "excused": ", ".join(m.full_name for m in excused) + ("." if excused else ""),
        "absent": ", ".join(m.full_name for m in absent) + ("." if absent else ""),
    }


def _vote_rows(deliberation) -> list[tuple[str, int]]:
    if not deliberation.has_vote:
        return []
    rows = [
        ("Pour", deliberation.votes_for),
        ("Contre", deliberation.votes_against or 0),
        ("Abstention", deliberation.abstentions or 0),
        ("Non participé", deliberation.not_participating or 0),
        ("Excusé", len(deliberation.excused_members)),
    ]
    absent = len(deliberation.absent_members)
    if absent:
        rows.append(("Absent", absent))
    return rows


def render_deliberation_pdf(deliberation) -> bytes:
    """The extract of the register for a deliberation, or a one-page notice for a
    deliberation that a convention only cites (its text is not known).

    Pass a deliberation from ``Deliberation.objects.for_register(conventions)``.
    """
    rapporteur = deliberation.rapporteur
    exposes = ""
    if rapporteur is not None:
        capacity = (
            f", {deliberation.rapporteur_capacity}" if deliberation.rapporteur_capacity else ""
        )
        exposes = f"{rapporteur.full_name}{capacity} expose :"
    context = {
        "deliberation": deliberation,
        "organisation": deliberation.organisation,
        "authors": deliberation.organisation.name,
        "session_heading": _session_heading(deliberation),
        "object": french_spacing(deliberation.object),
    }
    if deliberation.is_reference_only:
        context["conventions"] = list(deliberation.conventions.all())
        template = "conventions/pdf/deliberation_notice.html"
    else:
        context |= {
            "attendance": _attendance(deliberation),
            "exposes": french_spacing(exposes),
            "report": text_blocks(deliberation.report),
            "decisions": [french_spacing(d.text) for d in deliberation.decisions.all()],
            "result": deliberation.result_wording,
            "votes": _vote_rows(deliberation),
        }
        template = "conventions/pdf/deliberation.html"
    return html_to_pdf(render_to_string(template, context), stylesheet_name="deliberation.css")
