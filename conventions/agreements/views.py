from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.db.models import prefetch_related_objects
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from config.core.formats import MONTHS
from config.core.forms import add_service_errors, cleaned_data_as, formset_changes
from config.core.idempotency import submitted_once
from config.core.lists import list_page
from config.core.sorting import SortColumn, Sorting
from conventions.access import scope_for
from conventions.agreements.forms import (
    ConventionFilterForm,
    ConventionForm,
    CreateFromForm,
    ScanUploadForm,
    convention_formsets,
)
from conventions.agreements.selectors import convention_list, filter_choices, visible_conventions
from conventions.agreements.services import (
    ArticleData,
    ConventionData,
    LegalReferenceData,
    PartyData,
    convention_attach_scan,
    convention_create_from,
    convention_renew,
    convention_save,
)
from conventions.deliberations.checks.publication import signed_before_enforceable
from conventions.enums import ConventionStatus, Side
from conventions.funding.build import plans_for
from conventions.history import convention_history
from conventions.lifecycle.actions import available_actions, next_step
from conventions.lifecycle.deadlines import convention_deadlines, next_deadline
from conventions.lifecycle.overdue import passed_deadlines, successors
from conventions.models import SignedScanVersion
from conventions.models.funding import funding_prefetches
from conventions.models.scan import scan_versions_prefetch
from partners.enums import Role

PAGE_SIZE = 50
HISTORY_PAGE_SIZE = 20
# Past this page the history holds nothing: a bigger number is not worth reading for.
HISTORY_MAX_PAGE = 100

# The DSFR badge of each status on the convention page.
STATUS_BADGES = {
    ConventionStatus.DRAFT: "fr-badge--info",
    ConventionStatus.APPROVED: "fr-badge--info",
    ConventionStatus.SIGNED: "fr-badge--new",
    ConventionStatus.IN_FORCE: "fr-badge--success",
    ConventionStatus.EXPIRED: "fr-badge--warning",
    ConventionStatus.TERMINATED: "fr-badge--error",
    ConventionStatus.RENEWED: "fr-badge--no-icon",
    ConventionStatus.CANCELLED: "fr-badge--error",
}
# The tabs of the convention page, in order: (slug, label). The slug is the tab's id.
CONVENTION_TABS = (
    ("parties", "Parties et postes"),
    ("texte", "Texte et avenants"),
    ("financement", "Financement"),
    ("deliberations", "Délibérations"),
    ("echeances", "Échéances"),
    ("suivi", "Statistiques et suivi"),
    ("historique", "Historique"),
)


def due_day_label(day, month) -> str:
    """ "15 avril", "1er janvier": a yearly due day as the conventions write it."""
    if not (day and month):
        return ""
    return f"{'1er' if day == 1 else day} {MONTHS[month - 1]}"


CONVENTION_COLUMNS = (
    SortColumn("reference", "Référence", ("reference",)),
    SortColumn("titre", "Titre", ("title",)),
    SortColumn("poste", "Poste", ("first_post_name",)),
    SortColumn("departement", "Département", ("first_post_departement",)),
)


@require_http_methods(["GET"])
def convention_list_view(request):
    today = timezone.localdate()
    scope = scope_for(request.user)
    visible = visible_conventions(scope)
    departements, organisations = filter_choices(visible)
    form = ConventionFilterForm(
        request.GET or None, departements=departements, organisations=organisations, today=today
    )
    filters = {}
    if form.is_bound:
        form.is_valid()
        # Apply the filters that are valid; the others are shown with their error.
        filters = {k: v for k, v in form.cleaned_data.items() if k not in form.errors}
    sorting = Sorting.from_query(request.GET, CONVENTION_COLUMNS, default="reference")
    conventions = convention_list(
        visible, filters=filters, today=today, order_by=sorting.order_by()
    )
    listing = list_page(request, conventions, page_size=PAGE_SIZE)
    rows = [
        {
            "convention": convention,
            "status": convention.status(today),
            "next_deadline": next_deadline(convention, today=today),
        }
        for convention in listing["page"]
    ]
    return render(
        request,
        "conventions/convention_list.html",
        {
            **listing,
            "form": form,
            "rows": rows,
            "sorting": sorting,
            "headers": sorting.headers(),
            "can_create": scope.can_create_convention,
            "today": today,
        },
    )


@require_http_methods(["GET"])
def convention_detail(request, reference):
    today = timezone.localdate()
    scope = scope_for(request.user)
    convention = get_object_or_404(scope.conventions().for_detail(), reference=reference)
    can_edit = scope.can_edit_convention(convention)
    # What the funding summary reads beyond for_detail(): contributions, payments, costs.
    prefetch_related_objects([convention], *funding_prefetches(), scan_versions_prefetch())
    # A party withdrawn by an amendment in force is no longer listed; one added is.
    parties, added_parties = convention.parties_in_force(today)
    status = convention.status(today)
    deadlines = convention_deadlines(convention, today=today)
    history_page = _history_page(request)
    # One more than the page shows, to know whether a next page exists.
    history = convention_history(convention, limit=history_page * HISTORY_PAGE_SIZE + 1)
    return render(
        request,
        "conventions/convention_detail.html",
        {
            "convention": convention,
            "today": today,
            "status": status,
            "status_badge": STATUS_BADGES[status],
            "actions": available_actions(
                convention,
                status=status,
                followed=bool(successors([convention])),
                can_edit=can_edit,
                can_create=scope.can_create_convention,
                today=today,
            ),
            "tabs": CONVENTION_TABS,
            "selected_tab": "historique" if "historique" in request.GET else "parties",
            "current_period": convention.current_period(today),
            "deadlines": deadlines,
            "next_deadline": deadlines[0] if deadlines else None,
            "next_step": next_step(deadlines[0]) if deadlines else "",
            "signatories": [p for p in parties if p.signs],
            "passed_deadlines": passed_deadlines([convention], today=today),
            "articles": convention.articles_as_amended(),
            "first_side": [p for p in parties if p.side == Side.FIRST],
            "second_side": [p for p in parties if p.side == Side.SECOND],
            "added_parties": added_parties,
            "amended_parties": convention.party_and_funding_texts(),
            # Each post covered (annex), with its holder and this year's cost.
            "sections": [
                {
                    "section": section,
                    "in_force": section.is_in_force(today),
                    "holder": section.post.holder_on(today),
                    "cost": next(
                        (c for c in section.post.costs.all() if c.year == today.year), None
                    ),
                }
                for section in convention.ordered_sections()
            ],
            "renewed_by": list(convention.renewed_by.all()),
            "reporting": [
                (rule, due_day_label(rule.due_day, rule.due_month))
                for rule in convention.reporting_rules.all()
            ],
            "can_edit": can_edit,
            "funding_plan": plans_for([convention], today=today)[0],
            "history": history[
                (history_page - 1) * HISTORY_PAGE_SIZE : history_page * HISTORY_PAGE_SIZE
            ],
            "history_page": history_page,
            "history_has_next": len(history) > history_page * HISTORY_PAGE_SIZE,
            "signature_warnings": [
                message
                for deliberation in convention.deliberations.all()
                for message in signed_before_enforceable(deliberation, [convention])
            ],
        },
    )


def _history_page(request) -> int:
    """The history page asked for by ``?historique=N``; 1 for anything else."""
    value = request.GET.get("historique", "")
    # isdecimal(), not isdigit(): "²" is a digit that int() refuses.
    page = int(value) if value.isdecimal() and len(value) < 4 else 1
    return min(max(page, 1), HISTORY_MAX_PAGE)


def _editable_convention(request, reference):
    scope = scope_for(request.user)
    convention = get_object_or_404(
        scope.conventions().prefetch_related("parties"), reference=reference
    )
    if not scope.can_edit_convention(convention):
        raise PermissionDenied
    return scope, convention


def _convention_form_page(request, scope, convention):
    # Binding the form changes the instance; links must use the saved reference.
    reference = convention.reference
    required = request.user.organisation if request.user.role == Role.LOCAL_AUTHORITY else None
    if request.method == "POST":
        form = ConventionForm(request.POST, instance=convention, scope=scope)
        formsets = convention_formsets(
            data=request.POST, instance=convention, required_organisation=required
        )
        valid = [form.is_valid()] + [formset.is_valid() for formset in formsets.values()]
        if all(valid):
            try:
                convention = convention_save(
                    convention=convention,
                    data=cleaned_data_as(form, ConventionData),
                    expected_version=form.expected_version,
                    parties=formset_changes(formsets["parties"], PartyData),
                    references=formset_changes(formsets["references"], LegalReferenceData),
                    articles=formset_changes(formsets["articles"], ArticleData),
                    user=request.user,
                )
            except ValidationError as error:
                add_service_errors(form, error)
            except IntegrityError:
                form.add_error(
                    None,
                    "L'enregistrement se contredit lui-même (par exemple deux parties ou deux "
                    "numéros d'article échangés entre lignes) : enregistrez en deux fois.",
                )
            else:
                messages.success(request, "La convention est enregistrée.")
                return redirect(convention)
    else:
        form = ConventionForm(instance=convention, scope=scope)
        formsets = convention_formsets(
            data=None,
            instance=convention,
            required_organisation=required,
        )
    return render(
        request,
        "conventions/convention_form.html",
        {
            "form": form,
            "formsets": formsets,
            "reference": reference,
        },
    )


@require_http_methods(["GET", "POST"])
def convention_edit(request, reference):
    scope, convention = _editable_convention(request, reference)
    return _convention_form_page(request, scope, convention)


@require_http_methods(["GET", "POST"])
@submitted_once
def convention_create_from_view(request):
    scope = scope_for(request.user)
    if not scope.can_create_convention:
        raise PermissionDenied
    form = CreateFromForm(request.POST or None, scope=scope)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        draft, unfilled = convention_create_from(
            source=data["source"],
            reference=data["reference"],
            title=data["title"],
            post=data["post"],
            user=request.user,
        )
        messages.success(request, "La nouvelle convention est créée à l'état de projet.")
        if unfilled:
            names = ", ".join(f"{{{name}}}" for name in unfilled)
            messages.warning(request, f"Restent à compléter à la main dans les textes : {names}.")
        return redirect("conventions:edit", draft.reference)
    return render(request, "conventions/convention_create_from.html", {"form": form})


@require_POST
@submitted_once
def convention_renew_view(request, reference):
    scope, convention = _editable_convention(request, reference)
    if not scope.can_create_convention:
        raise PermissionDenied
    existing = convention.renewed_by.order_by("pk").first()
    if existing is not None:
        messages.info(
            request, f"Cette convention est déjà renouvelée par « {existing.reference} »."
        )
        return redirect("conventions:edit", existing.reference)
    try:
        renewal = convention_renew(convention=convention, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(convention)
    messages.success(
        request,
        f"La convention « {renewal.reference} » est créée pour la suite : vérifiez ses dates "
        "et ses textes.",
    )
    return redirect("conventions:edit", renewal.reference)


@require_http_methods(["GET", "POST"])
def convention_upload_scan(request, reference):
    _scope, convention = _editable_convention(request, reference)
    form = ScanUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        convention_attach_scan(
            convention=convention, scan=form.cleaned_data["scan"], uploaded_by=request.user
        )
        messages.success(request, "La convention signée est déposée.")
        return redirect(convention)
    return render(
        request, "conventions/convention_scan_form.html", {"form": form, "convention": convention}
    )


def _scan_response(file, filename):
    return FileResponse(
        file.open("rb"), as_attachment=True, filename=filename, content_type="application/pdf"
    )


@require_http_methods(["GET"])
def convention_scan(request, reference):
    """The current signed scan (the newest version)."""
    convention = get_object_or_404(scope_for(request.user).conventions(), reference=reference)
    if not convention.signed_scan:
        raise Http404("Aucune convention signée n'est déposée.")
    return _scan_response(convention.signed_scan, f"{convention.reference}-signee.pdf")


@require_http_methods(["GET"])
def convention_scan_version(request, reference, pk):
    """Any version of the signed scan, current or replaced, to who may see the convention."""
    version = get_object_or_404(
        SignedScanVersion.objects.select_related("convention").filter(
            convention__in=scope_for(request.user).conventions(),
            convention__reference=reference,
        ),
        pk=pk,
    )
    stamp = timezone.localtime(version.uploaded_at).strftime("%Y%m%d-%H%M%S")
    return _scan_response(version.file, f"{reference}-signee-{stamp}.pdf")
