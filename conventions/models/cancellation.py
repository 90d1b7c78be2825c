"""Cancelling instead of deleting: what a signed convention or a payment needs to be cancelled.

Nothing that was signed or paid is ever deleted; it is cancelled with a reason,
which the history and the pages keep.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

MIN_REASON_CHARS = 10


def clean_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if len(reason) < MIN_REASON_CHARS:
        raise ValidationError(
            f"Indiquez le motif de l'annulation en une phrase (au moins {MIN_REASON_CHARS} "
            "caractères) : il reste visible dans l'historique.",
            code="reason_too_short",
        )
    return reason


def reason_constraint() -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(cancelled_at__isnull=True, cancellation_reason="")
        | (Q(cancelled_at__isnull=False) & ~Q(cancellation_reason="")),
        name="%(app_label)s_%(class)s_cancellation_has_reason",
        violation_error_message="Une annulation indique son motif.",
    )
