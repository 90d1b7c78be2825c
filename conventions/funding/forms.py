from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.urls import reverse

from config.core.concurrency import VersionedFormMixin
from config.core.formats import MONTHS, french_number
from config.core.forms import AddableRowsFormSet, FiniteDecimalField, capped
from config.core.idempotency import OnceFormMixin
from conventions.enums import ContributionNature, PaymentState
from conventions.models import Contribution, Payment, PostCost
from conventions.models.funding import validate_pdf
from partners.models import Organisation


class EuroField(FiniteDecimalField):
    """Accepts what people type: "5 000", "5 000,50 €", "5000.5"."""

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip().removesuffix("€").replace("\u00a0", "").replace("\u202f", "")
            value = value.replace(" ", "").replace(",", ".")
        try:
            return super().to_python(value)
        except ValidationError:
            raise ValidationError(
                "Indiquez un montant en euros, par exemple 5 000 ou 5 000,50.", code="invalid"
            ) from None

    def prepare_value(self, value):
        if isinstance(value, Decimal | int):
            return french_number(value, 0 if value == int(value) else 2)
        return value

    def widget_attrs(self, widget):
        # A text input: a number input would refuse "5 000,50" in some browsers.
        return {"inputmode": "decimal", "autocomplete": "off"}


def euro_field(label, *, required=True, help_text=""):
    return EuroField(
        label=label,
        required=required,
        max_digits=12,
        decimal_places=2,
        min_value=Decimal(0),
        help_text=help_text,
        widget=forms.TextInput,
    )


class ProofInput(forms.ClearableFileInput):
    """Links a stored proof to its access-checked download view, never to MEDIA_URL.

    Its template is in conventions/templates/: the form renderer reads app
    template folders, not the project's templates/ folder.
    """

    template_name = "conventions/funding/proof_input.html"

    def __init__(self, *args, download_url=None, **kwargs):
        self.download_url = download_url
        super().__init__(*args, **kwargs)
        self.attrs.setdefault("accept", "application/pdf,.pdf")

    def is_initial(self, value):
        # The parent asks for value.url, which raises without MEDIA_URL.
        return bool(value and getattr(value, "name", None))

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["download_url"] = self.download_url
        return context

    def value_from_datadict(self, data, files, name):
        # No « supprimer » box: a proof is replaced by a new version, never removed
        # (payment_attach_proof keeps every version).
        return forms.FileInput.value_from_datadict(self, data, files, name)


class ProofUploadForm(forms.Form):
    """A new version of a payment's proof (payment_attach_proof)."""

    proof = forms.FileField(
        label="Justificatif (PDF, 10 Mo au plus)",
        widget=forms.FileInput(attrs={"accept": "application/pdf,.pdf"}),
    )

    def clean_proof(self):
        proof = self.cleaned_data["proof"]
        validate_pdf(proof)
        proof.seek(0)
        return proof


class PostCostForm(VersionedFormMixin, forms.ModelForm):
    total = euro_field("Coût total")
    salary = euro_field("Salaire", required=False)
    charges = euro_field("Charges sociales", required=False)
    operating = euro_field("Frais de fonctionnement", required=False)

    class Meta:
        model = PostCost
        fields = ["total", "salary", "charges", "operating", "note"]


class ContributionForm(OnceFormMixin, VersionedFormMixin, forms.ModelForm):
    amount = euro_field("Montant annuel", required=False, help_text="Pour un montant fixe par an.")
    cap = euro_field(
        "Plafond annuel",
        required=False,
        help_text="Pour une part du coût plafonnée, par exemple 13 000.",
    )
    floor = euro_field(
        "Plancher annuel",
        required=False,
        help_text="Pour une part du coût : montant minimum par an, au plus égal au plafond.",
    )
    in_kind_value = euro_field(
        "Valeur annuelle de l'aide en nature",
        required=False,
        help_text="Si elle est connue. Elle ne compte jamais dans les montants à verser.",
    )

    class Meta:
        model = Contribution
        fields = [
            "organisation",
            "post",
            "nature",
            "source",
            "budget_line",
            "budget_line_label",
            "rule",
            "amount",
            "share_numerator",
            "share_denominator",
            "cap",
            "floor",
            "in_kind_description",
            "in_kind_value",
            "first_year",
            "last_year",
            "prorata",
            "due_day",
            "due_month",
            "payment_channel",
            "beneficiary",
            "legal_basis",
            "legal_basis_text",
        ]

    def __init__(self, *args, convention, scope, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.convention = convention
        parties = Organisation.objects.filter(parties__convention=convention).order_by(
            "parties__order", "name"
        )
        self.fields["organisation"].queryset = parties
        beneficiaries = parties
        sections = list(convention.sections.select_related("post"))
        if sections:
            beneficiaries = Organisation.objects.filter(
                pk__in=[
                    *parties.values_list("pk", flat=True),
                    *(section.post.employer_id for section in sections),
                ]
            )
        self.fields["beneficiary"].queryset = beneficiaries
        if len(sections) > 1:
            # A framework convention: each contribution funds one of its posts.
            self.fields["post"].queryset = convention.posts.order_by("sections__number")
            self.fields["post"].required = True
            self.fields["post"].label_from_instance = lambda post: next(
                f"Annexe n° {s.number} : {post}" for s in sections if s.post_id == post.pk
            )
        else:
            # One post (or none yet): the contribution funds it (Contribution.clean).
            del self.fields["post"]
        # A partner's own deliberations, or those linked to this convention, that the
        # user may see: a party's other deliberations are not all in her scope.
        self.fields["legal_basis"].queryset = (
            scope.deliberations()
            .filter(Q(conventions=convention) | Q(organisation__in=parties))
            .distinct()
        )
        self.fields["prorata"].help_text = (
            "Pour une part du coût, le prorata réduit la part du coût d'une année entière : "
            "si le coût budgété ne porte que sur la partie de l'année couverte, choisissez "
            "« Année entière », sinon la participation serait réduite deux fois."
        )
        self.fields["due_day"].help_text = (
            "Seulement si la convention fixe une date. Une date antérieure à la signature est "
            "reportée à la signature ; après l'échéance, un montant non versé est « en retard »."
        )
        self.fields["due_month"].widget = forms.Select(
            choices=[("", "—"), *[(m, name) for m, name in enumerate(MONTHS, start=1)]]
        )
        # Money unless said otherwise: a page posted before aids in kind existed says nothing.
        self.fields["nature"].required = False
        self.fields["rule"].help_text = (
            "Sans objet pour une aide en nature. Pour une part du coût par année, indiquez "
            "la part de chaque année plus bas."
        )

    def clean_nature(self):
        return self.cleaned_data.get("nature") or ContributionNature.MONEY


class PercentField(FiniteDecimalField):
    """A share of the cost in percent: "80", "80 %", "33,33"."""

    def __init__(self, **kwargs):
        super().__init__(max_digits=5, decimal_places=2, widget=forms.TextInput, **kwargs)

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip().removesuffix("%").strip().replace(",", ".")
        try:
            return super().to_python(value)
        except ValidationError:
            raise ValidationError(
                "Indiquez un pourcentage, par exemple 80 ou 33,33.", code="invalid"
            ) from None

    def validate(self, value):
        super().validate(value)
        if value is not None and not 0 <= value <= 100:
            raise ValidationError("Une part du coût va de 0 à 100 %.", code="out_of_range")

    def prepare_value(self, value):
        if isinstance(value, Decimal | int):
            return french_number(value, 0 if value == int(value) else 2)
        return value

    def widget_attrs(self, widget):
        return {"inputmode": "decimal", "autocomplete": "off"}


class YearShareForm(forms.Form):
    """One year of a « part du coût du poste par année »: 2024, 80 %."""

    year = forms.IntegerField(
        label="Année", required=False, min_value=2000, max_value=2100, widget=forms.TextInput
    )
    share = PercentField(label="Part du coût (%)", required=False)

    def clean(self):
        data = super().clean()
        year, share = data.get("year"), data.get("share")
        if year is None and share is not None and "year" not in self.errors:
            self.add_error("year", "Indiquez l'année de cette part.")
        if share is None and year is not None and "share" not in self.errors:
            self.add_error("share", f"Indiquez la part du coût de {year}, par exemple 80.")
        return data


class YearShareFormSet(AddableRowsFormSet):
    def clean(self):
        if any(self.errors):
            return
        years = [y for y, _ in self.shares()]
        doubled = sorted({y for y in years if years.count(y) > 1})
        if doubled:
            raise ValidationError(
                f"Une seule part par année : {', '.join(map(str, doubled))} est indiquée deux fois."
            )

    def shares(self) -> list[tuple[int, Decimal]]:
        """The filled rows, in year order."""
        return sorted(
            (f.cleaned_data["year"], f.cleaned_data["share"])
            for f in self.forms
            if f.cleaned_data.get("year") is not None and f.cleaned_data.get("share") is not None
        )


MAX_YEAR_SHARES = 20


def year_share_formset(*, data=None, contribution=None):
    """The shares by year of a contribution, one line per year (« 2024 : 80 % »)."""
    initial = [
        {"year": y, "share": s} for y, s in (contribution.share_schedule if contribution else ())
    ]
    formset_class = forms.formset_factory(
        YearShareForm,
        formset=YearShareFormSet,
        extra=1,
        **capped(MAX_YEAR_SHARES),
    )
    return formset_class(data, initial=initial, prefix="parts")


class PaymentForm(OnceFormMixin, forms.ModelForm):
    amount = euro_field("Montant")

    class Meta:
        model = Payment
        fields = ["date", "amount", "payer", "reference", "proof"]
        widgets = {"date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args, contribution, year, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.contribution = contribution
        self.instance.year = year
        # The parties, and the funder itself: one that an amendment added has no Party.
        self.fields["payer"].queryset = (
            Organisation.objects.filter(
                Q(parties__convention_id=contribution.convention_id)
                | Q(pk=contribution.organisation_id)
            )
            .distinct()
            .order_by("name")
        )
        download_url = None
        if self.instance.pk and self.instance.proof:
            download_url = reverse("conventions:payment_proof", args=[self.instance.pk])
        self.fields["proof"].widget = ProofInput(download_url=download_url)

    def clean_amount(self):
        amount = self.cleaned_data["amount"]
        if amount is not None and amount <= 0:
            raise ValidationError("Le montant d'un versement est positif.")
        return amount


def parse_year(value) -> int | None:
    try:
        year = int(value)
    except (TypeError, ValueError, OverflowError):
        return None
    return year if 2000 <= year <= 2100 else None


class FundingSearchForm(forms.Form):
    """The search of a funding page; the year travels with it (hidden)."""

    q = forms.CharField(
        label="Rechercher",
        required=False,
        max_length=100,
        help_text="Référence, titre, poste, partenaire ou nom d’un représentant.",
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    annee = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def valid_data(self) -> dict:
        """An invalid filter is left out (and shown with its error)."""
        self.is_valid()
        return {k: v for k, v in getattr(self, "cleaned_data", {}).items() if k not in self.errors}

    def filter(self, conventions):
        return conventions.search(self.valid_data().get("q"))


class FundingFilterForm(FundingSearchForm):
    """The filters of the funding overview."""

    departement = forms.ChoiceField(label="Département du poste", required=False)

    field_order = ["q", "departement", "annee"]

    def __init__(self, *args, departements=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["departement"].choices = [("", "Tous"), *((d, d) for d in departements)]

    def filter(self, conventions):
        conventions = super().filter(conventions)
        departement = self.valid_data().get("departement")
        if departement:
            conventions = conventions.filter(posts__departement=departement).distinct()
        return conventions


class PartnerFundingFilterForm(FundingSearchForm):
    """The partner's page: its contributions of the year, by state of payment."""

    etat = forms.ChoiceField(
        label="État du versement",
        required=False,
        choices=[("", "Tous"), *PaymentState.choices],
    )

    field_order = ["q", "etat", "annee"]

    def keeps(self, cell) -> bool:
        state = self.valid_data().get("etat")
        return not state or cell.state == state
