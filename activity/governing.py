"""Which of a post's conventions governs it on a day (``activity.schedule`` reads its due
dates, ``activity.validation`` who validates).

The convention in force on that day, else the latest one that had begun by then (an
expired convention awaiting renewal). Only a convention that covers the post on that day
counts: the post's section (annex) is in force then (``ConventionPost.is_in_force``), so a
post added by an amendment is not governed by the convention before the amendment takes
effect, nor one removed after its removal.
"""

import datetime

from django.db.models import Prefetch

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
