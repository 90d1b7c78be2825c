"""The electronic publication of a deliberation on this site (CGCT L2131-1, since the
ordonnance n° 2021-1310: from 1 July 2022, publication under electronic form is the
rule and conditions, with the transmission, the day the act is enforceable).

One row per act of publication, never deleted: a withdrawal is recorded on the row
(when, by whom, why), and a deliberation published again gets a new row with its own
public address. At most one row per deliberation is current (not withdrawn).

The public address carries ``public_id``, a random UUID, not the primary key: the
addresses of the published acts cannot be counted through to reach the others.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone


class DeliberationPublicationQuerySet(models.QuerySet):
    def current(self):
        return self.filter(withdrawn_at__isnull=True)

    def for_public_list(self, organisation):
        """The organisation's acts online now, newest session first (the public page)."""
        return (
            self.current()
            .filter(deliberation__organisation=organisation)
            .select_related("deliberation")
            .order_by("-deliberation__session_date", "deliberation__number")
        )


class DeliberationPublication(models.Model):
    deliberation = models.ForeignKey(
        "conventions.Deliberation",
        # History of a public act: the deliberation cannot be deleted once published.
        on_delete=models.PROTECT,
        related_name="publications",
        verbose_name="délibération",
    )
    public_id = models.UUIDField("identifiant public", default=uuid.uuid4, unique=True)
    published_at = models.DateTimeField("publiée le")
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="publiée par",
    )
    # The extract as published, drawn once: the published act does not change when the
    # record is corrected afterwards (a correction is published again, after a withdrawal).
    pdf = models.BinaryField("extrait publié (PDF)", editable=False)
    withdrawn_at = models.DateTimeField("publication retirée le", null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="retirée par",
    )
    withdrawal_reason = models.TextField("motif du retrait", blank=True)

    objects = DeliberationPublicationQuerySet.as_manager()

    class Meta:
        verbose_name = "publication d'une délibération"
        verbose_name_plural = "publications des délibérations"
        ordering = ["deliberation", "-published_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["deliberation"],
                condition=Q(withdrawn_at__isnull=True),
                name="%(app_label)s_%(class)s_one_current_per_deliberation",
                violation_error_message="Cette délibération est déjà publiée.",
            ),
            models.CheckConstraint(
                condition=Q(withdrawn_at__isnull=True, withdrawal_reason="")
                | (Q(withdrawn_at__isnull=False) & ~Q(withdrawal_reason="")),
                name="%(app_label)s_%(class)s_withdrawal_has_reason",
                violation_error_message="Un retrait de publication indique son motif.",
            ),
            models.CheckConstraint(
                condition=Q(withdrawn_at__isnull=True)
                | Q(withdrawn_at__gte=models.F("published_at")),
                name="%(app_label)s_%(class)s_withdrawn_after_published",
                violation_error_message="Le retrait ne peut pas précéder la publication.",
            ),
        ]

    def __str__(self):
        return f"Publication de la {self.deliberation} ({self.published_on:%d/%m/%Y})"

    def get_absolute_url(self):
        """The public address of the extract (no login)."""
        return reverse("public:deliberation_pdf", args=[self.public_id])

    @property
    def published_on(self):
        """The publication date, the one that counts (local day)."""
        return timezone.localdate(self.published_at)

    @property
    def withdrawn_on(self):
        return timezone.localdate(self.withdrawn_at) if self.withdrawn_at else None

    @property
    def is_current(self) -> bool:
        return self.withdrawn_at is None

    @property
    def public_url(self) -> str:
        """The absolute address, printed on the extract and given in the SCDL file."""
        return settings.SITE_URL.rstrip("/") + self.get_absolute_url()
