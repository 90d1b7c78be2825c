import calendar
import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator
from django.db import models
from django.db.models import Case, Exists, F, Max, OuterRef, Q, Subquery, When
from django.urls import reverse
from simple_history.models import HistoricalRecords

from config.core.dates import add_months, add_years
from conventions.enums import (
    ArticleChangeAction,
    ConventionKind,
    ConventionStatus,
    DeliberationResult,
    ReferenceKind,
    RenewalMode,
    ReportKind,
    ReportPeriod,
    Side,
    StartRule,
    TermGovernedBy,
)
from conventions.models.cancellation import reason_constraint
from conventions.models.funding import funding_prefetches


@dataclass(frozen=True)
class Period:
    number: int  # 1 for the initial period, 2 after the first renewal, ...
    start: datetime.date
    end: datetime.date


class ConventionQuerySet(models.QuerySet):
    def for_list(self):
        # status() looks at the renewing conventions' signatures once a period has ended.
        return self.select_related("post").prefetch_related(
            "parties__organisation",
            "renewals",
            "reporting_rules",
            "renewed_by__parties",
            "deliberations",
        )

    def for_detail(self):
        return self.select_related(
            "post__employer",
            "post__functional_authority",
            "relay_organisation",
            "renews",
            "cancelled_by",
        ).prefetch_related(
            "parties__organisation",
            "parties__representative",
            "associated_partners__organisation",
            "references",
            "articles",
            "annexes",
            "amendments__changes",
            "renewals",
            "reporting_rules",
            "committee_members__organisation",
            "post__holders",
            "renewed_by__parties",
            "deliberations",
        )

    def search(self, text):
        if not text:
            return self
        return self.filter(
            Q(reference__icontains=text)
            | Q(title__icontains=text)
            | Q(parties__organisation__name__icontains=text)
            | Q(post__host_site__icontains=text)
        ).distinct()

    def agreements(self):
        """Real conventions, not the model conventions that drafts start from."""
        return self.filter(is_template=False)

    def with_funding(self):
        """Everything ``funding_plan`` reads, in six queries in all: conventions and
        posts, parties and organisations, renewals, contributions and organisations,
        payments and payers, post costs."""
        return self.select_related("post").prefetch_related(
            models.Prefetch("parties", queryset=Party.objects.select_related("organisation")),
            "renewals",
            *funding_prefetches(),
        )

    def not_cancelled(self):
        return self.filter(cancelled_at__isnull=True)

    # Narrowing in SQL what the dates derived in Python decide --------------------------
    #
    # A period ends on the written end date, on a recorded renewal's end, or a duration
    # after the effective date (the stated date, else the last signature). SQL cannot add
    # a column's years to a date portably, so for each duration in use it searches the
    # effective dates that would end in the window. Tacit renewals roll on by themselves:
    # those conventions are always kept. Each method keeps a superset; Python decides.

    def with_term_start(self):
        """Annotate ``term_start``: the stated start date, else the last signature."""
        last_signature = (
            Party.objects.filter(convention=OuterRef("pk"), signs=True)
            .order_by()
            .values("convention")
            .annotate(last=Max("signed_on"))
            .values("last")
        )
        return self.annotate(
            term_start=Case(
                When(start_rule=StartRule.STATED_DATE, then=F("stated_start_date")),
                default=Subquery(last_signature),
            )
        )

    def _period_ends_between(self, first: datetime.date, last: datetime.date | None) -> Q:
        """Some period may end between ``first`` and ``last`` (None: any time after)."""

        def window(field, low, high):
            if high is None:
                return Q(**{f"{field}__gte": low})
            return Q(**{f"{field}__range": (low, high)})

        renewals = Renewal.objects.filter(window("end", first, last)).values("convention")
        condition = (
            window("end_date", first, last) | Q(pk__in=renewals) | Q(renewal_mode=RenewalMode.TACIT)
        )
        durations = (
            Convention.objects.filter(duration_years__isnull=False)
            .order_by()
            .values_list("duration_years", flat=True)
            .distinct()
        )
        margin = datetime.timedelta(days=2)  # 29 February moves a year's end by a day
        for years in durations:
            high = None if last is None else add_years(last, -years) + margin
            condition |= Q(duration_years=years) & window(
                "term_start", add_years(first, -years) - margin, high
            )
        return condition

    def with_one_written_period(self):
        """Those whose only period runs from the effective date to the written end date
        (no renewal, recorded or tacit, and the end date governs): SQL alone knows it."""
        return self.filter(end_date__isnull=False).filter(
            Q(term_governed_by=TermGovernedBy.END_DATE) | Q(duration_years__isnull=True),
            ~Q(renewal_mode=RenewalMode.TACIT),
            ~Q(pk__in=Renewal.objects.values("convention")),
        )

    def may_end_between(self, first: datetime.date, last: datetime.date):
        """Conventions whose current period may end between ``first`` and ``last``
        (``current_end_date`` decides)."""
        return self.with_term_start().filter(self._period_ends_between(first, last))

    def may_be_in_force_during(self, first: datetime.date, last: datetime.date):
        """Conventions with a period that may overlap ``first``–``last``: begun by ``last``,
        not ended before ``first`` (``periods`` decide)."""
        return (
            self.with_term_start()
            .filter(term_start__lte=last)
            .filter(self._period_ends_between(first, None))
        )

    def may_have_events_between(self, first: datetime.date, last: datetime.date):
        """Conventions that may have a dated event (an end, a notice, a report) between
        ``first`` and ``last`` (``convention_deadlines`` decides): begun by ``last``, and
        not ended nor terminated before the year before ``first`` (a year's reports fall
        due the next year)."""
        since = datetime.date(first.year - 1, 1, 1)
        return (
            self.with_term_start()
            .filter(term_start__lte=last)
            .filter(self._period_ends_between(since, None) | Q(terminated_on__gte=since))
        )

    def may_govern_between(self, first: datetime.date, last: datetime.date):
        """Conventions ``activity.schedule.governing_convention`` may pick for a day between
        ``first`` and ``last``: those that may be in force then, and each post's convention
        begun last before ``first`` (its pick when none is in force). Ten years of older
        conventions are left out in SQL."""
        stated = Q(start_rule=StartRule.STATED_DATE)
        has_periods = (stated & Q(stated_start_date__isnull=False)) | (
            ~stated & ~not_fully_signed()
        )
        has_end = Q(end_date__isnull=False) | Q(duration_years__isnull=False)
        begun_last_before = (
            Convention.objects.filter(post=OuterRef("post"), is_template=False)
            .with_term_start()
            .filter(has_periods, has_end, term_start__lt=first)
            .order_by("-term_start", "-pk")
            .values("pk")[:1]
        )
        in_window = self.may_be_in_force_during(first, last).values("pk")
        return self.filter(Q(pk__in=in_window) | Q(pk=Subquery(begun_last_before)))

    def may_begin_after(self, day: datetime.date):
        """Conventions whose effective date may come after ``day`` (signed, not begun)."""
        return self.with_term_start().filter(term_start__gt=day)


def not_fully_signed():
    """A convention (the query's ``pk``) with no signing party, or one yet to sign: the
    SQL twin of ``Convention.is_fully_signed``."""
    party = Party.objects.filter(convention=OuterRef("pk"), signs=True)
    return Exists(party.filter(signed_on__isnull=True)) | ~Exists(party)


def signed_scan_path(instance, filename):
    return f"conventions/{instance.pk}/signee.pdf"


MAX_SCAN_BYTES = 10 * 1024 * 1024


def validate_signed_scan(scan) -> None:
    """A PDF (read from its first bytes: the name and the browser's type can lie) of at
    most 10 MB. On the model field, so that the page and the admin check the same."""
    if scan.size > MAX_SCAN_BYTES:
        size = f"{scan.size / 1024 / 1024:.1f}".replace(".", ",")
        raise ValidationError(
            f"Le fichier pèse {size} Mo : la limite est de 10 Mo. "
            "Numérisez la convention en résolution plus basse.",
            code="too_large",
        )
    position = scan.tell() if hasattr(scan, "tell") else 0
    scan.seek(0)
    head = scan.read(5)
    scan.seek(position)
    if head != b"%PDF-":
        raise ValidationError(
            "Ce fichier n'est pas un PDF. Déposez la convention signée au format PDF.",
            code="not_pdf",
        )


class Convention(models.Model):
    reference = models.SlugField(
        "référence",
        max_length=60,
        unique=True,
        help_text="Identifiant court, par exemple « niort-2021 ».",
    )
    title = models.CharField("titre", max_length=250)
    subtitle = models.CharField("sous-titre", max_length=300, blank=True)
    kind = models.CharField(
        "type", max_length=20, choices=ConventionKind.choices, default=ConventionKind.COMMISSARIAT
    )
    is_template = models.BooleanField(
        "modèle de convention",
        default=False,
        help_text="Un modèle sert de point de départ à de nouvelles conventions.",
    )
    post = models.ForeignKey(
        "conventions.Post",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="conventions",
        verbose_name="poste d'ISC",
    )
    renews = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="renewed_by",
        verbose_name="renouvelle la convention",
    )
    place_of_signature = models.CharField("lieu de signature", max_length=100, blank=True)
    preamble = models.TextField("préambule", blank=True)
    agreement_heading = models.CharField(
        "formule d'accord", max_length=100, blank=True, default="IL A ÉTÉ CONVENU CE QUI SUIT"
    )

    start_rule = models.CharField(
        "prise d'effet",
        max_length=20,
        choices=StartRule.choices,
        default=StartRule.LAST_SIGNATURE,
    )
    stated_start_date = models.DateField("date de prise d'effet indiquée", null=True, blank=True)
    end_date = models.DateField("date de fin écrite", null=True, blank=True)
    duration_years = models.PositiveSmallIntegerField("durée (années)", null=True, blank=True)
    term_governed_by = models.CharField(
        "en cas de désaccord, fait foi",
        max_length=20,
        choices=TermGovernedBy.choices,
        default=TermGovernedBy.END_DATE,
    )
    renewal_mode = models.CharField(
        "reconduction",
        max_length=20,
        choices=RenewalMode.choices,
        default=RenewalMode.CONCERTATION,
    )
    renewal_period_years = models.PositiveSmallIntegerField(
        "durée d'une reconduction (années)", null=True, blank=True
    )
    notice_months = models.PositiveSmallIntegerField("préavis de dénonciation (mois)", default=3)
    notice_form = models.CharField(
        "forme de la dénonciation",
        max_length=200,
        blank=True,
        default="lettre recommandée avec accusé de réception",
    )
    suspensive_clause = models.BooleanField(
        "le non-versement des crédits est une clause suspensive", default=True
    )
    terminated_on = models.DateField("date de fin par dénonciation", null=True, blank=True)
    terminated_by = models.ForeignKey(
        "partners.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="dénoncée par",
    )
    termination_letter_date = models.DateField(
        "date de la lettre de dénonciation", null=True, blank=True
    )

    first_contact_hours = models.PositiveSmallIntegerField(
        "délai de premier contact (heures)", null=True, blank=True
    )
    relay_organisation = models.ForeignKey(
        "partners.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="relais pendant les absences",
    )
    relay_details = models.CharField("modalités du relais", max_length=300, blank=True)

    signed_scan = models.FileField(
        "convention signée (PDF)",
        upload_to=signed_scan_path,
        blank=True,
        validators=[FileExtensionValidator(["pdf"]), validate_signed_scan],
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Set by convention_cancel() only: a signed convention is never deleted.
    cancelled_at = models.DateTimeField("annulée le", null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="annulée par",
    )
    cancellation_reason = models.TextField("motif de l'annulation", blank=True)

    objects = ConventionQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        verbose_name = "convention"
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(renewal_period_years__isnull=False)
                | ~Q(renewal_mode__in=["successive", "tacit"]),
                name="%(app_label)s_%(class)s_renewal_period_when_successive",
                violation_error_message=(
                    "Indiquez la durée d'une reconduction pour une reconduction par périodes "
                    "successives ou tacite."
                ),
            ),
            models.CheckConstraint(
                condition=Q(stated_start_date__isnull=False) | ~Q(start_rule="date"),
                name="%(app_label)s_%(class)s_stated_start_when_rule_is_date",
                violation_error_message="Indiquez la date de prise d'effet.",
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(stated_start_date__isnull=True)
                | Q(end_date__gt=models.F("stated_start_date")),
                name="%(app_label)s_%(class)s_start_before_end",
                violation_error_message="La date de fin doit être postérieure à la date de début.",
            ),
            models.CheckConstraint(
                condition=Q(duration_years__isnull=True) | Q(duration_years__gte=1),
                name="%(app_label)s_%(class)s_duration_positive",
                violation_error_message="La durée est d'au moins un an.",
            ),
            reason_constraint(),
        ]

    def __str__(self):
        return f"{self.title} ({self.reference})"

    def get_absolute_url(self):
        return reverse("conventions:detail", args=[self.reference])

    def clean(self):
        errors = {}
        if self.start_rule == StartRule.STATED_DATE and not self.stated_start_date:
            errors["stated_start_date"] = "Indiquez la date de prise d'effet."
        if self.end_date and self.stated_start_date and self.end_date <= self.stated_start_date:
            errors["end_date"] = "La date de fin doit être postérieure à la date de début."
        if self.renewal_mode in (RenewalMode.SUCCESSIVE_PERIODS, RenewalMode.TACIT) and not (
            self.renewal_period_years
        ):
            errors["renewal_period_years"] = (
                "Indiquez la durée d'une reconduction (par exemple 3 ans)."
            )
        if not self.end_date and not self.duration_years and not self.is_template:
            errors["duration_years"] = "Indiquez une durée ou une date de fin."
        if errors:
            raise ValidationError(errors)

    # Dates ------------------------------------------------------------------

    @property
    def signing_parties(self):
        return [p for p in self.parties.all() if p.signs]

    @property
    def last_signature_date(self):
        dates = [p.signed_on for p in self.signing_parties]
        if not dates or None in dates:
            return None
        return max(dates)

    @property
    def is_fully_signed(self) -> bool:
        return self.last_signature_date is not None

    @property
    def effective_date(self):
        """The start of the first period: the stated date, or the last signature."""
        if self.start_rule == StartRule.STATED_DATE:
            return self.stated_start_date
        return self.last_signature_date

    @property
    def end_by_duration(self):
        start = self.effective_date
        if start is None or not self.duration_years:
            return None
        return add_years(start, self.duration_years) - datetime.timedelta(days=1)

    @property
    def initial_end_date(self):
        by_duration = self.end_by_duration
        if self.end_date and by_duration:
            if self.term_governed_by == TermGovernedBy.DURATION:
                return by_duration
            return self.end_date
        return self.end_date or by_duration

    @property
    def term_disagreement(self) -> str:
        """A French warning when the written end date and the duration disagree."""
        by_duration = self.end_by_duration
        if not (self.end_date and by_duration) or self.end_date == by_duration:
            return ""
        governing = (
            "la durée"
            if self.term_governed_by == TermGovernedBy.DURATION
            else "la date de fin écrite"
        )
        return (
            f"La durée écrite ({self.duration_years} ans à compter du "
            f"{self.effective_date:%d/%m/%Y}, soit jusqu'au {by_duration:%d/%m/%Y}) ne "
            f"correspond pas à la date de fin écrite ({self.end_date:%d/%m/%Y}). "
            f"C'est {governing} qui est retenue pour les échéances."
        )

    def periods(self, until=None) -> list[Period]:
        """The initial period then each renewal, in order.

        Tacit renewals roll on by themselves up to ``until``; other renewals
        exist only once recorded.
        """
        start, end = self.effective_date, self.initial_end_date
        if start is None or end is None:
            return []
        periods = [Period(1, start, end)]
        for renewal in sorted(self.renewals.all(), key=lambda r: r.number):
            periods.append(Period(len(periods) + 1, renewal.start, renewal.end))
        if self.renewal_mode == RenewalMode.TACIT and until is not None:
            while periods[-1].end < until and len(periods) < 100:
                last = periods[-1]
                new_start = last.end + datetime.timedelta(days=1)
                new_end = add_years(new_start, self.renewal_period_years) - datetime.timedelta(
                    days=1
                )
                periods.append(Period(last.number + 1, new_start, new_end))
        return periods

    def current_period(self, on) -> Period | None:
        """The period in force on ``on``, else the last one that has begun, else the first."""
        periods = self.periods(until=on)
        if not periods:
            return None
        started = [p for p in periods if p.start <= on]
        return started[-1] if started else periods[0]

    def current_end_date(self, on):
        period = self.current_period(on)
        return period.end if period else None

    def notice_deadline(self, on):
        """Last day to send a termination letter, for the period in force on ``on``."""
        end = self.current_end_date(on)
        if end is None:
            return None
        return add_months(end, -self.notice_months)

    def approval_date(self):
        """Session date of the last adopted deliberation linked to it.

        Reads ``deliberations`` as prefetched by ``for_list`` / ``for_detail``.
        """
        approvals = [
            d.session_date
            for d in self.deliberations.all()
            if d.result == DeliberationResult.ADOPTED
        ]
        return max(approvals) if approvals else None

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None

    def status(self, on) -> ConventionStatus:
        status = self.own_status(on)
        if status == ConventionStatus.EXPIRED and any(
            c.is_fully_signed for c in self.renewed_by.all()
        ):
            return ConventionStatus.RENEWED
        return status

    def own_status(self, on) -> ConventionStatus:
        """The status its own dates and signatures give: an ended period is EXPIRED here,
        whether or not another convention renews it (``status`` reads the renewing ones)."""
        if self.is_cancelled:
            return ConventionStatus.CANCELLED
        if self.terminated_on and self.terminated_on <= on:
            return ConventionStatus.TERMINATED
        if not self.is_fully_signed:
            if self.approval_date():
                return ConventionStatus.APPROVED
            return ConventionStatus.DRAFT
        start, end = self.effective_date, self.current_end_date(on)
        if start and on < start:
            return ConventionStatus.SIGNED
        if end and on > end:
            return ConventionStatus.EXPIRED
        return ConventionStatus.IN_FORCE

    # Text as amended ----------------------------------------------------------

    def articles_as_amended(self, up_to_amendment=None):
        """The articles after applying each amendment's changes in order."""
        articles = {a.number: (a.title, a.body, None) for a in self.articles.all()}
        for amendment in sorted(self.amendments.all(), key=lambda a: a.number):
            if up_to_amendment is not None and amendment.number > up_to_amendment:
                break
            for change in amendment.changes.all():
                if change.action == ArticleChangeAction.DELETE:
                    articles.pop(change.article_number, None)
                else:
                    articles[change.article_number] = (
                        change.new_title,
                        change.new_body,
                        amendment,
                    )
        return [
            AmendedArticle(number, title, body, amendment)
            for number, (title, body, amendment) in sorted(articles.items())
        ]


@dataclass(frozen=True)
class AmendedArticle:
    number: int
    title: str
    body: str
    amended_by: "Amendment | None"


class Party(models.Model):
    convention = models.ForeignKey(
        Convention, on_delete=models.CASCADE, related_name="parties", verbose_name="convention"
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
    )
    representation = models.CharField(
        "représentation",
        max_length=400,
        blank=True,
        help_text="Texte libre remplaçant « représentée par … », par exemple "
        "« représentée par sa Présidente ».",
    )
    mandate_note = models.CharField(
        "habilitation",
        max_length=300,
        blank=True,
        help_text="Par exemple « dûment habilité par délibération du conseil municipal du "
        "20 septembre 2021 ».",
    )
    domicile = models.CharField(
        "domicile élu",
        max_length=300,
        blank=True,
        help_text="Ce qui suit « ayant élu domicile », par exemple « à la Préfecture, "
        "4 rue Du Guesclin - 79099 NIORT Cedex 9 ».",
    )
    signatory_title = models.CharField(
        "qualité au bloc de signature",
        max_length=250,
        blank=True,
        help_text="Par exemple « Le Préfet des Deux-Sèvres, ».",
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
        if (
            self.representative_id
            and self.organisation_id
            and (self.representative.organisation_id != self.organisation_id)
        ):
            raise ValidationError(
                {"representative": "Ce représentant n'appartient pas à cette organisation."}
            )


class AssociatedPartner(models.Model):
    """A partner associated to the convention without signing it (the procureur)."""

    convention = models.ForeignKey(
        Convention, on_delete=models.CASCADE, related_name="associated_partners"
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


class LegalReference(models.Model):
    convention = models.ForeignKey(Convention, on_delete=models.CASCADE, related_name="references")
    kind = models.CharField("type", max_length=20, choices=ReferenceKind.choices)
    text = models.TextField("texte", help_text="Ce qui suit « Vu » ou « Considérant ».")
    order = models.PositiveSmallIntegerField("ordre", default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "visa"
        ordering = ["convention", "order", "pk"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.text}"


class Article(models.Model):
    convention = models.ForeignKey(Convention, on_delete=models.CASCADE, related_name="articles")
    number = models.PositiveSmallIntegerField("numéro")
    title = models.CharField("titre", max_length=250)
    body = models.TextField("texte")

    history = HistoricalRecords()

    class Meta:
        verbose_name = "article"
        ordering = ["convention", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["convention", "number"],
                name="%(app_label)s_%(class)s_unique_number",
                violation_error_message="Deux articles ne peuvent pas porter le même numéro.",
            ),
            models.CheckConstraint(
                condition=Q(number__gte=1),
                name="%(app_label)s_%(class)s_number_positive",
                violation_error_message="Les articles sont numérotés à partir de 1.",
            ),
        ]

    def __str__(self):
        return f"Article {self.number} : {self.title}"


class Annex(models.Model):
    convention = models.ForeignKey(Convention, on_delete=models.CASCADE, related_name="annexes")
    order = models.PositiveSmallIntegerField("ordre", default=0)
    title = models.CharField("titre", max_length=250)
    body = models.TextField("texte", blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "annexe"
        ordering = ["convention", "order", "pk"]

    def __str__(self):
        return self.title


class Amendment(models.Model):
    convention = models.ForeignKey(Convention, on_delete=models.PROTECT, related_name="amendments")
    number = models.PositiveSmallIntegerField("numéro")
    signed_on = models.DateField("date de signature", null=True, blank=True)
    object = models.TextField("objet")

    history = HistoricalRecords()

    class Meta:
        verbose_name = "avenant"
        ordering = ["convention", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["convention", "number"],
                name="%(app_label)s_%(class)s_unique_number",
                violation_error_message="Un avenant porte déjà ce numéro.",
            ),
        ]

    def __str__(self):
        return f"Avenant n° {self.number}"


class ArticleChange(models.Model):
    amendment = models.ForeignKey(Amendment, on_delete=models.CASCADE, related_name="changes")
    article_number = models.PositiveSmallIntegerField("article")
    action = models.CharField(
        "modification",
        max_length=10,
        choices=ArticleChangeAction.choices,
        default=ArticleChangeAction.REPLACE,
    )
    new_title = models.CharField("nouveau titre", max_length=250, blank=True)
    new_body = models.TextField("nouveau texte", blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "modification d'article"
        ordering = ["amendment", "article_number"]

    def __str__(self):
        return f"{self.get_action_display()} {self.article_number}"


class Renewal(models.Model):
    """A further period of the same convention, decided by the parties."""

    convention = models.ForeignKey(Convention, on_delete=models.CASCADE, related_name="renewals")
    number = models.PositiveSmallIntegerField("reconduction n°")
    start = models.DateField("début")
    end = models.DateField("fin")
    decided_on = models.DateField("décidée le", null=True, blank=True)
    note = models.CharField("observations", max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "reconduction"
        ordering = ["convention", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["convention", "number"],
                name="%(app_label)s_%(class)s_unique_number",
                violation_error_message="Une reconduction porte déjà ce numéro.",
            ),
            models.CheckConstraint(
                condition=Q(end__gt=models.F("start")),
                name="%(app_label)s_%(class)s_start_before_end",
                violation_error_message="La fin doit être postérieure au début.",
            ),
        ]

    def __str__(self):
        return f"Reconduction n° {self.number} ({self.start:%d/%m/%Y} – {self.end:%d/%m/%Y})"


class ReportingRule(models.Model):
    """What the convention asks to be reported, and by when (article 11 of Niort)."""

    convention = models.ForeignKey(
        Convention, on_delete=models.CASCADE, related_name="reporting_rules"
    )
    kind = models.CharField("type", max_length=20, choices=ReportKind.choices)
    period = models.CharField("période couverte", max_length=5, choices=ReportPeriod.choices)
    due_month = models.PositiveSmallIntegerField("mois d'échéance", null=True, blank=True)
    due_day = models.PositiveSmallIntegerField("jour d'échéance", null=True, blank=True)
    recipients = models.CharField("destinataires", max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "échéance de compte rendu"
        verbose_name_plural = "échéances de compte rendu"
        ordering = ["convention", "due_month", "due_day"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(due_month__isnull=True) & Q(due_day__isnull=True))
                | (Q(due_month__gte=1, due_month__lte=12) & Q(due_day__gte=1, due_day__lte=31)),
                name="%(app_label)s_%(class)s_valid_due_day",
                violation_error_message="Indiquez un jour (1 à 31) et un mois (1 à 12) valides.",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.get_period_display()})"

    def due_date(self, year: int):
        """Due date of the report covering ``period`` of ``year``.

        It is the first such day after the period ends: the annual bilan of
        2022 is due on 7 January 2023, the first quarter's on 15 April 2022.
        """
        if self.due_month is None:
            return None
        period_end_month = {"Q1": 3, "Q2": 6, "Q3": 9, "Q4": 12, "year": 12}[self.period]
        due_year = year if self.due_month > period_end_month else year + 1
        last_day = calendar.monthrange(due_year, self.due_month)[1]
        return datetime.date(due_year, self.due_month, min(self.due_day, last_day))


class CommitteeMember(models.Model):
    convention = models.ForeignKey(
        Convention, on_delete=models.CASCADE, related_name="committee_members"
    )
    organisation = models.ForeignKey(
        "partners.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="organisation",
    )
    member = models.CharField(
        "membre",
        max_length=250,
        help_text="Tel qu'écrit : « Monsieur le Préfet ou son représentant ».",
    )
    order = models.PositiveSmallIntegerField("ordre", default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "membre du comité de suivi"
        verbose_name_plural = "membres du comité de suivi"
        ordering = ["convention", "order", "pk"]

    def __str__(self):
        return self.member
