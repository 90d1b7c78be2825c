"""Entering the counts: a whole quarter (the authority's secretariat, the employer) or one
month (the ISC)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from activity.forms import CountsEntryForm, ReopenForm
from activity.history import quarter_history
from activity.models import quarter_months
from activity.rules import Action, permissions
from activity.schedule import lateness
from activity.selectors import grid_layout, quarter_for_entry, report_values
from activity.services import (
    QuarterNotSubmitted,
    StaleQuarterError,
    quarter_save,
    quarter_submit,
)
from activity.validation import post_conventions, required_authorities, validation_status
from activity.views.common import (
    QUARTER_LABELS,
    check_period,
    due_date_for,
    month_columns,
    quarter_of,
    scoped_post,
    submitted_message,
)
from config.core.formats import MONTHS


@require_http_methods(["GET", "POST"])
def quarter_entry(request, post_id: int, year: int, quarter: int):
    post = scoped_post(request, post_id)
    check_period(year, quarter)
    return _entry_page(request, post, year, quarter, quarter_months(quarter), Action.ENTER_QUARTER)


@require_http_methods(["GET", "POST"])
def month_entry(request, post_id: int, year: int, month: int):
    post = scoped_post(request, post_id)
    check_period(year, month=month)
    return _entry_page(request, post, year, quarter_of(month), [month], Action.ENTER_MONTH)


def _entry_page(request, post, year, quarter, months, screen: Action):
    allowed = permissions(request.user, post)
    if not allowed.may(screen):
        raise PermissionDenied
    report = quarter_for_entry(post, year, quarter)
    layout = grid_layout(report.grid_version, post)
    editable = allowed.may(Action.SAVE, report.state)
    whole_quarter = len(months) == 3
    form_kwargs = {
        "layout": layout,
        "year": year,
        "months": months,
        # A posted form shows what was typed: only a displayed one reads what is saved.
        "values": report_values(report) if report.pk and request.method == "GET" else {},
        # A refused post keeps its input on screen, so that nothing typed is lost.
        "disabled": not editable and request.method != "POST",
        "with_comment": whole_quarter,
        "initial": {"version": report.version, "comment": report.comment},
    }
    form = CountsEntryForm(request.POST or None, **form_kwargs)
    if request.method == "POST":
        if not editable:
            form.is_valid()
            form.add_error(
                None,
                f"Ce trimestre est {report.get_state_display().lower()} : vos valeurs, "
                "affichées ci-dessous, n'ont pas été enregistrées.",
            )
        elif form.is_valid():
            try:
                _save(request, report, form)
            except StaleQuarterError as stale:
                data = request.POST.copy()
                data["version"] = stale.report.version
                form = CountsEntryForm(data, **form_kwargs)
                form.is_valid()
                form.add_error(None, stale)
                form.add_conflicts(report_values(stale.report))
            except ValidationError as error:
                form.add_error(None, error)
            else:
                return redirect(request.path)

    conventions = post_conventions(post)
    due = due_date_for(post, year, quarter, conventions)
    validation = validation_status(report, conventions)
    events = list(report.events.select_related("by")) if report.pk else []
    labels = layout.labels
    context = {
        "post": post,
        "report": report,
        "year": year,
        "quarter": quarter,
        "quarter_label": QUARTER_LABELS[quarter],
        "months": month_columns(year, months),
        "whole_quarter": whole_quarter,
        "form": form,
        "groups": form.groups(),
        "editable": editable,
        "due": due,
        "late_reason": due.late_reason(f"{QUARTER_LABELS[quarter]} {year}"),
        "lateness": lateness(report if report.pk else None, due, timezone.localdate()),
        "can_submit": allowed.may(Action.SUBMIT, report.state),
        "can_validate": allowed.may(Action.VALIDATE, report.state)
        and validation.may_validate(request.user, allowed.capacity),
        "validation": validation,
        "can_reopen": allowed.may(Action.REOPEN, report.state)
        and validation.may_reopen(request.user, allowed.capacity),
        "validate_for": validation.validates_for(request.user, allowed.capacity),
        "reopen_form": ReopenForm(),
        "events": [
            (event, [(MONTHS[m - 1], *change) for m, *change in event.changes(labels)])
            for event in events
        ],
        "bilan_url": reverse("activity:bilan_post", args=[post.pk, year]),
        "history": quarter_history(report),
        "month_links": _month_links(post, year, months) if not whole_quarter else [],
        "quarter_url": reverse("activity:quarter_entry", args=[post.pk, year, quarter])
        if allowed.may(Action.ENTER_QUARTER)
        else "",
    }
    template = "activity/quarter_entry.html" if whole_quarter else "activity/month_entry.html"
    # Cells that are not counts: nothing was saved, a 4xx with the input kept on screen.
    invalid_input = form.is_bound and any(name != "__all__" for name in form.errors)
    return render(request, template, context, status=400 if invalid_input else 200)


def _save(request, report, form):
    """« Enregistrer », or « Enregistrer et transmettre »: one service, one transaction."""
    entry = {
        "report": report,
        "user": request.user,
        "values": form.month_values(),
        "comment": form.cleaned_data.get("comment"),
        "expected_version": form.cleaned_data["version"],
    }
    if "submit" not in request.POST:
        quarter_save(**entry)
        if form.problems:
            messages.warning(
                request,
                "Saisie enregistrée comme brouillon incomplet : certains totaux ne "
                "correspondent pas (voir les lignes « Contrôle »). Le trimestre ne pourra "
                "être transmis qu'une fois ces totaux corrigés.",
            )
        else:
            messages.success(request, "Saisie enregistrée.")
        return
    try:
        quarter_submit(**entry)
    except QuarterNotSubmitted as refusal:
        messages.warning(request, "Saisie enregistrée, mais le trimestre n'a pas été transmis.")
        for message in refusal.messages:
            messages.error(request, message)
    else:
        authorities = required_authorities(report.post, report.year, report.quarter)
        messages.success(request, submitted_message(authorities))


def _month_links(post, year, months):
    (month,) = months
    previous = (year, month - 1) if month > 1 else (year - 1, 12)
    following = (year, month + 1) if month < 12 else (year + 1, 1)
    return [
        ("Mois précédent", reverse("activity:month_entry", args=[post.pk, *previous])),
        ("Mois suivant", reverse("activity:month_entry", args=[post.pk, *following])),
    ]
