"""What a post costs, who pays what toward it, and what was actually paid.

The arithmetic (expected amounts, states, gaps, warnings) is in the
``conventions.funding`` package; these models only hold the facts. The
contributions (who commits to what) are in ``conventions.models.contribution``.
"""

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q, Value
from django.db.models.functions import Coalesce
from simple_history.models import HistoricalRecords

from config.core.dates import future_date_message
from config.core.formats import euros
from config.core.uploads import check_pdf
from config.core.validators import single_line
from conventions.models.amounts import YEAR_VALIDATORS, money_field
from conventions.models.cancellation import reason_constraint
from conventions.models.contribution import Contribution

MAX_PROOF_BYTES = 10 * 1024 * 1024


def validate_pdf(file) -> None:
    """A proof must really be a PDF (parsed, whatever its name says) of at most 10 MB."""
    check_pdf(
        file,
        max_bytes=MAX_PROOF_BYTES,
        too_large="Le justificatif dépasse 10 Mo ({size} Mo) : réduisez sa taille "
        "(numérisation en 150 ppp) ou joignez seulement les pages utiles.",
        not_pdf="Ce fichier n'est pas un PDF. Enregistrez le justificatif au format PDF.",
    )


def payment_proof_path(instance, filename):
    # The uploaded name is never reused: it may hold personal data or path tricks.
    return f"financements/versements/{uuid.uuid4().hex}.pdf"


class PostCost(models.Model):
    """The cost of a post budgeted for one budget year."""

    post = models.ForeignKey(
        "conventions.Post", on_delete=models.PROTECT, related_name="costs", verbose_name="poste"
    )
    year = models.PositiveSmallIntegerField("année budgétaire", validators=YEAR_VALIDATORS)
    total = money_field("coût total", validators=[MinValueValidator(0)])
    salary = money_field("salaire", null=True, blank=True, validators=[MinValueValidator(0)])
    charges = money_field(
        "charges sociales", null=True, blank=True, validators=[MinValueValidator(0)]
    )
    operating = money_field(
        "frais de fonctionnement", null=True, blank=True, validators=[MinValueValidator(0)]
    )
    note = models.CharField(
        "observations",
        max_length=200,
        blank=True,
        help_text="Par exemple « budget prévisionnel » ou « montant de démonstration ».",
        validators=[single_line],
    )
    # Raised by each save: an edit prepared on an older version is refused
    # (config.core.concurrency).
    version = models.PositiveIntegerField(default=1, editable=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "coût du poste"
        verbose_name_plural = "coûts du poste"
        ordering = ["post", "year"]
        constraints = [
            models.UniqueConstraint(
                fields=["post", "year"],
                name="%(app_label)s_%(class)s_unique_year",
                violation_error_message="Le coût de ce poste est déjà saisi pour cette année.",
            ),
            models.CheckConstraint(
                condition=Q(total__gte=0)
                & (Q(salary__isnull=True) | Q(salary__gte=0))
                & (Q(charges__isnull=True) | Q(charges__gte=0))
                & (Q(operating__isnull=True) | Q(operating__gte=0)),
                name="%(app_label)s_%(class)s_amounts_not_negative",
                violation_error_message="Les montants ne peuvent pas être négatifs.",
            ),
            models.CheckConstraint(
                condition=Q(salary__isnull=True, charges__isnull=True, operating__isnull=True)
                | Q(
                    total=Coalesce("salary", Value(0), output_field=models.DecimalField())
                    + Coalesce("charges", Value(0), output_field=models.DecimalField())
                    + Coalesce("operating", Value(0), output_field=models.DecimalField())
                ),
                name="%(app_label)s_%(class)s_breakdown_adds_up",
                violation_error_message=(
                    "Le détail (salaire, charges, fonctionnement) doit faire le coût total."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.post} — {self.year}"

    @property
    def breakdown(self) -> list[tuple[str, object]]:
        parts = [
            ("salaire", self.salary),
            ("charges", self.charges),
            ("fonctionnement", self.operating),
        ]
        return [(label, amount) for label, amount in parts if amount is not None]

    def clean(self):
        parts = [p for p in (self.salary, self.charges, self.operating) if p is not None]
        if parts and self.total is not None and sum(parts) != self.total:
            raise ValidationError(
                {
                    "total": (
                        f"Le détail fait {euros(sum(parts))} et non {euros(self.total)} : "
                        "corrigez le total ou le détail, ou laissez le détail vide."
                    )
                }
            )


class Payment(models.Model):
    """A versement: money actually paid for one contribution and one budget year."""

    contribution = models.ForeignKey(
        Contribution, on_delete=models.PROTECT, related_name="payments", verbose_name="contribution"
    )
    year = models.PositiveSmallIntegerField("année budgétaire", validators=YEAR_VALIDATORS)
    date = models.DateField("date du versement")
    amount = money_field("montant", validators=[MinValueValidator(Decimal("0.01"))])
    payer = models.ForeignKey(
        "partners.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="payeur",
    )
    reference = models.CharField(
        "référence",
        max_length=100,
        blank=True,
        help_text="Numéro de mandat ou de titre.",
        validators=[single_line],
    )
    # The current proof: the newest of ``proof_versions`` (PaymentProofVersion), which
    # keep every file ever deposited. Set by payment_attach_proof() only.
    proof = models.FileField(
        "justificatif (PDF)",
        upload_to=payment_proof_path,
        blank=True,
        validators=[validate_pdf],
        help_text="Avis de paiement ou mandat, PDF de 10 Mo au plus.",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="saisi par",
        editable=False,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Set by payment_cancel() only: a payment is never deleted, and a cancelled one no
    # longer counts as paid.
    cancelled_at = models.DateTimeField("annulé le", null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="annulé par",
    )
    cancellation_reason = models.TextField("motif de l'annulation", blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "versement"
        ordering = ["contribution", "year", "date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0),
                name="%(app_label)s_%(class)s_amount_positive",
                violation_error_message="Le montant d'un versement est positif.",
            ),
            reason_constraint(),
        ]

    def __str__(self):
        return f"Versement du {self.date:%d/%m/%Y} ({self.amount} €)"

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None

    def clean(self):
        errors = {}
        if self.contribution_id and self.contribution.is_in_kind:
            errors["contribution"] = (
                "Une aide en nature ne donne lieu à aucun versement : rien n'est à saisir."
            )
        elif self.contribution_id and self.year and not self.contribution.covers(self.year):
            contribution = self.contribution
            errors["year"] = (
                f"Cette contribution couvre {contribution.first_year}–"
                f"{contribution.last_year}, pas {self.year}."
            )
        if message := future_date_message(self.date, "la date du versement"):
            errors["date"] = message
        if errors:
            raise ValidationError(errors)


def funding_prefetches():
    """What ``funding_plan`` reads beyond a convention's parties and renewals."""
    return [
        models.Prefetch(
            "contributions",
            queryset=Contribution.objects.select_related(
                "organisation", "beneficiary"
            ).prefetch_related(
                models.Prefetch(
                    "payments", queryset=Payment.objects.select_related("payer", "cancelled_by")
                ),
                "year_shares",
            ),
        ),
        "sections__post__costs",
    ]
