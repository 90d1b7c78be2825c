"""``Idempotency-Key``: a write sent twice (a retry after a timeout, a replayed queue) is
carried out once, and the second send gets the first answer.

The key is the client's (any string of 1 to 100 letters, digits, ``-_.:``), per user. The
row is written in the same transaction as the write it guards: two sends at once meet
on its unique constraint, the second waits for the first and then replays its answer.
Only a success is kept: a refused write (400, 403, 409) changed nothing, and may be sent
again, corrected, with the same key. The same key for another request (other path or
body) is refused (422).
"""

import hashlib
import json
import re
from functools import wraps

from django.db import IntegrityError, transaction
from rest_framework import status
from rest_framework.exceptions import APIException, ValidationError
from rest_framework.response import Response

from config.api.models import IdempotentRequest

HEADER = "Idempotency-Key"
KEY_PATTERN = re.compile(r"[A-Za-z0-9_.:-]{1,100}")
# The header as the OpenAPI description states it.
KEY_SCHEMA = {"type": "string", "pattern": r"^[A-Za-z0-9_.:-]{1,100}$"}
REPLAYED_HEADER = "Idempotent-Replayed"


class KeyReused(APIException):
    status_code = status.HTTP_422_UNPROCESSABLE_ENTITY
    default_detail = (
        "Cette clé d'idempotence a déjà servi pour une autre demande : "
        "choisissez une clé nouvelle pour chaque écriture."
    )
    default_code = "idempotency_key_reused"


def _fingerprint(request) -> str:
    body = json.dumps(request.data, sort_keys=True, default=str)
    return hashlib.sha256(f"{request.method} {request.path}\n{body}".encode()).hexdigest()


def _replay(stored: IdempotentRequest, fingerprint: str) -> Response:
    if stored.fingerprint != fingerprint:
        raise KeyReused()
    return Response(stored.body, status=stored.status, headers={REPLAYED_HEADER: "true"})


def idempotent(*, required: bool):
    """Decorates a handler of an API view (``def post(self, request, …)``)."""

    def decorator(handler):
        @wraps(handler)
        def wrapper(view, request, *args, **kwargs):
            key = request.headers.get(HEADER)
            if key is None:
                if required:
                    raise ValidationError(
                        {HEADER: [f"En-tête {HEADER} obligatoire : une clé nouvelle par écriture."]}
                    )
                return handler(view, request, *args, **kwargs)
            if not KEY_PATTERN.fullmatch(key):
                raise ValidationError(
                    {HEADER: ["De 1 à 100 caractères : lettres, chiffres, « - _ . : »."]}
                )
            fingerprint = _fingerprint(request)
            user = request.user
            stored = IdempotentRequest.objects.filter(user=user, key=key).first()
            if stored is not None:
                return _replay(stored, fingerprint)
            with transaction.atomic():
                try:
                    with transaction.atomic():
                        row = IdempotentRequest.objects.create(
                            user=user, key=key, fingerprint=fingerprint
                        )
                except IntegrityError:
                    # Sent twice at once: the insert waited for the other send to end.
                    return _replay(IdempotentRequest.objects.get(user=user, key=key), fingerprint)
                response = handler(view, request, *args, **kwargs)
                if status.is_success(response.status_code):
                    row.status, row.body = response.status_code, response.data
                    row.save(update_fields=["status", "body"])
                else:
                    row.delete()
                return response

        return wrapper

    return decorator
