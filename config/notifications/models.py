"""What the application tells a user, and how often each user wants to hear it by e-mail."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class Kind(models.TextChoices):
    QUARTER_SUBMITTED = "trimestre_transmis", "Trimestre transmis, à valider"
    QUARTER_VALIDATED = "trimestre_valide", "Trimestre validé"
    QUARTER_REOPENED = "trimestre_rouvert", "Trimestre rouvert"
    PAYMENT_RECORDED = "versement_enregistre", "Versement enregistré"
    PAYMENT_DUE = "versement_attendu", "Versement attendu bientôt"
    PAYMENT_OVERDUE = "versement_en_retard", "Versement en retard"
    CONVENTION_SIGNED = "convention_signee", "Convention signée"
    CONVENTION_CHANGED = "convention_renouvelee_resiliee", "Convention renouvelée ou résiliée"
    RENEWAL_DUE = "renouvellement", "Fin ou renouvellement d'une convention à préparer"
    NOTICE_NEAR = "preavis", "Délai de préavis proche"
    OTHER_DEADLINE = "echeance", "Autre échéance d'une convention (bilan, comité de suivi)"
    INVITATION_ACCEPTED = "invitation_acceptee", "Invitation acceptée"


# The deadlines the law or the convention sets for ending or renewing it: missing one
# renews or ends a convention against its parties' will. They can be read weekly, not
# turned off.
LEGAL_DEADLINES = frozenset({Kind.RENEWAL_DUE, Kind.NOTICE_NEAR})


class Frequency(models.TextChoices):
    IMMEDIATE = "immediat", "Tout de suite, par courriel"
    WEEKLY = "hebdomadaire", "Dans un résumé chaque lundi"
    NEVER = "jamais", "Jamais"


DEFAULT_FREQUENCY = Frequency.IMMEDIATE


class Notification(models.Model):
    """One thing that happened, told to one user: in the list of their notifications (with
    the unread count in the header) and by e-mail, at once or in the weekly digest."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name="destinataire",
    )
    kind = models.CharField("sorte", max_length=40, choices=Kind.choices)
    # What happened, the same for everyone told of it: an event heard twice (a task run
    # again) tells each person once.
    key = models.CharField("clé", max_length=200)
    title = models.CharField("titre", max_length=300)
    body = models.TextField("détail", blank=True)
    path = models.CharField("page", max_length=500)
    created_at = models.DateTimeField("le", default=timezone.now)
    read_at = models.DateTimeField("lue le", null=True, blank=True)
    # Waits for the Monday digest (the user chose « chaque lundi » for its kind).
    in_digest = models.BooleanField("pour le résumé hebdomadaire", default=False)

    class Meta:
        verbose_name = "notification"
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "key"], name="%(app_label)s_%(class)s_once_per_user"
            )
        ]
        indexes = [
            models.Index(fields=["user", "-created_at"], name="notifications_of_user"),
            models.Index(fields=["user"], condition=Q(in_digest=True), name="notifications_digest"),
        ]

    def __str__(self):
        return self.title

    @property
    def unread(self) -> bool:
        return self.read_at is None


class Preference(models.Model):
    """How often one user hears of one kind; without a row, ``DEFAULT_FREQUENCY``."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_preferences",
        verbose_name="utilisateur",
    )
    kind = models.CharField("sorte", max_length=40, choices=Kind.choices)
    frequency = models.CharField("fréquence", max_length=20, choices=Frequency.choices)

    class Meta:
        verbose_name = "préférence de notification"
        verbose_name_plural = "préférences de notification"
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind"], name="%(app_label)s_%(class)s_one_per_kind"
            ),
            models.CheckConstraint(
                condition=~Q(kind__in=sorted(LEGAL_DEADLINES)) | ~Q(frequency=Frequency.NEVER),
                name="%(app_label)s_%(class)s_legal_deadlines_heard",
                violation_error_message="Les échéances légales ne peuvent pas être désactivées.",
            ),
        ]

    def __str__(self):
        return f"{self.user} · {self.get_kind_display()} : {self.get_frequency_display()}"
