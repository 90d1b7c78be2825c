"""What happened, told to whoever listens: the services publish, the API's webhooks
(``config.api.webhooks``) subscribe.

A service of any layer publishes an event without knowing who listens (the layers
below the API may not import it); a listener is told once the transaction commits, so
that nothing is announced that was rolled back, and the request that made the change
pays nothing for it before then. An event names the organisations it concerns (asked
only when a listener needs them): only their subscriptions hear of it.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db import transaction


@dataclass(frozen=True)
class Event:
    kind: str  # "quarter.submitted", "payment.recorded"…
    data: dict
    concerned: Callable[[], Iterable[int | None]]

    def organisation_ids(self) -> set[int]:
        return {pk for pk in self.concerned() if pk is not None}


_listeners: list[Callable[[Event], None]] = []


def listen(listener: Callable[[Event], None]) -> None:
    if listener not in _listeners:
        _listeners.append(listener)


def publish(kind: str, *, data: dict, concerned: Callable[[], Iterable[int | None]]) -> None:
    """Tell the listeners of ``kind`` once the current transaction commits; ``concerned``
    gives the ids of the organisations the event is about."""
    event = Event(kind, data, concerned)
    for listener in list(_listeners):
        transaction.on_commit(lambda listener=listener: listener(event), robust=True)
