"""What changes a signed convention: amendments (and the articles they change), renewals."""

from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from config.core.validators import single_line
from conventions.enums import (
    ArticleChangeAction,
)


class Amendment(models.Model):
    convention = models.ForeignKey(
        "conventions.Convention", on_delete=models.PROTECT, related_name="amendments"
    )
    number = models.PositiveSmallIntegerField("numéro")
    signed_on = models.DateField("date de signature", null=True, blank=True)
    object = models.TextField("objet")

    history = HistoricalRecords()

    class Meta:
        verbose_name = "avenant"
        ordering = ["convention", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["convention", "number"],
                name="%(app_label)s_%(class)s_unique_number",
                violation_error_message="Un avenant porte déjà ce numéro.",
            ),
        ]

    def __str__(self):
        return f"Avenant n° {self.number}"


class ArticleChange(models.Model):
    amendment = models.ForeignKey(Amendment, on_delete=models.CASCADE, related_name="changes")
    article_number = models.PositiveSmallIntegerField("article")
    action = models.CharField(
        "modification",
        max_length=10,
        choices=ArticleChangeAction.choices,
        default=ArticleChangeAction.REPLACE,
    )
    new_title = models.CharField(
        "nouveau titre", max_length=250, blank=True, validators=[single_line]
    )
    new_body = models.TextField("nouveau texte", blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "modification d'article"
        ordering = ["amendment", "article_number"]

    def __str__(self):
        return f"{self.get_action_display()} {self.article_number}"


class Renewal(models.Model):
    """A further period of the same convention, decided by the parties."""

    convention = models.ForeignKey(
        "conventions.Convention", on_delete=models.CASCADE, related_name="renewals"
    )
    number = models.PositiveSmallIntegerField("reconduction n°")
    start = models.DateField("début")
    end = models.DateField("fin")
    decided_on = models.DateField("décidée le", null=True, blank=True)
    note = models.CharField("observations", max_length=300, blank=True, validators=[single_line])

    history = HistoricalRecords()

    class Meta:
        verbose_name = "reconduction"
        ordering = ["convention", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["convention", "number"],
                name="%(app_label)s_%(class)s_unique_number",
                violation_error_message="Une reconduction porte déjà ce numéro.",
            ),
            models.CheckConstraint(
                condition=Q(end__gt=models.F("start")),
                name="%(app_label)s_%(class)s_start_before_end",
                violation_error_message="La fin doit être postérieure au début.",
            ),
        ]

    def __str__(self):
        return f"Reconduction n° {self.number} ({self.start:%d/%m/%Y} – {self.end:%d/%m/%Y})"
