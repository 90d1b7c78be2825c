"""Which of a post's conventions governs it on a day (``activity.schedule`` reads its due
dates, ``activity.validation`` who validates).

The convention in force on that day, else the latest one that had begun by then (an
expired convention awaiting renewal). Only a convention that covers the post on that day
counts: the post's section (annex) is in force then (``ConventionPost.is_in_force``), so a
post added by an amendment is not governed by the convention before the amendment takes
effect, nor one removed after its removal.
"""

import bisect
import datetime

from django.db.models import Prefetch

from conventions.lifecycle.reports import RolledPeriods
from conventions.models import ConventionPost


def quarter_end(year: int, quarter: int) -> datetime.date:
    month = 3 * quarter
    next_month = datetime.date(year + (month == 12), month % 12 + 1, 1)
    return next_month - datetime.timedelta(days=1)


def schedule_prefetches() -> list:
    """What ``governing_convention`` reads of each convention: one query each, the
    sections coming with the amendments that add or remove them."""
    return [
        "parties",
        "renewals",
        "amendments",
        "reporting_rules",
        Prefetch(
            "sections", queryset=ConventionPost.objects.select_related("added_by", "removed_by")
        ),
    ]


def covers_post(convention, post, on: datetime.date) -> bool:
    """Whether ``convention`` covers ``post`` on ``on``: the post's section is in force then
    (``ConventionPost.is_in_force``, the rule the convention's pages read)."""
    return any(
        section.post_id == post.pk and section.is_in_force(on)
        for section in convention.sections.all()
    )


def governing_convention(conventions, on: datetime.date, *, post):
    """Among ``post``'s conventions (prefetched with ``schedule_prefetches``), the one for
    ``on``: those that do not cover the post on ``on`` are left out."""
    begun = []
    for convention in conventions:
        if convention.is_template or not covers_post(convention, post, on):
            continue
        periods = convention.periods(until=on, as_of=on)
        if any(p.start <= on <= p.end for p in periods):
            return convention
        if periods and periods[0].start <= on:
            begun.append((periods[0].start, convention.pk, convention))
    return max(begun)[2] if begun else None


class Governing:
    """``governing_convention(conventions, day, post=post)`` for every ``day`` up to
    ``until``, each convention's periods worked out once per set of amendments in force
    (``RolledPeriods``) rather than for every day asked: the steering pages ask it for
    every quarter of five years of every post."""

    def __init__(self, conventions, *, post, until: datetime.date):
        self.until = until
        self.candidates = []
        for convention in conventions:
            sections = [s for s in convention.sections.all() if s.post_id == post.pk]
            if convention.is_template or not sections:
                continue
            # The periods as amended on a day change only on the days amendments take
            # effect: one computation for each span between two such days.
            changes = sorted(
                {a.takes_effect_on for a in convention.amendments.all() if a.is_in_force()}
            )
            self.candidates.append((convention, sections, changes, {}))

    def on(self, day: datetime.date):
        begun = []
        for convention, sections, changes, by_change in self.candidates:
            if not any(section.is_in_force(day) for section in sections):
                continue
            taken = bisect.bisect_right(changes, day)  # amendments taken effect by ``day``
            if taken not in by_change:
                # The same amendments are in force on the day the last of them took
                # effect, or, before the first, on the eve of its effect.
                as_of = changes[taken - 1] if taken else None
                if not taken and changes:
                    as_of = changes[0] - datetime.timedelta(days=1)
                by_change[taken] = RolledPeriods(convention, until=self.until, as_of=as_of)
            periods = by_change[taken].up_to(day)
            if any(p.start <= day <= p.end for p in periods):
                return convention
            if periods and periods[0].start <= day:
                begun.append((periods[0].start, convention.pk, convention))
        return max(begun)[2] if begun else None
