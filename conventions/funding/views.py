"""Funding pages: overview, a convention's plan, payments, partner and département views.

Every convention comes through ``scope_for(request.user)``: out of scope is a
404; in scope but not editable is a 403 on the pages that write.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from config.core.formats import euros
from config.core.forms import add_service_errors
from config.core.idempotency import submitted_once
from config.core.lists import list_page
from config.core.sorting import SortColumn, Sorting
from conventions.access import scope_for
from conventions.enums import PaymentState
from conventions.funding.amended import planned_by_unsigned_amendments
from conventions.funding.build import NotPayable, payable_cell, plans_for
from conventions.funding.exports import payments_csv, plan_csv, plan_xlsx
from conventions.funding.forms import (
    ContributionForm,
    FundingFilterForm,
    FundingSearchForm,
    PartnerFundingFilterForm,
    PaymentForm,
    PostCostForm,
    ProofUploadForm,
    parse_year,
    year_share_formset,
)
from conventions.funding.plan import Totals
from conventions.funding.rules import partner_name
from conventions.funding.services import (
    contribution_save,
    payment_attach_proof,
    payment_cancel,
    payment_record,
    post_cost_set,
)
from conventions.history import funding_history
from conventions.lifecycle.forms import CancellationForm
from conventions.models import (
    Contribution,
    Convention,
    ConventionPost,
    Payment,
    PaymentProofVersion,
    Post,
    PostCost,
)
from partners.enums import Role
from partners.models import Organisation
from partners.validators import validate_departement_code

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PAGE_SIZE = 50


def _year(request) -> int:
    return parse_year(request.GET.get("annee")) or timezone.localdate().year


def _convention(scope, reference):
    return get_object_or_404(scope.conventions().with_funding(), reference=reference)


def _require_edit(scope, convention):
    if not scope.can_edit_convention(convention):
        raise PermissionDenied("Vous pouvez consulter ce financement mais pas le modifier.")


def _plan_url(convention, year=None):
    url = reverse("conventions:funding_plan", args=[convention.reference])
    return f"{url}#annee-{year}" if year else url


def _download(content: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


FUNDING_COLUMNS = (
    SortColumn("convention", "Convention", ("reference",)),
    # A framework convention's posts are of one département: annex n° 1's sorts it.
    SortColumn("departement", "Département", ("first_post_departement", "reference")),
)


def funding_overview(request):
    scope = scope_for(request.user)
    year = _year(request)
    visible = scope.conventions().agreements()
    departements = (
        ConventionPost.objects.filter(convention__in=visible.values("pk"))
        .order_by()
        .values_list("post__departement", flat=True)
        .distinct()
    )
    data = request.GET.copy()
    data["annee"] = year  # kept by the filters: the hidden field says which year is shown
    form = FundingFilterForm(data, departements=sorted(set(departements)))
    sorting = Sorting.from_query(request.GET, FUNDING_COLUMNS, default="departement")
    # The search joins parties and sites (distinct): the page reads its rows by key.
    matching = form.filter(visible).values("pk")
    conventions = sorting.apply(
        Convention.objects.filter(pk__in=matching).with_funding().with_first_post()
    )
    listing = list_page(request, conventions, page_size=PAGE_SIZE)
    plans = plans_for(listing["page"].object_list)
    rows = [
        {
            "plan": plan,
            "row": plan.row(year),
            "warnings": [w for w in plan.warnings if w.year in (year, None)],
        }
        for plan in plans
    ]
    admin_departements = []
    if scope.reads_everything:
        admin_departements = sorted(
            set(Post.objects.order_by().values_list("departement", flat=True).distinct())
        )
    return render(
        request,
        "conventions/funding/overview.html",
        {
            **listing,
            # The year is not a filter: it has its own navigation.
            "filtered": any(request.GET.get(name, "").strip() for name in ("q", "departement")),
            "rows": rows,
            "year": year,
            "form": form,
            "sorting": sorting,
            "headers": sorting.headers(),
            "departements": admin_departements,
        },
    )


def funding_plan_page(request, reference):
    scope = scope_for(request.user)
    convention = _convention(scope, reference)
    plan = plans_for([convention])[0]
    return render(
        request,
        "conventions/funding/plan.html",
        {
            "convention": convention,
            "plan": plan,
            "planned": planned_by_unsigned_amendments(convention),
            "can_edit": scope.can_edit_convention(convention),
            "current_year": timezone.localdate().year,
            "history": funding_history(convention),
        },
    )


def funding_plan_csv(request, reference):
    convention = _convention(scope_for(request.user), reference)
    plan = plans_for([convention])[0]
    return _download(plan_csv(plan), f"financement-{reference}.csv", "text/csv; charset=utf-8")


def payments_csv_view(request, reference):
    convention = _convention(scope_for(request.user), reference)
    plan = plans_for([convention])[0]
    return _download(payments_csv(plan), f"versements-{reference}.csv", "text/csv; charset=utf-8")


def funding_plan_xlsx(request, reference):
    convention = _convention(scope_for(request.user), reference)
    plan = plans_for([convention])[0]
    return _download(plan_xlsx(plan), f"financement-{reference}.xlsx", XLSX_TYPE)


@require_http_methods(["GET", "POST"])
@submitted_once
def payment_create(request, reference):
    scope = scope_for(request.user)
    convention = _convention(scope, reference)
    _require_edit(scope, convention)
    params = request.GET
    year = parse_year(params.get("annee"))
    try:
        contribution, cell = payable_cell(convention, params.get("contribution"), year)
    except NotPayable as refusal:
        raise Http404(str(refusal)) from refusal
    form = PaymentForm(
        request.POST or None,
        request.FILES or None,
        contribution=contribution,
        year=year,
        initial={
            "date": timezone.localdate(),
            "amount": cell.remaining or None,
            "payer": contribution.organisation_id,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        payment = payment_record(
            contribution=contribution,
            year=year,
            date=data["date"],
            amount=data["amount"],
            payer=data["payer"],
            reference=data["reference"],
            proof=data.get("proof"),
            recorded_by=request.user,
        )
        name = partner_name(contribution.organisation)
        messages.success(
            request, f"Versement de {euros(payment.amount)} enregistré : {name}, {year}."
        )
        if cell.amount is not None and cell.paid + payment.amount > cell.amount:
            messages.warning(
                request,
                f"Les versements de {name} pour {year} dépassent maintenant le montant attendu "
                f"({euros(cell.amount)}).",
            )
        return redirect(_plan_url(convention, year))
    return render(
        request,
        "conventions/funding/payment_form.html",
        {"convention": convention, "contribution": contribution, "cell": cell, "form": form},
    )


def _scoped_payment(scope, pk):
    return get_object_or_404(
        Payment.objects.select_related(
            "contribution__convention", "contribution__organisation", "payer"
        ).filter(contribution__convention__in=scope.conventions()),
        pk=pk,
    )


@require_http_methods(["GET", "POST"])
def payment_cancel_view(request, pk):
    """A payment is never deleted: it is cancelled with a reason and stops counting as paid."""
    scope = scope_for(request.user)
    payment = _scoped_payment(scope, pk)
    convention = payment.contribution.convention
    _require_edit(scope, convention)
    form = CancellationForm(request.POST or None, cancelling="payment")
    if not payment.is_cancelled and form.is_valid():
        try:
            payment_cancel(payment=payment, user=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                f"Versement de {euros(payment.amount)} annulé : il ne compte plus dans le versé.",
            )
            return redirect(_plan_url(convention, payment.year))
    return render(
        request,
        "conventions/funding/payment_cancel_form.html",
        {"payment": payment, "convention": convention, "form": form},
    )


def _proof_response(file, filename):
    return FileResponse(
        file.open("rb"), as_attachment=True, filename=filename, content_type="application/pdf"
    )


def payment_proof(request, pk):
    """The current proof (the newest version)."""
    payment = _scoped_payment(scope_for(request.user), pk)
    if not payment.proof:
        raise Http404("Ce versement n'a pas de justificatif.")
    return _proof_response(payment.proof, f"versement-{payment.pk}.pdf")


@require_http_methods(["GET", "POST"])
def payment_proofs(request, pk):
    """A payment's proofs: every version deposited, the newest first (the current one),
    each downloadable by who sees the convention; a new version for who may edit it."""
    scope = scope_for(request.user)
    payment = _scoped_payment(scope, pk)
    convention = payment.contribution.convention
    can_edit = scope.can_edit_convention(convention)
    if request.method == "POST":
        _require_edit(scope, convention)
    form = ProofUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            payment_attach_proof(
                payment=payment, proof=form.cleaned_data["proof"], uploaded_by=request.user
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                "Le justificatif est déposé ; les versions précédentes restent conservées.",
            )
            return redirect("conventions:payment_proofs", payment.pk)
    versions = payment.proof_versions.select_related("uploaded_by")
    return render(
        request,
        "conventions/funding/payment_proofs.html",
        {
            "payment": payment,
            "convention": convention,
            "versions": versions,
            "form": form,
            "can_edit": can_edit,
        },
    )


@require_http_methods(["GET"])
def payment_proof_version(request, pk, version):
    """Any version of a payment's proof, current or replaced, to who may see the convention."""
    proof = get_object_or_404(
        PaymentProofVersion.objects.filter(
            payment__contribution__convention__in=scope_for(request.user).conventions(),
            payment_id=pk,
        ),
        pk=version,
    )
    stamp = timezone.localtime(proof.uploaded_at).strftime("%Y%m%d-%H%M%S")
    return _proof_response(proof.file, f"versement-{pk}-{stamp}.pdf")


def _contribution_form_page(request, convention, form, contribution=None):
    # A form posted without the shares' lines (an older page) keeps the shares stated.
    posted_shares = request.method == "POST" and "parts-TOTAL_FORMS" in request.POST
    shares = year_share_formset(
        data=request.POST if posted_shares else None, contribution=contribution
    )
    if request.method == "POST" and form.is_valid() and (not posted_shares or shares.is_valid()):
        try:
            contribution_save(
                contribution=form.save(commit=False),
                expected_version=form.expected_version,
                year_shares=shares.shares() if posted_shares else None,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Contribution enregistrée ; les montants sont recalculés.")
            return redirect(_plan_url(convention))
    return render(
        request,
        "conventions/funding/contribution_form.html",
        {
            "convention": convention,
            "form": form,
            "shares": shares,
            "contribution": contribution,
        },
    )


@require_http_methods(["GET", "POST"])
@submitted_once
def contribution_create(request, reference):
    scope = scope_for(request.user)
    convention = _convention(scope, reference)
    _require_edit(scope, convention)
    form = ContributionForm(request.POST or None, convention=convention, scope=scope)
    return _contribution_form_page(request, convention, form)


@require_http_methods(["GET", "POST"])
def contribution_update(request, pk):
    scope = scope_for(request.user)
    contribution = get_object_or_404(
        Contribution.objects.select_related("convention").filter(
            convention__in=scope.conventions()
        ),
        pk=pk,
    )
    convention = contribution.convention
    _require_edit(scope, convention)
    form = ContributionForm(
        request.POST or None, instance=contribution, convention=convention, scope=scope
    )
    return _contribution_form_page(request, convention, form, contribution)


@require_http_methods(["GET", "POST"])
def post_cost_edit(request, reference, year):
    scope = scope_for(request.user)
    convention = _convention(scope, reference)
    _require_edit(scope, convention)
    if parse_year(year) is None:
        raise Http404("Année inconnue.")
    # A framework convention names the post (« ?poste= »); a one-post convention need not.
    wanted = request.GET.get("poste", "")
    post = next(
        (s.post for s in convention.sections.all() if str(s.post_id) == wanted),
        None if wanted else convention.single_post,
    )
    if post is None:
        raise Http404("Cette convention n'a pas ce poste.")
    cost = next((c for c in post.costs.all() if c.year == year), None) or PostCost(
        post=post, year=year
    )
    form = PostCostForm(request.POST or None, instance=cost)
    if request.method == "POST" and form.is_valid():
        try:
            post_cost_set(
                post=post,
                year=year,
                expected_version=form.expected_version,
                **form.cleaned_values,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, f"Coût du poste pour {year} enregistré ; les montants sont recalculés."
            )
            return redirect(_plan_url(convention, year))
    return render(
        request,
        "conventions/funding/cost_form.html",
        {"convention": convention, "post": post, "year": year, "form": form},
    )


# One row per convention on both pages (its posts under its reference): the other
# columns are sums of the plan, not fields to sort in SQL.
CONVENTION_COLUMN = (SortColumn("convention", "Convention", ("reference",)),)


def partner_funding(request, pk):
    """What one partner owes and paid in a year, across the conventions in scope."""
    scope = scope_for(request.user)
    organisation = get_object_or_404(Organisation, pk=pk)
    year = _year(request)
    data = request.GET.copy()
    data["annee"] = year  # kept by the filters: the hidden field says which year is shown
    form = PartnerFundingFilterForm(data)
    sorting = Sorting.from_query(request.GET, CONVENTION_COLUMN, default="convention")
    funded = scope.conventions().filter(
        pk__in=Contribution.objects.filter(organisation=organisation).values("convention")
    )
    # The search joins parties and representatives: the page reads its rows by key.
    conventions = sorting.apply(
        Convention.objects.filter(pk__in=form.filter(funded).values("pk")).with_funding()
    )
    entries, years, totals = [], set(), Totals()
    for plan in plans_for(conventions):
        years.update(r.year for r in plan.rows if plan.organisation_cells(r.year, organisation.pk))
        for cell in plan.organisation_cells(year, organisation.pk):
            if form.keeps(cell):
                entries.append({"plan": plan, "cell": cell})
                # The totals are those of every row the filters keep, not of one page.
                totals.add(cell)
    return render(
        request,
        "conventions/funding/partner.html",
        {
            **list_page(request, entries, page_size=PAGE_SIZE),
            "filtered": any(request.GET.get(name, "").strip() for name in ("q", "etat")),
            "form": form,
            # Clearing the filters keeps the year shown.
            "clear_url": f"{reverse('conventions:partner_funding', args=[pk])}?annee={year}",
            "sorting": sorting,
            "headers": sorting.headers(),
            "organisation": organisation,
            "year": year,
            "years": sorted(years | {year}),
            "totals": totals,
            "late": [e for e in entries if e["cell"].state == PaymentState.LATE],
        },
    )


def departement_funding(request, departement):
    """Every convention of a département in a year, and each partner's total: the
    administrators, and the préfecture's steering users for their own département (another
    département is out of their scope: 404)."""
    scope = scope_for(request.user)
    try:
        validate_departement_code(departement)
    except ValidationError:
        raise Http404("Département inconnu.") from None
    if not scope.can_steer(departement):
        if scope.role == Role.DEPARTEMENTAL_STEERING:
            raise Http404("Ce département n'est pas dans votre périmètre.")
        raise PermissionDenied("Cette vue est réservée aux administrateurs.")
    year = _year(request)
    data = request.GET.copy()
    data["annee"] = year
    form = FundingSearchForm(data)
    sorting = Sorting.from_query(request.GET, CONVENTION_COLUMN, default="convention")
    of_departement = (
        scope.conventions()
        .agreements()
        .filter(
            pk__in=ConventionPost.objects.filter(post__departement=departement).values("convention")
        )
    )
    conventions = sorting.apply(
        Convention.objects.filter(pk__in=form.filter(of_departement).values("pk")).with_funding()
    )
    rows, partners, totals = [], {}, Totals()
    for plan in plans_for(conventions):
        row = plan.row(year)
        rows.append({"plan": plan, "row": row})
        if row is None:
            continue
        for cell in row.cells:
            if cell is None:
                continue
            organisation = cell.contribution.organisation
            partners.setdefault(organisation.pk, {"organisation": organisation, "totals": Totals()})
            partners[organisation.pk]["totals"].add(cell)
            totals.add(cell)
    return render(
        request,
        "conventions/funding/departement.html",
        {
            **list_page(request, rows, page_size=PAGE_SIZE),
            "filtered": bool(request.GET.get("q", "").strip()),
            "form": form,
            "clear_url": (
                f"{reverse('conventions:departement_funding', args=[departement])}?annee={year}"
            ),
            "sorting": sorting,
            "headers": sorting.headers(),
            "departement": departement,
            "year": year,
            "partners": sorted(partners.values(), key=lambda p: partner_name(p["organisation"])),
            "totals": totals,
        },
    )
