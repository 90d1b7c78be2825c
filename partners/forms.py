import re

from django import forms
from django.contrib.auth.forms import PasswordResetForm
from django.db import transaction

from config.core.concurrency import VersionedFormMixin
from config.core.idempotency import OnceFormMixin
from config.core.validators import single_line
from partners.api_tokens import DEFAULT_LIFETIME_DAYS, LIFETIMES_DAYS
from partners.enums import Civility, OrganisationKind
from partners.logos import named_by_format
from partners.models import Organisation, Representative
from partners.services import POSTAL_CODE_MESSAGE
from partners.tasks import send_password_reset


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        # The browser's date picker only understands ISO dates.
        super().__init__(attrs, format="%Y-%m-%d")


class OrganisationFilterForm(forms.Form):
    q = forms.CharField(
        label="Rechercher",
        required=False,
        max_length=100,
        help_text="Nom, nom court, commune, SIRET ou nom d’un représentant.",
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    kind = forms.ChoiceField(
        label="Type",
        required=False,
        choices=[("", "Tous les types"), *OrganisationKind.choices],
    )
    departement = forms.ChoiceField(label="Département", required=False)

    def __init__(self, *args, departements=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["departement"].choices = [
            ("", "Tous les départements"),
            *((code, code) for code in departements),
        ]

    def filter(self, queryset):
        if not self.is_valid():
            return queryset
        data = self.cleaned_data
        queryset = queryset.search(data["q"].strip())
        if data["kind"]:
            queryset = queryset.filter(kind=data["kind"])
        if data["departement"]:
            queryset = queryset.filter(departement=data["departement"])
        return queryset


class CompactField(forms.CharField):
    """Drops the spaces people paste with identifiers ("123 456 789 00012"), and
    uppercases them; the model's validators then check what is left."""

    def to_python(self, value):
        return re.sub(r"\s", "", super().to_python(value)).upper()


class OrganisationForm(OnceFormMixin, VersionedFormMixin, forms.ModelForm):
    # Declared wider than the model fields so that pasted spaces do not fail the length.
    siret = CompactField(
        label="SIRET", required=False, max_length=20, help_text="14 chiffres, espaces acceptés."
    )
    rna = CompactField(
        label="Numéro RNA", required=False, max_length=14, help_text="Associations uniquement."
    )
    # Not the model field: an empty input keeps the recorded logo, and removing it is a
    # box of its own, both handed to organisation_save.
    logo = forms.FileField(
        label="Logo",
        required=False,
        help_text=Organisation._meta.get_field("logo").help_text,
        widget=forms.FileInput(attrs={"accept": "image/png,image/jpeg,.png,.jpg,.jpeg"}),
    )
    remove_logo = forms.BooleanField(label="Supprimer le logo", required=False)

    class Meta:
        model = Organisation
        fields = [
            "name",
            "short_name",
            "kind",
            "kind_label",
            "departement",
            "premises",
            "street",
            "postal_code",
            "city",
            "siret",
            "rna",
            "phone",
            "email",
            "address_block",
        ]
        widgets = {"address_block": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, fixed_departement: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if fixed_departement is not None:
            # A local authority's partners are of its département (conventions.access).
            self.fields["departement"].disabled = True
            if self.instance.pk is None:
                self.instance.departement = fixed_departement
                self.initial["departement"] = fixed_departement

    def clean_logo(self):
        logo = self.cleaned_data["logo"]
        return named_by_format(logo) if logo else None

    def clean_postal_code(self):
        code = self.cleaned_data["postal_code"].strip()
        if code and not re.fullmatch(r"[0-9]{5}", code):
            raise forms.ValidationError(POSTAL_CODE_MESSAGE)
        return code


class RepresentativeForm(OnceFormMixin, forms.ModelForm):
    class Meta:
        model = Representative
        fields = [
            "civility",
            "first_name",
            "last_name",
            "title",
            "acting",
            "delegated_by",
            "delegated_by_title",
            "delegation_reference",
            "mandate_start",
            "mandate_end",
        ]
        widgets = {"mandate_start": DateInput(), "mandate_end": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # One delegates one's signature within one's own organisation.
        self.fields["delegated_by"].queryset = Representative.objects.filter(
            organisation_id=self.instance.organisation_id
        ).exclude(pk=self.instance.pk)
        self.fields["civility"].choices = [("", "Non connue"), *Civility.choices]


class InvitationForm(OnceFormMixin, forms.Form):
    """Invite a colleague: the roles offered are those of the organisation's kind."""

    email = forms.EmailField(
        label="Adresse électronique",
        max_length=254,
        help_text="Le lien d'invitation y sera envoyé ; elle servira d'identifiant.",
    )
    first_name = forms.CharField(label="Prénom", max_length=150, required=False)
    last_name = forms.CharField(label="Nom", max_length=150, required=False)
    role = forms.ChoiceField(label="Rôle", widget=forms.RadioSelect)
    is_referent = forms.BooleanField(
        label="Référent de l'organisation",
        required=False,
        help_text="Pourra inviter d'autres collègues et désactiver des comptes.",
    )

    def __init__(self, *args, roles, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [(role.value, role.label) for role in roles]
        if len(roles) == 1:
            self.fields["role"].initial = roles[0].value


class ApiTokenForm(OnceFormMixin, forms.Form):
    name = forms.CharField(
        label="Nom de la clé",
        max_length=80,
        validators=[single_line],
        help_text="L'outil ou le traitement qui l'utilise, pour vous y retrouver : "
        "« Logiciel d'activité de l'association ».",
    )
    lifetime_days = forms.TypedChoiceField(
        label="Durée de validité",
        coerce=int,
        choices=[(days, f"{days} jours") for days in LIFETIMES_DAYS],
        initial=DEFAULT_LIFETIME_DAYS,
    )


class PasswordResetByTaskForm(PasswordResetForm):
    """Django's forgotten-password form, whose e-mail is a background task: the page
    answers the same at once whether the address is known or not, and the link is built
    by the task (partners.tasks.send_password_reset)."""

    def send_mail(self, subject_template_name, email_template_name, context, *args, **kwargs):
        user_id = context["user"].pk
        transaction.on_commit(lambda: send_password_reset.delay(user_id))
