"""Deliberations: list, register extract, create/edit, attendance; council rosters."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_POST

from config.core.documents import pdf_response
from config.core.forms import add_service_errors, cleaned_data_as, formset_changes
from config.core.idempotency import submitted_once
from config.core.lists import list_page, words_match
from config.core.office import editable_response
from config.core.sorting import SortColumn, Sorting
from config.core.widgets import FastSelect
from conventions.access import scope_for
from conventions.deliberations.checks.common import Severity
from conventions.deliberations.checks.deliberation import check_deliberation
from conventions.deliberations.checks.law import (
    ProxyDurationRule,
    proxy_rule,
    quorum_rule,
    rule_in_force,
)
from conventions.deliberations.documents import render_deliberation_pdf
from conventions.deliberations.editable import deliberation_document
from conventions.deliberations.forms import (
    AttendanceForm,
    CouncilForm,
    CouncilMemberForm,
    DecidedAmountFormSet,
    DecisionFormSet,
    DeliberationForm,
    MemberListForm,
    PublishForm,
    ReferenceDeliberationForm,
    WithdrawPublicationForm,
)
from conventions.deliberations.publication import (
    current_publication,
    deliberation_publication_withdraw,
    deliberation_publish,
)
from conventions.deliberations.services import (
    DecidedAmountData,
    DecisionData,
    DeliberationData,
    attendance_record,
    cited_deliberation_save,
    council_create,
    council_member_update,
    council_members_add,
    deliberation_save,
)
from conventions.history import deliberation_history
from conventions.letterheads import deliberation_letterhead
from conventions.models import Convention, Council, CouncilMember, Deliberation
from partners.models import Organisation

PAGE_SIZE = 50


class ConventionFilterField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.reference


class DeliberationFilterForm(forms.Form):
    q = forms.CharField(
        label="Rechercher",
        required=False,
        widget=forms.TextInput(attrs={"type": "search"}),
        help_text="Numéro, objet, assemblée, organisation, président ou rapporteur.",
    )
    organisation = forms.ModelChoiceField(
        label="Organisation",
        queryset=Organisation.objects.none(),
        required=False,
        empty_label="Toutes",
        widget=FastSelect,
    )
    year = forms.TypedChoiceField(label="Année", coerce=int, required=False, empty_value=None)
    convention = ConventionFilterField(
        label="Convention liée",
        queryset=Convention.objects.none(),
        required=False,
        empty_label="Toutes",
        widget=FastSelect,
    )
    transmitted = forms.ChoiceField(
        label="Transmission en préfecture",
        required=False,
        choices=[("", "Toutes"), ("oui", "Transmises"), ("non", "Non transmises")],
    )

    def __init__(self, *args, visible, conventions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(
            pk__in=visible.values("organisation")
        ).order_by("name")
        self.fields["convention"].queryset = conventions.agreements().order_by("reference")
        years = sorted({d.year for d in visible.dates("session_date", "year")}, reverse=True)
        self.fields["year"].choices = [("", "Toutes")] + [(y, y) for y in years]

    def filter(self, queryset):
        if not self.is_valid():
            return queryset
        data = self.cleaned_data
        queryset = queryset.search(data["q"])
        if data["organisation"]:
            queryset = queryset.filter(organisation=data["organisation"])
        if data["year"]:
            queryset = queryset.filter(session_date__year=data["year"])
        if data["convention"]:
            queryset = queryset.filter(conventions=data["convention"])
        if data["transmitted"]:
            queryset = queryset.transmitted(data["transmitted"] == "oui")
        return queryset


DELIBERATION_COLUMNS = (
    SortColumn("numero", "Numéro", ("number",)),
    SortColumn("seance", "Séance", ("session_date", "number")),
    SortColumn("organisation", "Assemblée", ("organisation__name", "body")),
)


def deliberation_list(request):
    scope = scope_for(request.user)
    visible = scope.deliberations()
    conventions = scope.conventions()
    filters = DeliberationFilterForm(request.GET or None, visible=visible, conventions=conventions)
    sorting = Sorting.from_query(request.GET, DELIBERATION_COLUMNS, default="-seance")
    deliberations = sorting.apply(filters.filter(visible.for_list(conventions)))
    return render(
        request,
        "conventions/deliberation_list.html",
        {
            **list_page(request, deliberations, page_size=PAGE_SIZE),
            "filters": filters,
            "sorting": sorting,
            "headers": sorting.headers(),
            "can_create": scope.can_create_deliberation,
        },
    )


def _get_deliberation(request, pk):
    scope = scope_for(request.user)
    deliberation = get_object_or_404(scope.deliberations().for_detail(scope.conventions()), pk=pk)
    return scope, deliberation


def deliberation_detail(request, pk):
    scope, deliberation = _get_deliberation(request, pk)
    return _detail_page(request, scope, deliberation)


def _detail_page(
    request,
    scope,
    deliberation,
    *,
    publish_form=None,
    withdraw_form=None,
    action_errors=(),
    status=200,
):
    checks = check_deliberation(deliberation)
    can_edit = scope.can_edit_deliberation(deliberation)
    current = current_publication(deliberation)
    publishing = can_edit and not deliberation.is_reference_only
    if publishing and current is None and publish_form is None:
        publish_form = PublishForm(version=deliberation.version)
    if publishing and current is not None and withdraw_form is None:
        withdraw_form = WithdrawPublicationForm(version=deliberation.version)
    return render(
        request,
        "conventions/deliberation_detail.html",
        {
            "deliberation": deliberation,
            "checks": checks,
            "error_count": sum(c.severity == Severity.ERROR for c in checks),
            "can_edit": can_edit,
            "history": deliberation_history(deliberation),
            "publications": deliberation.publications.all(),
            "current_publication": current,
            "publish_form": publish_form if publishing and current is None else None,
            "withdraw_form": withdraw_form if publishing and current is not None else None,
            # A refused publication or withdrawal: said above whichever form now shows.
            "action_errors": action_errors,
        },
        status=status,
    )


def _publication_action(request, pk, form_class, act, done):
    """Publish or withdraw from the detail page: POST only, for who may edit the
    deliberation; a refusal shows the page again (400) with the reason."""
    scope, deliberation = _get_deliberation(request, pk)
    if not scope.can_edit_deliberation(deliberation):
        raise PermissionDenied
    form = form_class(request.POST, version=deliberation.version)
    if form.is_valid():
        try:
            act(deliberation, form)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, done)
            return redirect(deliberation)
    key = "publish_form" if form_class is PublishForm else "withdraw_form"
    # The page shows what is saved now, not the state read before the refusal.
    deliberation = scope.deliberations().for_detail(scope.conventions()).get(pk=pk)
    return _detail_page(
        request,
        scope,
        deliberation,
        # The hidden fields' errors too (a post without the page's version): no field
        # shows them.
        action_errors=[
            *form.non_field_errors(),
            *(error for field in form.hidden_fields() for error in field.errors),
        ],
        status=400,
        **{key: form},
    )


@require_POST
@submitted_once
def deliberation_publish_view(request, pk):
    return _publication_action(
        request,
        pk,
        PublishForm,
        lambda deliberation, form: deliberation_publish(
            deliberation=deliberation, user=request.user, expected_version=form.expected_version
        ),
        "Délibération publiée : son extrait est en ligne à son adresse publique.",
    )


@require_POST
@submitted_once
def deliberation_withdraw_view(request, pk):
    return _publication_action(
        request,
        pk,
        WithdrawPublicationForm,
        lambda deliberation, form: deliberation_publication_withdraw(
            deliberation=deliberation,
            user=request.user,
            reason=form.cleaned_data["reason"],
            expected_version=form.expected_version,
        ),
        "Publication retirée : son adresse publique dit désormais qu'elle a été retirée, et quand.",
    )


@submitted_once
def deliberation_create(request):
    scope = scope_for(request.user)
    council_id = request.GET.get("conseil", "")
    # A council out of scope is a 404 whoever asks, before saying who may create:
    # a 403 would tell that it exists.
    council = get_object_or_404(scope.councils(), pk=council_id) if council_id.isdecimal() else None
    if not scope.can_create_deliberation:
        raise PermissionDenied
    if request.GET.get("citee"):
        return _edit_reference(request, scope, Deliberation(is_reference_only=True))
    if council is None:
        councils = list(scope.councils().select_related("organisation"))
        if len(councils) != 1:
            return render(
                request, "conventions/deliberation_council_choice.html", {"councils": councils}
            )
        council = councils[0]
    if not scope.can_manage_council(council):
        raise PermissionDenied
    return _edit_full(request, scope, Deliberation(council=council))


def deliberation_edit(request, pk):
    scope, deliberation = _get_deliberation(request, pk)
    if not scope.can_edit_deliberation(deliberation):
        raise PermissionDenied
    if deliberation.is_reference_only:
        return _edit_reference(request, scope, deliberation)
    return _edit_full(request, scope, deliberation)


def _edit_full(request, scope, deliberation):
    data = request.POST if request.method == "POST" else None
    form = DeliberationForm(data, instance=deliberation, scope=scope)
    decisions = DecisionFormSet(data, instance=deliberation, prefix="decisions")
    amounts = DecidedAmountFormSet(data, instance=deliberation, prefix="amounts", scope=scope)
    if data is not None:
        valid = form.is_valid()
        valid = decisions.is_valid() and valid
        valid = amounts.is_valid() and valid
        if valid:
            creating = deliberation.pk is None
            try:
                deliberation = deliberation_save(
                    deliberation=deliberation,
                    data=cleaned_data_as(form, DeliberationData),
                    decisions=formset_changes(decisions, DecisionData),
                    amounts=formset_changes(amounts, DecidedAmountData),
                    expected_version=form.expected_version,
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                if creating:
                    messages.success(
                        request,
                        "Délibération enregistrée. Saisissez maintenant la feuille de présence.",
                    )
                    return redirect("conventions:deliberation_attendance", pk=deliberation.pk)
                return _saved(request, deliberation)
    checks = check_deliberation(deliberation) if deliberation.pk else []
    return render(
        request,
        "conventions/deliberation_form.html",
        {
            "form": form,
            "decisions": decisions,
            "amounts": amounts,
            "deliberation": deliberation,
            "council": deliberation.council,
            "checks": checks,
        },
    )


def _edit_reference(request, scope, deliberation):
    form = ReferenceDeliberationForm(
        request.POST if request.method == "POST" else None, instance=deliberation, scope=scope
    )
    if form.is_valid():
        try:
            deliberation = cited_deliberation_save(
                deliberation=deliberation,
                expected_version=form.expected_version,
                **form.cleaned_values,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Délibération citée enregistrée.")
            return redirect(deliberation)
    return render(
        request,
        "conventions/deliberation_reference_form.html",
        {"form": form, "deliberation": deliberation},
    )


def _saved(request, deliberation):
    deliberation = Deliberation.objects.for_detail(scope_for(request.user).conventions()).get(
        pk=deliberation.pk
    )
    errors = [c for c in check_deliberation(deliberation) if c.severity == Severity.ERROR]
    if errors:
        messages.warning(
            request,
            f"Délibération enregistrée, mais {len(errors)} point(s) ne sont pas conformes : "
            "voir les vérifications.",
        )
    else:
        messages.success(request, "Délibération enregistrée.")
    return redirect(deliberation)


def deliberation_attendance(request, pk):
    scope, deliberation = _get_deliberation(request, pk)
    if not scope.can_edit_deliberation(deliberation):
        raise PermissionDenied
    if deliberation.is_reference_only:
        messages.info(request, "Une délibération seulement citée n'a pas de feuille de présence.")
        return redirect(deliberation)
    form = AttendanceForm(
        request.POST if request.method == "POST" else None, deliberation=deliberation
    )
    if form.is_valid():
        try:
            attendance_record(
                deliberation=deliberation,
                entries=form.entries,
                cleared=form.cleared,
                expected_version=form.expected_version,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return _saved(request, deliberation)
    checks = form.checks if form.is_bound else check_deliberation(deliberation)
    members_in_office = len(form.members)
    rule = quorum_rule(deliberation.session_date, deliberation.body)
    return render(
        request,
        "conventions/deliberation_attendance.html",
        {
            "deliberation": deliberation,
            "form": form,
            "checks": checks,
            "members_in_office": members_in_office,
            # Under statutes, no figure: the page says the quorum is not checked.
            "quorum": rule.minimum(members_in_office) if rule.automated else "",
            "quorum_law": f"{rule.wording}{rule.cited}",
            "proxies_per_holder": proxy_rule(
                deliberation.session_date, deliberation.body
            ).per_holder
            or "",
            "counts": _counts(form),
            # The three-session limit is the commune's (L2121-20): said only where it applies.
            "proxy_duration": rule_in_force(
                ProxyDurationRule, deliberation.session_date, deliberation.body
            ),
        },
    )


def _counts(form):
    """The counters as the server sees the sheet; the script keeps them up to date."""
    statuses = [row.status.value() for row in form.rows]
    return {
        status: statuses.count(status) for status in ("present", "represented", "excused", "absent")
    } | {"unset": sum(1 for s in statuses if not s)}


# Councils ----------------------------------------------------------------------------


class CouncilFilterForm(forms.Form):
    q = forms.CharField(
        label="Rechercher",
        required=False,
        widget=forms.TextInput(attrs={"type": "search"}),
        help_text="Organisation, assemblée ou nom d'un membre.",
    )
    organisation = forms.ModelChoiceField(
        label="Organisation",
        queryset=Organisation.objects.none(),
        required=False,
        empty_label="Toutes",
        widget=FastSelect,
    )
    current = forms.ChoiceField(
        label="Mandat",
        required=False,
        choices=[("", "Tous"), ("en-cours", "En cours"), ("termine", "Terminés")],
    )

    def __init__(self, *args, visible, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(
            pk__in=visible.values("organisation")
        ).order_by("name")

    def filter(self, queryset, *, year: int):
        if not self.is_valid():
            return queryset
        data = self.cleaned_data
        condition = words_match(
            data["q"],
            "organisation__name",
            "organisation__short_name",
            "body_label",
            "members__first_name",
            "members__last_name",
        )
        if condition is not None:
            # A member's name joins the members: the matching councils are read by key.
            queryset = queryset.filter(pk__in=Council.objects.filter(condition).values("pk"))
        if data["organisation"]:
            queryset = queryset.filter(organisation=data["organisation"])
        in_office = Q(term_start_year__lte=year) & (
            Q(term_end_year__isnull=True) | Q(term_end_year__gte=year)
        )
        if data["current"] == "en-cours":
            queryset = queryset.filter(in_office)
        elif data["current"] == "termine":
            queryset = queryset.exclude(in_office)
        return queryset


COUNCIL_COLUMNS = (
    SortColumn("organisation", "Conseil", ("organisation__name", "body", "term_start_year")),
    SortColumn("mandat", "Mandat", ("term_start_year", "organisation__name")),
    SortColumn("membres", "Membres", ("member_count", "organisation__name")),
)


@submitted_once
def council_list(request):
    scope = scope_for(request.user)
    form = None
    if scope.can_create_deliberation:
        form = CouncilForm(request.POST if request.method == "POST" else None, scope=scope)
        if form.is_valid():
            try:
                council = council_create(**form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, "Conseil créé. Ajoutez maintenant ses membres.")
                return redirect(council)
    elif request.method == "POST":
        raise PermissionDenied
    visible = scope.councils()
    filters = CouncilFilterForm(request.GET or None, visible=visible)
    sorting = Sorting.from_query(request.GET, COUNCIL_COLUMNS, default="organisation")
    councils = sorting.apply(
        filters.filter(visible, year=timezone.localdate().year)
        .select_related("organisation")
        .annotate(member_count=Count("members"))
    )
    return render(
        request,
        "conventions/council_list.html",
        {
            **list_page(request, councils, page_size=PAGE_SIZE),
            "filters": filters,
            "sorting": sorting,
            "headers": sorting.headers(),
            "form": form,
        },
    )


def council_detail(request, pk):
    scope = scope_for(request.user)
    council = get_object_or_404(
        scope.councils()
        .select_related("organisation")
        .prefetch_related(
            Prefetch("members", queryset=CouncilMember.objects.order_by("order", "pk"))
        ),
        pk=pk,
    )
    can_manage = scope.can_manage_council(council)
    form = MemberListForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        if form.is_valid():
            try:
                added, skipped = council_members_add(
                    council=council, members=form.cleaned_data["names"]
                )
            except ValidationError as error:
                # The members come from the list typed in the one field of the form.
                form.add_error("names", error.messages)
            else:
                text = f"{len(added)} membre(s) ajouté(s)."
                if skipped:
                    text += " Déjà présents : " + ", ".join(p.name for p in skipped) + "."
                messages.success(request, text)
                return redirect(council)
    return render(
        request,
        "conventions/council_detail.html",
        {"council": council, "form": form, "can_manage": can_manage},
    )


def council_member_edit(request, pk):
    scope = scope_for(request.user)
    member = get_object_or_404(
        CouncilMember.objects.filter(council__in=scope.councils()).select_related(
            "council__organisation"
        ),
        pk=pk,
    )
    if not scope.can_manage_council(member.council):
        raise PermissionDenied
    form = CouncilMemberForm(request.POST if request.method == "POST" else None, instance=member)
    if form.is_valid():
        try:
            council_member_update(
                member=member, expected_version=form.expected_version, **form.cleaned_values
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Membre enregistré.")
            return redirect(member.council)
    return render(request, "conventions/council_member_form.html", {"form": form, "member": member})


def _deliberation_for_document(request, pk):
    scope = scope_for(request.user)
    return get_object_or_404(scope.deliberations().for_register(scope.conventions()), pk=pk)


def deliberation_pdf(request, pk):
    """The extract of the register; a one-page notice for a deliberation only cited."""
    deliberation = _deliberation_for_document(request, pk)
    return pdf_response(
        request,
        lambda: render_deliberation_pdf(deliberation),
        f"deliberation-{slugify(deliberation.number)}.pdf",
    )


def deliberation_editable(request, pk, extension):
    """The extract of the register (or the notice) as a DOCX or ODT to edit."""
    deliberation = _deliberation_for_document(request, pk)
    document = deliberation_document(deliberation, letterhead=deliberation_letterhead(deliberation))
    return editable_response(document, extension, f"deliberation-{slugify(deliberation.number)}")
