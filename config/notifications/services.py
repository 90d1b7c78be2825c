"""The writes of notifications: telling users, reading, choosing how often, the digest."""

from collections.abc import Iterable, Mapping

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.db.models.functions import Greatest
from django.urls import reverse
from django.utils import timezone

from config.core.formats import french_date, one_line
from config.jobs.tasks import queue_email
from config.notifications.models import (
    DEFAULT_FREQUENCY,
    LEGAL_DEADLINES,
    Frequency,
    Kind,
    Notification,
    Preference,
)
from partners.models import User

SIGNATURE = (
    "\n\nVous recevez ce message parce que vous suivez ces événements dans l'application des "
    "conventions ISCG. Pour choisir ce que vous recevez et à quel rythme : {url}\n"
)


def absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def preferences_url() -> str:
    return absolute(reverse("notifications:preferences"))


def frequencies(users: Iterable[User], kind: str) -> dict[int, str]:
    """Each user's choice for ``kind``: one query for all of them."""
    ids = [user.pk for user in users]
    chosen = dict(
        Preference.objects.filter(user_id__in=ids, kind=kind).values_list("user_id", "frequency")
    )
    return {pk: chosen.get(pk, DEFAULT_FREQUENCY) for pk in ids}


@transaction.atomic
def notify(
    *, users: Iterable[User], kind: Kind, key: str, title: str, body: str, path: str
) -> list[Notification]:
    """Tell each of ``users`` (the inactive ones left out) that ``key`` happened, as each
    chose for ``kind``: at once by e-mail, in the Monday digest, or not at all. Told twice
    of the same ``key``, a user gets one notification and one e-mail."""
    users = [user for user in {u.pk: u for u in users}.values() if user.is_active]
    chosen = frequencies(users, kind)
    told = []
    for user in users:
        frequency = chosen[user.pk]
        if frequency == Frequency.NEVER and kind not in LEGAL_DEADLINES:
            continue
        notification, created = Notification.objects.get_or_create(
            user=user,
            key=key,
            defaults={
                "kind": kind,
                "title": one_line(title)[:300],
                "body": body,
                "path": path,
                "in_digest": frequency == Frequency.WEEKLY,
            },
        )
        if not created:
            continue
        User.objects.filter(pk=user.pk).update(unread_notifications=F("unread_notifications") + 1)
        if frequency != Frequency.WEEKLY and user.email:
            queue_email(
                to=[user.email],
                subject=f"[Conventions ISCG] {notification.title}",
                body=(
                    f"Bonjour,\n\n{notification.title}.\n"
                    + (f"\n{body}\n" if body else "")
                    + f"\nPour voir la page : {absolute(path)}"
                    + SIGNATURE.format(url=preferences_url())
                ),
                key=f"notification:{notification.pk}",
            )
        told.append(notification)
    return told


def notification_read(*, user: User, notification: Notification) -> None:
    """Idempotent: reading it twice counts once."""
    with transaction.atomic():
        if Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=timezone.now()
        ):
            User.objects.filter(pk=user.pk).update(
                unread_notifications=Greatest(F("unread_notifications") - 1, 0)
            )


@transaction.atomic
def notifications_read_all(*, user: User) -> int:
    count = user.notifications.filter(read_at__isnull=True).update(read_at=timezone.now())
    # Locked, then counted again: a notification created meanwhile stays unread.
    User.objects.select_for_update().filter(pk=user.pk).update(
        unread_notifications=Notification.objects.filter(
            user_id=user.pk, read_at__isnull=True
        ).count()
    )
    return count


@transaction.atomic
def preferences_save(*, user: User, choices: Mapping[str, str]) -> None:
    """``choices``: a frequency per kind; a legal deadline is never set to « jamais »."""
    rows = [
        Preference(
            user=user,
            kind=kind,
            frequency=Frequency.WEEKLY
            if kind in LEGAL_DEADLINES and frequency == Frequency.NEVER
            else frequency,
        )
        for kind, frequency in choices.items()
    ]
    # One statement for every kind, whether chosen before or not.
    Preference.objects.bulk_create(
        rows, update_conflicts=True, unique_fields=["user", "kind"], update_fields=["frequency"]
    )
    # A kind turned off is not sent, not even what waits for Monday. A kind now heard
    # at once still sends on Monday what was waiting: it was never e-mailed.
    turned_off = [kind for kind, frequency in choices.items() if frequency == Frequency.NEVER]
    if turned_off:
        user.notifications.filter(kind__in=turned_off, in_digest=True).update(in_digest=False)


def digest_send(*, user: User) -> int:
    """The notifications waiting for ``user``'s Monday digest, in one e-mail; run twice,
    it sends them once."""
    with transaction.atomic():
        waiting = list(
            Notification.objects.select_for_update()
            .filter(user=user, in_digest=True)
            .order_by("created_at", "pk")
        )
        if not waiting:
            return 0
        Notification.objects.filter(pk__in=[n.pk for n in waiting]).update(in_digest=False)
        if not user.email or not user.is_active:
            return 0
        lines = [
            f"- {french_date(timezone.localtime(n.created_at).date())} : {n.title}\n"
            f"  {absolute(n.path)}"
            for n in waiting
        ]
        queue_email(
            to=[user.email],
            subject=f"[Conventions ISCG] Résumé de la semaine : {len(waiting)} notification(s)",
            body=(
                "Bonjour,\n\nVoici ce qui s'est passé depuis votre dernier résumé :\n\n"
                + "\n".join(lines)
                + f"\n\nToutes vos notifications : {absolute(reverse('notifications:list'))}"
                + SIGNATURE.format(url=preferences_url())
            ),
            key=f"digest:{user.pk}:{waiting[-1].pk}",
        )
        return len(waiting)
