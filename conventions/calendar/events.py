"""Every dated event a user may see, from every source, for the calendar and reminders."""

import datetime

from django.db.models import prefetch_related_objects

from config.core.formats import euros
from conventions.access import scope_for
from conventions.enums import PaymentState
from conventions.funding.build import plans_for
from conventions.lifecycle.deadlines import Deadline, convention_deadlines
from conventions.models import Convention
from conventions.models.funding import funding_prefetches

UNPAID_STATES = (PaymentState.DUE, PaymentState.PARTLY_PAID, PaymentState.LATE)
BATCH_SIZE = 150


def convention_events(conventions, *, start, end):
    """Deadlines of ``conventions`` dated between ``start`` and ``end``."""
    horizon = (end - start).days
    events = []
    for convention in conventions:
        events.extend(convention_deadlines(convention, today=start, horizon_days=horizon))
    return events


def payment_events(conventions, *, start, end, unpaid_only):
    """Due dates of the contributions, as the conventions state them."""
    conventions = list(conventions)
    # Loaded with for_list(): parties, renewals and amendments are there, funding and
    # what the amendments change in it are added.
    prefetch_related_objects(
        conventions,
        *funding_prefetches(),
        "amendments__contribution_changes",
        "amendments__party_changes",
    )
    events = []
    for plan in plans_for(conventions):
        for cell in plan.cells:
            if cell.due_date is None or not start <= cell.due_date <= end:
                continue
            if unpaid_only and cell.state not in UNPAID_STATES:
                continue
            amount = f" ({euros(cell.amount)})" if cell.amount is not None else ""
            # A funder with several budget lines has one due date per line.
            line = f", {cell.line}" if cell.line else ""
            events.append(
                Deadline(
                    cell.due_date,
                    "payment",
                    f"Versement attendu de {cell.contribution.organisation}{line} pour {cell.year}"
                    f"{amount}",
                    plan.convention,
                    f"payment-{cell.contribution.pk}-{cell.year}",
                )
            )
    return events


def events_for_conventions(conventions, *, start, end, unpaid_only=False):
    """Convention deadlines and payment due dates; ``unpaid_only`` drops paid ones."""
    conventions = list(conventions)
    return sorted(
        convention_events(conventions, start=start, end=end)
        + payment_events(conventions, start=start, end=end, unpaid_only=unpaid_only)
    )


def events_for_user(user, *, start: datetime.date, end: datetime.date):
    """Every event of the user's conventions between ``start`` and ``end``, by date."""
    return sorted(event for batch in event_batches(user, start=start, end=end) for event in batch)


def event_batches(user, *, start: datetime.date, end: datetime.date):
    """The same events, read ``BATCH_SIZE`` conventions at a time (in the order of their ids),
    each batch by date: a national feed held at once (some 900 conventions with their
    funding, 40 000 rows) took 140 MB of a worker's memory."""
    # A cancelled convention has no deadlines left; ten years of conventions ended long
    # ago have no event left either: SQL leaves them out.
    in_window = (
        scope_for(user).conventions().agreements().may_have_events_between(start, end).values("pk")
    )
    ids = list(
        Convention.objects.filter(pk__in=in_window)
        .not_cancelled()
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    for first in range(0, len(ids), BATCH_SIZE):
        batch = ids[first : first + BATCH_SIZE]
        conventions = Convention.objects.filter(pk__in=batch).for_list()
        yield events_for_conventions(conventions, start=start, end=end)
