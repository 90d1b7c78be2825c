"""The convention and its amendments as printed documents.

The parties, signatures and articles as each convention's text writes them;
the HTML comes from templates/conventions/pdf/, the engine from
``config.core.documents``.
"""

from dataclasses import dataclass

from django.template.loader import render_to_string

from config.core.documents import NBSP, french_spacing, html_to_pdf, text_blocks
from partners.enums import Civility

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
        # Not signed by every party yet: « PROJET » on every page.
        "draft": not convention.is_fully_signed,
        "consolidation_note": amendments_note(amendments) if consolidated else "",
        "preamble": text_blocks(convention.preamble),
        "references": [
            (r.get_kind_display(), french_spacing(r.text)) for r in convention.references.all()
        ],
        "articles": articles,
        # What each signed amendment changes in the dates, amounts and parties.
        "amendment_summaries": [
            french_spacing(a.summary())
            for a in amendments
            if consolidated and a.signed_on and a.change_texts()
        ],
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
        "draft": amendment.signed_on is None,
        "amendment": amendment,
        "object_blocks": text_blocks(amendment.object),
        "changes": changes,
        "structured_changes": [french_spacing(text) for text in amendment.change_texts()],
        "signature_date": amendment.signed_on,
    }
    return html_to_pdf(render_to_string("conventions/pdf/amendment.html", context))
