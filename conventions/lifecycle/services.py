"""Writes for the life of a signed convention and of its post.

Amendments, renewals, termination, a new holder for a post. Each service
checks its rules again, whatever form called it, and raises a French
ValidationError keyed by the argument at fault.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from config.core.formats import french_date
from conventions.enums import (
    ArticleChangeAction,
    ConventionStatus,
    PartyChangeAction,
    ProRata,
    RenewalMode,
    TerminationKind,
)
from conventions.events import announce
from conventions.lifecycle.overdue import successors
from conventions.lifecycle.rules import (
    EARLY_KINDS,
    ONE_DAY,
    amendment_term_problems,
    article_change_problems,
    contribution_change_problems,
    duplicate_article_message,
    party_change_problems,
    termination_outside_clause,
    termination_warning,
)
from conventions.models import (
    Amendment,
    ArticleChange,
    Contribution,
    ContributionChange,
    Convention,
    ConventionPost,
    PartyChange,
    Post,
    PostHolder,
    Renewal,
)
from conventions.models.cancellation import clean_reason


@dataclass(frozen=True)
class ArticleChangeSpec:
    article_number: int
    action: str
    new_title: str = ""
    new_body: str = ""


@dataclass(frozen=True)
class TermChangeSpec:
    """What an amendment changes in the dates; None (or "") leaves it as it is."""

    new_end_date: datetime.date | None = None
    new_duration_years: int | None = None
    new_renewal_mode: str = ""
    new_renewal_period_years: int | None = None
    new_notice_months: int | None = None


@dataclass(frozen=True)
class ContributionChangeSpec:
    contribution: object  # a Contribution of the convention
    from_year: int
    amount: Decimal
    until_year: int | None = None


@dataclass(frozen=True)
class PartyChangeSpec:
    organisation: object
    action: str


@dataclass(frozen=True)
class NewContributionSpec:
    """A contribution the amendment adds: counted once the amendment is signed, from the
    day it takes effect (``conventions.funding.amended``)."""

    organisation: object
    source: str
    rule: str
    first_year: int
    last_year: int
    amount: Decimal | None = None
    share_numerator: int | None = None
    share_denominator: int | None = None
    cap: Decimal | None = None
    prorata: str = ProRata.NONE
    due_month: int | None = None
    due_day: int | None = None
    # The post it funds: needed when the convention covers several.
    post: object | None = None


def amendment_status_refusal(convention: Convention, *, today: datetime.date) -> str:
    """Why the status of ``convention`` on ``today`` forbids an amendment, or ""."""
    status = convention.own_status(today)
    if status in (ConventionStatus.DRAFT, ConventionStatus.APPROVED):
        return (
            "Cette convention n'est pas encore signée par toutes les parties : corrigez "
            "directement le projet, un avenant ne modifie qu'une convention signée."
        )
    if status == ConventionStatus.TERMINATED:
        return (
            f"Cette convention a été dénoncée (fin le {french_date(convention.terminated_on)}) "
            ": elle ne reçoit plus d'avenant."
        )
    if status == ConventionStatus.EXPIRED:
        periods = convention.periods(until=today)
        ended = f" le {french_date(periods[-1].end)}" if periods else ""
        return (
            f"Cette convention a pris fin{ended} : elle ne reçoit plus d'avenant. Une suite "
            "se donne par un renouvellement ou une nouvelle convention."
        )
    return ""


@transaction.atomic
def amendment_create(
    *,
    convention: Convention,
    number: int,
    signed_on: datetime.date | None,
    object: str,  # noqa: A002 (the model's field name)
    changes: list[ArticleChangeSpec],
    effective_on: datetime.date | None = None,
    terms: TermChangeSpec = TermChangeSpec(),  # noqa: B008 (frozen, so shared safely)
    contribution_changes: list[ContributionChangeSpec] = (),
    party_changes: list[PartyChangeSpec] = (),
    new_contributions: list[NewContributionSpec] = (),
    added_posts=(),
    removed_posts=(),
    today: datetime.date | None = None,
) -> Amendment:
    """Record an avenant. ``added_posts`` become new annexes (counted from the avenant's
    effect, once signed); ``removed_posts`` stop being counted from then.

    Only a convention signed by every party and not ended on ``today`` takes one, as on
    its page (``conventions.lifecycle.actions``)."""
    if convention.is_cancelled:
        raise ValidationError("Cette convention est annulée : elle ne reçoit plus d'avenant.")
    refusal = amendment_status_refusal(convention, today=today or timezone.localdate())
    if refusal:
        raise ValidationError(refusal, code="not_amendable")
    if successors([convention]):
        raise ValidationError(
            "Une autre convention renouvelle ou remplace celle-ci : c'est elle qu'il faut modifier."
        )
    errors = amendment_term_problems(
        convention,
        effective_on=effective_on,
        new_end_date=terms.new_end_date,
        new_renewal_mode=terms.new_renewal_mode,
        new_renewal_period_years=terms.new_renewal_period_years,
    )
    for change in contribution_changes:
        if change.contribution.convention_id != convention.pk:
            errors["contribution_changes"] = "Cette contribution n'est pas celle de la convention."
            continue
        errors.update(
            contribution_change_problems(
                contribution=change.contribution,
                from_year=change.from_year,
                until_year=change.until_year,
            )
        )
    party_ids = {p.organisation_id for p in convention.parties.all()}
    for change in party_changes:
        errors.update(
            party_change_problems(
                action=change.action, organisation=change.organisation, party_ids=party_ids
            )
        )
    # A new contribution's funder is a party, or one this amendment adds.
    funders = party_ids | {
        c.organisation.pk for c in party_changes if c.action == PartyChangeAction.ADD
    }
    for contribution in new_contributions:
        if contribution.organisation.pk not in funders:
            errors["new_contributions"] = (
                f"{contribution.organisation.name} n'est pas partie à la convention : "
                "ajoutez-la par cet avenant (« Partie ajoutée ou retirée ») ou choisissez "
                "une partie."
            )
    errors.update(section_change_problems(convention, added_posts, removed_posts))
    if errors:
        raise ValidationError(errors)
    current = {a.number: a for a in convention.articles_as_amended()}
    problems, seen = [], set()
    for change in changes:
        if change.article_number in seen:
            problems.append(duplicate_article_message(change.article_number))
        seen.add(change.article_number)
        problems.extend(
            article_change_problems(
                article_number=change.article_number,
                action=change.action,
                new_body=change.new_body,
                current=current,
            ).values()
        )
    if problems:
        raise ValidationError({"changes": problems})

    amendment = Amendment(
        convention=convention,
        number=number,
        signed_on=signed_on,
        object=object,
        effective_on=effective_on,
        new_end_date=terms.new_end_date,
        new_duration_years=terms.new_duration_years,
        new_renewal_mode=terms.new_renewal_mode,
        new_renewal_period_years=terms.new_renewal_period_years,
        new_notice_months=terms.new_notice_months,
    )
    amendment.full_clean()
    amendment.save()
    for change in contribution_changes:
        row = ContributionChange(
            amendment=amendment,
            contribution=change.contribution,
            from_year=change.from_year,
            until_year=change.until_year,
            amount=change.amount,
        )
        row.full_clean()
        row.save()
    for change in party_changes:
        row = PartyChange(
            amendment=amendment, organisation=change.organisation, action=change.action
        )
        row.full_clean()
        row.save()
    for spec in new_contributions:
        contribution = Contribution(
            convention=convention,
            introduced_by=amendment,
            **{name: getattr(spec, name) for name in NewContributionSpec.__dataclass_fields__},
        )
        contribution.full_clean()
        contribution.save()
    for change in changes:
        title = change.new_title
        if change.action == ArticleChangeAction.REPLACE and not title.strip():
            # "Remplace le texte de l'article 4" keeps the article's heading.
            title = current[change.article_number].title
        row = ArticleChange(
            amendment=amendment,
            article_number=change.article_number,
            action=change.action,
            new_title="" if change.action == ArticleChangeAction.DELETE else title,
            new_body="" if change.action == ArticleChangeAction.DELETE else change.new_body,
        )
        row.full_clean()
        row.save()
    _record_section_changes(convention, amendment, added_posts, removed_posts)
    return amendment


def section_change_problems(convention, added_posts, removed_posts) -> dict[str, str]:
    """A post added must not be in the convention yet; a post removed must be one of its
    annexes still counted; at least one post must remain."""
    sections = {s.post_id: s for s in convention.sections.select_related("post")}
    problems = {}
    already = [post.name for post in added_posts if post.pk in sections]
    if already:
        problems["added_posts"] = f"Déjà couvert par la convention : {', '.join(already)}."
    removable = {pk for pk, s in sections.items() if s.removed_by_id is None}
    not_there = [post.name for post in removed_posts if post.pk not in removable]
    if not_there:
        problems["removed_posts"] = (
            f"Ce poste n'est pas (ou plus) une annexe de la convention : {', '.join(not_there)}."
        )
    elif removed_posts and not added_posts and {p.pk for p in removed_posts} >= removable:
        problems["removed_posts"] = (
            "Un avenant ne peut retirer tous les postes de la convention : pour y mettre fin, "
            "dénoncez-la ou résiliez-la."
        )
    return problems


def _record_section_changes(convention, amendment, added_posts, removed_posts):
    sections = list(convention.sections.all())
    number = max((s.number for s in sections), default=0)
    for post in added_posts:
        number += 1
        ConventionPost.objects.create(
            convention=convention, post=post, number=number, added_by=amendment
        )
    removed = {post.pk for post in removed_posts}
    for section in sections:
        if section.post_id in removed:
            section.removed_by = amendment
            section.save(update_fields=["removed_by"])


@transaction.atomic
def renewal_record(
    *,
    convention: Convention,
    start: datetime.date,
    end: datetime.date,
    decided_on: datetime.date | None = None,
    note: str = "",
    today: datetime.date | None = None,
) -> Renewal:
    """A new period of ``convention``, once it is in force or ended on ``today`` (as on
    its page, ``conventions.lifecycle.actions``): never before it starts."""
    today = today or timezone.localdate()
    # Locks the convention so that two people recording at once get numbers 1 and 2.
    convention = Convention.objects.select_for_update().get(pk=convention.pk)
    if convention.is_cancelled:
        raise ValidationError({"start": "Cette convention est annulée : elle ne se reconduit pas."})
    if successors([convention]):
        raise ValidationError(
            {"start": "Une autre convention renouvelle ou remplace déjà celle-ci."}
        )
    if convention.terminated_on:
        raise ValidationError(
            {
                "start": (
                    f"Cette convention a été dénoncée (fin le "
                    f"{french_date(convention.terminated_on)}) : elle ne peut plus être "
                    "reconduite."
                )
            }
        )
    if convention.terms_on().renewal_mode == RenewalMode.NONE:
        raise ValidationError(
            {
                "start": (
                    "Cette convention ne prévoit pas de reconduction : les parties doivent en "
                    "signer une nouvelle."
                )
            }
        )
    periods = convention.periods()
    if not periods:
        raise ValidationError(
            {
                "start": (
                    "La convention n'a pas encore de date de début (toutes les parties n'ont "
                    "pas signé) : elle ne peut pas être reconduite."
                )
            }
        )
    if convention.own_status(today) in (ConventionStatus.DRAFT, ConventionStatus.APPROVED):
        raise ValidationError(
            {
                "start": (
                    "Toutes les parties n'ont pas encore signé la convention : elle ne peut "
                    "pas être reconduite."
                )
            }
        )
    if today < periods[0].start:
        raise ValidationError(
            {
                "start": (
                    f"La convention ne commence que le {french_date(periods[0].start)} : une "
                    "reconduction s'enregistre une fois la convention en vigueur."
                )
            }
        )
    last = periods[-1]
    errors = {}
    if start <= last.end:
        errors["start"] = (
            f"La nouvelle période doit commencer après la fin de la période n° {last.number} "
            f"(le {french_date(last.end)}), par exemple le {french_date(last.end + ONE_DAY)}."
        )
    if end <= start:
        errors["end"] = "La fin de la nouvelle période doit être postérieure à son début."
    if errors:
        raise ValidationError(errors)
    number = (convention.renewals.aggregate(last=Max("number"))["last"] or 0) + 1
    renewal = Renewal(
        convention=convention,
        number=number,
        start=start,
        end=end,
        decided_on=decided_on,
        note=note,
    )
    renewal.full_clean()
    renewal.save()
    announce(
        convention,
        "convention.renewed",
        periode={"numero": number, "debut": start.isoformat(), "fin": end.isoformat()},
    )
    return renewal


@dataclass(frozen=True)
class Termination:
    convention: Convention
    warning: str  # empty when the notice period is respected

    @property
    def is_late(self) -> bool:
        return bool(self.warning)


@transaction.atomic
def convention_terminate(
    *,
    convention: Convention,
    letter_date: datetime.date,
    terminated_by,
    end_date: datetime.date,
    termination_kind: str = "",
) -> Termination:
    convention = Convention.objects.select_for_update().get(pk=convention.pk)
    if convention.is_cancelled:
        raise ValidationError(
            {"letter_date": "Cette convention est annulée : il n'y a rien à dénoncer."}
        )
    if convention.own_status(letter_date) == ConventionStatus.EXPIRED:
        raise ValidationError(
            {
                "letter_date": (
                    f"Cette convention a pris fin le "
                    f"{french_date(convention.current_end_date(letter_date))} : il n'y a plus "
                    "rien à dénoncer."
                )
            }
        )
    if convention.terminated_on:
        raise ValidationError(
            {
                "letter_date": (
                    f"Cette convention est déjà dénoncée (fin le "
                    f"{french_date(convention.terminated_on)})."
                )
            }
        )
    errors = {}
    if not convention.parties.filter(organisation=terminated_by).exists():
        errors["terminated_by"] = "Seule une partie à la convention peut la dénoncer."
    if not convention.periods():
        errors["letter_date"] = (
            "La convention n'est pas encore signée par toutes les parties : il n'y a rien à "
            "dénoncer."
        )
    if end_date < letter_date:
        errors["end_date"] = "La fin de la convention ne peut précéder la lettre de dénonciation."
    if errors:
        raise ValidationError(errors)
    outside = termination_outside_clause(convention, letter_date=letter_date, end_date=end_date)
    if outside and termination_kind not in EARLY_KINDS:
        raise ValidationError({"termination_kind": outside})
    convention.termination_letter_date = letter_date
    convention.terminated_by = terminated_by
    convention.terminated_on = end_date
    convention.termination_kind = termination_kind or TerminationKind.NOTICE_AT_EXPIRY
    convention.save(
        update_fields=[
            "termination_letter_date",
            "terminated_by",
            "terminated_on",
            "termination_kind",
        ]
    )
    announce(convention, "convention.terminated", fin=end_date.isoformat())
    return Termination(convention, termination_warning(convention))


@transaction.atomic
def convention_cancel(*, convention: Convention, user, reason: str) -> Convention:
    """Cancel a convention: it keeps its text, signatures and history, with the reason.

    A cancelled convention has the status "Annulée" and no more deadlines: it leaves
    the dashboards, the calendar and the reminders. A signed convention is never
    deleted; this is how one that should not have been is set aside.
    """
    reason = clean_reason(reason)
    convention = Convention.objects.select_for_update().get(pk=convention.pk)
    if convention.is_template:
        raise ValidationError("Un modèle de convention ne s'annule pas.", code="template")
    if convention.is_cancelled:
        raise ValidationError("Cette convention est déjà annulée.", code="already_cancelled")
    convention.cancelled_at, convention.cancelled_by = timezone.now(), user
    convention.cancellation_reason = reason
    # Saves prepared on the page before the cancellation are refused.
    convention.version += 1
    convention.save(
        update_fields=[
            "cancelled_at",
            "cancelled_by",
            "cancellation_reason",
            "version",
            "updated_at",
        ]
    )
    return convention


@transaction.atomic
def post_holder_change(
    *,
    post: Post,
    name: str,
    start: datetime.date,
    end: datetime.date | None = None,
    user=None,
    previous_end: datetime.date | None = None,
) -> PostHolder:
    """Record a new holder; the one in office leaves the day before unless told otherwise."""
    current = post.holders.filter(end__isnull=True).exclude(start__gte=start).first()
    if current is not None:
        current.end = previous_end or start - ONE_DAY
        if current.end < current.start:
            raise ValidationError(
                {
                    "previous_end": (
                        f"{current.name} occupe le poste depuis le {french_date(current.start)} : "
                        "sa fin ne peut pas précéder cette date."
                    )
                }
            )
        current.save(update_fields=["end"])
    holder = PostHolder(post=post, name=name, start=start, end=end, user=user)
    holder.full_clean()
    holder.save()
    return holder
