"""Council deliberations: the session, attendance, proxies, the vote, the decisions.

One piece: a deliberation and the rows of its register extract (attendance,
decisions, amounts decided) are read and validated together. The checks against
the Code général des collectivités territoriales live in
``conventions.deliberations.checks`` so that the form, the detail page, the PDF
and the exports all say the same thing.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator, URLValidator
from django.db import models
from django.db.models import Prefetch, Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from config.core.lists import words_match
from config.core.validators import single_line
from conventions.bodies import LABEL_HELP
from conventions.enums import AttendanceStatus, DeliberatingBody, DeliberationResult, PresidentVote
from conventions.models.council import (
    BodyWordingMixin,
    Council,
    CouncilMember,
    body_label_clean,
    body_label_constraint,
)
from conventions.models.publication import DeliberationPublication
from partners.models import with_article

# The ACTES nomenclature code, as the SCDL "Délibérations" schema expects it.
validate_matter_code = RegexValidator(
    r"^[0-9]\.[0-9]{1,2}$",
    "Le code matière ACTES s'écrit comme « 7.5 » (un chiffre, un point, 1 ou 2 chiffres).",
)


validate_publication_url = URLValidator(
    schemes=["https", "http"],
    message="Saisissez l'adresse complète de la page, commençant par « https:// ».",
)


class DeliberationQuerySet(models.QuerySet):
    def for_list(self, conventions):
        """``conventions``: the conventions the reader may see (their links only)."""
        return self.select_related("organisation").prefetch_related(
            Prefetch("conventions", queryset=conventions.order_by("reference"))
        )

    def for_detail(self, conventions):
        return self.select_related(
            "organisation", "council", "president", "rapporteur", "signatory__delegated_by"
        ).prefetch_related(
            "council__members",
            "secretaries",
            Prefetch(
                "attendances",
                queryset=Attendance.objects.select_related("member", "proxy_holder"),
            ),
            "decisions",
            Prefetch("amounts", queryset=DecidedAmount.objects.select_related("organisation")),
            # With their funding, to compare the amounts decided with the contributions.
            Prefetch("conventions", queryset=conventions.order_by("reference").with_funding()),
            # Current and withdrawn, newest first, without the PDFs they keep.
            Prefetch(
                "publications",
                queryset=DeliberationPublication.objects.defer("pdf")
                .select_related("published_by", "withdrawn_by")
                .order_by("-published_at"),
            ),
        )

    def for_register(self, conventions):
        """What the printed extract of the register reads (``render_deliberation_pdf``);
        ``conventions``: those the reader may see, named by a deliberation only cited."""
        return self.select_related(
            "organisation", "president", "rapporteur", "signatory__delegated_by"
        ).prefetch_related(
            "secretaries",
            Prefetch(
                "attendances",
                queryset=Attendance.objects.select_related("member", "proxy_holder"),
            ),
            "decisions",
            Prefetch("conventions", queryset=conventions.order_by("reference")),
        )

    def search(self, text):
        """Each word found in the number, object, assembly, organisation, or the names of
        the president and the rapporteur: « niort bely » finds Mme Bely's report to Niort."""
        condition = words_match(
            text,
            "number",
            "object",
            "body_label",
            "council__body_label",
            "organisation__name",
            "organisation__short_name",
            "president__first_name",
            "president__last_name",
            "rapporteur__first_name",
            "rapporteur__last_name",
        )
        return self if condition is None else self.filter(condition)

    def transmitted(self, value: bool):
        return self.filter(transmitted_on__isnull=not value)


class Deliberation(BodyWordingMixin, models.Model):
    organisation = models.ForeignKey(
        "partners.Organisation",
        on_delete=models.PROTECT,
        related_name="deliberations",
        verbose_name="organisation délibérante",
    )
    body = models.CharField("assemblée", max_length=30, choices=DeliberatingBody.choices)
    body_label = models.CharField(
        "nom de l'assemblée",
        max_length=100,
        blank=True,
        help_text="Seulement pour une assemblée « Autre ». " + LABEL_HELP,
        validators=[single_line],
    )
    council = models.ForeignKey(
        Council,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="deliberations",
        verbose_name="conseil (mandat)",
        help_text="Sa liste de membres sert à la feuille de présence.",
    )
    is_reference_only = models.BooleanField(
        "seulement citée",
        default=False,
        help_text="Délibération citée par une convention, dont seuls le numéro, la date et "
        "l'assemblée sont connus.",
    )
    number = models.CharField(
        "numéro", max_length=40, help_text="Par exemple « D-2021-313 ».", validators=[single_line]
    )
    session_date = models.DateField("date de la séance")
    convocation_date = models.DateField("date de la convocation", null=True, blank=True)
    object = models.TextField("objet", blank=True)
    matter_code = models.CharField(
        "code matière ACTES",
        max_length=5,
        blank=True,
        validators=[single_line, validate_matter_code],
        help_text="Nomenclature ACTES, par exemple « 7.5 » (subventions).",
    )
    matter_name = models.CharField(
        "matière ACTES",
        max_length=100,
        blank=True,
        help_text="Par exemple « Subventions ».",
        validators=[single_line],
    )
    budget_name = models.CharField(
        "budget concerné",
        max_length=150,
        blank=True,
        validators=[single_line],
        help_text="Le budget sur lequel la décision s'impute, par exemple « Budget principal ». "
        "Publié en open data avec les années budgétaires.",
    )
    service = models.CharField(
        "service",
        max_length=200,
        blank=True,
        help_text="Par exemple « Direction de Projet de Politique de la Ville ».",
        validators=[single_line],
    )

    president = models.ForeignKey(
        CouncilMember,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="président de séance",
    )
    secretaries = models.ManyToManyField(
        CouncilMember, blank=True, related_name="+", verbose_name="secrétaire(s) de séance"
    )
    rapporteur = models.ForeignKey(
        CouncilMember,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="rapporteur",
    )
    rapporteur_capacity = models.CharField(
        "qualité du rapporteur",
        max_length=150,
        blank=True,
        help_text="Telle qu'écrite, par exemple « Adjointe au Maire ».",
        validators=[single_line],
    )
    report = models.TextField(
        "exposé",
        blank=True,
        help_text="Le texte du rapport. Une ligne commençant par « - » est un élément de liste.",
    )

    second_convocation = models.BooleanField(
        "séance sur nouvelle convocation",
        default=False,
        help_text="Après une séance sans quorum, le conseil délibère sans condition de quorum "
        "(article L2121-17 du CGCT).",
    )
    secret_ballot = models.BooleanField("scrutin secret", default=False)
    votes_for = models.PositiveSmallIntegerField("pour", null=True, blank=True)
    votes_against = models.PositiveSmallIntegerField("contre", null=True, blank=True)
    abstentions = models.PositiveSmallIntegerField("abstention", null=True, blank=True)
    not_participating = models.PositiveSmallIntegerField(
        "ne prend pas part au vote", null=True, blank=True
    )
    blank_ballots = models.PositiveSmallIntegerField(
        "bulletins blancs",
        null=True,
        blank=True,
        help_text="Scrutin secret seulement. Ils comptent parmi les votants, pas parmi les "
        "suffrages exprimés.",
    )
    spoilt_ballots = models.PositiveSmallIntegerField(
        "bulletins nuls",
        null=True,
        blank=True,
        help_text="Scrutin secret seulement. Ils comptent parmi les votants, pas parmi les "
        "suffrages exprimés.",
    )
    president_vote = models.CharField(
        "vote du président",
        max_length=10,
        choices=PresidentVote.choices,
        blank=True,
        help_text="Nécessaire en cas de partage égal des voix : celle du président est "
        "prépondérante.",
    )
    result = models.CharField(
        "résultat", max_length=10, choices=DeliberationResult.choices, blank=True
    )

    signer_for = models.CharField(
        "signature : pour le compte de",
        max_length=150,
        blank=True,
        help_text="Par exemple « Pour le Maire de Niort, ».",
        validators=[single_line],
    )
    signer_for_name = models.CharField(
        "signature : nom de l'autorité",
        max_length=150,
        blank=True,
        help_text="« Jérôme BALOGE ».",
        validators=[single_line],
    )
    signer_capacity = models.CharField(
        "signature : qualité du signataire",
        max_length=150,
        blank=True,
        help_text="« L'Adjointe déléguée ».",
        validators=[single_line],
    )
    signed_mention = models.CharField(
        "signature : mention",
        max_length=40,
        blank=True,
        help_text="« Signé ».",
        validators=[single_line],
    )
    signer_name = models.CharField(
        "signature : nom du signataire",
        max_length=150,
        blank=True,
        help_text="« Valérie BELY-VOLLAND ».",
        validators=[single_line],
    )

    signatory = models.ForeignKey(
        "partners.Representative",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="signed_deliberations",
        verbose_name="signataire (représentant enregistré)",
        help_text="Au lieu des champs « signature » ci-dessus : le représentant de "
        "l'organisation qui signe l'extrait. Son intérim et sa délégation sont alors écrits "
        "(« Pour le Maire et par délégation, l'Adjointe déléguée »).",
    )

    # L2121-23 since the ordonnance n° 2021-1310 (1 July 2022).
    president_signed = models.BooleanField(
        "signée par le président de séance",
        default=False,
        help_text="Depuis le 1er juillet 2022, la délibération est signée par le maire (le "
        "président de séance) et le ou les secrétaires de séance (article L2121-23 du CGCT).",
    )
    secretaries_signed = models.BooleanField(
        "signée par le ou les secrétaires de séance", default=False
    )

    transmission_required = models.BooleanField(
        "transmission en préfecture obligatoire",
        default=True,
        help_text="Les délibérations du conseil municipal sont transmises au contrôle de "
        "légalité (article L2131-2 du CGCT) : elles ne sont exécutoires qu'une fois transmises.",
    )
    transmitted_on = models.DateField("transmise en préfecture le", null=True, blank=True)
    actes_id = models.CharField(
        "identifiant @ctes",
        max_length=100,
        blank=True,
        help_text="Identifiant de l'accusé de réception du contrôle de légalité.",
        validators=[single_line],
    )
    published_on = models.DateField(
        "publiée le",
        null=True,
        blank=True,
        help_text="Depuis le 1er juillet 2022, sous forme électronique (article L2131-1 du CGCT).",
    )
    # A CharField with the URL check: Django's URLField would guess a scheme for an
    # address typed without one; the address of a publication is written whole.
    publication_url = models.CharField(
        "adresse de publication",
        max_length=500,
        blank=True,
        validators=[single_line, validate_publication_url],
        help_text="Facultatif : la page du site de la collectivité où l'acte est publié.",
    )

    conventions = models.ManyToManyField(
        "conventions.Convention",
        blank=True,
        related_name="deliberations",
        verbose_name="conventions approuvées ou citées",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Raised by each save of the deliberation or of its attendance sheet: an edit
    # prepared on an older version is refused (config.core.concurrency).
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = DeliberationQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        verbose_name = "délibération"
        ordering = ["-session_date", "number"]
        constraints = [
            body_label_constraint("%(app_label)s_%(class)s_body_label_only_for_other"),
            models.UniqueConstraint(
                fields=["organisation", "number"],
                name="%(app_label)s_%(class)s_unique_number",
                violation_error_message="Cette organisation a déjà une délibération portant ce "
                "numéro.",
            ),
            models.CheckConstraint(
                condition=Q(is_reference_only=True) | Q(council__isnull=False),
                name="%(app_label)s_%(class)s_council_unless_reference",
                violation_error_message="Choisissez le conseil qui a délibéré (facultatif "
                "seulement pour une délibération citée).",
            ),
            models.CheckConstraint(
                condition=Q(convocation_date__isnull=True)
                | Q(convocation_date__lte=models.F("session_date")),
                name="%(app_label)s_%(class)s_convocation_before_session",
                violation_error_message="La convocation ne peut pas suivre la séance.",
            ),
            models.CheckConstraint(
                condition=Q(transmitted_on__isnull=True)
                | Q(transmitted_on__gte=models.F("session_date")),
                name="%(app_label)s_%(class)s_transmitted_after_session",
                violation_error_message="La transmission en préfecture ne peut pas précéder "
                "la séance.",
            ),
            models.CheckConstraint(
                condition=Q(published_on__isnull=True)
                | Q(published_on__gte=models.F("session_date")),
                name="%(app_label)s_%(class)s_published_after_session",
                violation_error_message="La publication ne peut pas précéder la séance.",
            ),
            models.CheckConstraint(
                condition=Q(secret_ballot=True)
                | (
                    (Q(blank_ballots__isnull=True) | Q(blank_ballots=0))
                    & (Q(spoilt_ballots__isnull=True) | Q(spoilt_ballots=0))
                ),
                name="%(app_label)s_%(class)s_blank_ballots_only_secret",
                violation_error_message="Les bulletins blancs et nuls n'existent qu'au scrutin "
                "secret : en vote public, chaque membre vote pour, contre ou s'abstient.",
            ),
        ]

    def __str__(self):
        return f"Délibération n° {self.number} du {self.session_date:%d/%m/%Y}"

    def get_absolute_url(self):
        return reverse("conventions:deliberation_detail", args=[self.pk])

    def clean(self):
        errors = {}
        if self.council_id:
            council = self.council
            # A full deliberation takes its organisation and body from its council.
            self.organisation = council.organisation
            self.body = council.body
            self.body_label = council.body_label
            if self.session_date and not council.covers(self.session_date):
                errors["session_date"] = (
                    f"La séance ne tombe pas dans le mandat de ce conseil ({council.term_label})."
                )
            for field in ("president", "rapporteur"):
                member = getattr(self, field)
                if member is not None and member.council_id != council.pk:
                    errors[field] = "Cette personne n'est pas membre de ce conseil."
        if (
            self.signatory_id is not None
            and self.organisation_id is not None
            and self.signatory.organisation_id != self.organisation_id
        ):
            errors["signatory"] = (
                "Choisissez un représentant de l'organisation qui délibère : c'est elle qui "
                "signe l'extrait de son registre."
            )
        try:
            body_label_clean(self)
        except ValidationError as error:
            errors.update(error.message_dict)
        if (
            self.convocation_date
            and self.session_date
            and self.convocation_date > self.session_date
        ):
            # Also a constraint; said here next to the field.
            errors["convocation_date"] = "La convocation ne peut pas suivre la séance."
        if not self.secret_ballot:
            for field in ("blank_ballots", "spoilt_ballots"):
                if getattr(self, field):
                    # Also a constraint; said here next to the field.
                    errors[field] = (
                        "Seul un scrutin secret a des bulletins blancs ou nuls : cochez « scrutin "
                        "secret » ou laissez ce nombre vide."
                    )
        if errors:
            raise ValidationError(errors)

    # The register, from the prefetched attendance -------------------------------

    def _attendances(self, status):
        return sorted(
            (a for a in self.attendances.all() if a.status == status),
            key=lambda a: (a.member.order, a.member.last_name, a.member.first_name),
        )

    @property
    def present_members(self) -> list[CouncilMember]:
        return [a.member for a in self._attendances(AttendanceStatus.PRESENT)]

    @property
    def proxies(self) -> list["Attendance"]:
        return self._attendances(AttendanceStatus.REPRESENTED)

    @property
    def excused_members(self) -> list[CouncilMember]:
        return [a.member for a in self._attendances(AttendanceStatus.EXCUSED)]

    @property
    def absent_members(self) -> list[CouncilMember]:
        return [a.member for a in self._attendances(AttendanceStatus.ABSENT)]

    @property
    def members_in_office(self) -> list[CouncilMember]:
        if self.council is None:
            return []
        return self.council.members_in_office(self.session_date)

    @property
    def has_vote(self) -> bool:
        return self.votes_for is not None

    @property
    def enforceable_on(self):
        """The day the act became enforceable (L2131-1): once published and, when
        required, transmitted to the préfecture, the later of both. None until then,
        or when not known (a deliberation only cited)."""
        if self.is_reference_only or self.published_on is None:
            return None
        if not self.transmission_required:
            return self.published_on
        if self.transmitted_on is None:
            return None
        return max(self.published_on, self.transmitted_on)

    @property
    def result_wording(self) -> str:
        """ "LE CONSEIL ADOPTE", as the register prints the result."""
        if not self.result:
            return ""
        return self.wording.result(self.result == DeliberationResult.ADOPTED)

    @property
    def signatory_lines(self) -> list[str]:
        """The signature of a registered representative, when none was typed in the
        « signature » fields: "Pour le Maire et par délégation, l'Adjointe déléguée" or
        "Le Maire par intérim", the act of delegation, then the name."""
        signatory = self.signatory
        if signatory is None or self.signer_for or self.signer_name:
            return []
        capacity = signatory.signing_capacity
        if not capacity:
            own = with_article(signatory.title, signatory.civility)
            capacity = own[:1].upper() + own[1:]
        lines = [capacity]
        if signatory.delegation_reference:
            lines.append(f"({signatory.delegation_reference})")
        if signatory.full_name:
            lines.append(signatory.full_name)
        return lines

    @property
    def report_blocks(self) -> list["ReportBlock"]:
        """The exposé cut into paragraphs and lists, for the page and the PDF."""
        blocks: list[ReportBlock] = []
        for line in (raw.strip() for raw in self.report.splitlines()):
            if not line:
                continue
            if line.startswith("-"):
                item = line.lstrip("- ").strip()
                if blocks and blocks[-1].is_list:
                    blocks[-1].lines.append(item)
                else:
                    blocks.append(ReportBlock(is_list=True, lines=[item]))
            else:
                blocks.append(ReportBlock(is_list=False, lines=[line]))
        return blocks


@dataclass
class ReportBlock:
    is_list: bool
    lines: list[str]


class Attendance(models.Model):
    """One member's line on the attendance sheet of a session."""

    deliberation = models.ForeignKey(
        Deliberation, on_delete=models.CASCADE, related_name="attendances"
    )
    member = models.ForeignKey(
        CouncilMember, on_delete=models.PROTECT, related_name="attendances", verbose_name="membre"
    )
    status = models.CharField("présence", max_length=12, choices=AttendanceStatus.choices)
    proxy_holder = models.ForeignKey(
        CouncilMember,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="proxies_held",
        verbose_name="pouvoir donné à",
    )
    # L2121-20: a proxy is valid for three consecutive sessions at most, except illness.
    proxy_given_on = models.DateField(
        "pouvoir daté du",
        null=True,
        blank=True,
        help_text="La date écrite sur le pouvoir : il vaut trois séances consécutives au plus.",
    )
    proxy_for_illness = models.BooleanField(
        "pouvoir pour maladie dûment constatée",
        default=False,
        help_text="Il n'est alors pas limité à trois séances (article L2121-20 du CGCT).",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "présence"
        ordering = ["deliberation", "member__order", "member__last_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["deliberation", "member"],
                name="%(app_label)s_%(class)s_unique_member",
                violation_error_message="Ce membre figure déjà sur la feuille de présence.",
            ),
            # How many proxies one member may hold depends on the session date (two under
            # the health-emergency laws): checks.attendance says it, not a constraint.
            models.CheckConstraint(
                condition=Q(status=AttendanceStatus.REPRESENTED, proxy_holder__isnull=False)
                | (~Q(status=AttendanceStatus.REPRESENTED) & Q(proxy_holder__isnull=True)),
                name="%(app_label)s_%(class)s_holder_only_when_represented",
                violation_error_message="Un membre représenté a donné pouvoir à un autre "
                "membre ; les autres n'en donnent pas.",
            ),
            models.CheckConstraint(
                condition=Q(status=AttendanceStatus.REPRESENTED)
                | (Q(proxy_given_on__isnull=True) & Q(proxy_for_illness=False)),
                name="%(app_label)s_%(class)s_proxy_details_only_when_represented",
                violation_error_message="Seul un membre représenté a un pouvoir daté.",
            ),
            models.CheckConstraint(
                condition=~Q(proxy_holder=models.F("member")),
                name="%(app_label)s_%(class)s_not_own_proxy",
                violation_error_message="Un membre ne peut pas se donner pouvoir à lui-même.",
            ),
        ]

    def __str__(self):
        return f"{self.member} : {self.get_status_display()}"


class Decision(models.Model):
    """One of the ordered decisions ("approuver …", "autoriser … à la signer")."""

    deliberation = models.ForeignKey(
        Deliberation, on_delete=models.CASCADE, related_name="decisions"
    )
    order = models.PositiveSmallIntegerField("ordre", default=0)
    text = models.TextField("décision", help_text="Par exemple « approuver la convention … ; ».")

    history = HistoricalRecords()

    class Meta:
        verbose_name = "décision"
        ordering = ["deliberation", "order", "pk"]

    def __str__(self):
        return self.text[:80]


class DecidedAmount(models.Model):
    """An amount the deliberation decides or announces, to compare with the convention."""

    deliberation = models.ForeignKey(Deliberation, on_delete=models.CASCADE, related_name="amounts")
    organisation = models.ForeignKey(
        "partners.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="financeur",
        help_text="Laisser vide pour un montant global de tous les financeurs.",
    )
    year = models.PositiveSmallIntegerField(
        "année budgétaire",
        null=True,
        blank=True,
        validators=[MinValueValidator(1990)],
        help_text="Laisser vide pour un montant annuel, valable chaque année de la convention.",
    )
    amount = models.DecimalField("montant (€)", max_digits=12, decimal_places=2)
    label = models.CharField(
        "libellé",
        max_length=200,
        blank=True,
        help_text="Tel qu'écrit, par exemple « financement partenarial annuel ».",
        validators=[single_line],
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "montant décidé"
        verbose_name_plural = "montants décidés"
        ordering = ["deliberation", "year", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0),
                name="%(app_label)s_%(class)s_amount_positive",
                violation_error_message="Le montant doit être positif.",
            ),
        ]

    def __str__(self):
        return f"{self.label or self.organisation or 'Montant'} : {self.amount} €"

    @property
    def funder_label(self) -> str:
        if self.organisation is None:
            return "Tous les financeurs"
        return self.organisation.short_name or self.organisation.name
