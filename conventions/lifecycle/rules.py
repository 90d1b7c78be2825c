"""Reads for the life of a signed convention: amendments, renewals, termination.

Writes are in ``conventions.lifecycle.services``; both use the rules below so that a form
and a service never disagree.
"""

import datetime
import difflib
import re
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from config.core.dates import term_end
from config.core.formats import french_date
from conventions.enums import ArticleChangeAction, PartyChangeAction, RenewalMode, TerminationKind
from conventions.models.changes import amendment_date_problems

ONE_DAY = datetime.timedelta(days=1)


# Amendments -----------------------------------------------------------------


def next_amendment_number(convention) -> int:
    return max((a.number for a in convention.amendments.all()), default=0) + 1


def article_change_problems(
    *, article_number: int, action: str, new_body: str, current: dict
) -> dict[str, str]:
    """What is wrong with one article change, given the text in force (``current``:
    article number → AmendedArticle). Keys are the ArticleChange fields."""
    if action in (ArticleChangeAction.REPLACE, ArticleChangeAction.DELETE) and (
        article_number not in current
    ):
        existing = ", ".join(str(n) for n in sorted(current)) or "aucun"
        return {
            "article_number": (
                f"L'article {article_number} n'existe pas dans le texte en vigueur "
                f"(articles : {existing}). Pour ajouter un article, choisissez "
                "« Ajoute un article »."
            )
        }
    if action == ArticleChangeAction.INSERT and article_number in current:
        return {
            "article_number": (
                f"L'article {article_number} existe déjà : pour changer son texte, choisissez "
                "« Remplace l'article »."
            )
        }
    if action != ArticleChangeAction.DELETE and not new_body.strip():
        return {"new_body": "Indiquez le nouveau texte de l'article."}
    return {}


def amendment_term_problems(
    convention,
    *,
    effective_on: datetime.date | None,
    new_end_date: datetime.date | None,
    new_renewal_mode: str = "",
    new_renewal_period_years: int | None = None,
) -> dict[str, str]:
    """What is wrong with an amendment's dates, keyed by the Amendment field at fault."""
    problems = amendment_date_problems(
        convention.effective_date, effective_on=effective_on, new_end_date=new_end_date
    )
    if (
        new_renewal_mode in (RenewalMode.SUCCESSIVE_PERIODS, RenewalMode.TACIT)
        and not new_renewal_period_years
        and not convention.renewal_period_years
    ):
        problems["new_renewal_period_years"] = (
            "Indiquez la durée d'une reconduction (par exemple 3 ans)."
        )
    return problems


def contribution_change_problems(
    *, contribution, from_year: int, until_year: int | None
) -> dict[str, str]:
    """What is wrong with a new amount for ``contribution``, keyed by field."""
    if from_year < contribution.first_year:
        return {
            "from_year": (
                f"Cette contribution commence en {contribution.first_year} : le nouveau "
                "montant ne peut s'appliquer avant."
            )
        }
    if until_year is not None and until_year < from_year:
        return {"until_year": "La dernière année ne peut précéder la première."}
    return {}


def party_change_problems(*, action: str, organisation, party_ids: set[int]) -> dict[str, str]:
    """Adding a party already there, or withdrawing one that is not, is refused."""
    if action == PartyChangeAction.ADD and organisation.pk in party_ids:
        return {"organisation": f"{organisation.name} est déjà partie à la convention."}
    if action == PartyChangeAction.REMOVE and organisation.pk not in party_ids:
        return {"organisation": f"{organisation.name} n'est pas partie à la convention."}
    return {}


def duplicate_article_message(article_number: int) -> str:
    return (
        f"L'article {article_number} est déjà modifié par une autre ligne de cet avenant : "
        "regroupez les changements en une seule."
    )


@dataclass(frozen=True)
class DeletedArticle:
    number: int
    title: str
    amendment: object


def deleted_articles(convention) -> list[DeletedArticle]:
    """Articles of the text as signed, or added later, that an amendment removed for good."""
    titles = {a.number: a.title for a in convention.articles.all()}
    deleted = {}
    for amendment in sorted(convention.amendments.all(), key=lambda a: a.number):
        for change in amendment.changes.all():
            if change.action == ArticleChangeAction.DELETE:
                deleted[change.article_number] = DeletedArticle(
                    change.article_number, titles.get(change.article_number, ""), amendment
                )
            else:
                deleted.pop(change.article_number, None)
                titles[change.article_number] = change.new_title
    return [deleted[n] for n in sorted(deleted)]


TOKEN = re.compile(r"\s+|\w+|[^\w\s]")


def _marked(tag: str, label: str, text: str) -> str:
    # Screen readers do not announce <del>/<ins>: the hidden label says it in words.
    return f'<{tag}><span class="visually-hidden">[{label} : </span>{escape(text)}<span class="visually-hidden">]</span></{tag}>'  # noqa: E501


def word_diff(old: str, new: str) -> SafeString:
    """The change from ``old`` to ``new`` word by word, as <del> and <ins> markup."""
    before, after = TOKEN.findall(old or ""), TOKEN.findall(new or "")
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    parts = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        removed, added = "".join(before[i1:i2]), "".join(after[j1:j2])
        if op == "equal":
            parts.append(escape(removed))
            continue
        if removed:
            parts.append(_marked("del", "supprimé", removed))
        if added:
            parts.append(_marked("ins", "ajouté", added))
    return mark_safe("".join(parts))  # noqa: S308 (every piece of text is escaped above)


@dataclass(frozen=True)
class ArticleDiff:
    number: int
    action: str
    action_label: str
    old_title: str
    new_title: str
    old_body: str
    new_body: str

    @property
    def title_diff(self) -> SafeString:
        return word_diff(self.old_title, self.new_title)

    @property
    def body_diff(self) -> SafeString:
        return word_diff(self.old_body, self.new_body)

    @property
    def title_changed(self) -> bool:
        return self.old_title != self.new_title


def amendment_diffs(amendment) -> list[ArticleDiff]:
    """Each article the amendment changes, compared with the text just before it."""
    before = {
        a.number: a
        for a in amendment.convention.articles_as_amended(up_to_amendment=amendment.number - 1)
    }
    diffs = []
    for change in amendment.changes.all():
        old = before.get(change.article_number)
        deleting = change.action == ArticleChangeAction.DELETE
        diffs.append(
            ArticleDiff(
                number=change.article_number,
                action=change.action,
                action_label=change.get_action_display(),
                old_title=old.title if old else "",
                new_title="" if deleting else change.new_title,
                old_body=old.body if old else "",
                new_body="" if deleting else change.new_body,
            )
        )
    return diffs


# Renewals -------------------------------------------------------------------


@dataclass(frozen=True)
class RenewalSuggestion:
    number: int
    start: datetime.date
    end: datetime.date | None
    years: int | None


def renewal_years(convention) -> int | None:
    return convention.terms_on().renewal_period_years or convention.duration_years


def suggested_renewal(convention) -> RenewalSuggestion | None:
    """The period that follows the last one recorded, as the convention words it."""
    periods = convention.periods()
    if not periods:
        return None
    start = periods[-1].end + ONE_DAY
    years = renewal_years(convention)
    end = term_end(start, years) if years else None
    return RenewalSuggestion(len(periods), start, end, years)


# Termination ----------------------------------------------------------------


def late_notice_warning(convention, letter_date) -> str:
    """A French warning when a termination letter comes after the notice deadline of the
    period in force on its date; empty when it is on time."""
    deadline = convention.notice_deadline(letter_date)
    if deadline is None or letter_date <= deadline:
        return ""
    period = convention.current_period(letter_date)
    months = convention.terms_on(letter_date).notice_months
    return (
        f"La lettre de dénonciation du {french_date(letter_date)} est postérieure au dernier "
        f"jour pour dénoncer, le {french_date(deadline)} ({months} mois "
        f"avant la fin de la période n° {period.number}, le {french_date(period.end)}) : le "
        "préavis n'est pas respecté. La dénonciation est enregistrée, mais les parties "
        "peuvent la contester."
    )


def termination_warning(convention) -> str:
    """The late-notice warning of a termination recorded as a notice at expiry (one
    recorded as an agreement or an early termination says so instead)."""
    if not convention.termination_letter_date or convention.termination_kind in EARLY_KINDS:
        return ""
    return late_notice_warning(convention, convention.termination_letter_date)


# The kinds a termination outside the notice clause is recorded as.
EARLY_KINDS = (TerminationKind.MUTUAL_AGREEMENT, TerminationKind.EARLY)


def notice_clause(convention, on) -> str:
    """What the notice clause allows for the period in force on ``on``, in French."""
    period = convention.current_period(on)
    deadline = convention.notice_deadline(on)
    if period is None or deadline is None:
        return ""
    form = convention.notice_form or "lettre"
    return (
        "La clause de dénonciation permet de mettre fin à la convention à l'échéance du "
        f"{period.end:%d/%m/%Y}, par {form} envoyée au plus tard le {deadline:%d/%m/%Y} "
        f"({convention.terms_on(on).notice_months} mois avant l'échéance)."
    )


def termination_outside_clause(convention, *, letter_date, end_date) -> str:
    """Empty when the termination follows the notice clause (the end of the period in
    force on the letter's date, the letter by the notice deadline); else a French
    message saying what the clause allows and asking for the kind of termination."""
    period = convention.current_period(letter_date)
    deadline = convention.notice_deadline(letter_date)
    if period is None or deadline is None:
        return ""
    reasons = []
    if end_date != period.end:
        reasons.append(
            f"la fin demandée, le {end_date:%d/%m/%Y}, n'est pas l'échéance de la période en cours"
        )
    if letter_date > deadline:
        reasons.append(f"la lettre du {letter_date:%d/%m/%Y} est envoyée après le délai")
    if not reasons:
        return ""
    because = " et ".join(reasons)
    return (
        f"{notice_clause(convention, letter_date)} Ici, {because} : ce n'est pas une "
        "dénonciation à l'échéance. Choisissez « Résiliation d'un commun accord » ou "
        "« Résiliation anticipée »."
    )
