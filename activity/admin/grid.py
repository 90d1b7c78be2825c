"""The statistics grid in the admin: it is national, so only administrators change it,
and a version that quarters were entered with is frozen."""

from django import forms
from django.contrib import admin

from activity.models import GridVersion, Indicator, IndicatorGroup
from activity.services import grid_version_create
from config.core.admin import HistoryAdmin


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


class FrozenWhenInUseMixin(AdministratorsOnlyMixin):
    """A version entered quarters were counted with never changes: bilans must not move.

    Its groups and indicators become read-only; the administrator creates a new
    version (a copy) applying from a later quarter instead.
    """

    def version_of(self, obj):
        return obj

    def _frozen(self, obj) -> bool:
        version = self.version_of(obj) if obj is not None else None
        return version is not None and version.is_in_use

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not self._frozen(obj)

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and not self._frozen(obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not self._frozen(obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # New groups and indicators only go into versions nobody has entered figures with.
        if db_field.name == "version":
            kwargs["queryset"] = GridVersion.objects.filter(quarter_reports__isnull=True)
        elif db_field.name == "group":
            kwargs["queryset"] = IndicatorGroup.objects.filter(
                version__quarter_reports__isnull=True
            ).select_related("version")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class IndicatorGroupInline(FrozenWhenInUseMixin, admin.TabularInline):
    model = IndicatorGroup
    extra = 0
    fields = ["order", "code", "label", "kind", "total_code"]
    show_change_link = True


@admin.register(GridVersion)
class GridVersionAdmin(AdministratorsOnlyMixin, HistoryAdmin):
    list_display = ["name", "valid_from", "in_use", "created_at"]
    search_fields = ["name", "notes"]
    list_filter = ["valid_from"]
    inlines = [IndicatorGroupInline]

    @admin.display(description="déjà utilisée", boolean=True)
    def in_use(self, obj):
        return obj.is_in_use

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = GridVersionAddForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_inlines(self, request, obj):
        return self.inlines if obj is not None else []

    def get_fields(self, request, obj=None):
        fields = ["name", "valid_from", "notes"]
        return fields if obj is not None else [*fields, "copy_from"]

    def get_readonly_fields(self, request, obj=None):
        return ["valid_from"] if obj is not None and obj.is_in_use else []

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not (obj and obj.is_in_use)

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


class IndicatorInline(FrozenWhenInUseMixin, admin.TabularInline):
    model = Indicator
    extra = 0
    fields = ["order", "code", "label", "help_text"]

    def version_of(self, obj):
        return obj.version  # the parent group


@admin.register(IndicatorGroup)
class IndicatorGroupAdmin(FrozenWhenInUseMixin, HistoryAdmin):
    list_display = ["label", "code", "kind", "total_code", "version"]
    list_filter = ["version", "kind"]
    list_select_related = ["version"]
    search_fields = ["label", "code", "indicators__code", "indicators__label"]
    inlines = [IndicatorInline]

    def version_of(self, obj):
        return obj.version


@admin.register(Indicator)
class IndicatorAdmin(FrozenWhenInUseMixin, HistoryAdmin):
    list_display = ["label", "code", "group", "version"]
    list_filter = ["version", "group__kind"]
    list_select_related = ["group", "version"]
    search_fields = ["label", "code", "group__label"]
    fields = ["group", "order", "code", "label", "help_text"]

    def version_of(self, obj):
        return obj.version
