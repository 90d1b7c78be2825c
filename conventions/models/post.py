from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Case, Exists, OuterRef, Prefetch, Q, Value, When
from django.urls import reverse
from simple_history.models import HistoricalRecords

from config.core.validators import single_line
from conventions.enums import SITE_KIND_FORCE, Force, PostKind, SiteKind
from partners.validators import validate_departement_code


@dataclass(frozen=True)
class PostWording:
    """How the pages, messages and documents name where a post's social worker works."""

    site: str  # « commissariat »
    at_site: str  # « au commissariat »
    in_site: str  # « intervenant social en commissariat »


POST_WORDING = {
    PostKind.POLICE: PostWording("commissariat", "au commissariat", "en commissariat"),
    PostKind.GENDARMERIE: PostWording("brigade de gendarmerie", "à la brigade", "en gendarmerie"),
    PostKind.MIXED: PostWording(
        "commissariat et gendarmerie",
        "au commissariat ou à la brigade",
        "en commissariat et gendarmerie",
    ),
}


def kind_of_forces(forces) -> PostKind | None:
    forces = set(forces)
    if forces == {Force.POLICE, Force.GENDARMERIE}:
        return PostKind.MIXED
    if forces == {Force.POLICE}:
        return PostKind.POLICE
    if forces == {Force.GENDARMERIE}:
        return PostKind.GENDARMERIE
    return None


class PostQuerySet(models.QuerySet):
    def with_kind(self):
        """``annotated_kind``: the kind of each post from its sites, in the query itself
        (to filter or count by kind without reading the sites)."""
        sites = PostSite.objects.filter(post=OuterRef("pk"))
        police = Exists(sites.filter(force=Force.POLICE))
        gendarmerie = Exists(sites.filter(force=Force.GENDARMERIE))
        return self.annotate(
            annotated_kind=Case(
                When(police & gendarmerie, then=Value(PostKind.MIXED.value)),
                When(police, then=Value(PostKind.POLICE.value)),
                When(gendarmerie, then=Value(PostKind.GENDARMERIE.value)),
                default=Value(""),
                output_field=models.CharField(),
            )
        )

    def supervised_by(self, organisation):
        """The posts ``organisation`` is the functional authority of (at one site at least)."""
        return self.filter(
            pk__in=PostSite.objects.filter(functional_authority=organisation).values("post")
        )

    def with_sites(self):
        return self.prefetch_related(
            Prefetch("sites", queryset=PostSite.objects.select_related("functional_authority"))
        )


class Post(models.Model):
    """One ISC post. It outlives conventions: a renewal continues the same post.

    Its sites (``PostSite``) say where it works, under which force and which
    functional authority; its kind (police, gendarmerie, mixed) follows from them.
    The properties below read ``sites.all()``: prefetch them (``with_sites()``).
    """

    name = models.CharField("intitulé", max_length=200, validators=[single_line])
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
    # The local authority that created it from the site: it sees the post before any
    # convention of its own covers it (conventions.access.Scope.posts).
    created_by_organisation = models.ForeignKey(
        "partners.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="created_posts",
        verbose_name="créé par",
    )
    # Raised by each save through a versioned form (config.core.concurrency): the admin
    # refuses a change form prepared on an older version.
    version = models.PositiveIntegerField(default=1, editable=False)

    history = HistoricalRecords()

    objects = PostQuerySet.as_manager()

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

    def concerned_organisation_ids(self) -> set[int]:
        """The organisations told of what happens to the post (``config.core.events``):
        its employer, the functional authorities of its sites, the parties to its
        conventions. Two queries."""
        ids = {self.employer_id}
        ids |= set(self.sites.values_list("functional_authority", flat=True))
        ids |= set(self.sections.values_list("convention__parties__organisation", flat=True))
        return {pk for pk in ids if pk is not None}

    @property
    def site_list(self) -> list["PostSite"]:
        return list(self.sites.all())

    @property
    def forces(self) -> list[str]:
        """The forces of its sites, police first."""
        forces = {site.force for site in self.site_list}
        return [force for force in Force.values if force in forces]

    @property
    def kind(self) -> PostKind | None:
        annotated = self.__dict__.get("annotated_kind")
        if annotated is not None:
            return PostKind(annotated) if annotated else None
        return kind_of_forces(self.forces)

    def get_kind_display(self) -> str:
        return self.kind.label if self.kind else "sans site"

    @property
    def functional_authorities(self) -> list:
        """One per force, in the order of the sites."""
        seen = {}
        for site in self.site_list:
            seen.setdefault(site.functional_authority_id, site.functional_authority)
        return list(seen.values())

    @property
    def functional_authority_names(self) -> str:
        return " et ".join(authority.name for authority in self.functional_authorities)

    @property
    def authorities_label(self) -> str:
        """« DDSP 79 », « DDSP 79 et Gendarmerie 79 »: who validates its statistics."""
        return " et ".join(a.short_name or a.name for a in self.functional_authorities)

    @property
    def site_names(self) -> str:
        return ", ".join(site.name for site in self.site_list)

    @property
    def wording(self) -> PostWording:
        return POST_WORDING[self.kind or PostKind.POLICE]

    @property
    def site_label(self) -> str:
        """« commissariat », « brigade de gendarmerie », « commissariat et gendarmerie »."""
        return self.wording.site

    def holder_on(self, day):
        return next(
            (h for h in self.holders.all() if h.start <= day and (h.end is None or h.end >= day)),
            None,
        )


class PostSite(models.Model):
    """One place where the post works: a commissariat, a brigade…, under one force and
    that force's functional authority (the DDSP, the groupement de gendarmerie)."""

    post = models.ForeignKey(
        Post, on_delete=models.CASCADE, related_name="sites", verbose_name="poste"
    )
    kind = models.CharField(
        "type de site", max_length=30, choices=SiteKind.choices, default=SiteKind.COMMISSARIAT
    )
    name = models.CharField(
        "nom du site",
        max_length=200,
        help_text="Par exemple « Commissariat de Niort » ou « Brigade de Mauzé-sur-le-Mignon ».",
        validators=[single_line],
    )
    address = models.CharField("adresse", max_length=250, blank=True, validators=[single_line])
    force = models.CharField("force", max_length=20, choices=Force.choices, default=Force.POLICE)
    functional_authority = models.ForeignKey(
        "partners.Organisation",
        on_delete=models.PROTECT,
        related_name="supervised_sites",
        verbose_name="autorité fonctionnelle",
        help_text="La DDSP pour un site de police, le groupement de gendarmerie pour un site "
        "de gendarmerie.",
    )
    order = models.PositiveSmallIntegerField("ordre", default=1)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "site du poste"
        verbose_name_plural = "sites du poste"
        ordering = ["post", "order", "pk"]

    def __str__(self):
        return self.name

    def clean(self):
        expected = SITE_KIND_FORCE.get(self.kind)
        if expected is not None and self.force and self.force != expected:
            raise ValidationError(
                {
                    "force": (
                        f"Un site de type « {SiteKind(self.kind).label} » relève de la "
                        f"{Force(expected).label.lower()} : choisissez cette force ou le type "
                        "« Autre »."
                    )
                }
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
