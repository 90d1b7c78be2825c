from django.contrib import admin
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from config.core.admin import HistoryAdmin, VersionedAdminMixin
from config.core.formats import french_date
from conventions.admin.scoping import ScopedAdminMixin
from conventions.models import (
    Amendment,
    Annex,
    Article,
    ArticleChange,
    AssociatedPartner,
    CommitteeMember,
    ContributionChange,
    Convention,
    ConventionPost,
    LegalReference,
    Party,
    PartyChange,
    Post,
    PostHolder,
    PostSite,
    Renewal,
    ReportingRule,
)
from partners.models import User


class HolderAccountMixin:
    """A coordinator links a holder only to an account of its own organisation."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "user" and not request.user.is_superuser:
            kwargs["queryset"] = User.objects.filter(organisation=request.user.organisation_id)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class PostHolderInline(HolderAccountMixin, ScopedAdminMixin, admin.StackedInline):
    # Stacked: each field keeps its own label (the tabular layout leaves them unlabelled).
    model = PostHolder
    extra = 0
    scope_lookup = ("post", "posts")
    coordinator_actions = frozenset({"view", "change", "add"})
    fields = ["name", "start", "end", "user"]


class PostSiteInline(ScopedAdminMixin, admin.TabularInline):
    # A site's functional authority decides which secretariat sees the post and validates
    # its statistics: only the national administrator changes the sites.
    model = PostSite
    extra = 0
    min_num = 1
    scope_lookup = ("post", "posts")
    coordinator_actions = frozenset({"view"})
    fields = ["order", "kind", "name", "address", "force", "functional_authority"]
    autocomplete_fields = ["functional_authority"]


@admin.register(Post)
class PostAdmin(VersionedAdminMixin, ScopedAdminMixin, HistoryAdmin):
    version_what = "ce poste"
    scope_lookup = ("pk", "posts")
    coordinator_actions = frozenset({"view", "change"})
    scope_fields = ("departement", "employer")
    list_display = ["name", "site_names", "departement", "fte", "employer"]
    list_filter = ["departement", "sites__force"]
    list_select_related = ["employer"]
    search_fields = ["name", "sites__name", "employer__name"]
    inlines = [PostSiteInline, PostHolderInline]

    def get_queryset(self, request):
        return super().get_queryset(request).with_sites()

    @admin.display(description="sites")
    def site_names(self, post):
        return post.site_names


@admin.register(PostHolder)
class PostHolderAdmin(HolderAccountMixin, ScopedAdminMixin, HistoryAdmin):
    scope_lookup = ("post", "posts")
    coordinator_actions = frozenset({"view", "change", "add"})
    list_display = ["name", "post", "start", "end"]
    list_filter = ["post__departement", ("end", admin.EmptyFieldListFilter)]
    list_select_related = ["post"]
    search_fields = ["name", "post__name", "post__sites__name"]
    date_hierarchy = "start"


class ConventionInline(ScopedAdminMixin):
    """An inline of a convention: a coordinator reads it, never changes it."""

    scope_lookup = ("convention", "conventions")
    extra = 0


class ConventionPostInline(ConventionInline, admin.TabularInline):
    model = ConventionPost
    fields = ["number", "post", "added_by", "removed_by"]
    autocomplete_fields = ["post"]
    raw_id_fields = ["added_by", "removed_by"]


class PartyInline(ConventionInline, admin.StackedInline):
    model = Party
    fields = [
        ("organisation", "representative", "order", "side"),
        ("designation", "representation"),
        ("mandate_note", "domicile"),
        ("signatory_title", "signature_row", "signature_column"),
        ("is_funder", "is_employer", "is_functional_authority", "is_host"),
        ("signs", "signed_on"),
    ]
    autocomplete_fields = ["organisation", "representative"]


class LegalReferenceInline(ConventionInline, admin.TabularInline):
    model = LegalReference
    fields = ["order", "kind", "text"]


class ArticleInline(ConventionInline, admin.StackedInline):
    model = Article
    fields = [("number", "title"), "body"]


class AnnexInline(ConventionInline, admin.StackedInline):
    model = Annex
    fields = [("order", "title"), "body"]


class RenewalInline(ConventionInline, admin.TabularInline):
    model = Renewal
    fields = ["number", "start", "end", "decided_on", "note"]


class ReportingRuleInline(ConventionInline, admin.TabularInline):
    model = ReportingRule
    fields = ["kind", "period", "due_day", "due_month", "recipients"]


class CommitteeMemberInline(ConventionInline, admin.TabularInline):
    model = CommitteeMember
    fields = ["order", "organisation", "representative", "member"]
    autocomplete_fields = ["organisation", "representative"]


class AssociatedPartnerInline(ConventionInline, admin.TabularInline):
    model = AssociatedPartner
    fields = ["organisation", "wording"]
    autocomplete_fields = ["organisation"]


@admin.register(Convention)
class ConventionAdmin(VersionedAdminMixin, ScopedAdminMixin, HistoryAdmin):
    version_what = "cette convention"
    scope_lookup = ("pk", "conventions")
    list_display = ["reference", "title", "post_names", "is_template", "modified_on"]
    list_filter = ["is_template", "kind", "renewal_mode", "posts__departement"]
    search_fields = ["reference", "title", "posts__name", "parties__organisation__name"]
    autocomplete_fields = ["relay_organisation", "terminated_by", "statistics_validator"]
    raw_id_fields = ["renews"]
    readonly_fields = [
        "signed_scan_link",
        "version",
        "created_at",
        "updated_at",
        "cancelled_at",
        "cancelled_by",
        "cancellation_reason",
    ]
    fieldsets = [
        (
            None,
            {"fields": ["reference", "title", "subtitle", "kind", "is_template", "renews"]},
        ),
        (
            "Texte",
            {"fields": ["place_of_signature", "preamble", "agreement_heading"]},
        ),
        (
            "Présentation des parties",
            {
                "description": "Les mots écrits autour des parties, comme dans le texte de "
                "la convention ; la place de chaque signature se règle sur chaque partie.",
                "fields": [
                    ("parties_opening", "parties_member_link", "parties_group_link"),
                    ("first_side_closing", "second_side_closing"),
                ],
            },
        ),
        (
            "Dates et durée",
            {
                "fields": [
                    ("start_rule", "stated_start_date"),
                    ("end_date", "duration_years", "term_governed_by"),
                    ("renewal_mode", "renewal_period_years"),
                    ("notice_months", "notice_form"),
                    "suspensive_clause",
                ]
            },
        ),
        (
            "Dénonciation",
            {
                "fields": [
                    "terminated_on",
                    "terminated_by",
                    "termination_letter_date",
                    "termination_kind",
                ]
            },
        ),
        (
            "Fonctionnement",
            {"fields": ["first_contact_hours", "relay_organisation", "relay_details"]},
        ),
        (
            "Statistiques",
            {"fields": ["statistics_validation", "statistics_validator"]},
        ),
        (
            "Document et suivi",
            {"fields": ["signed_scan_link", "version", "created_at", "updated_at"]},
        ),
        (
            "Annulation",
            {"fields": ["cancelled_at", "cancelled_by", "cancellation_reason"]},
        ),
    ]
    inlines = [
        ConventionPostInline,
        PartyInline,
        AssociatedPartnerInline,
        LegalReferenceInline,
        ArticleInline,
        AnnexInline,
        RenewalInline,
        ReportingRuleInline,
        CommitteeMemberInline,
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("sections__post")

    @admin.display(description="postes d'ISC")
    def post_names(self, convention):
        return ", ".join(str(section.post) for section in convention.ordered_sections())

    @admin.display(description="convention signée (PDF)")
    def signed_scan_link(self, obj):
        # Deposited on the convention's page, which checks the file; downloaded through
        # the access-checked view, never from MEDIA_URL.
        if not obj.signed_scan:
            return "pas encore déposée"
        url = reverse("conventions:scan", args=[obj.reference])
        return format_html('<a href="{}">télécharger le PDF</a>', url)

    @admin.display(description="modifiée le", ordering="updated_at")
    def modified_on(self, obj):
        return french_date(timezone.localdate(obj.updated_at))

    def has_delete_permission(self, request, obj=None):
        # A signed convention is never deleted, not even by a superuser: it is cancelled
        # with a reason, on its page.
        if obj is not None and obj.is_fully_signed:
            return False
        return super().has_delete_permission(request, obj)

    def get_actions(self, request):
        # The bulk deletion would not ask has_delete_permission for each convention.
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions


class ArticleChangeInline(ScopedAdminMixin, admin.StackedInline):
    model = ArticleChange
    scope_lookup = ("amendment__convention", "conventions")
    extra = 0
    fields = [("article_number", "action"), "new_title", "new_body"]


class ContributionChangeInline(ScopedAdminMixin, admin.TabularInline):
    model = ContributionChange
    scope_lookup = ("amendment__convention", "conventions")
    extra = 0
    fields = ["contribution", "from_year", "until_year", "amount"]
    # A list of every contribution of the country would not fit a select.
    raw_id_fields = ["contribution"]


class PartyChangeInline(ScopedAdminMixin, admin.TabularInline):
    model = PartyChange
    scope_lookup = ("amendment__convention", "conventions")
    extra = 0
    fields = ["organisation", "action"]
    autocomplete_fields = ["organisation"]


@admin.register(Amendment)
class AmendmentAdmin(ScopedAdminMixin, HistoryAdmin):
    scope_lookup = ("convention", "conventions")
    list_display = ["__str__", "convention", "signed_on"]
    list_filter = ["convention__posts__departement", ("signed_on", admin.EmptyFieldListFilter)]
    list_select_related = ["convention"]
    search_fields = ["object", "convention__reference", "convention__title"]
    fields = [
        ("convention", "number"),
        ("signed_on", "effective_on"),
        "object",
        ("new_end_date", "new_duration_years"),
        ("new_renewal_mode", "new_renewal_period_years"),
        "new_notice_months",
    ]
    inlines = [ArticleChangeInline, ContributionChangeInline, PartyChangeInline]
