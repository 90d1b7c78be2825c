"""Pages for the life of a signed convention: amendments, consolidated text,
renewals, termination, cancellation."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from config.core.formats import french_date
from config.core.forms import add_service_errors
from config.core.idempotency import submitted_once
from conventions.access import scope_for
from conventions.lifecycle.forms import (
    AmendmentForm,
    CancellationForm,
    RenewalForm,
    TerminationForm,
    article_change_formset,
    contribution_change_formset,
    contribution_change_specs,
    new_contribution_formset,
    new_contribution_specs,
    party_change_formset,
    party_change_specs,
)
from conventions.lifecycle.rules import (
    amendment_diffs,
    deleted_articles,
    notice_clause,
    suggested_renewal,
    termination_warning,
)
from conventions.lifecycle.services import (
    amendment_create,
    convention_cancel,
    convention_terminate,
    renewal_record,
)

TEXT = ("articles", "amendments__changes")
PERIODS = ("parties", "renewals", "amendments", "renewed_by__parties")
# What an amendment's summary reads beyond its own fields.
SUMMARIES = (
    "amendments__contribution_changes__contribution__organisation",
    "amendments__party_changes__organisation",
    "amendments__new_contributions__organisation",
)


def scoped_convention(request, reference, *prefetch, editing=False):
    """The convention if the user may see it (404 otherwise), and may edit it if asked (403)."""
    scope = scope_for(request.user)
    queryset = scope.conventions().prefetch_related("sections__post", *prefetch)
    convention = get_object_or_404(queryset, reference=reference)
    if editing and not scope.can_edit_convention(convention):
        raise PermissionDenied
    return convention


def lifecycle(request, reference):
    convention = scoped_convention(request, reference, *PERIODS, *SUMMARIES)
    today = timezone.localdate()
    return render(
        request,
        "conventions/lifecycle.html",
        {
            "convention": convention,
            "periods": convention.periods(until=today),
            "current": convention.current_period(today),
            "notice_deadline": convention.notice_deadline(today),
            "terms": convention.terms_on(today),
            "status": convention.status(today),
            "termination_warning": termination_warning(convention),
            "can_edit": scope_for(request.user).can_edit_convention(convention),
            "today": today,
        },
    )


def consolidated_text(request, reference):
    convention = scoped_convention(request, reference, "parties__organisation", *TEXT, *SUMMARIES)
    parties, added_parties = convention.parties_in_force(timezone.localdate())
    return render(
        request,
        "conventions/consolidated_text.html",
        {
            "convention": convention,
            "parties": parties,
            "added_parties": added_parties,
            "amended_parties": convention.party_and_funding_texts(),
            "articles": convention.articles_as_amended(),
            "deleted": deleted_articles(convention),
        },
    )


def amendment_detail(request, reference, number):
    convention = scoped_convention(request, reference, *TEXT, *SUMMARIES)
    amendment = next((a for a in convention.amendments.all() if a.number == number), None)
    if amendment is None:
        raise Http404
    return render(
        request,
        "conventions/amendment_detail.html",
        {"convention": convention, "amendment": amendment, "diffs": amendment_diffs(amendment)},
    )


@submitted_once
def amendment_create_view(request, reference):
    convention = scoped_convention(request, reference, *PERIODS, *TEXT, editing=True)
    current = convention.articles_as_amended()
    # isdecimal(), not isdigit(): "²" is a digit that int() refuses.
    prefill = [int(n) for n in request.GET.getlist("articles") if n.isdecimal()]
    data = request.POST if request.method == "POST" else None
    form = AmendmentForm(data, convention=convention, posts=scope_for(request.user).posts())
    formset = article_change_formset(data=data, current_articles=current, prefill=prefill)
    contributions = contribution_change_formset(data=data, convention=convention)
    parties = party_change_formset(data=data, convention=convention)
    new_contributions = new_contribution_formset(data=data)
    # All are validated so that every error shows at once.
    if data is not None and all(
        [
            form.is_valid(),
            formset.is_valid(),
            contributions.is_valid(),
            parties.is_valid(),
            new_contributions.is_valid(),
        ]
    ):
        try:
            amendment = amendment_create(
                convention=convention,
                number=form.cleaned_data["number"],
                signed_on=form.cleaned_data["signed_on"],
                object=form.cleaned_data["object"],
                changes=formset.specs(),
                effective_on=form.cleaned_data["effective_on"],
                terms=form.terms(),
                contribution_changes=contribution_change_specs(contributions),
                party_changes=party_change_specs(parties),
                new_contributions=new_contribution_specs(new_contributions),
                added_posts=list(form.cleaned_data["added_posts"]),
                removed_posts=list(form.cleaned_data["removed_posts"]),
            )
        except ValidationError as error:
            add_service_errors(form, error)
            # Next to the funder too.
            problems = getattr(error, "message_dict", {}).get("new_contributions")
            if problems and new_contributions.filled_forms():
                new_contributions.filled_forms()[0].add_error("organisation", problems)
        else:
            messages.success(request, f"L'avenant n° {amendment.number} est enregistré.")
            return redirect("conventions:amendment_detail", convention.reference, amendment.number)
    return render(
        request,
        "conventions/amendment_form.html",
        {
            "convention": convention,
            "form": form,
            "formset": formset,
            "contribution_formset": contributions,
            "party_formset": parties,
            "new_contribution_formset": new_contributions,
            "current_articles": current,
            "prefill": prefill,
            "current_texts": {a.number: {"title": a.title, "body": a.body} for a in current},
        },
    )


@submitted_once
def renewal_create(request, reference):
    convention = scoped_convention(request, reference, *PERIODS, editing=True)
    suggestion = suggested_renewal(convention)
    initial = {"start": suggestion.start, "end": suggestion.end} if suggestion else {}
    form = RenewalForm(request.POST or None, initial=initial)
    if form.is_valid():
        try:
            renewal = renewal_record(convention=convention, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            renewed = scoped_convention(request, reference, *PERIODS)
            messages.success(
                request,
                f"La reconduction n° {renewal.number} est enregistrée : la convention court "
                f"du {french_date(renewal.start)} au {french_date(renewal.end)}. Dernier jour "
                f"pour la dénoncer : {french_date(renewed.notice_deadline(renewal.start))}.",
            )
            return redirect("conventions:lifecycle", convention.reference)
    return render(
        request,
        "conventions/renewal_form.html",
        {
            "convention": convention,
            "form": form,
            "suggestion": suggestion,
            "periods": convention.periods(),
        },
    )


@submitted_once
def terminate(request, reference):
    convention = scoped_convention(request, reference, *PERIODS, editing=True)
    today = timezone.localdate()
    form = TerminationForm(
        request.POST or None,
        convention=convention,
        initial={"letter_date": today, "end_date": convention.current_end_date(today)},
    )
    if form.is_valid():
        try:
            termination = convention_terminate(convention=convention, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if termination.is_late:
                messages.warning(request, termination.warning)
            ended = termination.convention
            messages.success(
                request,
                f"La fin de la convention ({ended.get_termination_kind_display().lower()}) est "
                f"enregistrée : elle prend fin le {french_date(ended.terminated_on)}.",
            )
            return redirect("conventions:lifecycle", convention.reference)
    return render(
        request,
        "conventions/termination_form.html",
        {
            "convention": convention,
            "form": form,
            "current": convention.current_period(today),
            "notice_deadline": convention.notice_deadline(today),
            "notice_clause": notice_clause(convention, today),
        },
    )


@require_http_methods(["GET", "POST"])
def cancel(request, reference):
    """Cancel a convention with a reason: a signed convention is never deleted."""
    convention = scoped_convention(request, reference, "parties", editing=True)
    if convention.is_template:
        raise Http404("Un modèle de convention ne s'annule pas.")
    form = CancellationForm(request.POST or None, cancelling="convention")
    if not convention.is_cancelled and form.is_valid():
        try:
            convention_cancel(
                convention=convention, user=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "La convention est annulée ; le motif figure à l'historique.")
            return redirect(convention)
    return render(
        request, "conventions/convention_cancel_form.html", {"convention": convention, "form": form}
    )
