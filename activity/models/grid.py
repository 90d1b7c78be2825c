"""The statistics grid: what is counted each month, versioned so past years stay comparable.

A version applies from its ``valid_from`` date (the first day of a quarter) until
the next version. Quarters keep the version they were entered with; bilans
compare indicators across versions by their ``code``.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Prefetch, Q
from simple_history.models import HistoricalRecords

from activity.enums import GroupKind
from activity.layout import worded
from config.core.validators import single_line

QUARTER_START_MONTHS = (1, 4, 7, 10)


def layout_prefetches(through: str = "") -> list[Prefetch]:
    """The groups and indicators of a version, in order; ``through``: the path to the
    version (``"grid_version__"`` from a quarter). One lookup per level, so that
    ``prefetch_related_objects`` skips a version that already has them."""
    return [
        Prefetch(f"{through}groups", queryset=IndicatorGroup.objects.order_by("order", "pk")),
        Prefetch(
            f"{through}groups__indicators", queryset=Indicator.objects.order_by("order", "pk")
        ),
    ]


class GridVersionQuerySet(models.QuerySet):
    def in_force(self, on: datetime.date):
        """The version that applies on ``on`` (the earliest one before any version began)."""
        version = self.filter(valid_from__lte=on).order_by("-valid_from").first()
        return version or self.order_by("valid_from").first()

    def with_layout(self):
        return self.prefetch_related(*layout_prefetches())


class GridVersion(models.Model):
    name = models.CharField("nom", max_length=150, validators=[single_line])
    valid_from = models.DateField(
        "applicable à partir du",
        unique=True,
        help_text="Premier jour d'un trimestre (1er janvier, 1er avril, 1er juillet ou "
        "1er octobre). Les trimestres déjà saisis gardent leur grille.",
    )
    notes = models.TextField("notes", blank=True, help_text="Ce qui change et pourquoi.")
    created_at = models.DateTimeField("créée le", auto_now_add=True)

    objects = GridVersionQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        verbose_name = "version de la grille"
        verbose_name_plural = "versions de la grille"
        ordering = ["-valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_from__day=1) & Q(valid_from__month__in=QUARTER_START_MONTHS),
                name="%(app_label)s_%(class)s_starts_a_quarter",
                violation_error_message=(
                    "Une version s'applique à partir du premier jour d'un trimestre "
                    "(1er janvier, 1er avril, 1er juillet ou 1er octobre)."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.name} (à partir du {self.valid_from:%d/%m/%Y})"

    @property
    def is_in_use(self) -> bool:
        """Once a quarter was entered with it, a version is frozen: changes need a new version."""
        return self.pk is not None and self.quarter_reports.exists()


class IndicatorGroup(models.Model):
    version = models.ForeignKey(
        GridVersion, on_delete=models.CASCADE, related_name="groups", verbose_name="version"
    )
    code = models.SlugField("code", max_length=40, validators=[single_line])
    label = models.CharField("libellé", max_length=150, validators=[single_line])
    help_text = models.CharField("aide", max_length=300, blank=True, validators=[single_line])
    order = models.PositiveSmallIntegerField("ordre", default=0)
    kind = models.CharField("type", max_length=20, choices=GroupKind.choices)
    total_code = models.SlugField(
        "indicateur total",
        max_length=40,
        blank=True,
        help_text="Code de l'indicateur (d'un autre groupe) que ce groupe répartit ou borne, "
        "par exemple « personnes_rencontrees ». Vide pour des comptages indépendants.",
        validators=[single_line],
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "groupe d'indicateurs"
        verbose_name_plural = "groupes d'indicateurs"
        ordering = ["version", "order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "code"],
                name="%(app_label)s_%(class)s_unique_code_per_version",
                violation_error_message="Un groupe de cette version porte déjà ce code.",
            ),
            models.CheckConstraint(
                condition=(Q(kind=GroupKind.COUNTS) & Q(total_code=""))
                | (~Q(kind=GroupKind.COUNTS) & ~Q(total_code="")),
                name="%(app_label)s_%(class)s_total_only_for_partitions",
                violation_error_message=(
                    "Une répartition ou un groupe à réponses multiples indique son indicateur "
                    "total ; des comptages indépendants n'en ont pas."
                ),
            ),
        ]

    def __str__(self):
        return self.label

    def clean(self):
        if not self.total_code or self.version_id is None:
            return
        total = Indicator.objects.filter(version=self.version, code=self.total_code).first()
        if total is None:
            raise ValidationError(
                {"total_code": "Aucun indicateur de cette version ne porte ce code."}
            )
        if self.pk and total.group_id == self.pk:
            raise ValidationError(
                {"total_code": "Le total doit appartenir à un autre groupe que sa répartition."}
            )


class Indicator(models.Model):
    # Repeated from the group so that the database can keep codes unique per version.
    version = models.ForeignKey(
        GridVersion, on_delete=models.CASCADE, related_name="indicators", editable=False
    )
    group = models.ForeignKey(
        IndicatorGroup, on_delete=models.CASCADE, related_name="indicators", verbose_name="groupe"
    )
    code = models.SlugField(
        "code",
        max_length=40,
        help_text="Identifiant stable : les bilans comparent les années par ce code.",
        validators=[single_line],
    )
    label = models.CharField(
        "libellé",
        max_length=150,
        validators=[single_line],
        help_text="« {au_site} » s'écrit selon le poste : « au commissariat », « à la "
        "brigade » ou « au commissariat ou à la brigade ».",
    )
    help_text = models.CharField("aide", max_length=300, blank=True, validators=[single_line])
    order = models.PositiveSmallIntegerField("ordre", default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "indicateur"
        ordering = ["group", "order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "code"],
                name="%(app_label)s_%(class)s_unique_code_per_version",
                violation_error_message="Un indicateur de cette version porte déjà ce code.",
            ),
        ]

    def __str__(self):
        return worded(self.label)

    def save(self, *args, **kwargs):
        # Kept in step with the group, like a cached column, for the unique constraint.
        self.version_id = self.group.version_id
        super().save(*args, **kwargs)

    def validate_constraints(self, exclude=None):
        # The version is not a form field, but the unique code per version must be checked.
        if self.group_id is not None:
            self.version_id = self.group.version_id
        super().validate_constraints(exclude=set(exclude or ()) - {"version"})
