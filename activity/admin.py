from django import forms
from django.contrib import admin

from .models import GridVersion, Indicator, IndicatorGroup
from .services import grid_version_create


class AdministratorsOnlyMixin:
    """The grid is national: only administrators change it, whatever Django permissions say."""

    def has_module_permission(self, request):
        return request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_add_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


class GridVersionAddForm(forms.ModelForm):
    copy_from = forms.ModelChoiceField(
        GridVersion.objects.all(),
        required=False,
        label="copier la version",
        help_text="La nouvelle version reprend ses groupes et indicateurs ; modifiez-les ensuite.",
    )

    class Meta:
        model = GridVersion
        fields = ["name", "valid_from", "notes"]


class IndicatorGroupInline(AdministratorsOnlyMixin, admin.TabularInline):
    model = IndicatorGroup
    extra = 0
    fields = ["order", "code", "label", "kind", "total_code"]
    show_change_link = True


@admin.register(GridVersion)
class GridVersionAdmin(AdministratorsOnlyMixin, admin.ModelAdmin):
    list_display = ["name", "valid_from", "created_at"]
    search_fields = ["name", "notes"]
    list_filter = ["valid_from"]
    inlines = [IndicatorGroupInline]

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = GridVersionAddForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_inlines(self, request, obj):
        return self.inlines if obj is not None else []

    def get_fields(self, request, obj=None):
        fields = ["name", "valid_from", "notes"]
        return fields if obj is not None else [*fields, "copy_from"]

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        created = grid_version_create(
            name=obj.name,
            valid_from=obj.valid_from,
            notes=obj.notes,
            copy_from=form.cleaned_data.get("copy_from"),
        )
        obj.pk = created.pk
        obj.created_at = created.created_at


class IndicatorInline(AdministratorsOnlyMixin, admin.TabularInline):
    model = Indicator
    extra = 0
    fields = ["order", "code", "label", "help_text"]


@admin.register(IndicatorGroup)
class IndicatorGroupAdmin(AdministratorsOnlyMixin, admin.ModelAdmin):
    list_display = ["label", "code", "kind", "total_code", "version"]
    list_filter = ["version", "kind"]
    list_select_related = ["version"]
    search_fields = ["label", "code", "indicators__code", "indicators__label"]
    inlines = [IndicatorInline]


@admin.register(Indicator)
class IndicatorAdmin(AdministratorsOnlyMixin, admin.ModelAdmin):
    list_display = ["label", "code", "group", "version"]
    list_filter = ["version", "group__kind"]
    list_select_related = ["group", "version"]
    search_fields = ["label", "code", "group__label"]
    fields = ["group", "order", "code", "label", "help_text"]
