"""The forms of a convention's parts edited apart from its edit page: the follow-up
committee and the reporting rules, the annexes, the associated partners."""

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.forms.models import BaseInlineFormSet, inlineformset_factory

from config.core.concurrency import VersionedFormMixin
from config.core.formats import MONTHS
from config.core.forms import AddableRowsFormSet, capped
from config.core.idempotency import OnceFormMixin
from config.core.widgets import FastSelect, share_choices
from conventions.agreements.forms import MultilineField, RepresentativeChoiceField
from conventions.models import (
    Annex,
    AssociatedPartner,
    CommitteeMember,
    Convention,
    ReportingRule,
)
from conventions.models.follow_up import member_wording
from partners.models import Organisation, Representative

# The most rows a page takes: the longest conventions have a dozen committee members,
# a few reporting rules, annexes and associated partners.
MAX_COMMITTEE_MEMBERS = 40
MAX_REPORTING_RULES = 20
MAX_ANNEXES = 30
MAX_ASSOCIATED_PARTNERS = 20


class PartsForm(OnceFormMixin, VersionedFormMixin, forms.Form):
    """The convention's version the rows were shown from, and the page's token."""


class OrganisationRowForm(forms.ModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.order_by("departement", "name")

    def validate_unique(self):
        # Duplicates are checked across the rows by the formset, next to the field.
        pass


class CommitteeMemberForm(OrganisationRowForm):
    representative = RepresentativeChoiceField(
        queryset=Representative.objects.select_related("organisation").order_by(
            "organisation__departement", "organisation__name", "-mandate_start"
        ),
        required=False,
        label="Représentant",
        help_text="Facultatif : la personne qui siège, parmi les représentants de "
        "l'organisation choisie.",
    )

    class Meta:
        model = CommitteeMember
        fields = ["order", "organisation", "representative", "member"]
        widgets = {"organisation": FastSelect}  # every organisation of the country, each row

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].required = False

    def clean(self):
        cleaned = super().clean()
        representative = cleaned.get("representative")
        if not cleaned.get("member") and "member" not in self.errors:
            if representative is not None:
                # « Le Préfet des Deux-Sèvres ou son représentant », as the texts write it.
                cleaned["member"] = member_wording(representative)
            elif "representative" not in self.errors:
                self.add_error(
                    "member",
                    "Écrivez le membre tel que le texte le nomme, ou choisissez son représentant.",
                )
        return cleaned


class ReportingRuleForm(forms.ModelForm):
    due_day = forms.IntegerField(
        label="Jour d'échéance",
        required=False,
        validators=[
            MinValueValidator(1, "Le jour va de 1 à 31."),
            MaxValueValidator(31, "Le jour va de 1 à 31."),
        ],
        help_text="Par exemple 15 pour « avant le 15 avril ».",
    )
    due_month = forms.TypedChoiceField(
        label="Mois d'échéance",
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", "—"), *((number, name) for number, name in enumerate(MONTHS, start=1))],
    )

    class Meta:
        model = ReportingRule
        fields = ["kind", "period", "due_day", "due_month", "recipients"]

    def clean(self):
        cleaned = super().clean()
        day, month = cleaned.get("due_day"), cleaned.get("due_month")
        if "due_day" in self.errors or "due_month" in self.errors:
            return cleaned
        if (day is None) != (month is None):
            missing = "due_day" if day is None else "due_month"
            self.add_error(missing, "Indiquez le jour et le mois de l'échéance, ou aucun des deux.")
        return cleaned


class AnnexForm(forms.ModelForm):
    class Meta:
        model = Annex
        fields = ["order", "title", "body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 6})}
        field_classes = {"body": MultilineField}


class AssociatedPartnerForm(OrganisationRowForm):
    class Meta:
        model = AssociatedPartner
        fields = ["organisation", "wording"]
        widgets = {"wording": forms.Textarea(attrs={"rows": 2}), "organisation": FastSelect}
        field_classes = {"wording": MultilineField}
        help_texts = {
            "wording": "Telle qu'écrite, par exemple « Le Procureur de la République près le "
            "tribunal judiciaire de Niort est associé à la présente convention. »"
        }


class RowsFormSet(AddableRowsFormSet, BaseInlineFormSet):
    pass


class AssociatedPartnerFormSet(RowsFormSet):
    def clean(self):
        seen = set()
        for form in self.forms:
            if self.can_delete and self._should_delete_form(form):
                continue
            organisation = getattr(form, "cleaned_data", {}).get("organisation")
            if organisation is None:
                continue
            if organisation.pk in seen:
                form.add_error("organisation", "Ce partenaire est déjà associé à la convention.")
            seen.add(organisation.pk)


def _formset(model, form, formset, max_rows, *, data, instance, prefix, queryset=None):
    return inlineformset_factory(
        Convention,
        model,
        form=form,
        formset=formset,
        extra=1,
        can_delete_extra=False,
        **capped(max_rows),
    )(data, instance=instance, prefix=prefix, queryset=queryset)


def follow_up_formsets(*, data, instance) -> dict:
    committee = _formset(
        CommitteeMember,
        CommitteeMemberForm,
        RowsFormSet,
        MAX_COMMITTEE_MEMBERS,
        data=data,
        instance=instance,
        prefix="committee",
    )
    share_choices(committee, ["organisation", "representative"])
    rules = _formset(
        ReportingRule,
        ReportingRuleForm,
        RowsFormSet,
        MAX_REPORTING_RULES,
        data=data,
        instance=instance,
        prefix="reporting",
    )
    return {"committee": committee, "reporting": rules}


def annex_formsets(*, data, instance) -> dict:
    annexes = _formset(
        Annex, AnnexForm, RowsFormSet, MAX_ANNEXES, data=data, instance=instance, prefix="annexes"
    )
    return {"annexes": annexes}


def associated_partner_formsets(*, data, instance) -> dict:
    partners = _formset(
        AssociatedPartner,
        AssociatedPartnerForm,
        AssociatedPartnerFormSet,
        MAX_ASSOCIATED_PARTNERS,
        data=data,
        instance=instance,
        prefix="associated",
        # Each row's legend names its organisation.
        queryset=AssociatedPartner.objects.select_related("organisation"),
    )
    share_choices(partners, ["organisation"])
    return {"associated": partners}
