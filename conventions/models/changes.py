"""What changes a signed convention: amendments (and the articles they change), renewals."""

import datetime

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from config.core.formats import euros
from config.core.validators import single_line
from conventions.enums import (
    ArticleChangeAction,
    ContributionRule,
    PartyChangeAction,
    RenewalMode,
)

# The Amendment fields that change the convention's dates (``Convention.terms_on``).
TERM_FIELDS = (
    "new_end_date",
    "new_duration_years",
    "new_renewal_mode",
    "new_renewal_period_years",
    "new_notice_months",
)


def amendment_date_problems(start, *, effective_on, new_end_date) -> dict[str, str]:
    """An amendment takes effect, and ends the convention, after the convention's start
    (``start``: its effective date, None while unknown). Keyed by Amendment field."""
    problems = {}
    if start is None:
        return problems
    if effective_on is not None and effective_on < start:
        problems["effective_on"] = (
            f"La convention prend effet le {start:%d/%m/%Y} : un avenant ne peut prendre "
            "effet avant elle."
        )
    if new_end_date is not None and new_end_date <= start:
        problems["new_end_date"] = (
            "La nouvelle date de fin doit être postérieure à la prise d'effet de la "
            f"convention, le {start:%d/%m/%Y}."
        )
    return problems


class Amendment(models.Model):
    convention = models.ForeignKey(
        "conventions.Convention", on_delete=models.PROTECT, related_name="amendments"
    )
    number = models.PositiveSmallIntegerField("numéro")
    signed_on = models.DateField("date de signature", null=True, blank=True)
    object = models.TextField("objet")
    effective_on = models.DateField(
        "prise d'effet",
        null=True,
        blank=True,
        help_text="Vide : l'avenant prend effet à sa date de signature.",
    )
    # What it changes in the terms: empty means unchanged.
    new_end_date = models.DateField(
        "nouvelle date de fin",
        null=True,
        blank=True,
        help_text="Par exemple le 31/12/2024 pour un article « jusqu'au 31 décembre 2024 ». "
        "Elle remplace la fin de la période dans laquelle elle tombe.",
    )
    new_duration_years = models.PositiveSmallIntegerField(
        "nouvelle durée (années)",
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text="La durée de la convention à compter de sa prise d'effet initiale.",
    )
    new_renewal_mode = models.CharField(
        "nouvelle reconduction", max_length=20, choices=RenewalMode.choices, blank=True
    )
    new_renewal_period_years = models.PositiveSmallIntegerField(
        "nouvelle durée d'une reconduction (années)",
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
    )
    new_notice_months = models.PositiveSmallIntegerField(
        "nouveau préavis de dénonciation (mois)", null=True, blank=True
    )

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

    def clean(self):
        if self.convention_id:
            problems = amendment_date_problems(
                self.convention.effective_date,
                effective_on=self.effective_on,
                new_end_date=self.new_end_date,
            )
            if problems:
                raise ValidationError(problems)

    @property
    def takes_effect_on(self) -> datetime.date | None:
        """The day its changes apply from: the stated date, else the signature."""
        return self.effective_on or self.signed_on

    def is_in_force(self, on: datetime.date | None = None) -> bool:
        """Signed and, when ``on`` is given, taken effect by then: only then does it
        change the convention (an unsigned amendment is a draft)."""
        if self.signed_on is None:
            return False
        return on is None or self.takes_effect_on <= on

    @property
    def changes_terms(self) -> bool:
        return any(getattr(self, field) not in (None, "") for field in TERM_FIELDS)

    def term_change_texts(self) -> list[str]:
        """What it changes in the dates, in French (reads no relation)."""
        texts = []
        if self.new_end_date:
            texts.append(f"date de fin portée au {self.new_end_date:%d/%m/%Y}")
        if self.new_duration_years:
            texts.append(f"durée portée à {self.new_duration_years} an(s)")
        if self.new_renewal_mode:
            texts.append(f"reconduction : {self.get_new_renewal_mode_display().lower()}")
        if self.new_renewal_period_years:
            texts.append(f"reconduction par périodes de {self.new_renewal_period_years} an(s)")
        if self.new_notice_months is not None:
            texts.append(f"préavis de dénonciation porté à {self.new_notice_months} mois")
        return texts

    def change_texts(self) -> list[str]:
        """Every structured change in French; reads ``contribution_changes``,
        ``new_contributions`` and ``party_changes`` (prefetch them for a list)."""
        texts = self.term_change_texts()
        texts += [str(change) for change in self.contribution_changes.all()]
        texts += [
            new_contribution_text(contribution, self, with_number=False)
            for contribution in self.new_contributions.all()
        ]
        texts += [change.text(with_number=False) for change in self.party_changes.all()]
        texts += self.section_change_texts()
        return texts

    def section_change_texts(self) -> list[str]:
        """« ajoute le poste « … » (annexe n° 4) », « retire le poste … »: read from the
        convention's sections (prefetched with it by ``for_detail``)."""
        texts = []
        for section in self.convention.sections.all():
            if section.added_by_id == self.pk:
                texts.append(f"ajoute le poste « {section.post} » (annexe n° {section.number})")
            if section.removed_by_id == self.pk:
                texts.append(f"retire le poste « {section.post} » (annexe n° {section.number})")
        return texts

    def reference_text(self) -> str:
        """« (avenant n° 2) », « (avenant n° 2, non signé) »: what a change cites."""
        return f"(avenant n° {self.number}{'' if self.signed_on else ', non signé'})"

    def from_text(self) -> str:
        """« au 01/07/2025 », or nothing while unsigned (the date is not known)."""
        return f" au {self.takes_effect_on:%d/%m/%Y}" if self.signed_on else ""

    def summary(self) -> str:
        """« Avenant n° 1 (prise d'effet le 01/01/2024) : date de fin portée au 31/12/2024 »."""
        heading = f"Avenant n° {self.number}"
        if self.takes_effect_on:
            heading += f" (prise d'effet le {self.takes_effect_on:%d/%m/%Y})"
        else:
            heading += " (non signé)"
        texts = self.change_texts()
        return f"{heading} : {' ; '.join(texts)}" if texts else heading


class ContributionChange(models.Model):
    """A partner's new annual amount from a budget year, set by an amendment."""

    amendment = models.ForeignKey(
        Amendment, on_delete=models.CASCADE, related_name="contribution_changes"
    )
    contribution = models.ForeignKey(
        "conventions.Contribution",
        on_delete=models.PROTECT,
        related_name="amendment_changes",
        verbose_name="contribution modifiée",
    )
    from_year = models.PositiveSmallIntegerField("à compter de l'année")
    until_year = models.PositiveSmallIntegerField(
        "jusqu'à l'année",
        null=True,
        blank=True,
        help_text="Vide : jusqu'à la dernière année de la contribution.",
    )
    amount = models.DecimalField(
        "nouveau montant annuel",
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(0)],
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "modification de contribution"
        verbose_name_plural = "modifications de contribution"
        ordering = ["amendment", "from_year", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gte=0),
                name="%(app_label)s_%(class)s_amount_not_negative",
                violation_error_message="Le montant ne peut pas être négatif.",
            ),
            models.CheckConstraint(
                condition=Q(until_year__isnull=True) | Q(until_year__gte=models.F("from_year")),
                name="%(app_label)s_%(class)s_from_before_until",
                violation_error_message="La dernière année ne peut précéder la première.",
            ),
        ]

    def __str__(self):
        organisation = self.contribution.organisation
        name = organisation.short_name or organisation.name
        text = (
            f"participation de {name} portée à {euros(self.amount)} à compter de {self.from_year}"
        )
        if self.until_year:
            text += f" jusqu'en {self.until_year}"
        return text

    @property
    def last_year(self) -> int:
        return self.until_year or max(self.contribution.last_year, self.from_year)


class PartyChange(models.Model):
    """A party that an amendment adds to the convention or withdraws from it."""

    amendment = models.ForeignKey(Amendment, on_delete=models.CASCADE, related_name="party_changes")
    organisation = models.ForeignKey(
        "partners.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="organisation",
    )
    action = models.CharField("modification", max_length=10, choices=PartyChangeAction.choices)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "modification des parties"
        verbose_name_plural = "modifications des parties"
        ordering = ["amendment", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["amendment", "organisation"],
                name="%(app_label)s_%(class)s_unique_organisation",
                violation_error_message="Cette organisation figure déjà dans cet avenant.",
            ),
        ]

    def __str__(self):
        return self.text()

    def text(self, *, with_number: bool = True) -> str:
        """« Commune de Niort se retire de la convention au 01/07/2025 (avenant n° 2) »;
        reads the organisation and the amendment."""
        amendment = self.amendment
        verb = (
            "devient partie à la convention"
            if self.action == PartyChangeAction.ADD
            else "se retire de la convention"
        )
        text = f"{self.organisation.name} {verb}{amendment.from_text()}"
        return f"{text} {amendment.reference_text()}" if with_number else text


def new_contribution_text(contribution, amendment, *, with_number: bool = True) -> str:
    """« participation de X : 5 000 € par an à compter du 01/07/2025 (avenant n° 2) »,
    for a contribution an amendment adds; unsigned, « … prévue par l'avenant n° 2 (non
    signé) » (it counts nothing yet)."""
    organisation = contribution.organisation
    name = organisation.short_name or organisation.name
    if contribution.rule == ContributionRule.FIXED:
        rule = f"{euros(contribution.amount)} par an"
    elif contribution.rule == ContributionRule.SHARE_CAPPED:
        rule = f"{contribution.share_numerator}/{contribution.share_denominator} du coût du poste"
        if contribution.cap is not None:
            rule += f", plafonné à {euros(contribution.cap)} par an"
    else:
        rule = "le solde du coût du poste"
    if amendment.signed_on is None:
        return (
            f"participation de {name} : {rule} à compter de {contribution.first_year}, "
            f"prévue par l'avenant n° {amendment.number} (non signé)"
        )
    start = max(amendment.takes_effect_on, datetime.date(contribution.first_year, 1, 1))
    text = f"participation de {name} : {rule} à compter du {start:%d/%m/%Y}"
    return f"{text} {amendment.reference_text()}" if with_number else text


class ArticleChange(models.Model):
    amendment = models.ForeignKey(Amendment, on_delete=models.CASCADE, related_name="changes")
    article_number = models.PositiveSmallIntegerField("article")
    action = models.CharField(
        "modification",
        max_length=10,
        choices=ArticleChangeAction.choices,
        default=ArticleChangeAction.REPLACE,
    )
    new_title = models.CharField(
        "nouveau titre", max_length=250, blank=True, validators=[single_line]
    )
    new_body = models.TextField("nouveau texte", blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "modification d'article"
        ordering = ["amendment", "article_number"]

    def __str__(self):
        return f"{self.get_action_display()} {self.article_number}"


class Renewal(models.Model):
    """A further period of the same convention, decided by the parties."""

    convention = models.ForeignKey(
        "conventions.Convention", on_delete=models.CASCADE, related_name="renewals"
    )
    number = models.PositiveSmallIntegerField("reconduction n°")
    start = models.DateField("début")
    end = models.DateField("fin")
    decided_on = models.DateField("décidée le", null=True, blank=True)
    note = models.CharField("observations", max_length=300, blank=True, validators=[single_line])

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
