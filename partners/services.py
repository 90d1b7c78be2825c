import secrets

from django.db import transaction

from partners.models import User


@transaction.atomic
def calendar_token_renew(*, user: User) -> str:
    """Give the user a new private calendar address; the old one stops working."""
    user.calendar_token = secrets.token_urlsafe(32)
    user.save(update_fields=["calendar_token"])
    return user.calendar_token


@transaction.atomic
def calendar_token_revoke(*, user: User) -> None:
    user.calendar_token = None
    user.save(update_fields=["calendar_token"])
