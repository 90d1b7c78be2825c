"""Every version of an uploaded document, kept and listed, never deleted: the signed
scans of a convention and the proofs of a payment.

One mechanism for both (``DocumentVersion``): each upload is a new row holding a new
file name; the file is written before the row is committed (``keep``), so a failed
save leaves an orphan file (``clean_orphan_uploads`` removes it later), never a lost
document. The parent (the convention, the payment) points at its newest version.
"""

from django.conf import settings
from django.core.files import File
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone

from config.core.uploads import sha256_of
from config.core.validators import single_line
from conventions.models.convention import Convention, signed_scan_path, validate_signed_scan
from conventions.models.funding import Payment, payment_proof_path, validate_pdf


class DocumentVersion(models.Model):
    """One deposit of a document. Rows are only ever added: a kept document is evidence,
    so a wrong upload is followed by a better one, not erased. A subclass has the
    parent's foreign key and a ``file`` field with its own path and checks."""

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
        abstract = True
        ordering = ["-uploaded_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["file"],
                name="%(app_label)s_%(class)s_one_row_per_file",
                violation_error_message="Ce fichier est déjà une version déposée.",
            )
        ]

    def __str__(self):
        return f"{self.parent} — {timezone.localtime(self.uploaded_at):%d/%m/%Y %H:%M}"

    def keep(self, upload: File):
        """Check ``upload``, write it under a name of our own, then save the row.

        The checks (the file field's validators) run before anything is written; the
        storage never overwrites a file. Call it inside the service's transaction."""
        self.sha256 = sha256_of(upload)
        self.file = upload
        self.full_clean()
        self.file.save(upload.name, upload, save=False)
        self.save()
        return self


class SignedScanVersion(DocumentVersion):
    """One deposit of the signed convention."""

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

    class Meta(DocumentVersion.Meta):
        verbose_name = "version de la convention signée"
        verbose_name_plural = "versions de la convention signée"

    @property
    def parent(self):
        return self.convention


class PaymentProofVersion(DocumentVersion):
    """One deposit of a payment's proof (avis de paiement, mandat)."""

    payment = models.ForeignKey(
        Payment,
        on_delete=models.PROTECT,
        related_name="proof_versions",
        verbose_name="versement",
    )
    file = models.FileField(
        "fichier (PDF)",
        upload_to=payment_proof_path,
        validators=[validate_pdf],
    )

    class Meta(DocumentVersion.Meta):
        verbose_name = "version du justificatif de versement"
        verbose_name_plural = "versions du justificatif de versement"

    @property
    def parent(self):
        return self.payment


def scan_versions_prefetch():
    """What a convention's page reads of its scan history: one query, newest first."""
    return models.Prefetch(
        "scan_versions", queryset=SignedScanVersion.objects.select_related("uploaded_by")
    )
