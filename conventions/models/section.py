"""A convention's sections: the posts it covers, one annex each.

A simple convention is a framework convention with one post (annex n° 1). An amendment
may add a post (``added_by``: counted from its effective date once signed) or remove one
(``removed_by``: no longer counted from its effective date).
"""

from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords


class ConventionPost(models.Model):
    convention = models.ForeignKey(
        "conventions.Convention",
        on_delete=models.CASCADE,
        related_name="sections",
        verbose_name="convention",
    )
    post = models.ForeignKey(
        "conventions.Post",
        on_delete=models.PROTECT,
        related_name="sections",
        verbose_name="poste d'ISC",
    )
    number = models.PositiveSmallIntegerField(
        "numéro d'annexe", default=1, help_text="1 pour une convention à un seul poste."
    )
    added_by = models.ForeignKey(
        "conventions.Amendment",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="added_sections",
        verbose_name="ajouté par l'avenant",
    )
    removed_by = models.ForeignKey(
        "conventions.Amendment",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="removed_sections",
        verbose_name="retiré par l'avenant",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "poste de la convention"
        verbose_name_plural = "postes de la convention"
        ordering = ["convention", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["convention", "post"],
                name="%(app_label)s_%(class)s_unique_post",
                violation_error_message="Ce poste figure déjà dans la convention.",
            ),
            models.UniqueConstraint(
                fields=["convention", "number"],
                name="%(app_label)s_%(class)s_unique_number",
                violation_error_message="Une annexe de la convention porte déjà ce numéro.",
            ),
            models.CheckConstraint(
                condition=Q(added_by__isnull=True)
                | Q(removed_by__isnull=True)
                | ~Q(added_by=F("removed_by")),
                name="%(app_label)s_%(class)s_added_and_removed_differ",
                violation_error_message=(
                    "Un même avenant ne peut à la fois ajouter et retirer ce poste."
                ),
            ),
        ]

    def __str__(self):
        return f"Annexe n° {self.number} : {self.post}"

    def is_in_force(self, on=None) -> bool:
        """Counted on ``on``: not added by an amendment that is unsigned or not yet in
        effect, not removed by an amendment in effect (reads ``added_by``, ``removed_by``)."""
        if self.added_by_id is not None and not self.added_by.is_in_force(on):
            return False
        return self.removed_by_id is None or not self.removed_by.is_in_force(on)
