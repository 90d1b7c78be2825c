"""The forms of a post: what it is, and its sites (one row a site)."""

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError

from config.core.concurrency import VersionedFormMixin
from config.core.formats import french_number
from config.core.forms import AddableRowsFormSet, FiniteDecimalField, capped
from config.core.idempotency import OnceFormMixin
from config.core.lists import words_match
from conventions.enums import PostKind
from conventions.models import Post, PostSite
from partners.enums import OrganisationKind
from partners.models import Organisation

# A post with more sites than this is a framework of several posts.
MAX_SITES = 12


class PostVersionForm(VersionedFormMixin, forms.Form):
    """Only the version of the post the sites were shown from."""


class FteField(FiniteDecimalField):
    """A share of a full-time post as people type it: "1", "0,5", "0.8"."""

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip().replace(",", ".")
        try:
            return super().to_python(value)
        except ValidationError:
            raise ValidationError(
                "Indiquez une part de temps plein, par exemple 1 ou 0,5.", code="invalid"
            ) from None

    def prepare_value(self, value):
        if isinstance(value, Decimal | int):
            return french_number(value, 0 if value == int(value) else 2)
        return value

    def widget_attrs(self, widget):
        # A text input: a number input would refuse "0,5" in some browsers.
        return {"inputmode": "decimal", "autocomplete": "off"}


class EmployerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.departement})" if obj.departement else obj.name


class PostForm(forms.ModelForm):
    """What the post is. A local authority's posts are of its own département: the
    field is then fixed to it."""

    class Meta:
        model = Post
        fields = ["name", "departement", "fte", "employer"]
        field_classes = {"employer": EmployerChoiceField, "fte": FteField}
        widgets = {"fte": forms.TextInput}
        help_texts = {"departement": "Son numéro, par exemple 79 ou 2A."}

    def __init__(self, *args, scope, **kwargs):
        super().__init__(*args, **kwargs)
        # Organisations are public, as the parties of a convention.
        self.fields["employer"].queryset = Organisation.objects.order_by("departement", "name")
        if not scope.is_admin:
            self.fields["departement"].disabled = True


class PostCreateForm(OnceFormMixin, PostForm):
    pass


class PostEditForm(VersionedFormMixin, PostForm):
    pass


class BasePostSiteFormSet(AddableRowsFormSet, forms.BaseInlineFormSet):
    def __init__(self, *args, scope, **kwargs):
        super().__init__(*args, **kwargs)
        authorities = Organisation.objects.filter(
            kind__in=[OrganisationKind.POLICE, OrganisationKind.GENDARMERIE]
        ).order_by("name")
        if not scope.is_admin:
            # A DDSP or a groupement of the post's département.
            authorities = authorities.filter(departement=self.instance.departement)
        self.authorities = authorities

    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "functional_authority" in form.fields:
            form.fields["functional_authority"].queryset = self.authorities


PostSiteFormSet = forms.inlineformset_factory(
    Post,
    PostSite,
    formset=BasePostSiteFormSet,
    fields=["order", "kind", "name", "address", "force", "functional_authority"],
    extra=1,
    can_delete=True,
    can_delete_extra=False,
    **capped(MAX_SITES),
    widgets={"order": forms.NumberInput(attrs={"class": "short"})},
)


class PostFilterForm(forms.Form):
    """The filters of the post list; the choices are what the user's scope holds."""

    q = forms.CharField(
        label="Rechercher",
        required=False,
        max_length=100,
        help_text="Intitulé, site, employeur ou titulaire.",
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    departement = forms.ChoiceField(label="Département", required=False)
    kind = forms.ChoiceField(
        label="Type de poste", required=False, choices=[("", "Tous"), *PostKind.choices]
    )

    def __init__(self, *args, departements=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["departement"].choices = [("", "Tous"), *((d, d) for d in departements)]

    def filter(self, posts):
        """``posts`` annotated ``with_kind()``; an invalid filter is left out (shown with
        its error)."""
        self.is_valid()
        data = {k: v for k, v in getattr(self, "cleaned_data", {}).items() if k not in self.errors}
        condition = words_match(
            data.get("q"),
            "name",
            "sites__name",
            "employer__name",
            "employer__short_name",
            "holders__name",
        )
        if condition is not None:
            posts = posts.filter(pk__in=Post.objects.filter(condition).values("pk"))
        if data.get("departement"):
            posts = posts.filter(departement=data["departement"])
        if data.get("kind"):
            posts = posts.filter(annotated_kind=data["kind"])
        return posts
