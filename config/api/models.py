"""What the API keeps of its own: the answers to writes sent with an idempotency key."""

from django.conf import settings
from django.db import models


class IdempotentRequest(models.Model):
    """A write sent with ``Idempotency-Key``: the same key sent again by the same user
    gets this answer again, and nothing is written twice (``config.api.idempotency``)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name="utilisateur",
    )
    key = models.CharField("clé d'idempotence", max_length=100)
    # What was asked (method, path, body): the same key for another request is refused.
    fingerprint = models.CharField("empreinte de la demande", max_length=64)
    status = models.PositiveSmallIntegerField("statut de la réponse", null=True)
    body = models.JSONField("réponse", null=True)
    created_at = models.DateTimeField("reçue le", auto_now_add=True)

    class Meta:
        verbose_name = "écriture idempotente"
        verbose_name_plural = "écritures idempotentes"
        constraints = [
            models.UniqueConstraint(
                fields=["user", "key"],
                name="%(app_label)s_%(class)s_unique_user_key",
                violation_error_message="Cette clé d'idempotence a déjà servi.",
            ),
        ]

    def __str__(self):
        return self.key


class WebhookSubscription(models.Model):
    """An organisation's address told of the events that concern it
    (``config.api.webhooks``), each delivery signed with ``secret``."""

    organisation = models.ForeignKey(
        "partners.Organisation",
        on_delete=models.CASCADE,
        related_name="webhook_subscriptions",
        verbose_name="organisation",
    )
    url = models.URLField(
        "adresse de réception",
        max_length=500,
        help_text="Adresse HTTPS de votre outil qui reçoit les événements (POST, JSON).",
    )
    # Needed in clear to sign each delivery (HMAC); shown once, when created.
    secret = models.CharField("secret de signature", max_length=64, editable=False)
    events = models.JSONField("événements", default=list)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="créé par",
    )
    created_at = models.DateTimeField("créé le", auto_now_add=True)

    class Meta:
        verbose_name = "abonnement aux événements"
        verbose_name_plural = "abonnements aux événements"
        ordering = ["organisation", "pk"]

    def __str__(self):
        return f"{self.organisation} → {self.url}"


class WebhookDelivery(models.Model):
    """One event sent to one subscription: tried at once, then again with a growing delay
    until the receiver answers 2xx or the attempts run out."""

    subscription = models.ForeignKey(
        WebhookSubscription,
        on_delete=models.CASCADE,
        related_name="deliveries",
        verbose_name="abonnement",
    )
    event_id = models.UUIDField("identifiant de l'événement", unique=True, editable=False)
    kind = models.CharField("événement", max_length=40)
    payload = models.JSONField("contenu")
    attempts = models.PositiveSmallIntegerField("tentatives", default=0)
    # None once delivered or given up.
    next_attempt_at = models.DateTimeField("prochaine tentative", null=True, blank=True)
    delivered_at = models.DateTimeField("reçu le", null=True, blank=True)
    last_status = models.PositiveSmallIntegerField("dernière réponse", null=True, blank=True)
    last_error = models.CharField("dernière erreur", max_length=300, blank=True)
    created_at = models.DateTimeField("créé le", auto_now_add=True)

    class Meta:
        verbose_name = "envoi d'événement"
        verbose_name_plural = "envois d'événements"
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["next_attempt_at"], name="api_delivery_due")]

    def __str__(self):
        return f"{self.kind} → {self.subscription.url}"
