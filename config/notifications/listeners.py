"""Who is told of what: the services' events (``config.core.events``) become notifications.

The listener only hands the event to a task once the change has committed: working out
who is concerned and writing to them costs the request that made the change nothing, and
a failure is retried like any task's.
"""

from config.core.events import Event, listen
from config.notifications.tasks import TOLD, tell


def hear(event: Event) -> None:
    if event.kind in TOLD:
        tell.delay(event.kind, event.data)


listen(hear)
