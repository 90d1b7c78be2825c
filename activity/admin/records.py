"""Monthly records and quarters in the admin: coordinators enter and submit the posts
their organisation employs, through the same services and rules as the site's pages."""

import datetime

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from activity.checks import month_problems
from activity.models import (
    GridVersion,
    MonthlyRecord,
    QuarterEvent,
    QuarterReport,
    QuarterValidation,
)
from activity.rules import Action, permissions
from activity.selectors import grid_layout, report_values
from activity.services import (
    monthly_record_save,
    quarter_report_get_or_create,
    quarter_submit,
    quarter_validate,
)
from config.core.admin import HistoryAdmin, VersionedAdminMixin
from conventions.access import scope_for
from conventions.admin.scoping import ScopedAdminMixin


class MonthlyRecordForm(forms.ModelForm):
    """One month's counts, saved through ``monthly_record_save`` like the site's pages.

    ``get_form`` adds a field per indicator of the grid version and sets ``user``
    and ``layout``; ``clean()`` runs the same rules as the service, so that a
    refusal is a form error rather than a failure after the form was accepted.
    """

    user = None
    layout = None
    quarter_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = MonthlyRecord
        fields = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            report = self.instance.report
            self.fields["quarter_version"].initial = report.version
            values = report_values(report)[self.instance.month]
            for code in self.layout.codes:
                self.fields[code].initial = values.get(code)

    def month_values(self):
        return {code: self.cleaned_data.get(code) for code in self.layout.codes}

    def _post_clean(self):
        # The service writes the record; this form's instance is never saved as such.
        pass

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        if self.instance.pk:
            report, month = self.instance.report, self.instance.month
        else:
            month = cleaned["month"]
            quarter = (month - 1) // 3 + 1
            report = QuarterReport.objects.filter(
                post=cleaned["post"], year=cleaned["year"], quarter=quarter
            ).first() or QuarterReport(
                post=cleaned["post"],
                year=cleaned["year"],
                quarter=quarter,
                grid_version=GridVersion.objects.in_force(
                    datetime.date(cleaned["year"], 3 * quarter - 2, 1)
                ),
            )
            if grid_layout(report.grid_version) != self.layout:
                raise forms.ValidationError(
                    "Ce trimestre utilise une autre version de la grille : saisissez-le depuis "
                    "la page de saisie du site."
                )
            if report.pk and report.records.filter(month=month).exists():
                raise forms.ValidationError(
                    "Ce mois a déjà un relevé : modifiez-le depuis la liste des relevés."
                )
        if not permissions(self.user, report.post).may(Action.SAVE, report.state):
            raise forms.ValidationError(
                f"Ce trimestre est {report.get_state_display().lower()} : vous ne pouvez pas "
                "le modifier."
            )
        expected = cleaned.get("quarter_version")
        if expected is not None and expected != report.version:
            raise forms.ValidationError(
                "Ce trimestre a été modifié par quelqu'un d'autre pendant votre saisie : "
                "rechargez la page."
            )
        problems = month_problems(self.layout, self.month_values())
        for problem in problems:
            self.add_error(problem.codes[0] if len(problem.codes) == 1 else None, problem.message)
        self.report, self.month = report, month
        return cleaned


@admin.register(MonthlyRecord)
class MonthlyRecordAdmin(ScopedAdminMixin, HistoryAdmin):
    scope_lookup = ("report__post", "posts")
    coordinator_actions = frozenset({"view", "change", "add"})
    list_display = ["report", "month", "entered_by", "entered_at"]
    list_filter = ["report__year", "report__state", "report__post__departement"]
    list_select_related = ["report__post", "entered_by"]
    search_fields = ["report__post__name"]
    readonly_fields = ["report", "month", "entered_by", "entered_at"]

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (
            obj is None
            or permissions(request.user, obj.report.post).may(Action.SAVE, obj.report.state)
        )

    def has_delete_permission(self, request, obj=None):
        # A month is emptied through its values, never deleted behind the workflow's back.
        return False

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields if obj is not None else []

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is not None:
            version = obj.report.grid_version
        else:
            version = GridVersion.objects.in_force(timezone.localdate())
        layout = grid_layout(version)
        attrs = {"user": request.user, "layout": layout}
        if obj is None:
            attrs["post"] = forms.ModelChoiceField(scope_for(request.user).posts(), label="poste")
            attrs["year"] = forms.IntegerField(label="année", min_value=2000, max_value=2100)
            attrs["month"] = forms.IntegerField(label="mois", min_value=1, max_value=12)
        for group in layout.groups:
            for indicator in group.indicators:
                attrs[indicator.code] = forms.IntegerField(
                    label=f"{group.label} — {indicator.label}",
                    required=False,
                    min_value=0,
                    help_text=indicator.help_text,
                )
        return type("MonthlyRecordAdminForm", (MonthlyRecordForm,), attrs)

    def save_model(self, request, obj, form, change):
        report = form.report
        if report.pk is None:
            report = quarter_report_get_or_create(
                post=report.post, year=report.year, quarter=report.quarter
            )
        report = monthly_record_save(
            report=report,
            month=form.month,
            values=form.month_values(),
            user=request.user,
            expected_version=form.report.version,
        )
        saved = report.records.get(month=form.month)
        obj.pk, obj.report, obj.month = saved.pk, report, saved.month
        obj.entered_by, obj.entered_at = saved.entered_by, saved.entered_at


class MonthlyRecordInline(ScopedAdminMixin, admin.TabularInline):
    model = MonthlyRecord
    scope_lookup = ("report__post", "posts")
    coordinator_actions = frozenset({"view"})
    extra = 0
    fields = ["month", "entered_by", "entered_at"]
    readonly_fields = fields
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        # A month is corrected through the workflow (reopening with a reason), never deleted.
        return False


class QuarterEventInline(ScopedAdminMixin, admin.TabularInline):
    model = QuarterEvent
    scope_lookup = ("report__post", "posts")
    coordinator_actions = frozenset({"view"})
    extra = 0
    fields = ["at", "action", "by", "reason"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def _validated_text(report) -> str:
    if report.is_final:
        return "validé."
    return "validation enregistrée ; le trimestre attend celle des autres autorités du poste."


class QuarterValidationInline(ScopedAdminMixin, admin.TabularInline):
    model = QuarterValidation
    scope_lookup = ("report__post", "posts")
    coordinator_actions = frozenset({"view"})
    extra = 0
    fields = ["authority", "validated_by", "validated_at"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(QuarterReport)
class QuarterReportAdmin(VersionedAdminMixin, ScopedAdminMixin, HistoryAdmin):
    version_what = "ce trimestre"
    scope_lookup = ("post", "posts")
    coordinator_actions = frozenset({"view"})
    list_display = ["post", "year", "quarter", "state", "submitted_at", "validated_at"]
    list_filter = ["state", "year", "post__departement"]
    list_select_related = ["post"]
    search_fields = ["post__name", "post__sites__name"]
    fields = [
        "post",
        "year",
        "quarter",
        "grid_version",
        "state",
        "comment",
        "submitted_at",
        "submitted_by",
        "validated_at",
        "validated_by",
    ]
    readonly_fields = fields
    inlines = [MonthlyRecordInline, QuarterValidationInline, QuarterEventInline]
    actions = ["submit_selected", "validate_selected"]

    def has_add_permission(self, request, obj=None):
        # Quarters open by themselves with their first month.
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def _run(self, request, queryset, service, done):
        for report in queryset.select_related("post").prefetch_related(
            "post__holders", "post__sites"
        ):
            try:
                result = service(report=report, user=request.user)
            except PermissionDenied:
                self.message_user(request, f"{report} : action non autorisée.", messages.ERROR)
            except ValidationError as error:
                self.message_user(request, f"{report} : {' '.join(error.messages)}", messages.ERROR)
            else:
                text = done(result) if callable(done) else done
                self.message_user(request, f"{report} : {text}", messages.SUCCESS)

    @admin.action(description="Transmettre les trimestres sélectionnés")
    def submit_selected(self, request, queryset):
        self._run(request, queryset, quarter_submit, "transmis.")

    @admin.action(
        description="Valider les trimestres sélectionnés (secrétariat de l'autorité fonctionnelle)"
    )
    def validate_selected(self, request, queryset):
        self._run(request, queryset, quarter_validate, _validated_text)
