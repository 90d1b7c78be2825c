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
    VALIDATED = "validated", "Validé"
    REOPENED = "reopened", "Rouvert"
    LOCKED = "locked", "Verrouillé (bilan annuel validé)"
