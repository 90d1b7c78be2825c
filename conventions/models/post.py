from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from config.core.validators import single_line
from conventions.enums import Force
from partners.validators import validate_departement_code


class Post(models.Model):
    """One ISC post. It outlives conventions: a renewal continues the same post."""

    name = models.CharField("intitulé", max_length=200, validators=[single_line])
    force = models.CharField("force", max_length=20, choices=Force.choices, default=Force.POLICE)
    host_site = models.CharField(
        "site d'accueil",
        max_length=200,
        help_text="Par exemple « Commissariat de Niort ».",
        validators=[single_line],
    )
    host_address = models.CharField(
        "adresse du site", max_length=250, blank=True, validators=[single_line]
    )
    departement = models.CharField(
        "département",
        max_length=3,
        validators=[single_line, validate_departement_code],
        db_index=True,
    )
    fte = models.DecimalField(
        "ETP",
        max_digits=3,
        decimal_places=2,
        validators=[MinValueValidator(0.1), MaxValueValidator(1)],
        help_text="Part d'un équivalent temps plein, par exemple 1 ou 0,5.",
    )
    employer = models.ForeignKey(
        "partners.Organisation",
        on_delete=models.PROTECT,
        related_name="employed_posts",
        verbose_name="employeur (autorité hiérarchique)",
    )
    functional_authority = models.ForeignKey(
        "partners.Organisation",
        on_delete=models.PROTECT,
        related_name="supervised_posts",
        verbose_name="autorité fonctionnelle",
    )
    # Raised by each save through a versioned form (config.core.concurrency): the admin
    # refuses a change form prepared on an older version.
    version = models.PositiveIntegerField(default=1, editable=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "poste d'ISC"
        verbose_name_plural = "postes d'ISC"
        ordering = ["departement", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(fte__gt=0) & Q(fte__lte=1),
                name="%(app_label)s_%(class)s_fte_between_0_and_1",
                violation_error_message="L'ETP doit être compris entre 0 et 1.",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("conventions:post_detail", args=[self.pk])

    def holder_on(self, day):
        return next(
            (h for h in self.holders.all() if h.start <= day and (h.end is None or h.end >= day)),
            None,
        )


class PostHolder(models.Model):
    """A social worker holding the post for a while; no other personal data."""

    post = models.ForeignKey(
        Post, on_delete=models.CASCADE, related_name="holders", verbose_name="poste"
    )
    name = models.CharField("nom de l'intervenant", max_length=160, validators=[single_line])
    start = models.DateField("début")
    end = models.DateField("fin", null=True, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="held_posts",
        verbose_name="compte utilisateur",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "titulaire du poste"
        verbose_name_plural = "titulaires du poste"
        ordering = ["post", "-start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=models.F("start")),
                name="%(app_label)s_%(class)s_start_before_end",
                violation_error_message="La fin ne peut précéder le début.",
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        if self.post_id is None or self.start is None:
            return
        overlapping = self.post.holders.exclude(pk=self.pk).filter(
            Q(end__isnull=True) | Q(end__gte=self.start)
        )
        if self.end is not None:
            overlapping = overlapping.filter(start__lte=self.end)
        if overlapping.exists():
            other = overlapping.first()
            raise ValidationError(
                {
                    "start": (
                        f"Le poste a déjà un titulaire sur cette période ({other.name}, "
                        f"depuis le {other.start:%d/%m/%Y}). Indiquez d'abord la fin de sa "
                        "période."
                    )
                }
            )
