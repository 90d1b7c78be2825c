"""Writes on conventions: saving the edit page, new drafts, renewals, the signed scan.

Over 400 lines and in one piece: these writes make a convention's parties by the
same rules (``party_default_domicile``, ``representative_in_office``, a local
authority's own party) and share the copies of its parties and texts.
"""

import datetime
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from config.core.concurrency import check_version
from config.core.dates import term_end
from config.core.writes import RowChange, assign, prepare_rows, validate, values_of, write_rows
from conventions.agreements import placeholders
from conventions.enums import ConventionStatus, Side, StartRule
from conventions.events import announce
from conventions.lifecycle.overdue import successors
from conventions.models import (
    Annex,
    Article,
    AssociatedPartner,
    CommitteeMember,
    Convention,
    ConventionPost,
    LegalReference,
    Party,
    Post,
    ReportingRule,
    SignedScanVersion,
)
from conventions.models.convention_queries import not_fully_signed
from partners.enums import OrganisationKind, Role
from partners.models import Organisation, Representative, User

OWN_ORGANISATION_MESSAGE = "Votre organisation ({name}) doit être partie à la convention."


def party_default_domicile(organisation: Organisation) -> str:
    """What follows "ayant élu domicile", from the partner registry.

    "à la Préfecture, 4 rue Du Guesclin - 79099 NIORT Cedex 9" with premises,
    "au 7A rue Max Linder - 79000 NIORT" with a numbered street only.
    """
    address = organisation.address
    if organisation.premises:
        return f"à {organisation.premises}, {address}" if address else f"à {organisation.premises}"
    if address[:1].isdigit():
        return f"au {address}"
    return address


def representative_in_office(organisation: Organisation, on: datetime.date):
    return (
        Representative.objects.in_office(on)
        .filter(organisation=organisation)
        .order_by("-mandate_start", "-pk")
        .first()
    )


def _required_organisation(user):
    return user.organisation if user.role == Role.LOCAL_AUTHORITY else None


@dataclass(frozen=True, kw_only=True)
class ConventionData:
    """What the convention's edit page writes on the convention itself."""

    reference: str
    title: str
    kind: str
    start_rule: str
    term_governed_by: str
    renewal_mode: str
    notice_months: int
    notice_form: str
    agreement_heading: str
    suspensive_clause: bool
    # The words around the parties (Convention.parties_opening…); the defaults are the
    # model's, for callers that do not set them.
    parties_opening: str = "ENTRE"
    parties_member_link: str = "ET"
    parties_group_link: str = "ET"
    first_side_closing: str = "D’une part,"
    second_side_closing: str = "D’autre part."
    # None leaves it as it is: only administrators publish a model convention.
    is_template: bool | None = None
    subtitle: str = ""
    # The posts it covers, one section (annex) each, in annex order; None leaves them.
    posts: Sequence[Post] | None = None
    place_of_signature: str = ""
    preamble: str = ""
    stated_start_date: datetime.date | None = None
    end_date: datetime.date | None = None
    duration_years: int | None = None
    renewal_period_years: int | None = None
    first_contact_hours: int | None = None
    relay_organisation: Organisation | None = None
    relay_details: str = ""


@dataclass(frozen=True, kw_only=True)
class PartyData:
    organisation: Organisation
    side: str
    order: int = 0
    representative: Representative | None = None
    designation: str = ""
    representation: str = ""
    mandate_note: str = ""
    # Left blank, it is the organisation's premises and address (party_default_domicile).
    domicile: str = ""
    signatory_title: str = ""
    signature_row: int | None = None
    signature_column: int | None = None
    is_funder: bool = False
    is_employer: bool = False
    is_functional_authority: bool = False
    is_host: bool = False
    signs: bool = True
    signed_on: datetime.date | None = None


@dataclass(frozen=True, kw_only=True)
class LegalReferenceData:
    kind: str
    text: str
    order: int = 0


@dataclass(frozen=True, kw_only=True)
class ArticleData:
    number: int
    title: str
    body: str


def _with_default_domicile(change: RowChange) -> RowChange:
    data = change.data
    if data is None or data.domicile:
        return change
    return replace(change, data=replace(data, domicile=party_default_domicile(data.organisation)))


@transaction.atomic
def convention_save(
    *,
    convention: Convention,
    data: ConventionData,
    expected_version: int | None = None,
    parties: Sequence[RowChange[Party, PartyData]] = (),
    references: Sequence[RowChange[LegalReference, LegalReferenceData]] = (),
    articles: Sequence[RowChange[Article, ArticleData]] = (),
    user: User,
) -> Convention:
    """Save the convention with the parties, visas and articles that change, together.

    ``expected_version`` is the version the user started from (the edit page's
    hidden field); another save in between makes it stale and the whole save
    is refused. Everything is checked before anything is written.
    """
    check_version(
        convention,
        expected_version,
        what="cette convention",
        related=[
            Party.history.filter(convention_id=convention.pk),
            LegalReference.history.filter(convention_id=convention.pk),
            Article.history.filter(convention_id=convention.pk),
        ],
    )
    # Told to the parties when this save makes the convention signed by all of them: only
    # a signature dated, or a party removed or no longer signing, may do that.
    may_complete = any(_may_complete_signatures(change) for change in parties)
    was_signed = may_complete and _fully_signed(convention)
    values = values_of(data)
    if values["is_template"] is None:
        del values["is_template"]
    posts = values.pop("posts")
    assign(convention, values)
    # The statistics validator is checked against the posts being chosen, not yet saved.
    convention.posts_being_saved = posts
    # Only convention_attach_scan() writes the signed scan, and checks it: checking it
    # again here would read the stored PDF at every save.
    validate(convention, exclude=["signed_scan"])
    # The rows' constraints hold within one convention: see prepare_rows().
    writes = prepare_rows(
        [_with_default_domicile(change) for change in parties],
        new=lambda: Party(convention=convention),
        argument="parties",
        exclude=["convention"],
    )
    writes += prepare_rows(
        references,
        new=lambda: LegalReference(convention=convention),
        argument="references",
        exclude=["convention"],
    )
    writes += prepare_rows(
        articles,
        new=lambda: Article(convention=convention),
        argument="articles",
        exclude=["convention"],
    )
    convention.save()
    write_rows(writes)
    if posts is not None:
        convention_set_posts(convention=convention, posts=posts)
    required = _required_organisation(user)
    if required and not convention.parties.filter(organisation=required).exists():
        # The party formset says so next to the parties; this guards other callers.
        raise ValidationError(OWN_ORGANISATION_MESSAGE.format(name=required.name))
    if may_complete and not was_signed and not convention.is_template and _fully_signed(convention):
        announce(convention, "convention.signed")
        if convention.renews_id is not None:
            announce(convention.renews, "convention.renewed", par=convention.reference)
    return convention


def _may_complete_signatures(change: RowChange) -> bool:
    if change.data is None:
        return True
    row = change.row
    newly_dated = change.data.signed_on is not None and (row is None or row.signed_on is None)
    stops_signing = row is not None and row.signs and not change.data.signs
    return newly_dated or stops_signing


def _fully_signed(convention: Convention) -> bool:
    """Signed by every party that signs (one query; False before its first save)."""
    if convention.pk is None:
        return False
    return Convention.objects.filter(pk=convention.pk).exclude(not_fully_signed()).exists()


def _copy_party(party: Party, target: Convention, order: int) -> Party:
    return Party(
        convention=target,
        organisation=party.organisation,
        representative=party.representative,
        order=order,
        side=party.side,
        designation=party.designation,
        representation=party.representation,
        mandate_note=party.mandate_note,
        domicile=party.domicile,
        signatory_title=party.signatory_title,
        signature_row=party.signature_row,
        signature_column=party.signature_column,
        is_funder=party.is_funder,
        is_employer=party.is_employer,
        is_functional_authority=party.is_functional_authority,
        is_host=party.is_host,
        signs=party.signs,
        signed_on=None,
    )


def _copy_texts(source: Convention, target: Convention, fill=lambda text: text) -> None:
    """Visas, articles, annexes, reporting rules, committee and associated partners."""
    # bulk_create_with_history: a plain bulk_create would leave no trace in the history.
    bulk_create_with_history(
        [
            LegalReference(convention=target, kind=r.kind, text=fill(r.text), order=r.order)
            for r in source.references.all()
        ],
        LegalReference,
    )
    bulk_create_with_history(
        [
            Article(convention=target, number=a.number, title=fill(a.title), body=fill(a.body))
            for a in source.articles_as_amended()
        ],
        Article,
    )
    bulk_create_with_history(
        [
            Annex(convention=target, order=a.order, title=fill(a.title), body=fill(a.body))
            for a in source.annexes.all()
        ],
        Annex,
    )
    bulk_create_with_history(
        [
            ReportingRule(
                convention=target,
                kind=r.kind,
                period=r.period,
                due_month=r.due_month,
                due_day=r.due_day,
                recipients=fill(r.recipients),
            )
            for r in source.reporting_rules.all()
        ],
        ReportingRule,
    )
    bulk_create_with_history(
        [
            CommitteeMember(
                convention=target,
                organisation=m.organisation,
                representative_id=m.representative_id,
                member=fill(m.member),
                order=m.order,
            )
            for m in source.committee_members.all()
        ],
        CommitteeMember,
    )
    bulk_create_with_history(
        [
            AssociatedPartner(
                convention=target, organisation=a.organisation, wording=fill(a.wording)
            )
            for a in source.associated_partners.all()
        ],
        AssociatedPartner,
    )


# Fields a new draft takes over from its starting point, as they are.
COPIED_FIELDS = [
    "subtitle",
    "kind",
    "place_of_signature",
    "preamble",
    "agreement_heading",
    "parties_opening",
    "parties_member_link",
    "parties_group_link",
    "first_side_closing",
    "second_side_closing",
    "start_rule",
    "stated_start_date",
    "end_date",
    "duration_years",
    "term_governed_by",
    "renewal_mode",
    "renewal_period_years",
    "notice_months",
    "notice_form",
    "suspensive_clause",
    "first_contact_hours",
    "relay_organisation",
    "relay_details",
]


def _source_with_contents(source: Convention) -> Convention:
    return Convention.objects.for_detail().get(pk=source.pk)


def convention_set_posts(*, convention: Convention, posts: Sequence[Post]) -> None:
    """Make the convention's own sections (not those an amendment adds) cover ``posts``:
    a post kept keeps its annex number, a new one takes the next free number. A section
    an amendment added or removed stays: the amendment is its record."""
    wanted = {post.pk: post for post in posts}
    sections = list(convention.sections.all())
    by_amendment = {s.post_id for s in sections if s.added_by_id or s.removed_by_id}
    kept = []
    for section in sections:
        if section.post_id in wanted or section.post_id in by_amendment:
            kept.append(section)
        else:
            section.delete()
    present = {s.post_id for s in kept}
    number = max((s.number for s in kept), default=0)
    new_sections = []
    for post in posts:
        if post.pk in present:
            continue
        number += 1
        new_sections.append(ConventionPost(convention=convention, post=post, number=number))
    bulk_create_with_history(new_sections, ConventionPost)


@transaction.atomic
def convention_create_from(
    *,
    source: Convention,
    reference: str,
    title: str,
    post: Post | None,
    user,
    today: datetime.date | None = None,
) -> tuple[Convention, list[str]]:
    """A new draft copied from a model convention or from one of the user's own.

    Parties come without their signature dates; the préfecture of the post's
    département, the user's local authority, the post's functional authority
    and its employer are added when missing.
    Returns the draft and the placeholders left unfilled for want of a value.
    """
    today = today or timezone.localdate()
    source = _source_with_contents(source)
    draft = Convention(
        reference=reference,
        title=title or source.title,
        is_template=False,
        **{name: getattr(source, name) for name in COPIED_FIELDS},
    )
    draft.save()
    if post is not None:
        convention_set_posts(convention=draft, posts=[post])
    parties = [_copy_party(p, draft, order) for order, p in enumerate(source.parties.all())]
    present = {p.organisation_id for p in parties}
    wanted = []
    if post is not None:
        # Every ISC convention has the State as a party, through the préfecture (FIPDR).
        state = (
            Organisation.objects.filter(kind=OrganisationKind.STATE, departement=post.departement)
            .order_by("pk")
            .first()
        )
        if state:
            wanted.append((state, Side.FIRST, {"is_funder": True}))
    if required := _required_organisation(user):
        wanted.append((required, Side.FIRST, {"is_funder": True}))
    if post is not None:
        # The functional authority of each force of the post's sites (the DDSP, the
        # groupement de gendarmerie) hosts it.
        for authority in post.functional_authorities:
            wanted.append(
                (authority, Side.SECOND, {"is_functional_authority": True, "is_host": True})
            )
        wanted.append((post.employer, Side.SECOND, {"is_employer": True}))
    for organisation, side, roles in wanted:
        if organisation.pk in present:
            continue
        present.add(organisation.pk)
        parties.append(
            Party(
                convention=draft,
                organisation=organisation,
                representative=representative_in_office(organisation, today),
                order=len(parties),
                side=side,
                domicile=party_default_domicile(organisation),
                **roles,
            )
        )
    bulk_create_with_history(parties, Party)

    values = placeholders.placeholder_values(
        parties=parties, post=post, duration_years=draft.duration_years
    )

    def fill(text):
        return placeholders.fill(text, values)

    filled_fields = ("title", "subtitle", "place_of_signature", "preamble", "relay_details")
    for name in filled_fields:
        setattr(draft, name, fill(getattr(draft, name)))
    draft.save()
    _copy_texts(source, draft, fill)
    texts = [getattr(draft, name) for name in filled_fields]
    texts += [r.recipients for r in source.reporting_rules.all()]
    texts += [r.text for r in source.references.all()]
    texts += [a.title + a.body for a in source.articles_as_amended()]
    return draft, placeholders.unfilled(texts, values)


def suggested_renewal_reference(convention: Convention, year: int) -> str:
    """ "niort-2021" renewed from 2024 → "niort-2024" (then "-2", "-3" if taken)."""
    base = re.sub(r"-\d{4}$", "", convention.reference)
    candidate = f"{base}-{year}"
    number = 2
    while Convention.objects.filter(reference=candidate).exists():
        candidate = f"{base}-{year}-{number}"
        number += 1
    return candidate


def renew_refusal(convention: Convention, *, today: datetime.date) -> str:
    """Why ``convention`` cannot be renewed, or "": the page offers « Renouveler » only
    when this is empty (conventions.lifecycle.actions)."""
    if convention.is_template:
        return "Un modèle de convention ne se renouvelle pas : partez-en pour en créer une."
    status = convention.status(today)
    if status not in (ConventionStatus.IN_FORCE, ConventionStatus.EXPIRED):
        return (
            f"Une convention « {status.label.lower()} » ne se renouvelle pas : seule une "
            "convention en vigueur ou arrivée à son terme peut l'être."
        )
    if convention.terminated_on is not None:
        return "Cette convention est dénoncée : elle ne se renouvelle pas."
    if successors([convention]):
        return "Une autre convention renouvelle ou remplace déjà celle-ci."
    return ""


@transaction.atomic
def convention_renew(
    *, convention: Convention, user, today: datetime.date | None = None
) -> Convention:
    """The next convention for the same post: same parties (unsigned) and same texts.

    It starts the day after the current period ends; a written end date moves
    by the convention's duration so that the new one states its own.
    """
    today = today or timezone.localdate()
    refusal = renew_refusal(convention, today=today)
    if refusal:
        raise ValidationError(refusal, code="not_renewable")
    source = _source_with_contents(convention)
    current_end = source.current_end_date(today)
    next_start = current_end + datetime.timedelta(days=1) if current_end else today
    fields = {name: getattr(source, name) for name in COPIED_FIELDS}
    if source.start_rule == StartRule.STATED_DATE:
        fields["stated_start_date"] = next_start
    if source.end_date:
        fields["end_date"] = (
            term_end(next_start, source.duration_years) if source.duration_years else None
        )
    renewal = Convention(
        reference=suggested_renewal_reference(source, next_start.year),
        title=source.title,
        renews=source,
        **fields,
    )
    renewal.save()
    # The renewal covers the posts covered at the end of the renewed convention.
    convention_set_posts(convention=renewal, posts=source.posts_in_force(current_end))
    bulk_create_with_history(
        [_copy_party(p, renewal, order) for order, p in enumerate(source.parties.all())], Party
    )
    _copy_texts(source, renewal)
    return renewal


@transaction.atomic
def convention_attach_scan(
    *, convention: Convention, scan: File, uploaded_by: User | None = None
) -> SignedScanVersion:
    """Keep ``scan`` as a new version of the signed convention, which becomes the current one.

    No file is ever deleted or overwritten: each upload gets a new name
    (``signed_scan_path``) and the previous versions stay listed and downloadable. The
    file is written before the rows: if the transaction fails afterwards, it is left as
    an orphan (``clean_orphan_uploads`` removes it later), and the current scan is intact.
    """
    # Locked so that of two uploads at once, the convention points at the newer one.
    convention = Convention.objects.select_for_update().get(pk=convention.pk)
    version = SignedScanVersion(convention=convention, uploaded_by=uploaded_by).keep(scan)
    convention.signed_scan.name = version.file.name
    convention.save(update_fields=["signed_scan", "updated_at"])
    return version


# The step-by-step entry of a new convention: steps 1 to 6, then its summary.
ENTRY_STEPS = 6
ENTRY_SUMMARY_STEP = ENTRY_STEPS + 1


def convention_entry_reach(*, convention: Convention, step: int) -> Convention:
    """Record that the entry's steps before ``step`` are saved, so that leaving and
    coming back resumes at ``step``. Going back to an earlier step keeps the later ones.

    A bookkeeping write, not a change of the convention: no new version (a page opened
    before stays valid) and no line in its history."""
    reached = max(step, convention.entry_step or 1)
    if not 1 <= reached <= ENTRY_SUMMARY_STEP:
        raise ValidationError(f"L'étape de saisie va de 1 à {ENTRY_SUMMARY_STEP}.")
    if reached != convention.entry_step:
        Convention.objects.filter(pk=convention.pk).update(entry_step=reached)
        convention.entry_step = reached
    return convention


def convention_entry_finish(*, convention: Convention) -> Convention:
    """« Terminer »: the convention leaves the step-by-step entry (a draft still, until
    its signatures)."""
    if convention.entry_step != ENTRY_SUMMARY_STEP:
        raise ValidationError("Enregistrez d'abord chacune des étapes de la saisie.")
    Convention.objects.filter(pk=convention.pk).update(entry_step=None)
    convention.entry_step = None
    return convention
