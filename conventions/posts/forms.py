"""The form of a post's sites: one row a site, with the post's version."""

from django import forms

from config.core.concurrency import VersionedFormMixin
from config.core.forms import AddableRowsFormSet, capped
from config.core.lists import words_match
from conventions.enums import PostKind
from conventions.models import Post, PostSite
from partners.enums import OrganisationKind
from partners.models import Organisation

# A post with more sites than this is a framework of several posts.
MAX_SITES = 12


class PostVersionForm(VersionedFormMixin, forms.Form):
    """Only the version of the post the sites were shown from."""


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
