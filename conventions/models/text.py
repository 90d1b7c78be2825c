"""The convention's text: the legal references it cites, its articles and annexes."""

from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from config.core.validators import single_line
from conventions.enums import (
    ReferenceKind,
)


class LegalReference(models.Model):
    convention = models.ForeignKey(
        "conventions.Convention", on_delete=models.CASCADE, related_name="references"
    )
    kind = models.CharField("type", max_length=20, choices=ReferenceKind.choices)
    text = models.TextField("texte", help_text="Ce qui suit « Vu » ou « Considérant ».")
    order = models.PositiveSmallIntegerField("ordre", default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "visa"
        ordering = ["convention", "order", "pk"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.text}"


class Article(models.Model):
    convention = models.ForeignKey(
        "conventions.Convention", on_delete=models.CASCADE, related_name="articles"
    )
    number = models.PositiveSmallIntegerField("numéro")
    title = models.CharField("titre", max_length=250, validators=[single_line])
    body = models.TextField("texte")

    history = HistoricalRecords()

    class Meta:
        verbose_name = "article"
        ordering = ["convention", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["convention", "number"],
                name="%(app_label)s_%(class)s_unique_number",
                violation_error_message="Deux articles ne peuvent pas porter le même numéro.",
            ),
            models.CheckConstraint(
                condition=Q(number__gte=1),
                name="%(app_label)s_%(class)s_number_positive",
                violation_error_message="Les articles sont numérotés à partir de 1.",
            ),
        ]

    def __str__(self):
        return f"Article {self.number} : {self.title}"


class Annex(models.Model):
    convention = models.ForeignKey(
        "conventions.Convention", on_delete=models.CASCADE, related_name="annexes"
    )
    order = models.PositiveSmallIntegerField("ordre", default=0)
    title = models.CharField("titre", max_length=250, validators=[single_line])
    body = models.TextField("texte", blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "annexe"
        ordering = ["convention", "order", "pk"]

    def __str__(self):
        return self.title
