"""Forms for councils, deliberations and the attendance sheet.

One module of some 440 lines: the deliberation form, its decisions and amounts and
the attendance sheet share the choice fields and the scope of what may be linked
(conventions, funders, members), and are shown together on the same pages.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q

from config.core.concurrency import VersionedFormMixin
from config.core.forms import AddableRowsFormSet, FiniteDecimalField, capped
from config.core.idempotency import OnceFormMixin
from conventions.bodies import usual_body
from conventions.deliberations.checks.attendance import check_attendance
from conventions.deliberations.checks.common import Check
from conventions.deliberations.checks.deliberation import (
    sitting_from_deliberation,
    vote_from_deliberation,
)
from conventions.deliberations.checks.vote import check_vote
from conventions.deliberations.services import (
    DUPLICATE_MEMBER_MESSAGE,
    DUPLICATE_NUMBER_MESSAGE,
    NOT_A_MEMBER_MESSAGE,
    AttendanceEntry,
    parse_member_names,
)
from conventions.enums import AttendanceStatus, DeliberatingBody
from conventions.models import (
    Attendance,
    Convention,
    Council,
    CouncilMember,
    DecidedAmount,
    Decision,
    Deliberation,
)
from partners.models import Organisation, Representative

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class IdsChoiceField(forms.ModelMultipleChoiceField):
    """Refuses an id no integer column holds before asking the database.

    Django checks the chosen ids with an ``__in`` query, and SQLite's driver
    overflows on an id beyond 64 bits (either sign) instead of finding nothing.
    """

    def _check_values(self, value):
        for pk in value if isinstance(value, list | tuple) else ():
            digits = pk.strip().removeprefix("-") if isinstance(pk, str) else ""
            if digits.isdecimal() and len(digits.lstrip("0")) > 18:
                raise ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": pk},
                )
        return super()._check_values(value)


class ConventionChoiceField(IdsChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.reference} — {obj.title}"


class MemberChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class MembersChoiceField(IdsChoiceField):
    def label_from_instance(self, obj):
        return obj.name


def _linkable_conventions(scope):
    return scope.conventions().agreements().order_by("reference")


class DeliberationForm(OnceFormMixin, VersionedFormMixin, forms.ModelForm):
    """A full deliberation of ``council``: the view sets ``instance.council`` first."""

    class Meta:
        model = Deliberation
        fields = [
            "number",
            "session_date",
            "convocation_date",
            "object",
            "service",
            "matter_code",
            "matter_name",
            "budget_name",
            "president",
            "secretaries",
            "rapporteur",
            "rapporteur_capacity",
            "report",
            "second_convocation",
            "secret_ballot",
            "votes_for",
            "votes_against",
            "abstentions",
            "not_participating",
            "blank_ballots",
            "spoilt_ballots",
            "president_vote",
            "result",
            "president_signed",
            "secretaries_signed",
            "signer_for",
            "signer_for_name",
            "signer_capacity",
            "signed_mention",
            "signer_name",
            "signatory",
            "transmission_required",
            "transmitted_on",
            "actes_id",
            "published_on",
            "publication_url",
            "conventions",
        ]
        field_classes = {
            "president": MemberChoiceField,
            "rapporteur": MemberChoiceField,
            "secretaries": MembersChoiceField,
            "conventions": ConventionChoiceField,
        }
        widgets = {
            "session_date": DATE,
            "convocation_date": DATE,
            "transmitted_on": DATE,
            "published_on": DATE,
            "publication_url": forms.URLInput,
            "object": forms.Textarea(attrs={"rows": 2}),
            "report": forms.Textarea(attrs={"rows": 14}),
            "conventions": forms.CheckboxSelectMultiple,
            # Boxes, not a multiple select that asks for Ctrl-click; a council's list
            # scrolls inside its fieldset (templates/includes/field.html).
            "secretaries": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, scope, **kwargs):
        super().__init__(*args, **kwargs)
        members = CouncilMember.objects.filter(council=self.instance.council)
        for name in ("president", "rapporteur", "secretaries"):
            self.fields[name].queryset = members
        self.fields["conventions"].queryset = _linkable_conventions(scope)
        self.fields["signatory"].queryset = Representative.objects.filter(
            organisation_id=self.instance.council.organisation_id
        )
        if self.instance.pk and any(p.is_current for p in self.instance.publications.all()):
            # Written by the publication on this site: withdrawing it clears them.
            for name in ("published_on", "publication_url"):
                self.fields[name].disabled = True
                self.fields[
                    name
                ].help_text = (
                    "Publiée sur ce site : la date et l'adresse sont celles de la publication."
                )
        for name in (
            "votes_for",
            "votes_against",
            "abstentions",
            "not_participating",
            "blank_ballots",
            "spoilt_ballots",
        ):
            self.fields[name].widget.attrs.update({"min": 0, "class": "short"})

    def clean_report(self):
        # Browsers send CRLF; the stored text keeps one convention for the PDF and exports.
        return self.cleaned_data["report"].replace("\r\n", "\n")

    def clean_number(self):
        number = self.cleaned_data["number"].strip()
        duplicate = Deliberation.objects.filter(
            organisation=self.instance.council.organisation, number=number
        ).exclude(pk=self.instance.pk)
        if duplicate.exists():
            raise forms.ValidationError(DUPLICATE_NUMBER_MESSAGE)
        return number

    def clean(self):
        cleaned = super().clean()
        secretaries = cleaned.get("secretaries") or []
        council = self.instance.council
        if any(m.council_id != council.pk for m in secretaries):
            self.add_error("secretaries", NOT_A_MEMBER_MESSAGE)
        return cleaned


class ReferenceDeliberationForm(OnceFormMixin, VersionedFormMixin, forms.ModelForm):
    """A deliberation only cited by a convention: number, date and body."""

    class Meta:
        model = Deliberation
        fields = [
            "organisation",
            "body",
            "body_label",
            "number",
            "session_date",
            "object",
            "conventions",
        ]
        field_classes = {"conventions": ConventionChoiceField}
        widgets = {
            "session_date": DATE,
            "object": forms.Textarea(attrs={"rows": 3}),
            "conventions": forms.CheckboxSelectMultiple,
        }
        labels = {"object": "Objet (ou ce que la convention en dit)"}

    def __init__(self, *args, scope, **kwargs):
        super().__init__(*args, **kwargs)
        self.scope = scope
        conventions = _linkable_conventions(scope)
        self.fields["conventions"].queryset = conventions
        if not scope.is_admin:
            # Its own organisation, or a partner of a convention it sees (the Département
            # whose deliberation the Ermont convention cites).
            self.fields["organisation"].queryset = Organisation.objects.filter(
                Q(pk=scope.organisation.pk) | Q(pk__in=conventions.values("parties__organisation"))
            )

    def clean(self):
        cleaned = super().clean()
        organisation = cleaned.get("organisation")
        scope = self.scope
        if organisation and not scope.is_admin and organisation != scope.organisation:
            editable = [c for c in cleaned.get("conventions") or [] if _editable(scope, c)]
            if not editable:
                self.add_error(
                    "conventions",
                    "Pour citer la délibération d'une autre organisation, liez-la à une "
                    "convention dont vous êtes partie.",
                )
        return cleaned


def _editable(scope, convention):
    return scope.can_edit_convention(
        Convention.objects.prefetch_related("parties").get(pk=convention.pk)
    )


# The most decisions and amounts one deliberation form takes.
MAX_DECISIONS = 30
MAX_DECIDED_AMOUNTS = 40


class BaseDecisionFormSet(AddableRowsFormSet, forms.BaseInlineFormSet):
    pass


DecisionFormSet = forms.inlineformset_factory(
    Deliberation,
    Decision,
    formset=BaseDecisionFormSet,
    fields=["order", "text"],
    extra=1,
    can_delete=True,
    can_delete_extra=False,
    **capped(MAX_DECISIONS),
    widgets={
        "text": forms.Textarea(attrs={"rows": 2}),
        "order": forms.NumberInput(attrs={"class": "short"}),
    },
)


class DecidedAmountForm(forms.ModelForm):
    class Meta:
        model = DecidedAmount
        fields = ["label", "organisation", "year", "amount"]
        field_classes = {"amount": FiniteDecimalField}
        widgets = {"year": forms.NumberInput(attrs={"class": "short"})}


class BaseDecidedAmountFormSet(AddableRowsFormSet, forms.BaseInlineFormSet):
    def __init__(self, *args, scope, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisations = _funders(scope)

    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "organisation" in form.fields:
            form.fields["organisation"].queryset = self.organisations


def _funders(scope):
    if scope.is_admin:
        return Organisation.objects.all()
    return Organisation.objects.filter(
        Q(pk=scope.organisation.pk)
        | Q(pk__in=_linkable_conventions(scope).values("parties__organisation"))
    )


DecidedAmountFormSet = forms.inlineformset_factory(
    Deliberation,
    DecidedAmount,
    form=DecidedAmountForm,
    formset=BaseDecidedAmountFormSet,
    extra=1,
    can_delete=True,
    can_delete_extra=False,
    **capped(MAX_DECIDED_AMOUNTS),
)


# Attendance -------------------------------------------------------------------------


class AttendanceRow:
    def __init__(self, form, member):
        self.member = member
        self.status = form[f"status_{member.pk}"]
        self.holder = form[f"holder_{member.pk}"]
        self.given_on = form[f"given_on_{member.pk}"]
        self.illness = form[f"illness_{member.pk}"]

    @property
    def errors(self):
        return (
            list(self.status.errors)
            + list(self.holder.errors)
            + list(self.given_on.errors)
            + list(self.illness.errors)
        )


NOTHING_SENT_MESSAGE = (
    "Aucune présence n'a été reçue : la feuille de présence n'est pas modifiée. "
    "Indiquez la présence des membres, puis enregistrez de nouveau."
)


class AttendanceForm(VersionedFormMixin, forms.Form):
    """One radio group and one proxy-holder select per member in office.

    Only the members whose status is sent are written: an empty status clears a
    member's line, a member not sent keeps it (a browser sends nothing for a
    group with no radio checked, that is a member still unset). A request that
    sends no member at all is refused rather than read as an empty sheet. The law
    checks run on the sheet as it would stand: a blocking one (more proxies for
    one holder than the law of the session date allows, a holder who is not
    present…) refuses it, next to the member concerned; the others are shown
    once it is saved.
    """

    def __init__(self, *args, deliberation, **kwargs):
        super().__init__(*args, version=deliberation.version, **kwargs)
        self.deliberation = deliberation
        self.members = deliberation.members_in_office
        self.by_pk = {m.pk: m for m in self.members}
        self.saved = {a.member_id: a for a in deliberation.attendances.all()}
        holders = [("", "—")] + [(str(m.pk), m.name) for m in self.members]
        for member in self.members:
            current = self.saved.get(member.pk)
            self.fields[f"status_{member.pk}"] = forms.ChoiceField(
                label=f"Présence de {member.full_name}",
                choices=AttendanceStatus.choices,
                widget=forms.RadioSelect,
                required=False,
                initial=current.status if current else None,
            )
            self.fields[f"holder_{member.pk}"] = forms.TypedChoiceField(
                label=f"Pouvoir de {member.full_name} donné à",
                choices=[c for c in holders if c[0] != str(member.pk)],
                coerce=int,
                empty_value=None,
                required=False,
                initial=current.proxy_holder_id if current else None,
            )
            self.fields[f"given_on_{member.pk}"] = forms.DateField(
                label=f"Pouvoir de {member.full_name} daté du",
                required=False,
                widget=DATE,
                initial=current.proxy_given_on if current else None,
            )
            self.fields[f"illness_{member.pk}"] = forms.BooleanField(
                label=f"Pouvoir de {member.full_name} pour maladie dûment constatée",
                required=False,
                initial=current.proxy_for_illness if current else False,
            )
        self.checks: list[Check] = []
        self.blocking: list[Check] = []
        self.nothing_sent = False

    @property
    def rows(self):
        return [AttendanceRow(self, m) for m in self.members]

    def clean(self):
        cleaned = super().clean()
        entries = []
        cleared = []
        sent = [m for m in self.members if self.add_prefix(f"status_{m.pk}") in self.data]
        for member in sent:
            status = cleaned.get(f"status_{member.pk}")
            if not status:
                cleared.append(member)
                continue
            if status == AttendanceStatus.REPRESENTED:
                entries.append(
                    AttendanceEntry(
                        member,
                        status,
                        self.by_pk.get(cleaned.get(f"holder_{member.pk}")),
                        proxy_given_on=cleaned.get(f"given_on_{member.pk}"),
                        proxy_for_illness=bool(cleaned.get(f"illness_{member.pk}")),
                    )
                )
            else:
                entries.append(AttendanceEntry(member, status))
        self.entries = entries
        self.cleared = cleared
        if self.members and not sent:
            self.nothing_sent = True
            raise ValidationError(NOTHING_SENT_MESSAGE, code="nothing_sent")
        named = {m.pk for m in sent}
        unsaved = [a for pk, a in self.saved.items() if pk not in named] + [
            Attendance(
                member=e.member,
                status=e.status,
                proxy_holder=e.proxy_holder,
                proxy_given_on=e.proxy_given_on,
                proxy_for_illness=e.proxy_for_illness,
            )
            for e in entries
        ]
        sitting = sitting_from_deliberation(self.deliberation, attendances=unsaved, history=True)
        self.checks = check_attendance(sitting) + check_vote(
            vote_from_deliberation(self.deliberation), sitting
        )
        self.blocking = [c for c in self.checks if c.blocking]
        for check in self.blocking:
            field = "given_on" if check.code == "proxy_date" else "holder"
            rows = [f"{field}_{pk}" for pk in check.member_ids if pk in self.by_pk]
            for field in rows:
                self.add_error(field, check.message)
            if not rows:
                self.add_error(None, check.message)
        return cleaned


# Councils ---------------------------------------------------------------------------


class CouncilForm(OnceFormMixin, forms.ModelForm):
    class Meta:
        model = Council
        fields = ["organisation", "body", "body_label", "term_start_year", "term_end_year"]

    def __init__(self, *args, scope, **kwargs):
        super().__init__(*args, **kwargs)
        if not scope.is_admin:
            self.fields["organisation"].queryset = Organisation.objects.filter(
                pk=scope.organisation.pk
            )
            self.fields["organisation"].initial = scope.organisation.pk
            self.fields["organisation"].empty_label = None
            self.fields["body"].initial = usual_body(scope.organisation.kind)
        else:
            self.fields["body"].initial = DeliberatingBody.MUNICIPAL_COUNCIL


# The largest assemblies (a regional council, the Conseil de Paris) have some 210 members.
MAX_MEMBERS_AT_ONCE = 250


class MemberListForm(forms.Form):
    names = forms.CharField(
        label="Membres à ajouter",
        max_length=MAX_MEMBERS_AT_ONCE * 100,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="Un membre par ligne (« Madame Valérie BELY-VOLLAND »), ou la liste du "
        "registre collée telle quelle, les noms séparés par des virgules.",
    )

    def clean_names(self):
        members, errors = parse_member_names(self.cleaned_data["names"])
        if errors:
            raise forms.ValidationError(errors)
        if not members:
            raise forms.ValidationError("Indiquez au moins un membre.")
        if len(members) > MAX_MEMBERS_AT_ONCE:
            raise forms.ValidationError(
                f"{len(members)} noms : ajoutez au plus {MAX_MEMBERS_AT_ONCE} membres à la fois."
            )
        return members


class CouncilMemberForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = CouncilMember
        fields = [
            "civility",
            "first_name",
            "last_name",
            "order",
            "in_office_from",
            "in_office_until",
        ]
        widgets = {"in_office_from": DATE, "in_office_until": DATE}

    def clean(self):
        cleaned = super().clean()
        first, last = cleaned.get("first_name"), cleaned.get("last_name")
        duplicate = CouncilMember.objects.filter(
            council=self.instance.council, first_name=first, last_name=last
        ).exclude(pk=self.instance.pk)
        if first and last and duplicate.exists():
            self.add_error("last_name", DUPLICATE_MEMBER_MESSAGE)
        return cleaned


class PublishForm(OnceFormMixin, VersionedFormMixin, forms.Form):
    """The « Publier » button: the version the page showed (a page prepared before a
    change is refused) and the token that makes a double click publish once."""


class WithdrawPublicationForm(OnceFormMixin, VersionedFormMixin, forms.Form):
    reason = forms.CharField(
        label="Motif du retrait",
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=1000,
        help_text="Par exemple « extrait publié par erreur, une page manquait ». Il reste dans "
        "l'historique de la publication ; il n'est pas affiché sur la page publique.",
        error_messages={"required": "Indiquez le motif du retrait."},
    )
