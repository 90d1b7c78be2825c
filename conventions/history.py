"""The "Historique" of the convention pages: which history tables each page reads,
and how the history names a convention or a payment (``config.core.history``)."""

from django.db.models import Q

from config.core.formats import euros, french_date
from config.core.history import (
    HISTORY_LIMIT,
    Entry,
    belongs_to,
    history_entries,
    history_of,
    register_subject,
)
from conventions.models import (
    Amendment,
    Annex,
    Article,
    ArticleChange,
    AssociatedPartner,
    Attendance,
    CommitteeMember,
    Contribution,
    ContributionChange,
    Convention,
    ConventionPost,
    DecidedAmount,
    Decision,
    Deliberation,
    LegalReference,
    Party,
    PartyChange,
    Payment,
    Post,
    PostCost,
    PostHolder,
    Renewal,
    ReportingRule,
)
from conventions.models.changes import new_contribution_text

register_subject(
    "conventions.Convention", label=lambda record: f"{record.title} ({record.reference})"
)
register_subject(
    "conventions.Payment",
    label=lambda record: (
        f"{euros(record.amount)} du {french_date(record.date)} (année {record.year})"
    ),
    related=("contribution__organisation",),
)
register_subject("conventions.Deliberation", related=("council__organisation",))
# « Modification de contribution : participation de Ville de Niort portée à 12 000 € … »
register_subject("conventions.ContributionChange", related=("contribution__organisation",))
# « Modification des parties : Commune de Niort se retire de la convention au 01/07/2025
# (avenant n° 2) »
register_subject("conventions.PartyChange", related=("organisation", "amendment"))


def contribution_label(record) -> str:
    """« Contribution : X : 5 000 € par an à compter du 01/07/2025 (avenant n° 2) » for a
    contribution an amendment adds (« participation de » would repeat « Contribution »
    and push the amendment's number past the subject's 80 characters), else as the
    contribution names itself."""
    if record.introduced_by_id:
        text = new_contribution_text(record, record.introduced_by)
        return text.removeprefix("participation de ")
    return f"{record.organisation} — {record.source} ({record.first_year}–{record.last_year})"


register_subject(
    "conventions.Contribution",
    label=contribution_label,
    related=("organisation", "introduced_by"),
)


def section_label(record) -> str:
    """« Ajout du poste ISC de Vierval (annexe n° 2) au 01/01/2026 », or « Retrait du
    poste … »: dated at the amendment's effect once it is signed (the entry's changes name
    the amendment; the subject is cut at 80 characters)."""
    if record.removed_by_id:
        verb, amendment = "Retrait", record.removed_by
    elif record.added_by_id:
        verb, amendment = "Ajout", record.added_by
    else:
        return f"{record.post} (annexe n° {record.number})"
    if amendment.signed_on:
        when = f" au {amendment.takes_effect_on:%d/%m/%Y}"
    else:
        when = ", avenant non signé"
    return f"{verb} du poste {record.post} (annexe n° {record.number}){when}"


register_subject(
    "conventions.ConventionPost",
    label=section_label,
    related=("post", "added_by", "removed_by"),
)


def convention_history(convention, *, limit: int = HISTORY_LIMIT) -> list[Entry]:
    """The convention, its parts and its funding: the latest ``limit`` changes."""
    pk = convention.pk
    return history_entries(
        [
            history_of(Convention).filter(id=pk),
            *(
                history_of(model).filter(convention_id=pk)
                for model in (
                    Party,
                    AssociatedPartner,
                    LegalReference,
                    Article,
                    Annex,
                    Amendment,
                    Renewal,
                    ReportingRule,
                    CommitteeMember,
                    Contribution,
                )
            ),
            *(
                history_of(model).filter(belongs_to("amendment_id", Amendment, convention_id=pk))
                for model in (ArticleChange, ContributionChange, PartyChange)
            ),
            history_of(Payment).filter(
                belongs_to("contribution_id", Contribution, convention_id=pk)
            ),
            # The posts that amendments add or remove (not those it covered from the start).
            history_of(ConventionPost)
            .filter(convention_id=pk)
            .filter(Q(added_by__isnull=False) | Q(removed_by__isnull=False)),
        ],
        limit=limit,
        kept=True,
    )


def funding_history(convention) -> list[Entry]:
    """Contributions, payments and the post's costs."""
    pk = convention.pk
    sources = [
        history_of(Contribution).filter(convention_id=pk),
        history_of(Payment).filter(belongs_to("contribution_id", Contribution, convention_id=pk)),
    ]
    post_ids = [section.post_id for section in convention.sections.all()]
    if post_ids:
        sources.append(history_of(PostCost).filter(post_id__in=post_ids))
    return history_entries(sources, kept=True)


def post_history(post) -> list[Entry]:
    return history_entries(
        [
            history_of(Post).filter(id=post.pk),
            history_of(PostHolder).filter(post_id=post.pk),
            history_of(PostCost).filter(post_id=post.pk),
        ],
        kept=True,
    )


def deliberation_history(deliberation) -> list[Entry]:
    pk = deliberation.pk
    return history_entries(
        [
            history_of(Deliberation).filter(id=pk),
            history_of(Attendance).filter(deliberation_id=pk),
            history_of(Decision).filter(deliberation_id=pk),
            history_of(DecidedAmount).filter(deliberation_id=pk),
        ],
        kept=True,
    )
