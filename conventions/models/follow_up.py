"""How a convention is followed: reporting rules and the follow-up committee."""

import calendar
import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from config.core.validators import single_line
from conventions.enums import (
    ReportKind,
    ReportPeriod,
)
from partners.models import with_article


class ReportingRule(models.Model):
    """What the convention asks to be reported, and by when (article 11 of Niort)."""

    convention = models.ForeignKey(
        "conventions.Convention", on_delete=models.CASCADE, related_name="reporting_rules"
    )
    kind = models.CharField("type", max_length=20, choices=ReportKind.choices)
    period = models.CharField("période couverte", max_length=5, choices=ReportPeriod.choices)
    due_month = models.PositiveSmallIntegerField("mois d'échéance", null=True, blank=True)
    due_day = models.PositiveSmallIntegerField("jour d'échéance", null=True, blank=True)
    recipients = models.CharField(
        "destinataires", max_length=300, blank=True, validators=[single_line]
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "échéance de compte rendu"
        verbose_name_plural = "échéances de compte rendu"
        ordering = ["convention", "due_month", "due_day"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(due_month__isnull=True) & Q(due_day__isnull=True))
                | (Q(due_month__gte=1, due_month__lte=12) & Q(due_day__gte=1, due_day__lte=31)),
                name="%(app_label)s_%(class)s_valid_due_day",
                violation_error_message="Indiquez un jour (1 à 31) et un mois (1 à 12) valides.",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.get_period_display()})"

    def due_date(self, year: int):
        """Due date of the report covering ``period`` of ``year``.

        It is the first such day after the period ends: the annual bilan of
        2022 is due on 7 January 2023, the first quarter's on 15 April 2022.
        """
        if self.due_month is None:
            return None
        period_end_month = {"Q1": 3, "Q2": 6, "Q3": 9, "Q4": 12, "year": 12}[self.period]
        due_year = year if self.due_month > period_end_month else year + 1
        last_day = calendar.monthrange(due_year, self.due_month)[1]
        return datetime.date(due_year, self.due_month, min(self.due_day, last_day))


class CommitteeMember(models.Model):
    convention = models.ForeignKey(
        "conventions.Convention", on_delete=models.CASCADE, related_name="committee_members"
    )
    organisation = models.ForeignKey(
        "partners.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="organisation",
    )
    representative = models.ForeignKey(
        "partners.Representative",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="committee_seats",
        verbose_name="représentant",
        help_text="Facultatif : la personne qui siège, parmi les représentants de l'organisation.",
    )
    member = models.CharField(
        "membre",
        max_length=250,
        help_text="Tel qu'écrit : « Monsieur le Préfet ou son représentant ». Laissé vide, "
        "il est écrit d'après la qualité du représentant choisi.",
        validators=[single_line],
    )
    order = models.PositiveSmallIntegerField("ordre", default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "membre du comité de suivi"
        verbose_name_plural = "membres du comité de suivi"
        ordering = ["convention", "order", "pk"]

    def __str__(self):
        return self.member

    def clean(self):
        if self.representative_id is None:
            return
        if self.representative.organisation_id != self.organisation_id:
            raise ValidationError(
                {
                    "representative": "Choisissez un représentant de l'organisation de ce "
                    "membre, ou changez d'organisation."
                }
            )


def member_wording(representative) -> str:
    """ "Le Préfet des Deux-Sèvres ou son représentant": how a committee member is
    written when only the person who sits is chosen."""
    title = with_article(representative.acting_title, representative.civility)
    return f"{title[:1].upper()}{title[1:]} ou son représentant" if title else ""
