"""Who commits to pay what toward a convention's post, and how: contributions in money
(a rule computes each year's amount) or in kind, and the yearly shares of a « part du
coût par année ». One piece of some 480 lines: a contribution validates against the
other contributions of its funder and budget line, a share against its contribution.
"""

import calendar
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from config.core.formats import euros
from config.core.validators import single_line
from conventions.enums import (
    BudgetLine,
    ContributionNature,
    ContributionRule,
    PartyChangeAction,
    ProRata,
)
from conventions.models.amounts import YEAR_VALIDATORS, money_field


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
    # The post (annex) it funds: its cost is the one a share or the balance reads. Null
    # only for a convention that covers no post yet.
    post = models.ForeignKey(
        "conventions.Post",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="contributions",
        verbose_name="poste financé",
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
    budget_line = models.CharField(
        "ligne budgétaire",
        max_length=20,
        choices=BudgetLine.choices,
        blank=True,
        default=BudgetLine.NOT_STATED,
        help_text="Un même financeur peut apporter plusieurs contributions sur les mêmes "
        "années, chacune sur sa ligne budgétaire (FIPD et politique de la ville, par exemple).",
    )
    budget_line_label = models.CharField(
        "intitulé de la ligne budgétaire",
        max_length=120,
        blank=True,
        help_text="Pour une ligne « Autre » seulement, par exemple « contrat de ville ».",
        validators=[single_line],
    )
    nature = models.CharField(
        "nature",
        max_length=10,
        choices=ContributionNature.choices,
        default=ContributionNature.MONEY,
    )
    in_kind_description = models.CharField(
        "aide en nature",
        max_length=200,
        blank=True,
        help_text="Pour une aide en nature, par exemple « mise à disposition des locaux ».",
        validators=[single_line],
    )
    in_kind_value = money_field(
        "valeur annuelle de l'aide en nature",
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text="Si elle est connue. Elle ne compte jamais dans les montants à verser.",
    )
    first_year = models.PositiveSmallIntegerField("première année", validators=YEAR_VALIDATORS)
    last_year = models.PositiveSmallIntegerField("dernière année", validators=YEAR_VALIDATORS)
    # Blank for an aid in kind only: nothing is computed nor paid.
    rule = models.CharField("règle", max_length=20, choices=ContributionRule.choices, blank=True)
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
    floor = money_field(
        "plancher annuel",
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text="Pour une part du coût : montant minimum par an, au plus égal au plafond.",
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
                    floor__isnull=True,
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
                    floor__isnull=True,
                    prorata=ProRata.NONE,
                ),
                name="%(app_label)s_%(class)s_balance_has_no_amount",
                violation_error_message=(
                    "Le solde se déduit du coût du poste : pas de montant, de part, de plafond "
                    "ni de prorata."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(rule=ContributionRule.SHARE_BY_YEAR)
                | Q(
                    amount__isnull=True,
                    share_numerator__isnull=True,
                    share_denominator__isnull=True,
                ),
                name="%(app_label)s_%(class)s_share_by_year_has_no_fraction",
                violation_error_message=(
                    "Une part du coût par année s'indique année par année, sans fraction ni "
                    "montant fixe."
                ),
            ),
            models.CheckConstraint(
                condition=Q(floor__isnull=True) | Q(cap__isnull=True) | Q(floor__lte=F("cap")),
                name="%(app_label)s_%(class)s_floor_not_above_cap",
                violation_error_message="Le plancher ne peut dépasser le plafond.",
            ),
            models.CheckConstraint(
                condition=Q(nature=ContributionNature.MONEY, in_kind_value__isnull=True)
                & ~Q(rule="")
                | Q(
                    nature=ContributionNature.IN_KIND,
                    rule="",
                    amount__isnull=True,
                    share_numerator__isnull=True,
                    share_denominator__isnull=True,
                    cap__isnull=True,
                    floor__isnull=True,
                )
                & ~Q(in_kind_description=""),
                name="%(app_label)s_%(class)s_in_kind_has_no_money_rule",
                violation_error_message=(
                    "Une aide en nature se décrit (et se valorise si possible) sans règle de "
                    "calcul ; une contribution en argent a une règle."
                ),
            ),
            models.CheckConstraint(
                condition=Q(budget_line=BudgetLine.OTHER) & ~Q(budget_line_label="")
                | ~Q(budget_line=BudgetLine.OTHER) & Q(budget_line_label=""),
                name="%(app_label)s_%(class)s_other_budget_line_has_label",
                violation_error_message=(
                    "Une ligne budgétaire « Autre » se nomme ; les autres lignes n'ont pas "
                    "d'intitulé."
                ),
            ),
            models.CheckConstraint(
                condition=(Q(amount__isnull=True) | Q(amount__gte=0))
                & (Q(floor__isnull=True) | Q(floor__gte=0))
                & (Q(in_kind_value__isnull=True) | Q(in_kind_value__gte=0))
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

    @property
    def is_in_kind(self) -> bool:
        return self.nature == ContributionNature.IN_KIND

    @property
    def budget_line_name(self) -> str:
        """« FIPD », « contrat de ville » (an « Autre » line by its label), or ""."""
        if self.budget_line == BudgetLine.OTHER:
            return self.budget_line_label
        return self.get_budget_line_display() if self.budget_line else ""

    @property
    def line_key(self) -> tuple:
        """One funder's budget line: the plan's column, and what two contributions over
        the same years must not share (for one post: a framework convention funds each
        post apart)."""
        return (
            self.organisation_id,
            self.budget_line,
            self.budget_line_label.strip().lower(),
            self.post_id,
        )

    @property
    def share_schedule(self) -> tuple[tuple[int, Decimal], ...]:
        """(year, percentage) stated for a share of the cost by year, in year order
        (reads ``year_shares``, prefetched by ``funding_prefetches``)."""
        if self.rule != ContributionRule.SHARE_BY_YEAR or self.pk is None:
            return ()
        return tuple(sorted((s.year, s.share) for s in self.year_shares.all()))

    def clean(self):
        errors = {}
        if self.is_in_kind:
            self._clean_in_kind(errors)
        else:
            self._clean_rule(errors)
        self.budget_line_label = self.budget_line_label.strip()
        if self.budget_line == BudgetLine.OTHER and not self.budget_line_label:
            errors["budget_line_label"] = (
                "Nommez la ligne budgétaire, par exemple « contrat de ville »."
            )
        elif self.budget_line != BudgetLine.OTHER and self.budget_line_label:
            errors["budget_line_label"] = (
                "Seulement pour une ligne « Autre » : laissez vide ou choisissez « Autre »."
            )
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

    def _clean_in_kind(self, errors):
        if not self.in_kind_description.strip():
            errors["in_kind_description"] = (
                "Décrivez l'aide en nature, par exemple « mise à disposition des locaux »."
            )
        self.rule = ""
        for field in ("amount", "share_numerator", "share_denominator", "cap", "floor"):
            if getattr(self, field) is not None:
                errors[field] = (
                    "Sans objet pour une aide en nature : laissez vide et indiquez sa valeur "
                    "annuelle si elle est connue."
                )

    def _clean_rule(self, errors):
        if self.in_kind_value is not None:
            errors["in_kind_value"] = "Seulement pour une aide en nature : laissez vide."
        if not self.rule:
            errors["rule"] = "Choisissez la règle de calcul de la contribution."
        if self.rule in (ContributionRule.SHARE_CAPPED, ContributionRule.SHARE_BY_YEAR):
            if self.amount is not None:
                errors["amount"] = "Sans objet pour une part du coût : laissez vide."
            if self.floor is not None and self.cap is not None and self.floor > self.cap:
                errors["floor"] = (
                    f"Le plancher ({euros(self.floor)}) ne peut dépasser le plafond "
                    f"({euros(self.cap)})."
                )
        if self.rule == ContributionRule.FIXED:
            if self.amount is None:
                errors["amount"] = "Indiquez le montant annuel."
            for field in ("share_numerator", "share_denominator", "cap", "floor"):
                if getattr(self, field) is not None:
                    errors[field] = "Sans objet pour un montant fixe : laissez vide."
        elif self.rule == ContributionRule.SHARE_CAPPED:
            if not self.share_numerator:
                errors["share_numerator"] = "Indiquez la part, par exemple 1 pour un tiers."
            if not self.share_denominator:
                errors["share_denominator"] = "Indiquez la part, par exemple 3 pour un tiers."
            elif self.share_numerator and self.share_numerator > self.share_denominator:
                errors["share_numerator"] = "La part ne peut dépasser la totalité du coût."
        elif self.rule == ContributionRule.SHARE_BY_YEAR:
            for field in ("share_numerator", "share_denominator"):
                if getattr(self, field) is not None:
                    errors[field] = (
                        "Sans objet pour une part par année : indiquez le pourcentage de "
                        "chaque année."
                    )
        elif self.rule == ContributionRule.BALANCE:
            for field in ("amount", "share_numerator", "share_denominator", "cap", "floor"):
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
        covered = set(convention.sections.values_list("post_id", flat=True))
        if self.post_id is None and len(covered) == 1:
            # A one-post convention: the contribution funds that post (the form hides it).
            self.post_id = next(iter(covered))
        if self.post_id is not None and self.post_id not in covered:
            errors["post"] = "Ce poste n'est pas couvert par la convention."
        elif self.post_id is None and len(covered) > 1:
            errors["post"] = "La convention couvre plusieurs postes : indiquez celui financé."
        if not (self.first_year and self.last_year) or self.is_in_kind:
            return
        # An aid in kind computes nothing: it never competes with a payment in money.
        overlapping = convention.contributions.exclude(pk=self.pk).filter(
            first_year__lte=self.last_year,
            last_year__gte=self.first_year,
            nature=ContributionNature.MONEY,
        )
        same_line = next(
            (
                other
                for other in overlapping.filter(organisation_id=self.organisation_id)
                if other.line_key == self.line_key
            ),
            None,
        )
        if same_line:
            line = f"sur la ligne « {self.budget_line_name} » " if self.budget_line_name else ""
            errors["first_year"] = (
                f"Ce financeur a déjà une contribution {line}pour {same_line.first_year}–"
                f"{same_line.last_year} (« {same_line.source} ») : modifiez-la, ou choisissez "
                "une autre ligne budgétaire si c'est un autre financement."
            )
        if (
            self.rule == ContributionRule.BALANCE
            and overlapping.filter(rule=ContributionRule.BALANCE, post_id=self.post_id).exists()
        ):
            errors["rule"] = "Un autre partenaire finance déjà le solde sur ces années."


class ContributionYearShare(models.Model):
    """The share of the post cost a contribution « part du coût par année » brings in one
    budget year (État: 80 % then 50 % then 30 %). A year after the last one stated keeps
    the last share, as a renewal keeps the last terms (``rules.share_for_year``)."""

    contribution = models.ForeignKey(
        Contribution,
        on_delete=models.CASCADE,
        related_name="year_shares",
        verbose_name="contribution",
    )
    year = models.PositiveSmallIntegerField("année budgétaire", validators=YEAR_VALIDATORS)
    share = models.DecimalField(
        "part du coût (%)",
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "part du coût d'une année"
        verbose_name_plural = "parts du coût par année"
        ordering = ["contribution", "year"]
        constraints = [
            models.UniqueConstraint(
                fields=["contribution", "year"],
                name="%(app_label)s_%(class)s_unique_year",
                violation_error_message="La part de cette année est déjà indiquée.",
            ),
            models.CheckConstraint(
                condition=Q(share__gte=0, share__lte=100),
                name="%(app_label)s_%(class)s_share_is_a_percentage",
                violation_error_message="Une part du coût va de 0 à 100 %.",
            ),
        ]

    def __str__(self):
        return f"{self.year} : {self.share} %"

    def clean(self):
        contribution = self.contribution if self.contribution_id else None
        if contribution is not None and self.year and not contribution.covers(self.year):
            raise ValidationError(
                {
                    "year": (
                        f"La contribution couvre {contribution.first_year}–"
                        f"{contribution.last_year}, pas {self.year}."
                    )
                }
            )
