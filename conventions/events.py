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
    conventions = Convention.objects.filter(
        pk__in=scope_for(user).conventions().filter(is_template=False).values("pk")
    ).for_list()
    return events_for_conventions(conventions, start=start, end=end)
