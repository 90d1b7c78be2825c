"""Monthly counts per post, grouped in quarters that go through the workflow.

Counts only: nothing here may ever describe a person who was helped (article
7 of the Niort convention, professional secrecy).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from activity.enums import AnnualState, QuarterAction, QuarterState
from activity.models.grid import layout_prefetches

FINAL_STATES = (QuarterState.VALIDATED, QuarterState.LOCKED)


def quarter_months(quarter: int) -> list[int]:
    return [3 * quarter - 2, 3 * quarter - 1, 3 * quarter]


class QuarterReportQuerySet(models.QuerySet):
    def readable_by_everyone(self):
        """What partners who only read may see: quarters their functional authorities have
        validated."""
        return self.filter(state__in=FINAL_STATES)

    def with_layout(self):
        """With the grid version they are entered with, its groups and its indicators."""
        return self.select_related("grid_version").prefetch_related(
            *layout_prefetches("grid_version__")
        )


class QuarterReport(models.Model):
    """One post's quarter: the unit that is submitted, validated, reopened and locked.

    *Locked* means final: the four quarters of a year lock when the secretariat of
    the functional authority validates the annual bilan. A validated quarter may still be
    reopened by that secretariat (with a reason); a locked one only by an
    administrator, which also reopens the annual bilan.
    """

    post = models.ForeignKey(
        "conventions.Post",
        on_delete=models.PROTECT,
        related_name="quarter_reports",
        verbose_name="poste",
    )
    year = models.PositiveSmallIntegerField("année")
    quarter = models.PositiveSmallIntegerField("trimestre")
    grid_version = models.ForeignKey(
        "activity.GridVersion",
        on_delete=models.PROTECT,
        related_name="quarter_reports",
        verbose_name="version de la grille",
    )
    state = models.CharField(
        "état", max_length=20, choices=QuarterState.choices, default=QuarterState.DRAFT
    )
    # Bumped by every write, so that a save prepared on an older copy is refused.
    version = models.PositiveIntegerField("version", default=0)
    comment = models.TextField(
        "commentaire du trimestre",
        blank=True,
        help_text="N'écrivez aucun nom ni aucune information permettant d'identifier une personne.",
    )
    first_submitted_at = models.DateTimeField(
        "transmis pour la première fois le", null=True, blank=True
    )
    submitted_at = models.DateTimeField("transmis le", null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="transmis par",
    )
    validated_at = models.DateTimeField("validé le", null=True, blank=True)
    validated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="validé par",
    )
    updated_at = models.DateTimeField("modifié le", auto_now=True)

    objects = QuarterReportQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        verbose_name = "trimestre de statistiques"
        verbose_name_plural = "trimestres de statistiques"
        ordering = ["post", "year", "quarter"]
        indexes = [models.Index(fields=["year", "quarter"], name="activity_report_period_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["post", "year", "quarter"],
                name="%(app_label)s_%(class)s_one_per_post_and_quarter",
                violation_error_message="Ce trimestre existe déjà pour ce poste.",
            ),
            models.CheckConstraint(
                condition=Q(quarter__gte=1, quarter__lte=4),
                name="%(app_label)s_%(class)s_quarter_1_to_4",
                violation_error_message="Le trimestre est compris entre 1 et 4.",
            ),
            models.CheckConstraint(
                condition=Q(year__gte=2000, year__lte=2100),
                name="%(app_label)s_%(class)s_plausible_year",
                violation_error_message="L'année doit être comprise entre 2000 et 2100.",
            ),
            models.CheckConstraint(
                condition=Q(state=QuarterState.DRAFT) | Q(submitted_at__isnull=False),
                name="%(app_label)s_%(class)s_submitted_has_date",
                violation_error_message="Un trimestre transmis a une date de transmission.",
            ),
            models.CheckConstraint(
                condition=~Q(state__in=[QuarterState.VALIDATED, QuarterState.LOCKED])
                | Q(validated_at__isnull=False),
                name="%(app_label)s_%(class)s_validated_has_date",
                violation_error_message="Un trimestre validé a une date de validation.",
            ),
        ]

    def __str__(self):
        return f"{self.post} — T{self.quarter} {self.year}"

    @property
    def months(self) -> list[int]:
        return quarter_months(self.quarter)

    @property
    def is_final(self) -> bool:
        return self.state in FINAL_STATES


class MonthlyRecord(models.Model):
    """One post's month: a value per indicator of the quarter's grid version."""

    report = models.ForeignKey(
        QuarterReport, on_delete=models.CASCADE, related_name="records", verbose_name="trimestre"
    )
    month = models.PositiveSmallIntegerField("mois")
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="saisi par",
    )
    entered_at = models.DateTimeField("saisi le")

    history = HistoricalRecords()

    class Meta:
        verbose_name = "relevé mensuel"
        verbose_name_plural = "relevés mensuels"
        ordering = ["report", "month"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "month"],
                name="%(app_label)s_%(class)s_one_per_month",
                violation_error_message="Ce mois a déjà un relevé.",
            ),
            models.CheckConstraint(
                condition=Q(month__gte=1, month__lte=12),
                name="%(app_label)s_%(class)s_month_1_to_12",
                violation_error_message="Le mois est compris entre 1 et 12.",
            ),
        ]

    def __str__(self):
        return f"{self.report.post} — {self.month:02d}/{self.report.year}"


class MonthlyValue(models.Model):
    # No index of its own: the unique (record, indicator) one and the bilans' index below
    # both begin with it.
    record = models.ForeignKey(
        MonthlyRecord,
        on_delete=models.CASCADE,
        related_name="values",
        verbose_name="relevé",
        db_index=False,
    )
    indicator = models.ForeignKey(
        "activity.Indicator",
        on_delete=models.PROTECT,
        related_name="values",
        verbose_name="indicateur",
    )
    value = models.PositiveIntegerField("valeur")

    history = HistoricalRecords()

    class Meta:
        verbose_name = "valeur mensuelle"
        verbose_name_plural = "valeurs mensuelles"
        indexes = [
            # The bilans sum the values of many records by indicator: with the value in the
            # index, PostgreSQL reads the index alone, never the table.
            models.Index(fields=["record", "indicator", "value"], name="activity_value_sums_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["record", "indicator"],
                name="%(app_label)s_%(class)s_one_per_indicator",
                violation_error_message="Cet indicateur a déjà une valeur pour ce mois.",
            ),
        ]

    def __str__(self):
        return f"{self.indicator.code} = {self.value}"


class QuarterEvent(models.Model):
    """The history of a quarter: submissions, validations, reopenings (with their reason)."""

    report = models.ForeignKey(
        QuarterReport, on_delete=models.CASCADE, related_name="events", verbose_name="trimestre"
    )
    action = models.CharField("action", max_length=20, choices=QuarterAction.choices)
    at = models.DateTimeField("date")
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="par",
    )
    reason = models.TextField("motif", blank=True)
    # {"1": {"personnes_rencontrees": 31, ...}, "2": {...}}: month number, then indicator code.
    values_before = models.JSONField("valeurs avant", null=True, blank=True)
    values_after = models.JSONField(
        "valeurs après",
        null=True,
        blank=True,
        help_text="Pour une réouverture : les valeurs à la validation suivante.",
    )

    class Meta:
        verbose_name = "événement d'un trimestre"
        verbose_name_plural = "historique des trimestres"
        ordering = ["report", "at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(action=QuarterAction.REOPENED) | ~Q(reason=""),
                name="%(app_label)s_%(class)s_reopening_has_reason",
                violation_error_message="Une réouverture indique son motif.",
            ),
        ]

    def __str__(self):
        return f"{self.get_action_display()} le {self.at:%d/%m/%Y}"

    def changes(self, labels: dict[str, str] | None = None) -> list[tuple[int, str, int, int]]:
        """(month, indicator, before, after) for each value a reopening changed."""
        if self.values_before is None or self.values_after is None:
            return []
        labels = labels or {}
        rows = []
        for month in sorted({*self.values_before, *self.values_after}, key=int):
            before = self.values_before.get(month, {})
            after = self.values_after.get(month, {})
            for code in sorted({*before, *after}):
                if before.get(code) != after.get(code):
                    rows.append(
                        (int(month), labels.get(code, code), before.get(code), after.get(code))
                    )
        return rows


class QuarterValidation(models.Model):
    """One functional authority's validation of a quarter. A mixed post's quarter waits
    for each authority its convention requires (``activity.validation``); a reopening or
    a change of the counts clears them."""

    report = models.ForeignKey(
        QuarterReport,
        on_delete=models.CASCADE,
        related_name="validations",
        verbose_name="trimestre",
    )
    authority = models.ForeignKey(
        "partners.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="autorité fonctionnelle",
    )
    validated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="validé par",
    )
    validated_at = models.DateTimeField("validé le")

    class Meta:
        verbose_name = "validation d'un trimestre par une autorité"
        verbose_name_plural = "validations des trimestres par les autorités"
        ordering = ["report", "validated_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "authority"],
                name="%(app_label)s_%(class)s_once_per_authority",
                violation_error_message="Cette autorité a déjà validé ce trimestre.",
            ),
        ]

    def __str__(self):
        return f"{self.report} — {self.authority}"


class AnnualReport(models.Model):
    """One post's year: its qualitative comment and the validation that locks the quarters."""

    post = models.ForeignKey(
        "conventions.Post",
        on_delete=models.PROTECT,
        related_name="annual_reports",
        verbose_name="poste",
    )
    year = models.PositiveSmallIntegerField("année")
    state = models.CharField(
        "état", max_length=20, choices=AnnualState.choices, default=AnnualState.OPEN
    )
    comment = models.TextField(
        "commentaire de l'année",
        blank=True,
        help_text="N'écrivez aucun nom ni aucune information permettant d'identifier une personne.",
    )
    validated_at = models.DateTimeField("validé le", null=True, blank=True)
    validated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="validé par",
    )
    updated_at = models.DateTimeField("modifié le", auto_now=True)
    # Raised by each save: an edit prepared on an older version is refused
    # (config.core.concurrency).
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = "bilan annuel"
        verbose_name_plural = "bilans annuels"
        ordering = ["post", "year"]
        constraints = [
            models.UniqueConstraint(
                fields=["post", "year"],
                name="%(app_label)s_%(class)s_one_per_post_and_year",
                violation_error_message="Ce bilan annuel existe déjà pour ce poste.",
            ),
            models.CheckConstraint(
                condition=~Q(state=AnnualState.VALIDATED) | Q(validated_at__isnull=False),
                name="%(app_label)s_%(class)s_validated_has_date",
                violation_error_message="Un bilan annuel validé a une date de validation.",
            ),
        ]

    def __str__(self):
        return f"{self.post} — {self.year}"
