from django import forms
from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html

from config.core.admin import HistoryAdmin, VersionedAdminMixin
from conventions.admin.scoping import CheckedFilesMixin, ScopedAdminMixin
from conventions.funding.forms import ContributionForm, ProofInput
from conventions.funding.rules import rule_text
from conventions.funding.services import contribution_save, payment_attach_proof
from conventions.models import Contribution, Payment, PostCost


@admin.register(PostCost)
class PostCostAdmin(VersionedAdminMixin, ScopedAdminMixin, HistoryAdmin):
    version_what = "ce coût de poste"
    scope_lookup = ("post", "posts")
    list_display = ["post", "year", "total", "note"]
    list_filter = ["year", "post__departement"]
    list_select_related = ["post"]
    search_fields = ["post__name", "post__sites__name"]
    ordering = ["post__name", "-year"]


class ContributionAdminForm(forms.ModelForm):
    class Meta:
        model = Contribution
        fields = ["convention", *ContributionForm.Meta.fields]


@admin.register(Contribution)
class ContributionAdmin(VersionedAdminMixin, ScopedAdminMixin, HistoryAdmin):
    version_what = "cette contribution"
    scope_lookup = ("convention", "conventions")
    form = ContributionAdminForm
    list_display = ["convention", "organisation", "source", "rule_in_words", "years"]
    list_filter = ["rule", "prorata", "convention__post__departement"]
    list_select_related = ["convention", "organisation"]
    search_fields = ["convention__reference", "organisation__name", "source"]

    @admin.display(description="règle")
    def rule_in_words(self, obj):
        return rule_text(obj)

    @admin.display(description="années")
    def years(self, obj):
        return f"{obj.first_year}–{obj.last_year}"

    def save_model(self, request, obj, form, change):
        contribution_save(contribution=obj, expected_version=form.expected_version)


@admin.register(Payment)
class PaymentAdmin(CheckedFilesMixin, ScopedAdminMixin, HistoryAdmin):
    scope_lookup = ("contribution__convention", "conventions")
    checked_files = {"proof": lambda p: reverse("conventions:payment_proof", args=[p.pk])}
    list_display = ["contribution", "year", "date", "amount", "payer", "reference", "cancelled_at"]
    list_filter = [
        "year",
        "contribution__convention__post__departement",
        ("cancelled_at", admin.EmptyFieldListFilter),
    ]
    readonly_fields = ["proof_versions", "cancelled_at", "cancelled_by", "cancellation_reason"]
    list_select_related = ["contribution__convention", "contribution__organisation", "payer"]
    search_fields = ["reference", "contribution__convention__reference", "payer__name"]
    date_hierarchy = "date"

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if "proof" in form.base_fields:
            # The site's wording ("Justificatif actuel"), with the same checked link.
            download_url = form.base_fields["proof"].widget.download_url
            form.base_fields["proof"].widget = ProofInput(download_url=download_url)
        return form

    # Shown instead of the file input to whoever may only read (CheckedFilesMixin).
    @admin.display(description="justificatif (PDF)")
    def proof_download(self, obj):
        return self.file_link(obj, "proof")

    @admin.display(description="versions du justificatif")
    def proof_versions(self, obj):
        # Every proof ever deposited, kept (payment_attach_proof): listed on the site.
        if obj is None or obj.pk is None:
            return "—"
        count = obj.proof_versions.count()
        url = reverse("conventions:payment_proofs", args=[obj.pk])
        return format_html('<a href="{}">{} version(s) conservée(s)</a>', url, count)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.recorded_by = request.user
        upload = form.cleaned_data.get("proof") if "proof" in form.changed_data else None
        if upload:
            # A new proof is a new version, written by the service; the row keeps the
            # current one until then.
            previous = form.initial.get("proof")
            obj.proof = previous.name if previous else ""
        super().save_model(request, obj, form, change)
        if upload:
            payment_attach_proof(payment=obj, proof=upload, uploaded_by=request.user)

    def has_delete_permission(self, request, obj=None):
        # Never deleted, not even by a superuser (this also removes the bulk deletion):
        # a payment is cancelled with a reason on the funding plan, and stays on record.
        return False
