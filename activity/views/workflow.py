"""The workflow buttons: submit, validate, reopen (with a reason), validate the year.

The services ask ``rules`` (a refusal of the role is a 403) and say in French why
the state forbids the action; the views only scope the post and report the outcome.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from activity.forms import ReopenForm
from activity.models import QuarterReport
from activity.rules import Action, may, permissions
from activity.services import (
    annual_report_validate,
    quarter_reopen,
    quarter_submit,
    quarter_validate,
)
from activity.validation import (
    QuarterValidationStatus,
    names,
    required_authorities,
    validation_status,
)
from activity.views.common import QUARTER_LABELS, check_period, scoped_post, submitted_message


def _report(request, post_id, year, quarter, *, with_layout=False):
    """The quarter of a post in scope; ``with_layout`` for the services that check counts."""
    post = scoped_post(request, post_id)
    check_period(year, quarter)
    quarters = QuarterReport.objects.with_layout() if with_layout else QuarterReport.objects
    report = get_object_or_404(quarters, post=post, year=year, quarter=quarter)
    report.post = post
    return report


def _back(request, post, year, quarter):
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    if may(request.user, post, Action.ENTER_QUARTER):
        return redirect("activity:quarter_entry", post.pk, year, quarter)
    return redirect("activity:month_entry", post.pk, year, 3 * quarter - 2)


def _run(request, service, success, **kwargs):
    try:
        service(user=request.user, **kwargs)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, success)


@require_POST
def quarter_submit_view(request, post_id: int, year: int, quarter: int):
    report = _report(request, post_id, year, quarter, with_layout=True)
    authorities = required_authorities(report.post, year, quarter)
    _run(request, quarter_submit, submitted_message(authorities), report=report)
    return _back(request, report.post, year, quarter)


@require_POST
def quarter_validate_view(request, post_id: int, year: int, quarter: int):
    report = _report(request, post_id, year, quarter, with_layout=True)
    try:
        report = quarter_validate(report=report, user=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        if report.is_final:
            messages.success(request, "Trimestre validé.")
        else:
            pending = validation_status(report).pending
            messages.success(
                request,
                "Votre validation est enregistrée : le trimestre attend celle de "
                f"{names(pending)}.",
            )
    return _back(request, report.post, year, quarter)


@require_http_methods(["GET", "POST"])
def quarter_reopen_view(request, post_id: int, year: int, quarter: int):
    report = _report(request, post_id, year, quarter)
    # The form is for those who may reopen it; the service says why the state does not allow it.
    allowed = permissions(request.user, report.post)
    refusal = allowed.refusal(Action.REOPEN, report.state)
    if isinstance(refusal, PermissionDenied):
        raise refusal
    # The secretariat of an authority the convention does not require may not reopen.
    required = required_authorities(report.post, year, quarter)
    if not QuarterValidationStatus(required).may_reopen(request.user, allowed.capacity):
        raise PermissionDenied
    form = ReopenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            quarter_reopen(report=report, user=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, "Trimestre rouvert : il repasse en saisie. Le motif est conservé."
            )
            return _back(request, report.post, year, quarter)
    return render(
        request,
        "activity/quarter_reopen.html",
        {
            "report": report,
            "post": report.post,
            "form": form,
            "quarter_label": QUARTER_LABELS[quarter],
            "cancel_url": reverse("activity:quarter_entry", args=[post_id, year, quarter]),
        },
    )


@require_POST
def annual_validate_view(request, post_id: int, year: int):
    post = scoped_post(request, post_id)
    check_period(year)
    _run(
        request,
        annual_report_validate,
        f"Bilan annuel {year} validé : les quatre trimestres sont verrouillés.",
        post=post,
        year=year,
    )
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("activity:status_board")
