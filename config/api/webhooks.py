"""Webhooks: the organisations' tools are told, signed, of what concerns them.

An event published by a service (``config.core.events``) becomes, once its transaction
commits, one delivery per active subscription of the organisations it concerns that
chose its kind. Each delivery is a POST of JSON, signed::

    X-ISCG-Signature: t=<unix time>,v1=<hex HMAC-SHA256 of "<t>.<body>" with the secret>

tried at once, then again after 1 min, 5 min, 30 min, 2 h, 12 h and 24 h until the
receiver answers 2xx: the first attempt is a task of its own once the event's
transaction commits, the later ones ``deliver_due``'s, run every minute by Celery beat (or
the ``deliver_webhooks`` command). The body carries identifiers and the address of the
resource in the API, never more than the API would give the organisation's keys.

The receiving address is checked when it is saved and again at each delivery: HTTPS, a
public address (not this network's, not a cloud's metadata service), no redirection
followed; ``WEBHOOKS_ALLOW_PRIVATE_NETWORK`` lifts this for development and the tests.
"""

import datetime
import hashlib
import hmac
import ipaddress
import json
import logging
import secrets
import socket
import time
import urllib.error
import urllib.request
import uuid
from urllib.parse import urlsplit

from celery import shared_task
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from config.api.models import WebhookDelivery, WebhookSubscription
from config.core.events import Event, listen
from config.jobs.tasks import Job

logger = logging.getLogger(__name__)

EVENTS = {
    "quarter.submitted": "Trimestre transmis à l'autorité fonctionnelle",
    "quarter.validated": "Trimestre validé",
    "quarter.reopened": "Trimestre rouvert pour correction",
    "convention.signed": "Convention signée par toutes les parties",
    "convention.renewed": "Convention reconduite ou renouvelée",
    "convention.terminated": "Convention dénoncée",
    "payment.recorded": "Versement enregistré",
}
RETRY_DELAYS = [
    datetime.timedelta(minutes=1),
    datetime.timedelta(minutes=5),
    datetime.timedelta(minutes=30),
    datetime.timedelta(hours=2),
    datetime.timedelta(hours=12),
    datetime.timedelta(hours=24),
]
TIMEOUT_SECONDS = 5
SIGNATURE_HEADER = "X-ISCG-Signature"


def new_secret() -> str:
    return secrets.token_hex(32)


def signature(secret: str, timestamp: int, body: bytes) -> str:
    signed = f"{timestamp}.".encode() + body
    return hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()


def check_address(url: str) -> None:
    """Refuse an address a delivery must not reach (see the module's docstring)."""
    parts = urlsplit(url)
    private_allowed = settings.WEBHOOKS_ALLOW_PRIVATE_NETWORK
    if parts.scheme != "https" and not (private_allowed and parts.scheme == "http"):
        raise ValidationError({"url": "L'adresse doit commencer par « https:// »."})
    if not parts.hostname:
        raise ValidationError({"url": "Indiquez une adresse complète : https://outil.exemple.fr/…"})
    try:
        addresses = {info[4][0] for info in socket.getaddrinfo(parts.hostname, parts.port or 443)}
    except (socket.gaierror, UnicodeError) as error:
        raise ValidationError({"url": "Ce nom de domaine est introuvable."}) from error
    if not private_allowed and any(not ipaddress.ip_address(a).is_global for a in addresses):
        raise ValidationError(
            {"url": "Cette adresse mène à un réseau privé : indiquez une adresse publique."}
        )


def api_path(kind: str, data: dict) -> str:
    if kind.startswith("quarter."):
        return f"/api/v1/postes/{data['poste']}/trimestres/{data['annee']}/{data['trimestre']}/"
    if kind.startswith("payment."):
        return f"/api/v1/versements/{data['versement']}/"
    return f"/api/v1/conventions/{data['convention']}/"


def record(event: Event) -> list[WebhookDelivery]:
    """The deliveries of ``event`` (a listener of ``config.core.events``), tried at once
    when ``WEBHOOKS_DELIVER_AT_ONCE`` (the default; the retries are the command's)."""
    if event.kind not in EVENTS or not WebhookSubscription.objects.exists():
        return []
    organisations = event.organisation_ids()
    subscriptions = [
        s
        for s in WebhookSubscription.objects.filter(organisation__in=organisations)
        if event.kind in s.events
    ]
    now = timezone.now()
    deliveries = []
    for subscription in subscriptions:
        event_id = uuid.uuid4()
        deliveries.append(
            WebhookDelivery.objects.create(
                subscription=subscription,
                event_id=event_id,
                kind=event.kind,
                payload={
                    "id": str(event_id),
                    "type": event.kind,
                    "libelle": EVENTS[event.kind],
                    "cree_le": now.isoformat(),
                    "organisation": subscription.organisation_id,
                    "ressource": settings.SITE_URL.rstrip("/") + api_path(event.kind, event.data),
                    "donnees": event.data,
                },
                next_attempt_at=now,
            )
        )
    if settings.WEBHOOKS_DELIVER_AT_ONCE:
        # A task each (inline without a broker); the listener runs once the change committed.
        for delivery in deliveries:
            deliver_webhook.delay(delivery.pk)
    return deliveries


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


_opener = urllib.request.build_opener(_NoRedirect)


def deliver(delivery: WebhookDelivery) -> bool:
    """One attempt; True when the receiver answered 2xx."""
    subscription = delivery.subscription
    body = json.dumps(delivery.payload, ensure_ascii=False).encode()
    timestamp = int(time.time())
    # Only http(s) reaches here: check_address() refuses any other scheme before sending.
    request = urllib.request.Request(  # noqa: S310
        subscription.url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json; charset=utf-8",
            "User-Agent": "Conventions-ISCG-webhooks/1",
            "X-ISCG-Evenement": delivery.kind,
            "X-ISCG-Livraison": str(delivery.event_id),
            SIGNATURE_HEADER: f"t={timestamp},v1={signature(subscription.secret, timestamp, body)}",
        },
    )
    status, error = None, ""
    try:
        check_address(subscription.url)
        with _opener.open(request, timeout=TIMEOUT_SECONDS) as response:
            status = response.status
    except urllib.error.HTTPError as refusal:
        status, error = refusal.code, f"Réponse {refusal.code}"
    except ValidationError as refusal:
        error = " ".join(refusal.messages)
    except (OSError, ValueError) as failure:
        error = f"Injoignable : {failure}"[:300]
    now = timezone.now()
    delivery.attempts += 1
    delivery.last_status, delivery.last_error = status, error
    if status is not None and 200 <= status < 300:
        delivery.delivered_at, delivery.next_attempt_at, delivery.last_error = now, None, ""
    elif delivery.attempts <= len(RETRY_DELAYS):
        delivery.next_attempt_at = now + RETRY_DELAYS[delivery.attempts - 1]
    else:
        delivery.next_attempt_at = None
        logger.warning("Webhook abandonné après %s tentatives : %s", delivery.attempts, delivery)
    delivery.save(
        update_fields=["attempts", "last_status", "last_error", "delivered_at", "next_attempt_at"]
    )
    return delivery.delivered_at is not None


def deliver_claimed(pk: int, *, now: datetime.datetime | None = None) -> bool:
    """Try ``pk`` if its next attempt has come, claiming it first (its next attempt
    cleared in a transaction that skips a row another run holds): two runs at once never
    send it twice. False when another run has it or it is not due."""
    now = now or timezone.now()
    with transaction.atomic():
        delivery = (
            WebhookDelivery.objects.select_for_update(skip_locked=True)
            .select_related("subscription")
            .filter(pk=pk, next_attempt_at__lte=now)
            .first()
        )
        if delivery is None:
            return False
        delivery.next_attempt_at = None
        delivery.save(update_fields=["next_attempt_at"])
    deliver(delivery)
    return True


def deliver_due(*, now: datetime.datetime | None = None) -> int:
    """Try again the deliveries whose time has come; returns how many were tried."""
    now = now or timezone.now()
    due = WebhookDelivery.objects.filter(next_attempt_at__lte=now).values_list("pk", flat=True)
    return sum(deliver_claimed(pk, now=now) for pk in due)


@shared_task(base=Job, name="api.deliver_webhook")
def deliver_webhook(delivery_id: int) -> bool:
    """The first attempt of one delivery, right after its event; the later ones are
    ``deliver_due_webhooks``'s (Celery beat, every minute)."""
    return deliver_claimed(delivery_id)


@shared_task(base=Job, name="api.deliver_due_webhooks")
def deliver_due_webhooks() -> int:
    return deliver_due()


def subscription_create(*, organisation, url: str, events: list[str], user) -> WebhookSubscription:
    unknown = set(events) - set(EVENTS)
    if not events or unknown:
        raise ValidationError({"events": "Choisissez au moins un événement de la liste."})
    if WebhookSubscription.objects.filter(organisation=organisation, url=url).exists():
        raise ValidationError(
            {"url": "Cette adresse est déjà abonnée : supprimez son abonnement pour le changer."}
        )
    check_address(url)
    subscription = WebhookSubscription(
        organisation=organisation,
        url=url,
        events=sorted(events),
        secret=new_secret(),
        created_by=user,
    )
    subscription.full_clean()
    subscription.save()
    return subscription


listen(record)
