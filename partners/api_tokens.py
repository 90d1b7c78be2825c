"""Personal API keys: created on the profile page, shown once, stored as a hash.

A key is ``iscg_`` followed by 43 random URL-safe characters (256 bits). With that much
randomness a plain SHA-256 is the right hash (a slow password hash would only slow every
call): the key cannot be found back from it, and it is looked up by its hash directly.
"""

import datetime
import hashlib
import secrets
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from partners.models import ApiToken, User

KEY_PREFIX = "iscg_"
# What the profile page offers; a key never lives more than a year.
LIFETIMES_DAYS = (30, 90, 180, 365)
DEFAULT_LIFETIME_DAYS = 90
# At most this many keys in use per user: one per tool is plenty.
MAX_USABLE_TOKENS = 10
# ``last_used_at`` is written at most this often, not at every call.
USE_RECORDED_EVERY = datetime.timedelta(minutes=5)


def key_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@dataclass(frozen=True)
class NewToken:
    token: ApiToken
    key: str  # the only time the key exists in clear


@transaction.atomic
def api_token_create(*, user: User, name: str, lifetime_days: int) -> NewToken:
    if lifetime_days not in LIFETIMES_DAYS:
        raise ValidationError({"lifetime_days": "Choisissez une durée de validité proposée."})
    # Locked: two creations at once cannot pass the limit together.
    User.objects.select_for_update().filter(pk=user.pk).first()
    if ApiToken.objects.usable().filter(user=user).count() >= MAX_USABLE_TOKENS:
        raise ValidationError(
            f"Vous avez déjà {MAX_USABLE_TOKENS} jetons en service : révoquez-en un d'abord."
        )
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user=user,
        name=name.strip(),
        prefix=key[: len(KEY_PREFIX) + 6],
        key_hash=key_hash(key),
        expires_at=timezone.now() + datetime.timedelta(days=lifetime_days),
    )
    token.full_clean()
    token.save()
    return NewToken(token=token, key=key)


def api_token_revoke(*, token: ApiToken) -> None:
    if token.revoked_at is None:
        ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )


def api_token_authenticate(key: str) -> ApiToken | None:
    """The usable token of ``key``, with its user; None for an unknown, revoked or expired
    key, or one of a deactivated account."""
    if not key.startswith(KEY_PREFIX) or len(key) > 100:
        return None
    now = timezone.now()
    token = (
        ApiToken.objects.usable(at=now)
        .select_related("user__organisation")
        .filter(key_hash=key_hash(key))
        .first()
    )
    if token is not None and (
        token.last_used_at is None or now - token.last_used_at > USE_RECORDED_EVERY
    ):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
