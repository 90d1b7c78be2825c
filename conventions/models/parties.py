"""Who is party to a convention, or associated to it without signing."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from config.core.dates import future_date_message
from config.core.validators import single_line
from conventions.enums import (
    Side,
)

# Signature boxes side by side on an A4 page: four fit, five would not.
MAX_SIGNATURE_COLUMNS = 4


class Party(models.Model):
    convention = models.ForeignKey(
        "conventions.Convention",
        on_delete=models.CASCADE,
        related_name="parties",
        verbose_name="convention",
    )
    organisation = models.ForeignKey(
        "partners.Organisation",
        on_delete=models.PROTECT,
        related_name="parties",
        verbose_name="organisation",
    )
    representative = models.ForeignKey(
        "partners.Representative",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="parties",
        verbose_name="représentant à la signature",
    )
    order = models.PositiveSmallIntegerField("ordre", default=0)
    side = models.CharField("partie", max_length=10, choices=Side.choices, default=Side.FIRST)
    designation = models.CharField(
        "désignation",
        max_length=250,
        blank=True,
        help_text=(
            "Telle qu'écrite : « La Commune de Niort ». Par défaut, le nom de l'organisation."
        ),
        validators=[single_line],
    )
    representation = models.CharField(
        "représentation",
        max_length=400,
        blank=True,
        help_text="Texte libre remplaçant « représentée par … », par exemple "
        "« représentée par sa Présidente ».",
        validators=[single_line],
    )
    mandate_note = models.CharField(
        "habilitation",
        max_length=300,
        blank=True,
        help_text="Par exemple « dûment habilité par délibération du conseil municipal du "
        "20 septembre 2021 ».",
        validators=[single_line],
    )
    domicile = models.CharField(
        "domicile élu",
        max_length=300,
        blank=True,
        help_text="Ce qui suit « ayant élu domicile », par exemple « à la Préfecture, "
        "4 rue Du Guesclin - 79099 NIORT Cedex 9 ».",
        validators=[single_line],
    )
    signatory_title = models.CharField(
        "qualité au bloc de signature",
        max_length=250,
        blank=True,
        help_text="Par exemple « Le Préfet des Deux-Sèvres, ».",
        validators=[single_line],
    )
    # The cell of the signature grid, as the original places it (the Ermont original
    # puts the Préfet and the DDSP in the left column); blank, the parties fill rows
    # of two in their order, after the placed ones.
    signature_row = models.PositiveSmallIntegerField(
        "ligne de signature",
        null=True,
        blank=True,
        validators=[MinValueValidator(1, "Les lignes sont numérotées à partir de 1.")],
        help_text="1 pour la première ligne. Laissées vides, ligne et colonne suivent "
        "l'ordre des parties, deux par ligne.",
    )
    signature_column = models.PositiveSmallIntegerField(
        "colonne de signature",
        null=True,
        blank=True,
        validators=[
            MinValueValidator(1, "Les colonnes sont numérotées à partir de 1."),
            MaxValueValidator(
                MAX_SIGNATURE_COLUMNS,
                f"Une page tient {MAX_SIGNATURE_COLUMNS} colonnes de signature au plus.",
            ),
        ],
        help_text="1 pour la colonne de gauche.",
    )
    is_funder = models.BooleanField("financeur", default=False)
    is_employer = models.BooleanField("employeur (autorité hiérarchique)", default=False)
    is_functional_authority = models.BooleanField("autorité fonctionnelle", default=False)
    is_host = models.BooleanField("accueille le poste", default=False)
    signs = models.BooleanField("signataire", default=True)
    signed_on = models.DateField("date de signature", null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "partie"
        ordering = ["convention", "order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["convention", "organisation"],
                name="%(app_label)s_%(class)s_unique_organisation",
                violation_error_message="Cette organisation est déjà partie à la convention.",
            ),
            # No unique (convention, row, column): two parties swapping their cells in
            # one save would break it between the two writes. The party formset refuses
            # two parties in one cell, and the grid never drops a party (documents.py).
            models.CheckConstraint(
                condition=Q(signature_row__isnull=True, signature_column__isnull=True)
                | Q(
                    signature_row__gte=1,
                    signature_column__gte=1,
                    signature_column__lte=MAX_SIGNATURE_COLUMNS,
                ),
                name="%(app_label)s_%(class)s_signature_cell_complete",
                violation_error_message="Indiquez la ligne et la colonne de signature "
                f"(colonne 1 à {MAX_SIGNATURE_COLUMNS}), ou aucune des deux.",
            ),
        ]

    def __str__(self):
        return self.display_designation

    @property
    def display_designation(self):
        return self.designation or self.organisation.name

    @property
    def roles(self) -> list[str]:
        labels = []
        for field in ("is_funder", "is_employer", "is_functional_authority", "is_host"):
            if getattr(self, field):
                labels.append(self._meta.get_field(field).verbose_name)
        return labels

    def clean(self):
        errors = {}
        if (
            self.representative_id
            and self.organisation_id
            and (self.representative.organisation_id != self.organisation_id)
        ):
            errors["representative"] = "Ce représentant n'appartient pas à cette organisation."
        # A signature dated in the future would make the convention « Signée » and in force.
        if message := future_date_message(self.signed_on, "la date de signature"):
            errors["signed_on"] = message
        if (self.signature_row is None) != (self.signature_column is None):
            missing = "signature_row" if self.signature_row is None else "signature_column"
            errors[missing] = "Indiquez la ligne et la colonne de signature, ou aucune des deux."
        if errors:
            raise ValidationError(errors)


class AssociatedPartner(models.Model):
    """A partner associated to the convention without signing it (the procureur)."""

    convention = models.ForeignKey(
        "conventions.Convention", on_delete=models.CASCADE, related_name="associated_partners"
    )
    organisation = models.ForeignKey(
        "partners.Organisation",
        on_delete=models.PROTECT,
        related_name="associations",
        verbose_name="organisation",
    )
    wording = models.TextField("mention", blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "partenaire associé"
        constraints = [
            models.UniqueConstraint(
                fields=["convention", "organisation"],
                name="%(app_label)s_%(class)s_unique_organisation",
                violation_error_message="Ce partenaire est déjà associé à la convention.",
            ),
        ]

    def __str__(self):
        return str(self.organisation)
