"""Organisations, their representatives, users and sent forms.

One piece past 400 lines: the organisation, the representative who signs for it (with
its interim and its delegation of signature) and the user who belongs to it are read
together by every document and page that names a partner.
"""

import unicodedata

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy
from simple_history.models import HistoricalRecords

from config.core.lists import words_match
from config.core.validators import single_line
from partners.enums import Civility, OrganisationKind, Role
from partners.logos import logo_path, validate_logo
from partners.validators import (
    validate_address_block,
    validate_departement_code,
    validate_rna,
    validate_siret,
)


def name_key(name: str) -> str:
    """Reduce an organisation name to what tells it apart from another.

    Case, accents, punctuation and a plural "s" are dropped so that
    "France victime 79" and "France Victimes 79" collide.
    """
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    words = "".join(c if c.isalnum() else " " for c in text).split()
    return " ".join(w[:-1] if len(w) > 3 and w.endswith("s") else w for w in words)


class OrganisationQuerySet(models.QuerySet):
    def search(self, text):
        """Each word found in the name, short name, commune, SIRET or a representative's
        names; a SIRET pasted with its spaces (« 213 101 918 00017 ») is found too."""
        compact = "".join((text or "").split())
        condition = words_match(
            text,
            "name",
            "short_name",
            "city",
            "representatives__first_name",
            "representatives__last_name",
        )
        if condition is None:
            return self
        if compact.isdigit():
            condition |= Q(siret__startswith=compact)
        return self.filter(condition).distinct()


class Organisation(models.Model):
    name = models.CharField("nom", max_length=200, validators=[single_line])
    name_key = models.CharField(max_length=200, editable=False)
    short_name = models.CharField("nom court", max_length=60, blank=True, validators=[single_line])
    kind = models.CharField("type", max_length=20, choices=OrganisationKind.choices)
    kind_label = models.CharField(
        "type en toutes lettres",
        max_length=100,
        blank=True,
        help_text="Obligatoire pour le type « Autre » : ce que les documents impriment, par "
        "exemple « Office public de l'habitat ». Laissez vide pour un autre type.",
        validators=[single_line],
    )
    departement = models.CharField(
        "département", max_length=3, validators=[single_line, validate_departement_code]
    )
    premises = models.CharField(
        "bâtiment",
        max_length=120,
        blank=True,
        help_text="Par exemple « la Préfecture ».",
        validators=[single_line],
    )
    street = models.CharField("adresse", max_length=200, blank=True, validators=[single_line])
    postal_code = models.CharField(
        "code postal", max_length=5, blank=True, validators=[single_line]
    )
    city = models.CharField("commune", max_length=100, blank=True, validators=[single_line])
    siret = models.CharField(
        "SIRET", max_length=14, blank=True, validators=[single_line, validate_siret]
    )
    rna = models.CharField(
        "numéro RNA",
        max_length=10,
        blank=True,
        validators=[single_line, validate_rna],
        help_text="Associations uniquement.",
    )
    phone = models.CharField("téléphone", max_length=20, blank=True, validators=[single_line])
    email = models.EmailField("courriel", blank=True, validators=[single_line])
    # The letterhead its documents print (partners.letterhead).
    logo = models.FileField(
        "logo",
        upload_to=logo_path,
        blank=True,
        # A database default as well: the migration tests take other apps back to states
        # whose historical Organisation has no such column, and still insert rows.
        default="",
        db_default="",
        max_length=200,
        help_text="PNG ou JPEG, 1 Mo et 2 000 pixels de côté au plus. Imprimé en haut de la "
        "première page des conventions, avenants et extraits de délibération.",
        validators=[validate_logo],
    )
    address_block = models.TextField(
        "bloc d'adresse (en-tête des documents)",
        blank=True,
        default="",
        db_default="",
        max_length=400,
        help_text="Imprimé sous le logo, tel que saisi : 6 lignes de 80 caractères au plus, "
        "par exemple « Direction de la prévention », « 1 place de la Mairie », "
        "« 79000 Niort ».",
        validators=[validate_address_block],
    )
    # Raised by each save: an edit prepared on an older version is refused
    # (config.core.concurrency).
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = OrganisationQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        verbose_name = "organisation"
        ordering = ["departement", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "departement", "name_key"],
                name="%(app_label)s_%(class)s_unique_name_per_kind_and_departement",
                violation_error_message=(
                    "Une organisation de ce type porte déjà ce nom (ou un nom presque identique) "
                    "dans ce département."
                ),
            ),
            models.CheckConstraint(
                condition=Q(rna="") | Q(kind=OrganisationKind.ASSOCIATION),
                name="%(app_label)s_%(class)s_rna_only_for_associations",
                violation_error_message="Seule une association a un numéro RNA.",
            ),
            models.CheckConstraint(
                condition=Q(kind=OrganisationKind.OTHER, kind_label__gt="")
                | (~Q(kind=OrganisationKind.OTHER) & Q(kind_label="")),
                name="%(app_label)s_%(class)s_kind_label_only_for_other",
                violation_error_message="Le type en toutes lettres est obligatoire pour le "
                "type « Autre », et seulement pour lui.",
            ),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        # The key is a normalised copy of the name, kept in step for the constraint.
        self.name_key = name_key(self.name)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("partners:detail", args=[self.pk])

    def clean(self):
        self.name_key = name_key(self.name)
        errors = {}
        if self.kind == OrganisationKind.OTHER and not self.kind_label.strip():
            errors["kind_label"] = (
                "Pour le type « Autre », écrivez le type de l'organisation tel que les "
                "documents doivent l'imprimer, par exemple « Office public de l'habitat »."
            )
        elif self.kind and self.kind != OrganisationKind.OTHER and self.kind_label:
            errors["kind_label"] = (
                "Seul le type « Autre » s'écrit en toutes lettres : videz ce champ ou "
                "choisissez le type « Autre »."
            )
        if self.rna and self.kind != OrganisationKind.ASSOCIATION:
            errors["rna"] = (
                "Seule une association a un numéro RNA : videz ce champ ou choisissez le type "
                "« Association »."
            )
        # The unique constraint needs name_key, which no form edits, so forms skip it:
        # look the twin up here to name it in the message.
        twin = self.near_duplicate()
        if twin is not None:
            errors["name"] = (
                f"« {twin.name} » existe déjà parmi les organisations de type "
                f"« {twin.kind_display} » du département {twin.departement} : ce nom est "
                "presque identique. Modifiez l'organisation existante plutôt que d'en créer "
                "une seconde."
            )
        if errors:
            raise ValidationError(errors)

    def near_duplicate(self) -> "Organisation | None":
        """Another organisation of the same kind and département whose name differs only
        by case, accents, punctuation or a plural."""
        if not (self.name and self.kind and self.departement):
            return None
        return (
            Organisation.objects.filter(
                kind=self.kind, departement=self.departement, name_key=name_key(self.name)
            )
            .exclude(pk=self.pk)
            .first()
        )

    @property
    def kind_display(self) -> str:
        """The kind as documents print it: the organisation's own label for « Autre »."""
        if self.kind == OrganisationKind.OTHER:
            return self.kind_label
        return self.get_kind_display()

    @property
    def address(self) -> str:
        """The address as written in conventions: "4 rue Du Guesclin - 79099 NIORT Cedex 9"."""
        town = " ".join(part for part in (self.postal_code, self.city) if part)
        return " - ".join(part for part in (self.street, town) if part)


VOWELS = tuple("aâeéèêiîoôuûy")


def with_article(title: str, civility: str = "") -> str:
    """ "le Préfet", "la Présidente", "l'Adjointe": the title behind « Pour … »."""
    if not title:
        return ""
    if title[:1].lower() in VOWELS:
        return f"l'{title}"
    return f"la {title}" if civility == Civility.MRS else f"le {title}"


class RepresentativeQuerySet(models.QuerySet):
    def in_office(self, on):
        return self.filter(Q(mandate_start__isnull=True) | Q(mandate_start__lte=on)).filter(
            Q(mandate_end__isnull=True) | Q(mandate_end__gte=on)
        )


class Representative(models.Model):
    """A person who represents an organisation for a mandate (a préfet, a mayor)."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="representatives",
        verbose_name="organisation",
    )
    civility = models.CharField(
        "civilité",
        max_length=3,
        choices=Civility.choices,
        blank=True,
        help_text="Laissez vide si elle n'est pas connue : les documents n'écrivent alors ni "
        "« M. » ni « Mme ».",
    )
    first_name = models.CharField("prénom", max_length=80, blank=True, validators=[single_line])
    last_name = models.CharField("nom", max_length=80, blank=True, validators=[single_line])
    title = models.CharField(
        "qualité",
        max_length=200,
        help_text="Telle qu'écrite dans les conventions, par exemple « Préfet des Deux-Sèvres » "
        "ou, pour une signature par délégation, « Sous-préfète chargée de mission ».",
        validators=[single_line],
    )
    acting = models.BooleanField(
        "par intérim",
        default=False,
        help_text="Cochez si la personne exerce la fonction par intérim : les documents "
        "écrivent « Le maire par intérim ».",
    )
    delegated_by = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="delegates",
        verbose_name="signe par délégation de",
        help_text="Le représentant de la même organisation qui a délégué sa signature (le "
        "préfet pour une sous-préfète). Ou bien remplissez « par délégation de (qualité) ».",
    )
    delegated_by_title = models.CharField(
        "par délégation de (qualité)",
        max_length=200,
        blank=True,
        help_text="Si la personne qui délègue n'est pas enregistrée : sa qualité avec "
        "l'article, par exemple « le Préfet ». Les documents écrivent « Pour le Préfet et par "
        "délégation ».",
        validators=[single_line],
    )
    delegation_reference = models.CharField(
        "acte de délégation",
        max_length=200,
        blank=True,
        help_text="Facultatif, par exemple « arrêté n° 2024-123 du 2 janvier 2024 ».",
        validators=[single_line],
    )
    mandate_start = models.DateField("début du mandat", null=True, blank=True)
    mandate_end = models.DateField("fin du mandat", null=True, blank=True)

    objects = RepresentativeQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        verbose_name = "représentant"
        ordering = ["organisation", "-mandate_start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(mandate_end__isnull=True)
                | Q(mandate_start__isnull=True)
                | Q(mandate_end__gte=models.F("mandate_start")),
                name="%(app_label)s_%(class)s_start_before_end",
                violation_error_message="La fin du mandat ne peut précéder son début.",
            ),
            models.CheckConstraint(
                condition=Q(delegated_by__isnull=True) | Q(delegated_by_title=""),
                name="%(app_label)s_%(class)s_one_delegation",
                violation_error_message="Indiquez qui délègue sa signature une seule fois : "
                "le représentant enregistré ou sa qualité.",
            ),
        ]

    def __str__(self):
        return f"{self.full_name}, {self.title}" if self.full_name else self.title

    def clean(self):
        errors = {}
        if self.mandate_start and self.mandate_end and self.mandate_end < self.mandate_start:
            errors["mandate_end"] = (
                f"La fin du mandat ({self.mandate_end:%d/%m/%Y}) ne peut précéder son "
                f"début ({self.mandate_start:%d/%m/%Y})."
            )
        if self.delegated_by_id is not None:
            if self.delegated_by_title:
                errors["delegated_by_title"] = (
                    "Le représentant qui délègue est déjà choisi : videz ce champ, ou videz "
                    "« signe par délégation de »."
                )
            if self.pk is not None and self.delegated_by_id == self.pk:
                errors["delegated_by"] = "Un représentant ne se délègue pas sa propre signature."
            elif self.delegated_by.organisation_id != self.organisation_id:
                errors["delegated_by"] = (
                    "Choisissez un représentant de la même organisation : on signe par "
                    "délégation du préfet de sa propre préfecture."
                )
        if self.delegation_reference and not self.is_delegate:
            errors["delegation_reference"] = (
                "Indiquez d'abord qui délègue sa signature, ou videz l'acte de délégation."
            )
        if errors:
            raise ValidationError(errors)

    @property
    def is_delegate(self) -> bool:
        return self.delegated_by_id is not None or bool(self.delegated_by_title)

    @property
    def delegator_title(self) -> str:
        """Who delegates, with its article, as in « Pour le Préfet et par délégation »."""
        if self.delegated_by_title:
            return self.delegated_by_title
        if self.delegated_by_id is None:
            return ""
        return with_article(self.delegated_by.acting_title, self.delegated_by.civility)

    @property
    def delegation_wording(self) -> str:
        """ "Pour le Préfet et par délégation", or empty when the representative signs in
        their own name."""
        if not self.is_delegate:
            return ""
        return f"Pour {self.delegator_title} et par délégation"

    @property
    def acting_title(self) -> str:
        """ "Maire par intérim", or the title alone."""
        return f"{self.title} par intérim" if self.acting else self.title

    @property
    def signing_capacity(self) -> str:
        """What a signature prints above the name when the representative does not sign
        in their own right: "Pour le Préfet et par délégation, la Sous-préfète chargée de
        mission", "Le Maire par intérim"; empty otherwise."""
        own = with_article(self.acting_title, self.civility)
        if self.is_delegate:
            return f"{self.delegation_wording}, {own}"
        if self.acting:
            return own[:1].upper() + own[1:]
        return ""

    def in_office_on(self, day) -> bool:
        """Same rule as ``Representative.objects.in_office(day)``, on a loaded row."""
        return (self.mandate_start is None or self.mandate_start <= day) and (
            self.mandate_end is None or self.mandate_end >= day
        )

    @property
    def full_name(self) -> str:
        """ "M. Emmanuel AUBRY", "Emmanuel AUBRY" when the civility is not known, or empty
        when only the title is known (Ermont)."""
        name = self.name
        return " ".join(p for p in (self.civility, name) if p) if name else ""

    @property
    def name(self) -> str:
        return " ".join(p for p in (self.first_name, self.last_name.upper()) if p)


class User(AbstractUser):
    # AbstractUser's names and e-mail, with the product's rule: a single line (a line
    # break in a name would break the header of every e-mail sent to the user).
    first_name = models.CharField(
        gettext_lazy("first name"), max_length=150, blank=True, validators=[single_line]
    )
    last_name = models.CharField(
        gettext_lazy("last name"), max_length=150, blank=True, validators=[single_line]
    )
    email = models.EmailField(gettext_lazy("email address"), blank=True, validators=[single_line])
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        verbose_name="organisation",
    )
    role = models.CharField("rôle", max_length=30, choices=Role.choices, blank=True)
    calendar_token = models.CharField(
        "jeton du calendrier", max_length=64, null=True, blank=True, unique=True, editable=False
    )
    # The fingerprint of the calendar last served and since when it holds (the feed's
    # ETag and Last-Modified: a client asking again gets 304 while nothing changed).
    calendar_etag = models.CharField(
        "empreinte du calendrier", max_length=64, blank=True, editable=False
    )
    calendar_changed_at = models.DateTimeField(
        "calendrier modifié le", null=True, blank=True, editable=False
    )
    is_referent = models.BooleanField(
        "référent de l'organisation",
        default=False,
        help_text="Invite ses collègues, renvoie ou retire une invitation, désactive un compte.",
    )
    # An account made by an invitation waits, inactive and without password, until the
    # link sent by e-mail sets one (partners.invitations).
    invited_by = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="invité par",
        editable=False,
    )
    invited_at = models.DateTimeField(
        "invitation envoyée le", null=True, blank=True, editable=False
    )
    # Kept by config.notifications as it tells and the user reads: the header shows it on
    # every page without a query of its own.
    unread_notifications = models.PositiveIntegerField(
        "notifications non lues", default=0, editable=False
    )

    class Meta(AbstractUser.Meta):
        verbose_name = "utilisateur"
        constraints = [
            models.CheckConstraint(
                condition=Q(is_superuser=True) | Q(organisation__isnull=False),
                name="%(app_label)s_%(class)s_organisation_unless_superuser",
                violation_error_message="Chaque utilisateur appartient à une organisation.",
            ),
            models.CheckConstraint(
                condition=Q(is_superuser=True) | ~Q(role=""),
                name="%(app_label)s_%(class)s_role_unless_superuser",
                violation_error_message="Chaque utilisateur a un rôle, sauf un administrateur.",
            ),
        ]

    @property
    def invitation_pending(self) -> bool:
        """Invited and not yet arrived: no password chosen."""
        return self.invited_at is not None and not self.has_usable_password()

    @property
    def role_label(self) -> str:
        return "Administrateur" if self.is_superuser else self.get_role_display()

    def set_password(self, raw_password):
        # The private calendar address is a credential of its own: a new password (changed,
        # reset or set by an administrator) closes it too.
        super().set_password(raw_password)
        self.calendar_token = None


class Submission(models.Model):
    """A form that created something, sent once: the answer to give again when the same
    form comes back (a double click, the browser's « renvoyer »). The mechanism is the
    core's (config.core.idempotency); the rows live here, the lowest app with models."""

    token = models.CharField("jeton", max_length=64, editable=False)
    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="+", verbose_name="utilisateur"
    )
    url = models.CharField("page de la réponse", max_length=2000, blank=True)
    created_at = models.DateTimeField("envoyé le", auto_now_add=True)

    class Meta:
        verbose_name = "formulaire envoyé"
        verbose_name_plural = "formulaires envoyés"
        constraints = [
            models.UniqueConstraint(
                fields=["token"],
                name="%(app_label)s_%(class)s_unique_token",
                violation_error_message="Ce formulaire a déjà été envoyé.",
            ),
        ]

    def __str__(self):
        return f"{self.user} → {self.url}"


class ApiTokenQuerySet(models.QuerySet):
    def usable(self, *, at=None):
        """Neither revoked nor expired, and of an active account."""
        at = at or timezone.now()
        return self.filter(revoked_at__isnull=True, expires_at__gt=at, user__is_active=True)


class ApiToken(models.Model):
    """A personal key to the API (config.api), which reads and writes what its user may.

    Only a hash of the key is stored: the key is shown once, when created
    (``partners.api_tokens``); lost, it is revoked and another one created. The prefix
    (its first characters) tells the user's keys apart on the profile page.
    """

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="api_tokens", verbose_name="utilisateur"
    )
    name = models.CharField(
        "nom",
        max_length=80,
        validators=[single_line],
        help_text="Pour vous y retrouver : l'outil ou le traitement qui l'utilise.",
    )
    prefix = models.CharField("début de la clé", max_length=16, editable=False)
    key_hash = models.CharField("empreinte de la clé", max_length=64, editable=False)
    created_at = models.DateTimeField("créé le", auto_now_add=True)
    expires_at = models.DateTimeField("expire le")
    last_used_at = models.DateTimeField("dernière utilisation", null=True, blank=True)
    revoked_at = models.DateTimeField("révoqué le", null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = "jeton d'accès à l'API"
        verbose_name_plural = "jetons d'accès à l'API"
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["key_hash"],
                name="%(app_label)s_%(class)s_unique_key_hash",
                violation_error_message="Cette clé existe déjà.",
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_usable(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()
