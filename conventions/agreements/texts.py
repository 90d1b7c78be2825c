"""What the convention and its amendments say, whatever the format they are read in.

The parties, signatures, articles and annexes as each convention's text writes
them: the PDF (``documents.py``) and the editable DOCX and ODT (``editable.py``)
read the same functions, so the three formats never disagree.
"""

from dataclasses import dataclass

from config.core.formats import euros
from config.core.typography import NBSP, french_spacing
from conventions.enums import Side
from conventions.funding.build import funding_plan
from partners.enums import Civility
from partners.models import with_article

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
    """ "Monsieur le Préfet du Val-d'Oise" when only the title is known; "le Préfet du
    Val-d'Oise" when the civility is not known either."""
    title = representative.acting_title
    if not representative.civility:
        return with_article(title)
    if representative.civility == Civility.MRS:
        lead = "Madame l’" if title[:1].lower() in "aeéiou" else "Madame la "
    else:
        lead = "Monsieur l’" if title[:1].lower() in "aeéiou" else "Monsieur le "
    return lead + title


def _delegation(representative) -> str:
    """ ", pour le Préfet et par délégation (arrêté n° …)", or nothing."""
    if not representative.is_delegate:
        return ""
    wording = representative.delegation_wording
    text = f", {wording[:1].lower()}{wording[1:]}"
    if representative.delegation_reference:
        text += f" ({representative.delegation_reference})"
    return text


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
            f"{representative.acting_title}{_delegation(representative)}"
        )
    elif representative is not None:
        text = (
            f"{designation}, {represented(designation)} par {_by_title(representative)}"
            f"{_delegation(representative)}"
        )
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


@dataclass(frozen=True)
class PartiesBlock:
    """The parties as the convention's own text writes them (the convention's layout
    fields): « ENTRE » A « ET » B « D'une part, » « ET » C « D'autre part. »"""

    opening: str
    member_link: str
    group_link: str
    sides: tuple[SideOfParties, ...]


def parties_block(convention, parties) -> PartiesBlock:
    """Signing parties grouped by side, with the words the convention puts around them.

    The closings (« D'une part », « D'autre part ») only mean something with two groups.
    """
    first = tuple(party_clause(p) for p in parties if p.side == Side.FIRST)
    second = tuple(party_clause(p) for p in parties if p.side != Side.FIRST)
    both = bool(first and second)
    groups = []
    if first:
        groups.append(SideOfParties(first, convention.first_side_closing if both else ""))
    if second:
        groups.append(SideOfParties(second, convention.second_side_closing if both else ""))
    return PartiesBlock(
        opening=convention.parties_opening,
        member_link=convention.parties_member_link,
        group_link=convention.parties_group_link,
        sides=tuple(groups),
    )


@dataclass(frozen=True)
class Signature:
    title: str
    name: str
    # "Pour le Préfet et par délégation, la Sous-préfète …", "Le Maire par intérim".
    capacity: str = ""


def signature_grid(parties) -> list[tuple[Signature | None, ...]]:
    """The signature boxes in rows, each party in the cell its text gives it.

    A party without a cell (or whose cell another party took first) comes after the
    placed ones, filling the rows from the left in the parties' order: with no cell
    at all, that is rows of two in the order of the parties. No party is ever left
    out; an empty cell is ``None``.
    """
    placed: dict[tuple[int, int], Signature] = {}
    loose = []
    for party in parties:
        representative = party.representative
        box = Signature(
            party.signatory_title or party.display_designation,
            representative.name if representative else "",
            representative.signing_capacity if representative else "",
        )
        cell = (party.signature_row, party.signature_column)
        if None not in cell and cell not in placed:
            placed[cell] = box
        else:
            loose.append(box)
    columns = max((column for _, column in placed), default=2)
    last_row = max((row for row, _ in placed), default=0)
    for index, box in enumerate(loose):
        placed[(last_row + 1 + index // columns, 1 + index % columns)] = box
    rows = sorted({row for row, _ in placed})
    return [tuple(placed.get((row, column)) for column in range(1, columns + 1)) for row in rows]


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


# Annexes of a framework convention ---------------------------------------------


@dataclass(frozen=True)
class PostAnnex:
    """One post of a framework convention as its annex prints it: where, who, how much."""

    number: int
    post: object
    sites: list[str]
    columns: list[str]  # each funder (and budget line) of the post
    rows: list[tuple[int, object, list]]  # (year, cost or None, expected amounts or None)
    in_kind: list[str]


def post_annexes(convention) -> list[PostAnnex]:
    """A framework convention's posts, one annex each (nothing for a one-post convention:
    its post is written in the articles, as the seeds do). Reads ``for_detail()``."""
    sections = convention.ordered_sections()
    if len(sections) < 2:
        return []
    plan = funding_plan(convention)
    blocks = {block.section.post_id: block for block in plan.blocks}
    annexes = []
    for section in sections:
        post = section.post
        block = blocks.get(post.pk)
        annexes.append(
            PostAnnex(
                number=section.number,
                post=post,
                sites=[
                    french_spacing(
                        f"{site.name} ({site.get_force_display()}) — autorité fonctionnelle : "
                        f"{site.functional_authority}"
                    )
                    for site in post.site_list
                ],
                columns=[column.name_in_annex for column in block.columns] if block else [],
                rows=[
                    (
                        row.year,
                        row.cost_total,
                        [cell.amount if cell else None for cell in row.cells],
                    )
                    for row in block.rows
                ]
                if block
                else [],
                in_kind=[
                    french_spacing(
                        f"{c.organisation} : {c.in_kind_description or 'aide en nature'}"
                        + (
                            f", valorisée {euros(c.in_kind_value)} par an"
                            if c.in_kind_value
                            else ""
                        )
                    )
                    for c in plan.in_kind
                    if c.post_id == post.pk
                ],
            )
        )
    return annexes


# What each document says (every format reads these) ---------------------------------


@dataclass(frozen=True)
class CommonText:
    """What a convention and its amendments print alike: title, parties, signatures."""

    convention: object
    title_lines: list[str]
    parties_block: PartiesBlock
    associated: list[str]
    signature_rows: list[tuple[Signature | None, ...]]
    authors: str


def common_text(convention) -> CommonText:
    parties = list(convention.parties.all())
    signing = [p for p in parties if p.signs]
    return CommonText(
        convention=convention,
        title_lines=title_lines(convention.title),
        parties_block=parties_block(convention, signing),
        associated=[
            french_spacing(a.wording or f"{a.organisation} est associé à la présente convention.")
            for a in convention.associated_partners.all()
        ],
        signature_rows=signature_grid(signing),
        authors=" ; ".join(p.display_designation for p in signing),
    )


@dataclass(frozen=True)
class ArticleText:
    number: object
    title: str  # French spacing applied
    body: str  # as typed: each format reads its paragraphs, lists and notes
    amended_by: object = None  # the amendment whose wording this is (consolidated text)


@dataclass(frozen=True)
class AnnexText:
    number: int
    title: str
    body: str


@dataclass(frozen=True)
class ConventionText:
    common: CommonText
    draft: bool  # not signed by every party yet: « PROJET »
    consolidation_note: str
    preamble: str
    references: list[tuple[str, str]]  # (« Vu », the reference with its [^notes])
    articles: list[ArticleText]
    amendment_summaries: list[str]
    signature_date: object
    post_annexes: list["PostAnnex"]
    annexes: list[AnnexText]


def convention_text(convention, *, consolidated=True) -> ConventionText:
    """The convention as signed, or as amended by every avenant (``consolidated``).

    Pass a convention from ``Convention.objects.for_detail()`` to avoid one query
    per relation.
    """
    amendments = list(convention.amendments.all())
    if consolidated and amendments:
        articles = [
            ArticleText(a.number, french_spacing(a.title), a.body, a.amended_by)
            for a in convention.articles_as_amended()
        ]
    else:
        articles = [
            ArticleText(a.number, french_spacing(a.title), a.body)
            for a in convention.articles.all()
        ]
    # A framework convention: one annex per post first, then the texts annexed.
    annexes_of_posts = post_annexes(convention)
    first_text_annex = 1 + max((annex.number for annex in annexes_of_posts), default=0)
    return ConventionText(
        common=common_text(convention),
        draft=not convention.is_fully_signed,
        consolidation_note=amendments_note(amendments) if consolidated else "",
        preamble=convention.preamble,
        references=[
            (r.get_kind_display(), french_spacing(r.text)) for r in convention.references.all()
        ],
        articles=articles,
        # What each signed amendment changes in the dates, amounts and parties.
        amendment_summaries=[
            french_spacing(a.summary())
            for a in amendments
            if consolidated and a.signed_on and a.change_texts()
        ],
        signature_date=convention.last_signature_date,
        post_annexes=annexes_of_posts,
        # An annex whose text is not typed (a job description kept on paper) has
        # nothing to print: no page with a title alone; the others keep their number.
        annexes=[
            AnnexText(number, french_spacing(a.title), a.body)
            for number, a in enumerate(convention.annexes.all(), start=first_text_annex)
            if a.body.strip()
        ],
    )


@dataclass(frozen=True)
class ChangeText:
    action: str  # "replace", "insert" or "delete"
    article_number: object
    title: str
    body: str


@dataclass(frozen=True)
class AmendmentText:
    common: CommonText
    amendment: object
    draft: bool
    object: str
    changes: list[ChangeText]
    structured_changes: list[str]
    signature_date: object


def amendment_text(amendment) -> AmendmentText:
    """One avenant as its own document: parties, object, changed articles, signatures."""
    return AmendmentText(
        common=common_text(amendment.convention),
        amendment=amendment,
        draft=amendment.signed_on is None,
        object=amendment.object,
        changes=[
            ChangeText(
                change.action,
                change.article_number,
                french_spacing(change.new_title),
                change.new_body,
            )
            for change in amendment.changes.all()
        ],
        structured_changes=[french_spacing(text) for text in amendment.change_texts()],
        signature_date=amendment.signed_on,
    )
