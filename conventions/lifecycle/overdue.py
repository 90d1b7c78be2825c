"""« Dépassé »: a notice or renewal-concertation deadline that has passed while the
convention is still in force and nothing follows it.

Once the last day to denounce (or to agree on a renewal) has passed, what happens
at the end of the period is settled by the renewal clause: a tacit renewal can no
longer be refused for this term, a renewal after concertation that was not recorded
lets the convention lapse and the post lose its cover. The dashboard and the
convention page say so at the top, in plain words.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q

from config.core.dates import add_months, term_end
from config.core.formats import french_date
from conventions.enums import ConventionStatus, RenewalMode
from conventions.models import Convention, ConventionPost


@dataclass(frozen=True)
class PassedDeadline:
    convention: object
    title: str
    description: str

    @property
    def url(self) -> str:
        return self.convention.get_absolute_url()


def successors(conventions) -> set[int]:
    """The pks of ``conventions`` that something follows: a convention renewing them, or a
    later convention covering one of their posts (neither cancelled). The one place that
    reads which conventions share a post, beside its SQL twin below."""
    pks = {c.pk for c in conventions}
    sections = ConventionPost.objects.filter(convention__in=pks).values_list(
        "convention_id", "post_id"
    )
    posts_of = defaultdict(set)
    for convention_id, post_id in sections:
        posts_of[convention_id].add(post_id)
    post_ids = set().union(*posts_of.values()) if posts_of else set()
    others = (
        Convention.objects.agreements()
        .not_cancelled()
        .filter(Q(renews__in=pks) | Q(sections__post__in=post_ids))
        .values_list("pk", "renews_id", "sections__post_id")
        .distinct()
    )
    followed = set()
    for pk, renews_id, post_id in others:
        followed.add(renews_id)
        # Convention pks grow with creation: one created later for the same post follows
        # (a renewal written as a new convention, or a replacement).
        followed |= {c for c, posts in posts_of.items() if post_id in posts and pk > c}
    return followed & pks


def has_successor():
    """SQL twin of ``successors``, for a queryset of conventions: the same reading of
    which conventions follow one (kept here, beside it, for the same reason)."""
    followers = Convention.objects.agreements().not_cancelled()
    later_on_one_of_its_posts = ConventionPost.objects.filter(
        convention__in=followers.values("pk"),
        convention__pk__gt=OuterRef("pk"),
        post__in=ConventionPost.objects.filter(convention=OuterRef(OuterRef("pk"))).values("post"),
    )
    return Exists(followers.filter(renews=OuterRef("pk"))) | Exists(later_on_one_of_its_posts)


def passed_deadline(convention, *, today: datetime.date) -> PassedDeadline | None:
    """What the passed notice deadline of ``convention`` means, or None when none has passed
    (or the convention is not in force, is terminated, or a renewal is recorded).
    ``passed_deadlines`` also leaves out the conventions another one follows."""
    if convention.is_template or convention.terminated_on is not None:
        return None
    # Its own status: a convention another renews is left out below (``successors``).
    if convention.own_status(today) != ConventionStatus.IN_FORCE:
        return None
    period = convention.current_period(today)
    notice = convention.notice_deadline(today)
    if period is None or notice is None or not notice < today <= period.end:
        return None
    terms = convention.terms_on(today)
    next_start = period.end + datetime.timedelta(days=1)
    recorded_next = any(r.start > period.end for r in convention.renewals.all())
    if recorded_next:
        return None
    ref = convention.reference
    end, passed, restart = french_date(period.end), french_date(notice), french_date(next_start)
    months = f"{terms.notice_months} mois"
    if terms.renewal_mode == RenewalMode.TACIT:
        years = terms.renewal_period_years or 1
        next_notice = add_months(term_end(next_start, years), -terms.notice_months)
        return PassedDeadline(
            convention,
            f"Préavis de non-reconduction dépassé le {passed}",
            f"La convention {ref} sera reconduite tacitement le {restart} pour "
            f"{years} an{'s' if years > 1 else ''} : il est trop tard pour la dénoncer "
            f"à cette échéance (préavis de {months}). Pour y mettre fin il faut désormais "
            "l'accord de toutes les parties (avenant de résiliation), ou envoyer la "
            f"dénonciation au plus tard le {french_date(next_notice)} pour l'échéance "
            "suivante.",
        )
    if terms.renewal_mode in (RenewalMode.CONCERTATION, RenewalMode.SUCCESSIVE_PERIODS):
        return PassedDeadline(
            convention,
            f"Concertation sur la reconduction dépassée le {passed}",
            f"La convention {ref} prend fin le {end} : sa reconduction n'est pas "
            "automatique et aucune reconduction ni nouvelle convention n'est enregistrée. "
            f"Sans décision des parties d'ici là, le poste n'est plus couvert à partir du "
            f"{restart}. Il faut désormais réunir les parties et enregistrer la "
            f"reconduction, ou préparer une nouvelle convention ; une dénonciation "
            f"envoyée maintenant ne respecte plus le préavis de {months}.",
        )
    return PassedDeadline(
        convention,
        f"Préavis dépassé le {passed}",
        f"La convention {ref} prend fin le {end} sans reconduction possible et aucune "
        f"convention ne lui succède : le poste n'est plus couvert à partir du {restart}. "
        "Il faut désormais préparer une nouvelle convention.",
    )


def passed_deadlines(
    conventions, *, today: datetime.date, unfollowed: bool = False
) -> list[PassedDeadline]:
    """The passed deadlines of ``conventions`` (with their parties, renewals and amendments),
    earliest end first. ``unfollowed``: SQL already left out those that another follows
    (``has_successor``)."""
    candidates = [
        alert for convention in conventions if (alert := passed_deadline(convention, today=today))
    ]
    # Only for the few with a passed deadline: which ones another convention follows.
    followed = (
        successors([a.convention for a in candidates]) if candidates and not unfollowed else set()
    )
    alerts = [a for a in candidates if a.convention.pk not in followed]
    return sorted(alerts, key=lambda a: (a.convention.current_end_date(today), a.convention.pk))
