"""``/healthz``: whether this server can serve, for the load balancer and the monitoring
(README « Déploiement en production »).

The answer says only "ok", "inline" or "erreur" for each part: no error text, host
name, version or setting (anyone may ask). What went wrong is logged.
"""

import logging
import time
import uuid
from concurrent.futures import ThreadPoolExecutor, wait

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connections, transaction
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from kombu import Connection

logger = logging.getLogger(__name__)

OK = "ok"
ERROR = "erreur"
# No broker: tasks run in the process that asks for them (make run, make test).
INLINE = "inline"

# Seconds the broker and the storage each have to answer: past that, the part is in error.
CHECK_SECONDS = 2.0
# The broker and the storage are checked side by side, while the database is checked in
# the request's own thread (on the connection the worker serves with). A check stuck past
# its time keeps its thread: the next probes queue behind it and fail in time too, rather
# than piling up threads.
_checks = ThreadPoolExecutor(max_workers=2, thread_name_prefix="healthz")

PROBE = b"ok"


@login_not_required
@require_safe
@never_cache
@transaction.non_atomic_requests  # with the database down, an atomic view would be a 500
def healthz(request):
    # A little past the checks' own time limits, so that theirs fire first and are logged.
    deadline = time.monotonic() + CHECK_SECONDS + 0.5
    pending = {"broker": _checks.submit(broker_state), "storage": _checks.submit(storage_state)}
    checks = {"database": database_state()}
    done, _ = wait(pending.values(), timeout=max(0.0, deadline - time.monotonic()))
    for part, future in pending.items():
        if future in done:
            checks[part] = future.result()
        else:
            future.cancel()
            logger.warning("healthz : %s sans réponse après %s s", part, CHECK_SECONDS)
            checks[part] = ERROR
    healthy = ERROR not in checks.values()
    return JsonResponse(
        {"status": OK if healthy else ERROR, "checks": checks}, status=200 if healthy else 503
    )


def database_state() -> str:
    """``SELECT 1`` on each configured database (PostgreSQL's connect_timeout bounds it)."""
    for alias in connections:
        try:
            with connections[alias].cursor() as cursor:
                cursor.execute("SELECT 1")
                cursor.fetchone()
        except Exception:
            logger.warning("healthz : base de données %s injoignable", alias, exc_info=True)
            return ERROR
    return OK


def broker_state() -> str:
    """A connection to the broker, one attempt bounded by ``CHECK_SECONDS``."""
    if not settings.CELERY_BROKER_URL:
        return INLINE
    try:
        with Connection(
            settings.CELERY_BROKER_URL,
            connect_timeout=CHECK_SECONDS,
            transport_options={
                "socket_connect_timeout": CHECK_SECONDS,
                "socket_timeout": CHECK_SECONDS,
            },
        ) as connection:
            connection.ensure_connection(max_retries=0, timeout=CHECK_SECONDS)
    except Exception:
        logger.warning("healthz : courtier injoignable", exc_info=True)
        return ERROR
    return OK


def storage_state() -> str:
    """Writes, reads back and deletes a tiny file under ``healthz/``: what an upload needs
    (a disk full or read-only, revoked S3 credentials fail here), with the FileSystem
    storage as with S3. Each probe has its own name: two workers probing at once do not
    delete each other's file. A file left by a crash is an orphan that
    ``clean_orphan_uploads`` removes."""
    try:
        name = default_storage.save(f"healthz/{uuid.uuid4().hex}.txt", ContentFile(PROBE))
        try:
            with default_storage.open(name) as probe:
                content = probe.read()
        finally:
            default_storage.delete(name)
    except Exception:
        logger.warning("healthz : stockage des fichiers inutilisable", exc_info=True)
        return ERROR
    if content != PROBE:
        logger.warning("healthz : le stockage rend un autre contenu que celui écrit")
        return ERROR
    return OK
