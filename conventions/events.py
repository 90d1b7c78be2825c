"""Every dated event a user may see, from every source, for the calendar and reminders."""

import datetime

from .access import scope_for
from .deadlines import convention_deadlines
from .models import Convention


def convention_events(conventions, *, start, end):
    """Deadlines of ``conventions`` dated between ``start`` and ``end``."""
    horizon = (end - start).days
    events = []
    for convention in conventions:
        events.extend(convention_deadlines(convention, today=start, horizon_days=horizon))
    return events


def events_for_conventions(conventions, *, start, end):
    return sorted(convention_events(conventions, start=start, end=end))


def events_for_user(user, *, start: datetime.date, end: datetime.date):
    # Ten years of conventions ended long ago have no event left: SQL leaves them out.
    in_window = (
        scope_for(user)
        .conventions()
        .filter(is_template=False)
        .may_have_events_between(start, end)
        .values("pk")
    )
    conventions = Convention.objects.filter(pk__in=in_window).for_list()
    return events_for_conventions(conventions, start=start, end=end)
