"""The convention: its parties' agreement on a post, its term, renewals and status.

One piece: the dates a convention derives (effective date, periods, end, status on a
given day) are methods of the model that read each other; the reads that pages
narrow in SQL are in ``conventions.models.convention_queries``.
"""

import datetime
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from config.core.dates import add_months, term_end
from config.core.uploads import check_pdf
from config.core.validators import single_line
from conventions.enums import (
    ArticleChangeAction,
    ConventionKind,
    ConventionStatus,
    DeliberationResult,
    PartyChangeAction,
    RenewalMode,
    StartRule,
    StatisticsValidation,
    TermGovernedBy,
    TerminationKind,
)
from conventions.models.cancellation import reason_constraint
from conventions.models.changes import Amendment, new_contribution_text
from conventions.models.convention_queries import ConventionQuerySet


@dataclass(frozen=True)
class Period:
    number: int  # 1 for the initial period, 2 after the first renewal, ...
    start: datetime.date
    end: datetime.date


@dataclass(frozen=True)
class Terms:
    """The renewal and notice clauses in force on a day, as amended."""

    renewal_mode: str
    renewal_period_years: int | None
    notice_months: int


def signed_scan_path(instance, filename):
    """A new name for every upload, never the one the user sent, never one already used.

    The timestamp sorts a convention's versions on disk; the random part keeps the name
    unguessable. The storage would add its own suffix rather than overwrite a file.
    """
    convention_id = getattr(instance, "convention_id", None) or instance.pk
    stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
    return f"conventions/{convention_id}/signee-{stamp}-{secrets.token_hex(8)}.pdf"


MAX_SCAN_BYTES = 10 * 1024 * 1024


def validate_signed_scan(scan) -> None:
    """A PDF (parsed: the name and the browser's type can lie) of at most 10 MB. On the
    model field, so that the page and the admin check the same."""
    check_pdf(
        scan,
        max_bytes=MAX_SCAN_BYTES,
        too_large="Le fichier pèse {size} Mo : la limite est de 10 Mo. "
        "Numérisez la convention en résolution plus basse.",
        not_pdf="Ce fichier n'est pas un PDF. Déposez la convention signée au format PDF.",
    )


class Convention(models.Model):
    reference = models.SlugField(
        "référence",
        max_length=60,
        unique=True,
        help_text="Identifiant court, par exemple « niort-2021 ».",
        validators=[single_line],
    )
    title = models.CharField("titre", max_length=250, validators=[single_line])
    subtitle = models.CharField("sous-titre", max_length=300, blank=True, validators=[single_line])
    kind = models.CharField(
        "type", max_length=20, choices=ConventionKind.choices, default=ConventionKind.COMMISSARIAT
    )
    is_template = models.BooleanField(
        "modèle de convention",
        default=False,
        help_text="Un modèle sert de point de départ à de nouvelles conventions.",
    )
    # The posts it covers, one section (annex) each: a simple convention has one.
    posts = models.ManyToManyField(
        "conventions.Post",
        through="conventions.ConventionPost",
        related_name="conventions",
        verbose_name="postes d'ISC",
        blank=True,
    )
    renews = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="renewed_by",
        verbose_name="renouvelle la convention",
    )
    place_of_signature = models.CharField(
        "lieu de signature", max_length=100, blank=True, validators=[single_line]
    )
    preamble = models.TextField("préambule", blank=True)
    agreement_heading = models.CharField(
        "formule d'accord",
        max_length=100,
        blank=True,
        default="IL A ÉTÉ CONVENU CE QUI SUIT",
        validators=[single_line],
    )
    # How the text writes its parties: « ENTRE » A « ET » B « D'une part, » « ET » C
    # « D'autre part. » Each convention keeps its own words; blank leaves one out.
    parties_opening = models.CharField(
        "formule d'ouverture des parties",
        max_length=40,
        blank=True,
        validators=[single_line],
        default="ENTRE",
        help_text="Écrite avant la première partie : « ENTRE », « Entre »…",
    )
    parties_member_link = models.CharField(
        "liaison entre les parties d'un même groupe",
        max_length=40,
        blank=True,
        validators=[single_line],
        default="ET",
        help_text="Écrite entre deux parties du même groupe ; laissée vide, rien ne les sépare.",
    )
    parties_group_link = models.CharField(
        "formule entre les groupes",
        max_length=40,
        blank=True,
        validators=[single_line],
        default="ET",
        help_text="Écrite entre le groupe « D'une part » et le groupe « D'autre part » : "
        "« ET », « Et »… ; laissée vide, rien ne les sépare.",
    )
    first_side_closing = models.CharField(
        "mention après le premier groupe",
        max_length=60,
        blank=True,
        validators=[single_line],
        default="D’une part,",
        help_text="Laissée vide, le groupe n'est suivi d'aucune mention.",
    )
    second_side_closing = models.CharField(
        "mention après le second groupe",
        max_length=60,
        blank=True,
        validators=[single_line],
        default="D’autre part.",
        help_text="Laissée vide, le groupe n'est suivi d'aucune mention.",
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
        validators=[single_line],
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
    termination_kind = models.CharField(
        "nature de la fin anticipée",
        max_length=20,
        choices=TerminationKind.choices,
        blank=True,
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
    relay_details = models.CharField(
        "modalités du relais", max_length=300, blank=True, validators=[single_line]
    )
    statistics_validation = models.CharField(
        "validation des statistiques",
        max_length=20,
        choices=StatisticsValidation.choices,
        default=StatisticsValidation.EACH_AUTHORITY,
        help_text="Pour un poste mixte : chaque autorité fonctionnelle (DDSP, groupement de "
        "gendarmerie) valide les trimestres, ou une seule, nommée ci-dessous.",
    )
    statistics_validator = models.ForeignKey(
        "partners.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="autorité qui valide les statistiques",
        help_text="Quand une seule autorité valide : l'autorité fonctionnelle d'un site du "
        "poste qui valide seule.",
    )

    # The current signed scan: the newest of ``scan_versions`` (SignedScanVersion), which
    # keep every file ever deposited. Set by convention_attach_scan() only.
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
    # The step-by-step entry (conventions/agreements/entry.py): the first step not yet
    # saved, ENTRY_SUMMARY_STEP once they all are; None when the entry is finished, or for
    # a convention made otherwise (a renewal, a copy, an import).
    entry_step = models.PositiveSmallIntegerField(
        "étape de saisie à reprendre", null=True, blank=True, editable=False
    )

    objects = ConventionQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        verbose_name = "convention"
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(entry_step__isnull=True) | Q(entry_step__range=(1, 7)),
                name="%(app_label)s_%(class)s_entry_step_in_range",
                violation_error_message="L'étape de saisie va de 1 à 7.",
            ),
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
            models.CheckConstraint(
                condition=~Q(statistics_validation=StatisticsValidation.NAMED_AUTHORITY)
                | Q(statistics_validator__isnull=False),
                name="%(app_label)s_%(class)s_named_validator_when_one_authority_validates",
                violation_error_message="Indiquez l'autorité qui valide seule les statistiques.",
            ),
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
        if error := self._statistics_validator_error():
            errors["statistics_validator"] = error
        if errors:
            raise ValidationError(errors)

    def _posts_for_validation(self) -> list:
        """The posts whose statistics this convention governs: the one place that reads
        how a convention names its posts."""
        chosen = getattr(self, "posts_being_saved", None)
        if chosen is not None:
            return list(chosen)
        return list(self.posts.all()) if self.pk else []

    def _statistics_validator_error(self) -> str:
        if self.statistics_validation != StatisticsValidation.NAMED_AUTHORITY:
            # A validator left from a former choice would be read as still naming one.
            self.statistics_validator = None
            return ""
        if self.statistics_validator_id is None:
            return (
                "Indiquez l'autorité qui valide seule les statistiques, ou choisissez que "
                "chaque autorité fonctionnelle du poste valide."
            )
        authorities = {
            site.functional_authority_id
            for post in self._posts_for_validation()
            for site in post.sites.all()
        }
        if self.statistics_validator_id not in authorities:
            return (
                f"{self.statistics_validator} n'est l'autorité fonctionnelle d'aucun site "
                "du poste de la convention : choisissez la DDSP ou le groupement de "
                "gendarmerie d'un de ses sites."
            )
        return ""

    # Dates ------------------------------------------------------------------

    def concerned_organisation_ids(self) -> set[int]:
        """The organisations told of what happens to the convention
        (``config.core.events``): its parties and its associated partners. Two queries."""
        ids = set(self.parties.values_list("organisation", flat=True))
        ids |= set(self.associated_partners.values_list("organisation", flat=True))
        return ids

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
        return term_end(start, self.duration_years)

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

    def amendments_in_force(self, on=None) -> list[Amendment]:
        """Signed amendments taken effect by ``on`` (every signed one when None), in the
        order they apply. Reads ``amendments`` as prefetched by the page's queryset."""
        return sorted(
            (a for a in self.amendments.all() if a.is_in_force(on)),
            key=lambda a: (a.takes_effect_on, a.number),
        )

    def party_changes_in_force(self, on) -> list:
        """The parties added or withdrawn by the amendments in force on ``on``, in the
        order they apply. Reads ``amendments__party_changes__organisation``."""
        return [
            change
            for amendment in self.amendments_in_force(on)
            for change in amendment.party_changes.all()
        ]

    def ordered_sections(self) -> list:
        """Its sections in annex order; reads ``sections__post`` (prefetch it)."""
        return sorted(self.sections.all(), key=lambda section: section.number)

    @property
    def single_post(self):
        """The post of a one-post convention, None when it covers none or several (never
        "the first" of several). Reads ``sections__post``."""
        sections = self.sections.all()
        return sections[0].post if len(sections) == 1 else None

    @property
    def post_names(self) -> str:
        """« Poste A, Poste B » in annex order, "" without post; reads ``sections__post``."""
        return ", ".join(str(section.post) for section in self.ordered_sections())

    @property
    def single_employer(self):
        """The employer of its posts when they share one, else None; reads
        ``sections__post__employer``."""
        employers = {
            section.post.employer_id: section.post.employer for section in self.sections.all()
        }
        return next(iter(employers.values())) if len(employers) == 1 else None

    def sections_in_force(self, on=None) -> list:
        """The sections counted on ``on`` (all but those added by an amendment not yet
        signed or in effect, or removed by one in effect); reads ``sections__post``,
        ``sections__added_by`` and ``sections__removed_by``."""
        return [section for section in self.ordered_sections() if section.is_in_force(on)]

    def posts_in_force(self, on=None) -> list:
        """The posts covered on ``on``, in annex order (see ``sections_in_force``)."""
        return [section.post for section in self.sections_in_force(on)]

    def parties_in_force(self, on) -> tuple[list, list]:
        """The parties on ``on``: the signed convention's (``Party``) less those withdrawn
        by then, and the ``PartyChange`` ADD of those added by then and still there. A
        withdrawn party stays in the history and in the amendments' summaries."""
        withdrawn, added = set(), {}
        for change in self.party_changes_in_force(on):
            if change.action == PartyChangeAction.REMOVE:
                withdrawn.add(change.organisation_id)
                added.pop(change.organisation_id, None)
            else:
                withdrawn.discard(change.organisation_id)
                added[change.organisation_id] = change
        parties = [p for p in self.parties.all() if p.organisation_id not in withdrawn]
        signed_ids = {p.organisation_id for p in parties}
        return parties, [c for c in added.values() if c.organisation_id not in signed_ids]

    def party_and_funding_texts(self) -> list[str]:
        """What the amendments change in the parties and the funders, each citing its
        amendment: « participation de X : 5 000 € par an à compter du 01/07/2025
        (avenant n° 2) », « Y se retire de la convention au 01/07/2025 (avenant n° 2) ».
        Reads ``amendments__new_contributions__organisation`` and
        ``amendments__party_changes__organisation``."""
        texts = []
        for amendment in sorted(self.amendments.all(), key=lambda a: a.number):
            texts += [change.text() for change in amendment.party_changes.all()]
            texts += [
                new_contribution_text(contribution, amendment)
                for contribution in amendment.new_contributions.all()
            ]
        return texts

    def terms_on(self, on=None) -> Terms:
        """The renewal and notice clauses as amended by the amendments in force on ``on``."""
        renewal_mode, period_years, notice_months = (
            self.renewal_mode,
            self.renewal_period_years,
            self.notice_months,
        )
        for amendment in self.amendments_in_force(on):
            renewal_mode = amendment.new_renewal_mode or renewal_mode
            period_years = amendment.new_renewal_period_years or period_years
            if amendment.new_notice_months is not None:
                notice_months = amendment.new_notice_months
        return Terms(renewal_mode, period_years, notice_months)

    def periods(self, until=None, as_of=None) -> list[Period]:
        """The initial period then each renewal, in order, as amended by the amendments
        in force on ``as_of`` (every signed one when None).

        A new duration recomputes the initial period's end; a new end date replaces the
        end of the period it falls into. Tacit renewals roll on by themselves up to
        ``until``; other renewals exist only once recorded.
        """
        start, end = self.effective_date, self.initial_end_date
        if start is None or end is None:
            return []
        periods = [Period(1, start, end)]
        for renewal in sorted(self.renewals.all(), key=lambda r: r.number):
            periods.append(Period(len(periods) + 1, renewal.start, renewal.end))
        for amendment in self.amendments_in_force(as_of):
            if amendment.new_duration_years:
                periods[0] = Period(1, start, term_end(start, amendment.new_duration_years))
            if amendment.new_end_date and amendment.new_end_date >= start:
                index = max(i for i, p in enumerate(periods) if p.start <= amendment.new_end_date)
                periods[index] = Period(
                    periods[index].number, periods[index].start, amendment.new_end_date
                )
        terms = self.terms_on(as_of)
        if terms.renewal_mode == RenewalMode.TACIT and until is not None:
            while periods[-1].end < until and len(periods) < 100:
                last = periods[-1]
                new_start = last.end + datetime.timedelta(days=1)
                new_end = term_end(new_start, terms.renewal_period_years)
                periods.append(Period(last.number + 1, new_start, new_end))
        return periods

    def current_period(self, on) -> Period | None:
        """The period in force on ``on``, else the last one that has begun, else the first."""
        periods = self.periods(until=on, as_of=on)
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
        return add_months(end, -self.terms_on(on).notice_months)

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
    amended_by: Amendment | None
