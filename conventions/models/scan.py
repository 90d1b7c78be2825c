"""Every signed scan ever deposited for a convention, kept and listed, never deleted."""

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone

from config.core.validators import single_line
from conventions.models.convention import Convention, signed_scan_path, validate_signed_scan


class SignedScanVersion(models.Model):
    """One deposit of the signed convention. Rows are only ever added: a signed document
    is evidence, so a wrong upload is followed by a better one, not erased."""

    convention = models.ForeignKey(
        Convention,
        on_delete=models.PROTECT,
        related_name="scan_versions",
        verbose_name="convention",
    )
    file = models.FileField(
        "fichier (PDF)",
        upload_to=signed_scan_path,
        # No extension check: the stored name is always ours (signed_scan_path).
        validators=[validate_signed_scan],
    )
    sha256 = models.CharField(
        "empreinte SHA-256",
        max_length=64,
        validators=[single_line, RegexValidator(r"^[0-9a-f]{64}$", "Empreinte SHA-256 invalide.")],
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="déposée par",
    )
    uploaded_at = models.DateTimeField("déposée le", default=timezone.now)

    class Meta:
        verbose_name = "version de la convention signée"
        verbose_name_plural = "versions de la convention signée"
        ordering = ["-uploaded_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["file"],
                name="%(app_label)s_%(class)s_one_row_per_file",
                violation_error_message="Ce fichier est déjà une version déposée.",
            )
        ]

    def __str__(self):
        return f"{self.convention} — {timezone.localtime(self.uploaded_at):%d/%m/%Y %H:%M}"


def scan_versions_prefetch():
    """What a convention's page reads of its scan history: one query, newest first."""
    return models.Prefetch(
        "scan_versions", queryset=SignedScanVersion.objects.select_related("uploaded_by")
    )
