"""Coverage targets: how many posts each département should have.

A département without a target of its own has the default (two posts). The national
target is the sum of the départements' targets, unless the administrator sets a
national total (the ministry plans 600 posts): the pages show both.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from partners.departements import BY_CODE
from partners.validators import validate_departement_code

DEFAULT_POSTS_PER_DEPARTEMENT = 2
NATIONAL_TARGET_PK = 1


def validate_steered_departement(value: str) -> None:
    """One of the 101 départements (Saint-Pierre-et-Miquelon is a collectivité)."""
    validate_departement_code(value)
    if value not in BY_CODE:
        raise ValidationError(
            "Ce code n'est pas celui d'un des 101 départements.", code="not_departement"
        )


class NationalTarget(models.Model):
    """The default per département and the national total: a single row.

    The targets page saves the whole sheet (the default, the total and the 101
    départements) at once, so the sheet's version is this row's: every save locks and
    raises it, and a sheet displayed before another save is refused.
    """

    posts_per_departement = models.PositiveSmallIntegerField(
        "objectif par défaut par département",
        default=DEFAULT_POSTS_PER_DEPARTEMENT,
        help_text="Nombre de postes visé dans un département sans objectif propre.",
    )
    national_total = models.PositiveIntegerField(
        "objectif national",
        null=True,
        blank=True,
        help_text="Nombre de postes visé en France entière, par exemple 600. Vide : la somme "
        "des objectifs des départements.",
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    updated_at = models.DateTimeField("modifié le", auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name="modifié par",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "objectif national de couverture"
        verbose_name_plural = "objectifs nationaux de couverture"
        constraints = [
            models.CheckConstraint(
                condition=Q(pk=NATIONAL_TARGET_PK),
                name="%(app_label)s_%(class)s_single_row",
                violation_error_message="Il n'y a qu'un objectif national.",
            ),
            models.CheckConstraint(
                condition=Q(national_total__isnull=True) | Q(national_total__gt=0),
                name="%(app_label)s_%(class)s_national_total_positive",
                violation_error_message="L'objectif national doit être d'au moins un poste.",
            ),
        ]

    def __str__(self):
        return "Objectif national de couverture"

    @classmethod
    def current(cls) -> "NationalTarget":
        """The saved row, or the defaults before the first save (nothing written)."""
        return cls.objects.filter(pk=NATIONAL_TARGET_PK).first() or cls(
            pk=NATIONAL_TARGET_PK, version=0
        )


class DepartementTarget(models.Model):
    """A département's own target, replacing the default."""

    departement = models.CharField(
        "département", max_length=3, validators=[validate_steered_departement]
    )
    posts = models.PositiveSmallIntegerField("objectif de postes")
    updated_at = models.DateTimeField("modifié le", auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name="modifié par",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "objectif de couverture d'un département"
        verbose_name_plural = "objectifs de couverture des départements"
        ordering = ["departement"]
        constraints = [
            models.UniqueConstraint(
                fields=["departement"],
                name="%(app_label)s_%(class)s_unique_departement",
                violation_error_message="Ce département a déjà un objectif.",
            ),
        ]

    def __str__(self):
        return f"Objectif {self.departement} : {self.posts}"


def departement_targets() -> tuple[NationalTarget, dict[str, int]]:
    """The national row and the target of each of the 101 départements (two queries)."""
    national = NationalTarget.current()
    own = dict(DepartementTarget.objects.values_list("departement", "posts"))
    return national, {code: own.get(code, national.posts_per_departement) for code in BY_CODE}
