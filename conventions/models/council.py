"""A deliberating body and its roster: who sits, from when to when."""

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse

from config.core.validators import single_line
from conventions.bodies import LABEL_HELP, BodyWording, body_wording, label_problem
from conventions.enums import DeliberatingBody
from partners.enums import Civility


def body_label_constraint(name: str) -> models.CheckConstraint:
    """A body « Autre » has a label, and only it (for a council and a cited deliberation)."""
    return models.CheckConstraint(
        condition=Q(body=DeliberatingBody.OTHER, body_label__gt="")
        | (~Q(body=DeliberatingBody.OTHER) & Q(body_label="")),
        name=name,
        violation_error_message="Le nom de l'assemblée est obligatoire pour une assemblée "
        "« Autre », et seulement pour elle.",
    )


def body_label_clean(instance) -> None:
    """Said next to the field, what the constraint above refuses."""
    if instance.body == DeliberatingBody.OTHER:
        if problem := label_problem(instance.body_label):
            raise ValidationError({"body_label": problem})
    elif instance.body and instance.body_label:
        raise ValidationError(
            {
                "body_label": "Seule une assemblée « Autre » a un nom écrit ici : videz ce "
                "champ ou choisissez « Autre assemblée »."
            }
        )


class BodyWordingMixin:
    """How the register writes the body of a council or of a deliberation
    (``conventions.bodies``): both have ``body`` and ``body_label``."""

    @property
    def wording(self) -> BodyWording:
        return body_wording(self.body, self.body_label)

    @property
    def body_display(self) -> str:
        """ "Comité syndical", or the body's own name for « Autre »."""
        name = self.wording.name if self.body == DeliberatingBody.OTHER else ""
        return name[:1].upper() + name[1:] if name else self.get_body_display()


class Council(BodyWordingMixin, models.Model):
    """A deliberating assembly of an organisation for one term (mandature)."""

    organisation = models.ForeignKey(
        "partners.Organisation",
        on_delete=models.PROTECT,
        related_name="councils",
        verbose_name="organisation",
    )
    body = models.CharField("assemblée", max_length=30, choices=DeliberatingBody.choices)
    body_label = models.CharField(
        "nom de l'assemblée",
        max_length=100,
        blank=True,
        help_text="Seulement pour une assemblée « Autre ». " + LABEL_HELP,
        validators=[single_line],
    )
    term_start_year = models.PositiveSmallIntegerField(
        "début du mandat (année)", validators=[MinValueValidator(1900)]
    )
    term_end_year = models.PositiveSmallIntegerField(
        "fin du mandat (année)", null=True, blank=True, validators=[MinValueValidator(1900)]
    )

    class Meta:
        verbose_name = "conseil"
        ordering = ["organisation__name", "body", "-term_start_year"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "body", "term_start_year"],
                name="%(app_label)s_%(class)s_unique_term",
                violation_error_message="Cette assemblée existe déjà pour ce mandat.",
            ),
            models.CheckConstraint(
                condition=Q(term_end_year__isnull=True)
                | Q(term_end_year__gte=models.F("term_start_year")),
                name="%(app_label)s_%(class)s_start_before_end",
                violation_error_message="La fin du mandat ne peut précéder son début.",
            ),
            body_label_constraint("%(app_label)s_%(class)s_body_label_only_for_other"),
        ]

    def __str__(self):
        return f"{self.body_display} — {self.organisation} ({self.term_label})"

    def get_absolute_url(self):
        return reverse("conventions:council_detail", args=[self.pk])

    def clean(self):
        body_label_clean(self)

    @property
    def term_label(self) -> str:
        return f"{self.term_start_year}-{self.term_end_year or '…'}"

    def covers(self, day) -> bool:
        return self.term_start_year <= day.year and (
            self.term_end_year is None or day.year <= self.term_end_year
        )

    def members_in_office(self, on) -> list["CouncilMember"]:
        """Uses the prefetched roster when there is one."""
        return [m for m in self.members.all() if m.is_in_office(on)]


class CouncilMember(models.Model):
    """A councillor, entered once per term and reused from session to session."""

    council = models.ForeignKey(
        Council, on_delete=models.CASCADE, related_name="members", verbose_name="conseil"
    )
    civility = models.CharField("civilité", max_length=3, choices=Civility.choices)
    first_name = models.CharField("prénom", max_length=80, validators=[single_line])
    last_name = models.CharField("nom", max_length=80, validators=[single_line])
    order = models.PositiveSmallIntegerField("rang au tableau", default=0)
    in_office_from = models.DateField(
        "en fonction depuis",
        null=True,
        blank=True,
        help_text="Laisser vide pour un membre élu au début du mandat.",
    )
    in_office_until = models.DateField(
        "en fonction jusqu'au",
        null=True,
        blank=True,
        help_text="Démission, décès… Laisser vide tant que le membre siège.",
    )
    # Raised by each save: an edit prepared on an older version is refused
    # (config.core.concurrency).
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = "membre du conseil"
        verbose_name_plural = "membres du conseil"
        ordering = ["council", "order", "last_name", "first_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["council", "first_name", "last_name"],
                name="%(app_label)s_%(class)s_unique_name",
                violation_error_message="Ce membre figure déjà dans ce conseil.",
            ),
            models.CheckConstraint(
                condition=Q(in_office_until__isnull=True)
                | Q(in_office_from__isnull=True)
                | Q(in_office_until__gte=models.F("in_office_from")),
                name="%(app_label)s_%(class)s_start_before_end",
                violation_error_message="La fin du mandat ne peut précéder son début.",
            ),
        ]

    def __str__(self):
        return self.full_name

    @property
    def name(self) -> str:
        """ "Valérie BELY-VOLLAND", as the register writes it."""
        return f"{self.first_name} {self.last_name.upper()}"

    @property
    def full_name(self) -> str:
        """ "Madame Valérie BELY-VOLLAND"."""
        return f"{self.get_civility_display()} {self.name}"

    def is_in_office(self, on) -> bool:
        return (self.in_office_from is None or self.in_office_from <= on) and (
            self.in_office_until is None or on <= self.in_office_until
        )
