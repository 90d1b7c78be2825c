"""The form of a post's sites: one row a site, with the post's version."""

from django import forms

from config.core.concurrency import VersionedFormMixin
from config.core.forms import AddableRowsFormSet, capped
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
