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
