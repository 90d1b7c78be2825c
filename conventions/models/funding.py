"""What a post costs, who pays what toward it, and what was actually paid.

The arithmetic (expected amounts, states, gaps, warnings) is in the
``conventions.funding`` package; these models only hold the facts. One piece of
some 470 lines: the three models validate against each other (a payment against
its contribution's years, a contribution against the post's costs).
"""

import calendar
import uuid
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q, Value
from django.db.models.functions import Coalesce
from simple_history.models import HistoricalRecords

from config.core.dates import future_date_message
from config.core.formats import euros
from config.core.uploads import check_pdf
from config.core.validators import single_line
from conventions.enums import ContributionRule, PartyChangeAction, ProRata
from conventions.models.cancellation import reason_constraint

MAX_PROOF_BYTES = 10 * 1024 * 1024
YEAR_VALIDATORS = [MinValueValidator(2000), MaxValueValidator(2100)]


def money_field(verbose_name, **kwargs):
    return models.DecimalField(verbose_name, max_digits=12, decimal_places=2, **kwargs)


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


class Contribution(models.Model):
    """What one partner commits to pay toward a convention's post, and how."""

    convention = models.ForeignKey(
        "conventions.Convention",
        on_delete=models.PROTECT,
        related_name="contributions",
        verbose_name="convention",
    )
    organisation = models.ForeignKey(
        "partners.Organisation",
        on_delete=models.PROTECT,
        related_name="contributions",
        verbose_name="financeur",
    )
    beneficiary = models.ForeignKey(
        "partners.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="bénéficiaire des versements",
        help_text="Qui reçoit l'argent ; vide : l'employeur du poste.",
    )
    source = models.CharField(
        "source de financement",
        max_length=120,
        help_text="Par exemple « FIPDR ».",
        validators=[single_line],
    )
    payment_channel = models.CharField(
        "modalités de versement",
        max_length=300,
        blank=True,
        help_text="Par exemple « via les subventions versées annuellement à France Victimes 79 ».",
        validators=[single_line],
    )
    legal_basis = models.ForeignKey(
        "conventions.Deliberation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="funded_contributions",
        verbose_name="délibération fondatrice",
        help_text="Quand la délibération est enregistrée dans l'application.",
    )
    legal_basis_text = models.CharField(
        "fondement",
        max_length=300,
        blank=True,
        help_text="Par exemple « délibération 3-15 du 15 novembre 2010 ».",
        validators=[single_line],
    )
    first_year = models.PositiveSmallIntegerField("première année", validators=YEAR_VALIDATORS)
    last_year = models.PositiveSmallIntegerField("dernière année", validators=YEAR_VALIDATORS)
    rule = models.CharField("règle", max_length=20, choices=ContributionRule.choices)
    amount = money_field(
        "montant annuel",
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text="Pour un montant fixe par an.",
    )
    share_numerator = models.PositiveSmallIntegerField(
        "part du coût : numérateur",
        null=True,
        blank=True,
        help_text="1 pour « un tiers » (1/3).",
    )
    share_denominator = models.PositiveSmallIntegerField(
        "part du coût : dénominateur",
        null=True,
        blank=True,
        help_text="3 pour « un tiers » (1/3), 100 pour un pourcentage.",
    )
    cap = money_field(
        "plafond annuel",
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text="Pour une part du coût plafonnée, par exemple 13 000 €.",
    )
    prorata = models.CharField(
        "prorata de la première et de la dernière année",
        max_length=10,
        choices=ProRata.choices,
        default=ProRata.NONE,
    )
    due_month = models.PositiveSmallIntegerField(
        "échéance de versement : mois", null=True, blank=True
    )
    due_day = models.PositiveSmallIntegerField(
        "échéance de versement : jour",
        null=True,
        blank=True,
        help_text="Après cette date de chaque année, un montant non versé est « en retard ».",
    )
    # A contribution that an amendment adds: it counts only once that amendment is
    # signed, from the day it takes effect (``conventions.funding.amended``).
    introduced_by = models.ForeignKey(
        "conventions.Amendment",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="new_contributions",
        verbose_name="prévue par l'avenant",
        help_text="Vide : prévue par la convention signée.",
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "contribution"
        ordering = ["convention", "first_year", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(last_year__gte=F("first_year")),
                name="%(app_label)s_%(class)s_first_year_before_last",
                violation_error_message="La dernière année ne peut précéder la première.",
            ),
            models.CheckConstraint(
                condition=~Q(rule=ContributionRule.FIXED)
                | Q(
                    amount__isnull=False,
                    share_numerator__isnull=True,
                    share_denominator__isnull=True,
                    cap__isnull=True,
                ),
                name="%(app_label)s_%(class)s_fixed_has_amount_only",
                violation_error_message="Un montant fixe s'indique par son seul montant annuel.",
            ),
            models.CheckConstraint(
                condition=~Q(rule=ContributionRule.SHARE_CAPPED)
                | Q(
                    amount__isnull=True,
                    share_numerator__gte=1,
                    share_denominator__gte=F("share_numerator"),
                ),
                name="%(app_label)s_%(class)s_share_is_a_fraction",
                violation_error_message=(
                    "Une part du coût s'indique par une fraction (1/3 par exemple) au plus égale "
                    "à 1, sans montant fixe."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(rule=ContributionRule.BALANCE)
                | Q(
                    amount__isnull=True,
                    share_numerator__isnull=True,
                    share_denominator__isnull=True,
                    cap__isnull=True,
                    prorata=ProRata.NONE,
                ),
                name="%(app_label)s_%(class)s_balance_has_no_amount",
                violation_error_message=(
                    "Le solde se déduit du coût du poste : pas de montant, de part, de plafond "
                    "ni de prorata."
                ),
            ),
            models.CheckConstraint(
                condition=(Q(amount__isnull=True) | Q(amount__gte=0))
                & (Q(cap__isnull=True) | Q(cap__gte=0)),
                name="%(app_label)s_%(class)s_amounts_not_negative",
                violation_error_message="Les montants ne peuvent pas être négatifs.",
            ),
            models.CheckConstraint(
                condition=(Q(due_month__isnull=True) & Q(due_day__isnull=True))
                | (Q(due_month__gte=1, due_month__lte=12) & Q(due_day__gte=1, due_day__lte=31)),
                name="%(app_label)s_%(class)s_valid_due_day",
                violation_error_message="Indiquez un jour (1 à 31) et un mois (1 à 12) valides.",
            ),
        ]

    def __str__(self):
        return f"{self.organisation} — {self.source} ({self.first_year}–{self.last_year})"

    @property
    def years(self) -> range:
        return range(self.first_year, self.last_year + 1)

    def covers(self, year: int) -> bool:
        return self.first_year <= year <= self.last_year

    def clean(self):
        errors = {}
        self._clean_rule(errors)
        if self.first_year and self.last_year and self.last_year < self.first_year:
            errors["last_year"] = "La dernière année ne peut précéder la première."
        if (self.due_month is None) != (self.due_day is None):
            errors["due_day"] = "Indiquez le jour et le mois de l'échéance, ou aucun des deux."
        elif self.due_month is not None:
            if not 1 <= self.due_month <= 12:
                errors["due_month"] = "Le mois va de 1 à 12."
            # 29 February exists in leap years: allow it, it is clamped to the 28th otherwise.
            elif not 1 <= self.due_day <= max(29, calendar.monthrange(2001, self.due_month)[1]):
                errors["due_day"] = "Ce jour n'existe pas dans ce mois."
        if self.convention_id and self.organisation_id:
            self._clean_against_other_contributions(errors)
        if errors:
            raise ValidationError(errors)

    def _clean_rule(self, errors):
        if self.rule == ContributionRule.FIXED:
            if self.amount is None:
                errors["amount"] = "Indiquez le montant annuel."
            for field in ("share_numerator", "share_denominator", "cap"):
                if getattr(self, field) is not None:
                    errors[field] = "Sans objet pour un montant fixe : laissez vide."
        elif self.rule == ContributionRule.SHARE_CAPPED:
            if self.amount is not None:
                errors["amount"] = "Sans objet pour une part du coût : laissez vide."
            if not self.share_numerator:
                errors["share_numerator"] = "Indiquez la part, par exemple 1 pour un tiers."
            if not self.share_denominator:
                errors["share_denominator"] = "Indiquez la part, par exemple 3 pour un tiers."
            elif self.share_numerator and self.share_numerator > self.share_denominator:
                errors["share_numerator"] = "La part ne peut dépasser la totalité du coût."
        elif self.rule == ContributionRule.BALANCE:
            for field in ("amount", "share_numerator", "share_denominator", "cap"):
                if getattr(self, field) is not None:
                    errors[field] = "Sans objet pour le solde : laissez vide."
            if self.prorata != ProRata.NONE:
                errors["prorata"] = (
                    "Le solde suit le coût de l'année : budgétez le coût de l'année partielle "
                    "plutôt qu'un prorata."
                )

    def _clean_against_other_contributions(self, errors):
        convention = self.convention
        if self.introduced_by_id and self.introduced_by.convention_id != convention.pk:
            errors["introduced_by"] = "Cet avenant n'est pas celui de la convention."
        # Its funder may be a party that the same amendment adds.
        added = self.introduced_by_id and self.introduced_by.party_changes.filter(
            organisation_id=self.organisation_id, action=PartyChangeAction.ADD
        )
        if not convention.parties.filter(organisation_id=self.organisation_id).exists() and not (
            added and added.exists()
        ):
            errors["organisation"] = (
                "Ce financeur n'est pas partie à la convention : ajoutez-le d'abord aux parties."
            )
        if not (self.first_year and self.last_year):
            return
        overlapping = convention.contributions.exclude(pk=self.pk).filter(
            first_year__lte=self.last_year, last_year__gte=self.first_year
        )
        same_partner = overlapping.filter(organisation_id=self.organisation_id).first()
        if same_partner:
            errors["first_year"] = (
                f"Ce financeur a déjà une contribution pour {same_partner.first_year}–"
                f"{same_partner.last_year} : modifiez-la plutôt que d'en ajouter une seconde "
                "sur les mêmes années."
            )
        if (
            self.rule == ContributionRule.BALANCE
            and overlapping.filter(rule=ContributionRule.BALANCE).exists()
        ):
            errors["rule"] = "Un autre partenaire finance déjà le solde sur ces années."


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
        if self.contribution_id and self.year and not self.contribution.covers(self.year):
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
                )
            ),
        ),
        "post__costs",
    ]
