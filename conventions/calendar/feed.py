"""The private iCalendar feed (RFC 5545) of a user's dated events.

Written line by line: a national administrator's feed holds some 8 600 events,
and the ``icalendar`` library's generic serialisation (every value converted,
every line folded character by character) took half of its 5.6 s. The feed
uses few properties, each written here as RFC 5545 says; the tests read it back
with ``icalendar``.

A feed is kept in the cache under the version of what it is computed from (the user's
scope, the day, the history of the conventions and partners): the national feed took
2.9 s to compute, and calendar clients ask for it again every few hours while, most
of the time, nothing in it changed.
"""

import datetime
import hashlib

from django.conf import settings
from django.core.cache import cache

from config.core.history import history_version
from config.core.ics import escape, fold
from conventions.calendar.events import event_batches

PAST_DAYS = 90
FUTURE_DAYS = 3 * 366
# Raised when the lines written below change, so that no feed laid out the old way is
# served from the cache after an update.
FEED_LAYOUT = 2
KEPT_SECONDS = 24 * 60 * 60


def event_url(event) -> str:
    return settings.SITE_URL.rstrip("/") + event.convention.get_absolute_url()


def _date(day: datetime.date) -> str:
    return day.strftime("%Y%m%d")


def _stamp(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")


def feed_key(user, today: datetime.date) -> str:
    """Everything the feed's bytes depend on: who sees what (the scope reads the user's
    role and organisation, and tracked rows only), the day (the window and the deadlines
    move with it), the site's address in the links, and every tracked row."""
    inputs = (
        f"{FEED_LAYOUT}|{user.pk}|{user.role}|{user.is_superuser}|{user.organisation_id}|"
        f"{today.isoformat()}|{settings.SITE_URL}|{history_version('conventions', 'partners')}"
    )
    return "calendar-feed:" + hashlib.sha256(inputs.encode()).hexdigest()


def user_calendar(user, *, today: datetime.date) -> bytes:
    """The same bytes while nothing it shows changes (the feed's ETag): each event is
    stamped with its convention's last change (RFC 5545 DTSTAMP, « last revised »), not
    with the time of the request. Computed once per version of its inputs."""
    # The version is read before the rows: a change committed in between is in the
    # feed kept under the older version, and the next request computes it again.
    key = feed_key(user, today)
    body = cache.get(key)
    if body is None:
        body = render_calendar(user, today=today)
        cache.set(key, body, KEPT_SECONDS)
    return body


def render_calendar(user, *, today: datetime.date) -> bytes:
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Conventions ISCG//calendrier des échéances//FR",
        "CALSCALE:GREGORIAN",
        f"X-WR-CALNAME:{escape('Échéances des conventions ISCG')}",
        f"X-WR-TIMEZONE:{settings.TIME_ZONE}",
    ]
    site = settings.SITE_URL.rstrip("/")
    batches = event_batches(
        user,
        start=today - datetime.timedelta(days=PAST_DAYS),
        end=today + datetime.timedelta(days=FUTURE_DAYS),
    )
    for events in batches:
        # One address per convention, not per event (a national feed: 8 600 events).
        urls = {}
        for deadline in events:
            convention = deadline.convention
            url = urls.get(convention.pk)
            if url is None:
                url = urls[convention.pk] = site + convention.get_absolute_url()
            summary = escape(f"{deadline.label} — {convention.reference}")
            description = escape(convention.title + "\n" + url)
            lines += [
                "BEGIN:VEVENT",
                f"UID:{convention.pk}-{deadline.key}@conventions-iscg",
                f"DTSTAMP:{_stamp(convention.updated_at)}",
                f"DTSTART;VALUE=DATE:{_date(deadline.date)}",
                f"DTEND;VALUE=DATE:{_date(deadline.date + datetime.timedelta(days=1))}",
                f"SUMMARY:{summary}",
                f"DESCRIPTION:{description}",
                f"URL:{url}",
                f"CATEGORIES:{escape(deadline.kinds[deadline.kind])}",
                "TRANSP:TRANSPARENT",
                "END:VEVENT",
            ]
    lines.append("END:VCALENDAR")
    return "".join(fold(line) for line in lines).encode()
