from django.db import models


class GroupKind(models.TextChoices):
    """How the indicators of a group relate to the group's total indicator."""

    COUNTS = "counts", "Comptages indépendants"
    PARTITION = "partition", "Répartition d'un total (la somme est égale au total)"
    MULTIPLE = "multiple", "Plusieurs réponses possibles (chacune au plus égale au total)"


class QuarterState(models.TextChoices):
    DRAFT = "draft", "En saisie"
    SUBMITTED = "submitted", "Transmis"
    VALIDATED = "validated", "Validé"
    LOCKED = "locked", "Verrouillé"


class AnnualState(models.TextChoices):
    OPEN = "open", "En cours"
    VALIDATED = "validated", "Bilan annuel validé"


class QuarterAction(models.TextChoices):
    SUBMITTED = "submitted", "Transmis"
    # One of the authorities a mixed post's quarter waits for has validated it.
    AUTHORITY_VALIDATED = "authority_validated", "Validé par une autorité fonctionnelle"
    # Counts changed after a partial validation: the authorities validated other figures.
    VALIDATIONS_CLEARED = "validations_cleared", "Validations annulées (valeurs modifiées)"
    VALIDATED = "validated", "Validé"
    REOPENED = "reopened", "Rouvert"
    LOCKED = "locked", "Verrouillé (bilan annuel validé)"
