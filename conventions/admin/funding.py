from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import format_html

from config.core.admin import HistoryAdmin, VersionedAdminMixin
from config.core.formats import euros
from conventions.admin.scoping import CheckedFilesMixin, ScopedAdminMixin
from conventions.enums import ContributionNature, ContributionRule
from conventions.funding.forms import ContributionForm, ProofInput
from conventions.funding.rules import rule_text, schedule_text
from conventions.funding.services import (
    check_year_shares,
    contribution_save,
    payment_attach_proof,
)
from conventions.models import Contribution, Payment, PostCost


@admin.register(PostCost)
class PostCostAdmin(VersionedAdminMixin, ScopedAdminMixin, HistoryAdmin):
    version_what = "ce coût de poste"
    scope_lookup = ("post", "posts")
    list_display = ["post", "year", "total_display", "note"]
    list_filter = ["year", "post__departement"]
    list_select_related = ["post"]
    search_fields = ["post__name", "post__sites__name"]
    ordering = ["post__name", "-year"]

    @admin.display(description="coût total", ordering="total")
    def total_display(self, obj):
        return euros(obj.total)


class ContributionAdminForm(forms.ModelForm):
    class Meta:
        model = Contribution
        # ``introduced_by``: the amendment that adds it, when not the signed convention.
        fields = ["convention", "introduced_by", *ContributionForm.Meta.fields]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "nature" in self.fields:  # absent from a read-only form
            self.fields["nature"].required = False

    def clean_nature(self):
        return self.cleaned_data.get("nature") or ContributionNature.MONEY

    def clean(self):
        data = super().clean()
        contribution = self.instance
        if data.get("rule") == ContributionRule.SHARE_BY_YEAR and not self.errors:
            # The shares are entered with the contribution on the site's page: here, the
            # ones already stated must fit the years.
            schedule = [] if contribution.pk is None else contribution.year_shares.all()
            contribution.rule = ContributionRule.SHARE_BY_YEAR
            try:
                check_year_shares(contribution, [(s.year, s.share) for s in schedule])
            except ValidationError as error:
                raise ValidationError(
                    f"{' '.join(error.messages)} Les parts par année se saisissent sur la "
                    "page de la contribution, depuis le plan de financement."
                ) from None
        return data


@admin.register(Contribution)
class ContributionAdmin(VersionedAdminMixin, ScopedAdminMixin, HistoryAdmin):
    version_what = "cette contribution"
    scope_lookup = ("convention", "conventions")
    form = ContributionAdminForm
    readonly_fields = ["year_shares"]
    list_display = ["convention", "organisation", "source", "rule_in_words", "years"]
    list_filter = [
        "nature",
        "budget_line",
        "rule",
        "prorata",
        "convention__posts__departement",
        ("introduced_by", admin.EmptyFieldListFilter),
    ]
    list_select_related = ["convention", "organisation"]
    # A list of every amendment of the country would not fit a select.
    raw_id_fields = ["introduced_by"]
    search_fields = ["convention__reference", "organisation__name", "source"]

    @admin.display(description="règle")
    def rule_in_words(self, obj):
        return rule_text(obj)

    # Read only: the shares are entered with the contribution on the site's page.
    @admin.display(description="parts du coût par année")
    def year_shares(self, obj):
        return schedule_text(obj.share_schedule) if obj.share_schedule else "—"

    @admin.display(description="années")
    def years(self, obj):
        return f"{obj.first_year}–{obj.last_year}"

    def save_model(self, request, obj, form, change):
        contribution_save(contribution=obj, expected_version=form.expected_version)


@admin.register(Payment)
class PaymentAdmin(CheckedFilesMixin, ScopedAdminMixin, HistoryAdmin):
    scope_lookup = ("contribution__convention", "conventions")
    checked_files = {"proof": lambda p: reverse("conventions:payment_proof", args=[p.pk])}
    list_display = [
        "contribution",
        "year",
        "date",
        "amount_display",
        "payer",
        "reference",
        "cancelled_at",
    ]
    list_filter = [
        "year",
        "contribution__convention__posts__departement",
        ("cancelled_at", admin.EmptyFieldListFilter),
    ]
    readonly_fields = ["proof_versions", "cancelled_at", "cancelled_by", "cancellation_reason"]
    list_select_related = ["contribution__convention", "contribution__organisation", "payer"]
    search_fields = ["reference", "contribution__convention__reference", "payer__name"]
    date_hierarchy = "date"

    @admin.display(description="montant", ordering="amount")
    def amount_display(self, obj):
        return euros(obj.amount)

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
