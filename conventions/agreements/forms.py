import datetime

from django import forms
from django.core.validators import MinValueValidator
from django.forms.models import BaseInlineFormSet, inlineformset_factory

from config.core.concurrency import VersionedFormMixin
from config.core.forms import AddableRowsFormSet, capped
from config.core.idempotency import OnceFormMixin
from config.core.widgets import FastSelect, share_choices
from conventions.agreements.placeholders import PLACEHOLDER_HELP
from conventions.agreements.services import OWN_ORGANISATION_MESSAGE
from conventions.enums import ConventionStatus
from conventions.models import Article, Convention, LegalReference, Party, PostSite
from conventions.models.convention import validate_signed_scan
from partners.models import Organisation, Representative

# Paths under /conventions/ that a reference must not shadow.
RESERVED_REFERENCES = {"nouvelle"}


FOOTNOTE_HELP = (
    "Une ligne par paragraphe. Une note de bas de page s'écrit juste après le mot "
    "qu'elle annote : « prise en charge globale[^Cf. fiche de poste]. »"
)


class MultilineField(forms.CharField):
    """Browsers send line breaks as CRLF: compare and store them as LF, so that a text
    nobody touched is not saved again (and shown in the history) as changed."""

    def to_python(self, value):
        value = super().to_python(value)
        return value.replace("\r\n", "\n") if value else value


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


def clean_new_reference(reference: str, *, exclude_pk=None) -> str:
    if reference in RESERVED_REFERENCES:
        raise forms.ValidationError("Cette référence est réservée ; choisissez-en une autre.")
    taken = Convention.objects.filter(reference=reference).exclude(pk=exclude_pk)
    if taken.exists():
        raise forms.ValidationError("Une convention porte déjà cette référence.")
    return reference


class ConventionForm(OnceFormMixin, VersionedFormMixin, forms.ModelForm):
    # Not the model's many-to-many: convention_save() writes the sections (annex numbers).
    posts = forms.ModelMultipleChoiceField(
        queryset=None,
        label="Postes d'ISC",
        required=False,
        help_text="Un poste par annexe ; une convention simple couvre un seul poste.",
    )

    class Meta:
        model = Convention
        fields = [
            "reference",
            "title",
            "subtitle",
            "kind",
            "is_template",
            "place_of_signature",
            "preamble",
            "agreement_heading",
            "parties_opening",
            "parties_member_link",
            "parties_group_link",
            "first_side_closing",
            "second_side_closing",
            "start_rule",
            "stated_start_date",
            "end_date",
            "duration_years",
            "term_governed_by",
            "renewal_mode",
            "renewal_period_years",
            "notice_months",
            "notice_form",
            "suspensive_clause",
            "first_contact_hours",
            "relay_organisation",
            "relay_details",
            "statistics_validation",
            "statistics_validator",
        ]
        widgets = {
            "stated_start_date": DateInput,
            "end_date": DateInput,
            "preamble": forms.Textarea(attrs={"rows": 4}),
            # Organisations of the whole country: written without templates.
            "relay_organisation": FastSelect,
            "statistics_validator": FastSelect,
        }
        field_classes = {"preamble": MultilineField}
        help_texts = {"preamble": FOOTNOTE_HELP}

    def __init__(self, *args, scope, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["posts"].queryset = scope.posts().order_by("departement", "name")
        if self.instance.pk is not None:
            self.fields["posts"].initial = [
                section.post_id for section in self.instance.sections.all()
            ]
        self.fields["relay_organisation"].queryset = Organisation.objects.order_by(
            "departement", "name"
        )
        # Public organisations, like the relay: the DDSP and groupements of any site.
        self.fields["statistics_validator"].queryset = Organisation.objects.filter(
            pk__in=PostSite.objects.values("functional_authority")
        ).order_by("departement", "name")
        if not scope.is_admin:
            # A model convention is offered to everyone: only administrators publish one.
            del self.fields["is_template"]

    def clean_reference(self):
        return clean_new_reference(self.cleaned_data["reference"], exclude_pk=self.instance.pk)


class ConventionStepForm(ConventionForm):
    """The convention's fields of one step of the step-by-step entry; the others keep
    their saved values (the model's rules still see them all)."""

    def __init__(self, *args, step_fields, **kwargs):
        super().__init__(*args, **kwargs)
        kept = {*step_fields, *(field.name for field in self.hidden_fields())}
        for name in [name for name in self.fields if name not in kept]:
            del self.fields[name]

    def add_error(self, field, error):
        # The model checks the whole convention: a rule about a field of another step
        # is said at the top of this one rather than lost.
        if field is None and hasattr(error, "error_dict"):
            for name, messages in error.error_dict.items():
                self.add_error(name, messages)
            return
        if field not in self.fields:
            field = None
        super().add_error(field, error)


class RepresentativeSelect(FastSelect):
    """Each representative's option names its organisation (``data-organisation``):
    static/js/representatives.js offers only those of the organisation chosen. Every
    representative of the country, in each row: written without templates (FastSelect)."""

    def option_attributes(self, option_value) -> dict:
        instance = getattr(option_value, "instance", None)
        return {} if instance is None else {"data-organisation": instance.organisation_id}


class RepresentativeChoiceField(forms.ModelChoiceField):
    widget = RepresentativeSelect

    def label_from_instance(self, obj):
        return f"{obj} ({obj.organisation.short_name or obj.organisation.name})"


class PartyForm(forms.ModelForm):
    representative = RepresentativeChoiceField(
        queryset=Representative.objects.select_related("organisation").order_by(
            "organisation__departement", "organisation__name", "-mandate_start"
        ),
        required=False,
        label="Représentant à la signature",
    )

    class Meta:
        model = Party
        fields = [
            "organisation",
            "representative",
            "side",
            "designation",
            "representation",
            "mandate_note",
            "domicile",
            "signatory_title",
            "signature_row",
            "signature_column",
            "is_funder",
            "is_employer",
            "is_functional_authority",
            "is_host",
            "signs",
            "signed_on",
        ]
        # Every organisation of the country, in each row.
        widgets = {"signed_on": DateInput, "organisation": FastSelect}
        help_texts = {
            "domicile": "Laissé vide, c'est le bâtiment et l'adresse de l'organisation.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.order_by("departement", "name")

    def validate_unique(self):
        # Duplicates are checked across the rows by the formset, next to the field.
        pass


class PartyFormSet(AddableRowsFormSet, BaseInlineFormSet):
    def __init__(self, *args, required_organisation=None, **kwargs):
        self.required_organisation = required_organisation
        super().__init__(*args, **kwargs)

    def kept_forms(self):
        for form in self.forms:
            if self.can_delete and self._should_delete_form(form):
                continue
            if getattr(form, "cleaned_data", None):
                yield form

    def validate_unique(self):
        seen, cells = set(), set()
        for form in self.kept_forms():
            organisation = form.cleaned_data.get("organisation")
            if organisation is not None:
                if organisation.pk in seen:
                    form.add_error(
                        "organisation", "Cette organisation est déjà partie à la convention."
                    )
                seen.add(organisation.pk)
            cell = (
                form.cleaned_data.get("signature_row"),
                form.cleaned_data.get("signature_column"),
            )
            if None in cell or not form.cleaned_data.get("signs"):
                continue
            if cell in cells:
                form.add_error(
                    "signature_column",
                    "Une autre partie signe déjà dans cette case (même ligne, même colonne).",
                )
            cells.add(cell)

    def clean(self):
        self.validate_unique()
        kept = list(self.kept_forms())
        for order, form in enumerate(kept):
            form.cleaned_data["order"] = order
        required = self.required_organisation
        if required and not any(form.cleaned_data.get("organisation") == required for form in kept):
            raise forms.ValidationError(OWN_ORGANISATION_MESSAGE.format(name=required.name))


class ArticleForm(forms.ModelForm):
    class Meta:
        model = Article
        fields = ["number", "title", "body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 6})}
        field_classes = {"body": MultilineField}
        help_texts = {"body": FOOTNOTE_HELP}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["number"].widget.attrs["min"] = 1
        self.fields["number"].validators.append(
            MinValueValidator(1, "Les articles sont numérotés à partir de 1.")
        )

    def validate_unique(self):
        # Duplicates are checked across the rows by the formset, next to the field.
        pass


class ArticleFormSet(AddableRowsFormSet, BaseInlineFormSet):
    def validate_unique(self):
        seen = set()
        for form in self.forms:
            if self.can_delete and self._should_delete_form(form):
                continue
            number = getattr(form, "cleaned_data", {}).get("number")
            if number is None:
                continue
            if number in seen:
                form.add_error("number", "Deux articles ne peuvent pas porter le même numéro.")
            seen.add(number)


class LegalReferenceFormSet(AddableRowsFormSet, BaseInlineFormSet):
    pass


class LegalReferenceForm(forms.ModelForm):
    class Meta:
        model = LegalReference
        fields = ["kind", "text", "order"]
        widgets = {"text": forms.Textarea(attrs={"rows": 2})}
        field_classes = {"text": MultilineField}


# The most rows one edit page takes: the longest conventions of the country have some
# fifteen parties, twenty visas and thirty articles.
MAX_PARTIES = 30
MAX_REFERENCES = 60
MAX_ARTICLES = 80


ALL_FORMSETS = ("parties", "references", "articles")


def convention_formsets(
    *, data, instance, required_organisation=None, party_initial=None, names=ALL_FORMSETS
):
    """The parties, visas and articles of the edit page, each with a prefix; ``names``
    picks some of them (one step of the step-by-step entry)."""
    formsets = {}
    if "parties" in names:
        formsets["parties"] = inlineformset_factory(
            Convention,
            Party,
            form=PartyForm,
            formset=PartyFormSet,
            extra=max(1, len(party_initial or [])),
            can_delete_extra=False,
            **capped(MAX_PARTIES),
        )(
            data,
            instance=instance,
            prefix="parties",
            required_organisation=required_organisation,
            initial=party_initial,
        )
        share_choices(formsets["parties"], ["organisation", "representative"])
    if "references" in names:
        formsets["references"] = inlineformset_factory(
            Convention,
            LegalReference,
            form=LegalReferenceForm,
            formset=LegalReferenceFormSet,
            extra=1,
            can_delete_extra=False,
            **capped(MAX_REFERENCES),
        )(data, instance=instance, prefix="references")
    if "articles" in names:
        formsets["articles"] = inlineformset_factory(
            Convention,
            Article,
            form=ArticleForm,
            formset=ArticleFormSet,
            extra=1,
            can_delete_extra=False,
            **capped(MAX_ARTICLES),
        )(data, instance=instance, prefix="articles")
    return formsets


class CreateFromForm(OnceFormMixin, forms.Form):
    source = forms.ModelChoiceField(
        queryset=Convention.objects.none(),
        label="Point de départ",
        help_text=PLACEHOLDER_HELP,
    )
    reference = forms.SlugField(
        label="Référence de la nouvelle convention",
        max_length=60,
        help_text="Identifiant court, par exemple « niort-2024 ».",
    )
    title = forms.CharField(
        label="Titre",
        max_length=250,
        required=False,
        help_text="Laissé vide, c'est le titre du point de départ.",
    )
    post = forms.ModelChoiceField(
        queryset=None,
        label="Poste d'ISC",
        required=False,
        help_text="Le poste fournit le site, l'ETP, l'employeur et l'autorité fonctionnelle.",
    )

    def __init__(self, *args, scope, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].queryset = scope.convention_starting_points().order_by(
            "-is_template", "reference"
        )
        self.fields["source"].label_from_instance = lambda c: (
            f"Modèle : {c.title}" if c.is_template else f"{c.reference} — {c.title}"
        )
        self.fields["post"].queryset = scope.posts().order_by("departement", "name")

    def clean_reference(self):
        return clean_new_reference(self.cleaned_data["reference"])


class ScanUploadForm(forms.Form):
    scan = forms.FileField(
        label="Convention signée (PDF, 10 Mo au plus)",
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
    )

    def clean_scan(self):
        scan = self.cleaned_data["scan"]
        validate_signed_scan(scan)
        scan.seek(0)
        return scan


def year_choices(today: datetime.date):
    return [("", "Toutes")] + [
        (year, str(year)) for year in range(today.year + 3, today.year - 11, -1)
    ]


class ConventionFilterForm(forms.Form):
    q = forms.CharField(
        label="Rechercher",
        required=False,
        widget=forms.TextInput(attrs={"type": "search"}),
        help_text="Référence, titre, poste, site, partenaire ou nom d’un représentant.",
    )
    status = forms.ChoiceField(
        label="Statut",
        required=False,
        choices=[("", "Tous"), *ConventionStatus.choices],
    )
    departement = forms.ChoiceField(label="Département du poste", required=False)
    organisation = forms.TypedChoiceField(
        label="Partenaire", required=False, coerce=int, empty_value=None, widget=FastSelect
    )
    year = forms.TypedChoiceField(
        label="En vigueur en", required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args, departements, organisations, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["departement"].choices = [("", "Tous"), *((d, d) for d in departements)]
        self.fields["organisation"].choices = [("", "Tous"), *organisations]
        self.fields["year"].choices = year_choices(today)
