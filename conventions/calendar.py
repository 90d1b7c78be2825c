"""The private iCalendar feed (RFC 5545) of a user's dated events."""

import datetime

from django.conf import settings
from icalendar import Calendar, Event

from .events import events_for_user

PAST_DAYS = 90
FUTURE_DAYS = 3 * 366


def event_url(event) -> str:
    return settings.SITE_URL.rstrip("/") + event.convention.get_absolute_url()


def user_calendar(user, *, today: datetime.date) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//Conventions ISCG//calendrier des échéances//FR")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", "Échéances des conventions ISCG")
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    stamp = datetime.datetime.now(tz=datetime.UTC)
    events = events_for_user(
        user,
        start=today - datetime.timedelta(days=PAST_DAYS),
        end=today + datetime.timedelta(days=FUTURE_DAYS),
    )
    for deadline in events:
        convention = deadline.convention
        entry = Event()
        entry.add("uid", f"{convention.pk}-{deadline.key}@conventions-iscg")
        entry.add("dtstamp", stamp)
        entry.add("dtstart", deadline.date)
        entry.add("dtend", deadline.date + datetime.timedelta(days=1))
        entry.add("summary", f"{deadline.label} — {convention.reference}")
        entry.add("description", f"{convention.title}\n{event_url(deadline)}")
        entry.add("url", event_url(deadline))
        entry.add("categories", [deadline.kinds[deadline.kind]])
        entry.add("transp", "TRANSPARENT")
        calendar.add_component(entry)
    return calendar.to_ical()
