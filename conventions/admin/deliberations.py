from django.contrib import admin

from config.core.admin import HistoryAdmin, VersionedAdminMixin
from conventions.admin.scoping import ScopedAdminMixin
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
    model = CouncilMember
    extra = 0
    scope_lookup = ("council", "councils")
    fields = ["order", "civility", "first_name", "last_name", "in_office_from", "in_office_until"]


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
    list_display = ["full_name", "council", "order", "in_office_from", "in_office_until"]
    list_filter = ["council__body", "council__organisation__departement"]
    list_select_related = ["council__organisation"]
    search_fields = ["first_name", "last_name", "council__organisation__name"]


class AttendanceInline(ScopedAdminMixin, admin.TabularInline):
    model = Attendance
    fk_name = "deliberation"
    extra = 0
    scope_lookup = ("deliberation", "deliberations")
    fields = ["member", "status", "proxy_holder"]
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
    autocomplete_fields = ["president", "rapporteur", "secretaries", "council"]
    filter_horizontal = ["conventions"]
    inlines = [AttendanceInline, DecisionInline, DecidedAmountInline]

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        kwargs.setdefault("form_class", IdsChoiceField)
        return super().formfield_for_manytomany(db_field, request, **kwargs)
