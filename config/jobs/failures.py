"""Every task that fails for good leaves a row the national administrator sees."""

import logging

from celery.signals import task_failure
from django.db import DatabaseError

from config.jobs.models import TaskFailure

logger = logging.getLogger(__name__)


@task_failure.connect
def record_failure(
    sender=None, task_id=None, exception=None, args=None, kwargs=None, einfo=None, **_
):
    logger.error("Tâche en échec : %s (%s)", getattr(sender, "name", sender), task_id)
    try:
        TaskFailure.objects.update_or_create(
            task_id=str(task_id),
            defaults={
                "task": getattr(sender, "name", str(sender)),
                "arguments": {"args": list(args or ()), "kwargs": dict(kwargs or {})},
                "error": f"{type(exception).__name__} : {exception}"[:500],
                "traceback": str(einfo or "")[:20000],
            },
        )
    except DatabaseError:
        logger.exception("Échec de la tâche %s non enregistré", task_id)
