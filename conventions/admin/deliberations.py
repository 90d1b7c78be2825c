from django import forms
from django.contrib import admin

from config.core.admin import HistoryAdmin, VersionedAdminMixin
from conventions.admin.scoping import ScopedAdminMixin
from conventions.deliberations.checks.attendance import check_attendance
from conventions.deliberations.checks.deliberation import sitting_from_deliberation
from conventions.deliberations.forms import IdsChoiceField
from conventions.models import (
    Attendance,
    Council,
    CouncilMember,
    DecidedAmount,
    Decision,
    Deliberation,
)


class CouncilMemberInline(ScopedAdminMixin, admin.TabularInline):
    """New members are added here; a member already recorded is changed on its own page
    (the link of its line), whose form refuses a stale save (``version``): an inline row
    carries no version, so two people editing the council would overwrite each other."""

    model = CouncilMember
    extra = 0
    scope_lookup = ("council", "councils")
    fields = ["order", "civility", "first_name", "last_name", "in_office_from", "in_office_until"]
    show_change_link = True

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Council)
class CouncilAdmin(ScopedAdminMixin, admin.ModelAdmin):
    scope_lookup = ("pk", "councils")
    list_display = ["__str__", "organisation", "body", "term_start_year", "term_end_year"]
    list_filter = ["body", "organisation__departement"]
    list_select_related = ["organisation"]
    search_fields = ["organisation__name"]
    inlines = [CouncilMemberInline]


@admin.register(CouncilMember)
class CouncilMemberAdmin(VersionedAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    version_what = "ce membre du conseil"
    scope_lookup = ("council", "councils")
    list_display = ["member_name", "council", "order", "in_office_from", "in_office_until"]
    list_filter = ["council__body", "council__organisation__departement"]
    list_select_related = ["council__organisation"]
    search_fields = ["first_name", "last_name", "council__organisation__name"]

    @admin.display(description="nom", ordering="last_name")
    def member_name(self, member):
        return member.full_name


class AttendanceFormSet(forms.BaseInlineFormSet):
    """The sheet as a whole against the law of the session date, as the attendance page
    checks it: more proxies for one holder than allowed that day, a holder who is not
    present… are refused next to the lines concerned."""

    def clean(self):
        super().clean()
        deliberation = self.instance
        if deliberation.council_id is None or deliberation.session_date is None:
            return
        if any(form.errors for form in self.forms):
            return  # a line is already refused on its own
        kept = [
            form for form in self.forms if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        lines = [form.instance for form in kept]
        by_member = {form.instance.member_id: form for form in kept}
        sitting = sitting_from_deliberation(deliberation, attendances=lines)
        for check in check_attendance(sitting):
            if not check.blocking:
                continue
            forms_concerned = [by_member[pk] for pk in check.member_ids if pk in by_member]
            for form in forms_concerned:
                form.add_error(None, check.message)
            if not forms_concerned:
                raise forms.ValidationError(check.message)


class AttendanceInline(ScopedAdminMixin, admin.TabularInline):
    model = Attendance
    formset = AttendanceFormSet
    fk_name = "deliberation"
    extra = 0
    scope_lookup = ("deliberation", "deliberations")
    fields = ["member", "status", "proxy_holder", "proxy_given_on", "proxy_for_illness"]
    autocomplete_fields = ["member", "proxy_holder"]


class DecisionInline(ScopedAdminMixin, admin.TabularInline):
    model = Decision
    extra = 0
    scope_lookup = ("deliberation", "deliberations")


class DecidedAmountInline(ScopedAdminMixin, admin.TabularInline):
    model = DecidedAmount
    extra = 0
    scope_lookup = ("deliberation", "deliberations")


@admin.register(Deliberation)
class DeliberationAdmin(VersionedAdminMixin, ScopedAdminMixin, HistoryAdmin):
    version_what = "cette délibération"
    scope_lookup = ("pk", "deliberations")
    list_display = ["number", "session_date", "organisation", "body", "result", "transmitted_on"]
    list_filter = ["body", "result", "is_reference_only", "organisation__departement"]
    list_select_related = ["organisation"]
    search_fields = ["number", "object", "organisation__name"]
    date_hierarchy = "session_date"
    autocomplete_fields = ["president", "rapporteur", "secretaries", "council", "signatory"]
    filter_horizontal = ["conventions"]
    inlines = [AttendanceInline, DecisionInline, DecidedAmountInline]

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        kwargs.setdefault("form_class", IdsChoiceField)
        return super().formfield_for_manytomany(db_field, request, **kwargs)
