"""Imports and exports run by a worker for the person who asked for them.

A page that starts one (an import's confirmation, a national export) calls ``run_start``
with a ``Background``: what the worker does, named in the ``Run`` row by its dotted path
(as a Celery task by its name). The person is sent to the run's page, which follows it
and then shows its message, its page or its file. The worker's task ``jobs.run`` does the
work once: the run's row stays locked while it runs, and the work, its outcome and the
emptying of its parameters are one transaction, so that a worker that dies half-way
leaves the run to the next delivery and a delivery twice does nothing the second time.

With no broker (``make run``, the tests), the run is done inline, in the request that
asked for it, as an import was before: the page then goes straight to its outcome.
"""

import datetime
from dataclasses import dataclass
from functools import partial

from celery import shared_task
from django.contrib import messages
from django.core.files.base import ContentFile
from django.db import OperationalError, transaction
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.module_loading import import_string

from config.jobs.models import Run, RunState
from config.jobs.tasks import Job

# A run's row and its file are kept this long after it was asked for.
RUN_KEPT = datetime.timedelta(days=7)
FAILURE_MESSAGE = (
    "Le traitement n'a pas pu aboutir. L'administration nationale en est avertie ; "
    "vous pouvez le demander de nouveau plus tard."
)


class Refused(Exception):
    """The run cannot be done as asked (the data changed since the request, the person
    lost the right to it): its message, in French, is for the person."""


@dataclass(frozen=True)
class Outcome:
    message: str
    url: str = ""  # the page the person goes to once told (an import's list)
    file_name: str = ""
    content: bytes = b""


class Background:
    """What a kind of run does in the worker. ``perform`` reads what it needs from the
    run (its user, subject and parameters), writes or builds, and returns the outcome;
    it raises ``Refused`` for what the person must be told, anything else for a
    failure of the service."""

    def perform(self, run: Run) -> Outcome:
        raise NotImplementedError


def handler_path(handler: Background) -> str:
    kind = type(handler)
    return f"{kind.__module__}.{kind.__qualname__}"


def run_start(
    *,
    user,
    handler: Background,
    key: str,
    label: str,
    params: dict,
    subject: str = "",
    back_url: str = "",
) -> Run:
    """The run of ``key``, asked for now or earlier (the same key twice is one run)."""
    run, created = Run.objects.get_or_create(
        key=key,
        defaults={
            "user": user,
            "handler": handler_path(handler),
            "label": label,
            "subject": subject,
            "params": params,
            "back_url": back_url,
        },
    )
    if created:
        if run_task.app.conf.task_always_eager:
            run_task.delay(run.pk)
            run.refresh_from_db()
        else:
            transaction.on_commit(partial(run_task.delay, run.pk))
    return run


def run_redirect(request, run: Run):
    """Where a person goes once they asked for a run: its outcome when it is done already
    (no broker: it ran in their request), else its page, which follows it."""
    target = untold_outcome_url(run)
    if target:
        run_told(request, run)
        return redirect(target)
    return redirect("runs:detail", run.public_id)


def untold_outcome_url(run: Run) -> str:
    """The page that tells a finished run's outcome once: an import's page on success, the
    page of the request on failure; "" when there is none (the run's own page tells it)."""
    if run.told_at is not None or run.file:
        return ""
    if run.state == RunState.DONE:
        return run.result_url
    if run.state == RunState.FAILED:
        return run.back_url
    return ""


def run_told(request, run: Run) -> None:
    """The outcome of a finished run, told once, as the message of the next page."""
    if run.state == RunState.DONE:
        messages.success(request, run.message)
    else:
        messages.error(request, run.message)
    Run.objects.filter(pk=run.pk, told_at__isnull=True).update(told_at=timezone.now())


class RunJob(Job):
    def on_failure(self, exc, task_id, args, kwargs, einfo):
        # After the last attempt: the person is told on the run's page, the administrator
        # by the failed task's row (config.jobs.failures).
        Run.objects.filter(pk=args[0], state=RunState.WAITING).update(
            state=RunState.FAILED,
            message=FAILURE_MESSAGE,
            params={},
            finished_at=timezone.now(),
        )
        super().on_failure(exc, task_id, args, kwargs, einfo)


@shared_task(base=RunJob, name="jobs.run", autoretry_for=(OperationalError,))
def run_task(run_id: int) -> bool:
    with transaction.atomic():
        run = (
            Run.objects.select_for_update(of=("self",))
            .select_related("user")
            .filter(pk=run_id, state=RunState.WAITING)
            .first()
        )
        if run is None:
            return False  # done already, or forgotten
        handler = import_string(run.handler)
        if not issubclass(handler, Background):
            raise TypeError(f"{run.handler} n'est pas un traitement.")
        try:
            with transaction.atomic():  # a refused run writes nothing
                outcome = handler().perform(run)
        except Refused as refusal:
            run.state, run.message = RunState.FAILED, str(refusal)
        else:
            run.state, run.message, run.result_url = RunState.DONE, outcome.message, outcome.url
            if outcome.file_name:
                run.file.save(outcome.file_name, ContentFile(outcome.content), save=False)
        run.params, run.finished_at = {}, timezone.now()
        run.save()
    return True


@shared_task(base=Job, name="jobs.forget_old_runs")
def forget_old_runs() -> int:
    """Every day: the runs asked for more than a week ago go, with their files."""
    old = Run.objects.filter(created_at__lt=timezone.now() - RUN_KEPT)
    count = 0
    for run in old.iterator():
        if run.file:
            run.file.delete(save=False)
        run.delete()
        count += 1
    return count
