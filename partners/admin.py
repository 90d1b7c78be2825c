from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.files.uploadedfile import UploadedFile
from django.urls import reverse

from config.core.admin import (
    CheckedFileInput,
    HistoryAdmin,
    SturdyChangeListMixin,
    VersionedAdminMixin,
)
from partners.logos import named_by_format
from partners.models import Organisation, Representative, User


class RepresentativeInline(admin.TabularInline):
    model = Representative
    fk_name = "organisation"
    extra = 0
    fields = [
        "civility",
        "first_name",
        "last_name",
        "title",
        "acting",
        "delegated_by_title",
        "delegation_reference",
        "mandate_start",
        "mandate_end",
    ]


class OrganisationAdminForm(forms.ModelForm):
    def clean_logo(self):
        # A new upload is named after what it really is, as on the site's form.
        logo = self.cleaned_data.get("logo")
        return named_by_format(logo) if isinstance(logo, UploadedFile) else logo


@admin.register(Organisation)
class OrganisationAdmin(VersionedAdminMixin, HistoryAdmin):
    version_what = "cette organisation"
    form = OrganisationAdminForm
    list_display = ["name", "short_name", "kind", "departement", "city", "siret"]
    list_filter = ["kind", "departement"]
    search_fields = ["name", "short_name", "city", "siret"]
    inlines = [RepresentativeInline]

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if "logo" in form.base_fields:
            # The current logo links to the page that checks who may see it.
            url = reverse("partners:logo", args=[obj.pk]) if obj is not None and obj.logo else None
            form.base_fields["logo"].widget = CheckedFileInput(download_url=url)
        return form


@admin.register(Representative)
class RepresentativeAdmin(HistoryAdmin):
    list_display = ["__str__", "organisation", "mandate_start", "mandate_end"]
    list_filter = ["organisation__departement", "organisation__kind"]
    list_select_related = ["organisation"]
    search_fields = ["last_name", "first_name", "title", "organisation__name"]
    autocomplete_fields = ["organisation", "delegated_by"]


@admin.register(User)
class UserAdmin(SturdyChangeListMixin, BaseUserAdmin):
    list_display = [
        "username",
        "full_name",
        "organisation",
        "role",
        "is_active",
        "is_superuser",
    ]
    list_filter = ["role", "organisation__departement", "is_active", "is_superuser"]
    list_select_related = ["organisation"]
    search_fields = ["username", "first_name", "last_name", "email", "organisation__name"]
    autocomplete_fields = ["organisation"]
    # Dates the server keeps, not for anyone to type (Django's date and time boxes there
    # have no label of their own either).
    readonly_fields = ["last_login", "date_joined"]
    fieldsets = [
        *BaseUserAdmin.fieldsets,
        ("Organisation et rôle", {"fields": ["organisation", "role", "is_referent"]}),
    ]

    @admin.display(description="nom complet", ordering="last_name")
    def full_name(self, user):
        return user.get_full_name()

    # is_superuser is asked on creation too: the form checks the constraints (an
    # organisation and a role unless superuser) only when it has every field they read.
    add_fieldsets = [
        *BaseUserAdmin.add_fieldsets,
        (
            "Organisation et rôle",
            {"fields": ["organisation", "role", "is_referent", "is_superuser"]},
        ),
    ]

    def save_model(self, request, obj, form, change):
        if not obj.is_active:
            # A deactivated account keeps no way in: its calendar address stops for good.
            obj.calendar_token = None
        super().save_model(request, obj, form, change)
