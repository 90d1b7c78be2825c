"""The partner pages: organisations and their representatives, with the conventions
and posts each one is part of (scoped like every page), hence in the conventions layer."""

from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from config.core.forms import add_service_errors
from config.core.idempotency import submitted_once
from config.core.lists import list_page
from config.core.sorting import SortColumn, Sorting
from conventions.access import scope_for
from conventions.models import AssociatedPartner, Party, Post
from partners.forms import OrganisationFilterForm, OrganisationForm, RepresentativeForm
from partners.logos import logo_content_type
from partners.models import Organisation, Representative
from partners.services import organisation_save, representative_save

PAGE_SIZE = 50


def organisation_editor_required(view):
    """Organisations are shared by every convention: the administrator changes any, a
    local authority those of its département (``Scope.can_edit_organisation``). The
    view receives the organisation."""

    @wraps(view)
    def wrapper(request, pk, *args, **kwargs):
        organisation = get_object_or_404(Organisation, pk=pk)
        if not scope_for(request.user).can_edit_organisation(organisation):
            raise PermissionDenied
        return view(request, organisation, *args, **kwargs)

    return wrapper


ORGANISATION_COLUMNS = (
    SortColumn("nom", "Nom", ("name",)),
    SortColumn("type", "Type", ("kind", "name")),
    SortColumn("departement", "Département", ("departement", "name")),
    SortColumn("commune", "Commune", ("city", "name")),
)


def organisation_list(request):
    """The partner registry is shared by every convention: each user reads all of it
    (its conventions, on an organisation's page, are scoped)."""
    departements = (
        Organisation.objects.order_by("departement")
        .values_list("departement", flat=True)
        .distinct()
    )
    form = OrganisationFilterForm(request.GET or None, departements=list(departements))
    sorting = Sorting.from_query(request.GET, ORGANISATION_COLUMNS, default="departement")
    organisations = sorting.apply(form.filter(Organisation.objects.all()))
    return render(
        request,
        "partners/organisation_list.html",
        {
            **list_page(request, organisations, page_size=PAGE_SIZE),
            "form": form,
            "sorting": sorting,
            "headers": sorting.headers(),
            "can_edit": scope_for(request.user).can_create_organisation,
        },
    )


def organisation_detail(request, pk):
    organisation = get_object_or_404(Organisation, pk=pk)
    today = timezone.localdate()
    scope = scope_for(request.user)

    # Most recent mandate first (the model's order); those in office today come first.
    representatives = sorted(
        organisation.representatives.all(), key=lambda r: not r.in_office_on(today)
    )
    in_office = {r.pk for r in representatives if r.in_office_on(today)}

    # Organisations are public, the conventions they sign are not: scope them.
    conventions = (
        scope.conventions()
        .agreements()
        .filter(
            Q(pk__in=Party.objects.filter(organisation=organisation).values("convention"))
            | Q(
                pk__in=AssociatedPartner.objects.filter(organisation=organisation).values(
                    "convention"
                )
            )
        )
        .prefetch_related(
            "sections__post",
            "parties",
            "renewals",
            "amendments",
            "renewed_by__parties",
            "deliberations",
        )
        .order_by("reference")
    )
    convention_rows = []
    for convention in conventions:
        party = next(
            (p for p in convention.parties.all() if p.organisation_id == organisation.pk), None
        )
        convention_rows.append(
            {
                "convention": convention,
                "party": party,
                "status": convention.status(today),
                "period": convention.current_period(today),
            }
        )

    posts = (
        scope.posts()
        .filter(Q(employer=organisation) | Q(pk__in=Post.objects.supervised_by(organisation)))
        .with_sites()
        .order_by("name")
    )
    return render(
        request,
        "partners/organisation_detail.html",
        {
            "organisation": organisation,
            "representatives": representatives,
            "in_office": in_office,
            "convention_rows": convention_rows,
            "posts": posts,
            "can_edit": scope.can_edit_organisation(organisation),
            "can_manage_team": scope.can_manage_team(organisation),
        },
    )


@submitted_once
def organisation_create(request):
    scope = scope_for(request.user)
    if not scope.can_create_organisation:
        raise PermissionDenied
    form = OrganisationForm(
        request.POST or None, request.FILES or None, fixed_departement=scope.fixed_departement
    )
    if form.is_valid():
        try:
            organisation = organisation_save(**form.cleaned_values)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"L'organisation « {organisation} » a été créée.")
            return redirect(organisation)
    return render(request, "partners/organisation_form.html", {"form": form})


@organisation_editor_required
def organisation_edit(request, organisation):
    # The logo as saved: the form and a refused save change the instance, not the row.
    has_logo = bool(organisation.logo)
    form = OrganisationForm(
        request.POST or None,
        request.FILES or None,
        instance=organisation,
        fixed_departement=scope_for(request.user).fixed_departement,
    )
    if form.is_valid():
        try:
            organisation_save(
                organisation=organisation,
                expected_version=form.expected_version,
                **form.cleaned_values,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Les modifications ont été enregistrées.")
            return redirect(organisation)
    return render(
        request,
        "partners/organisation_form.html",
        {"form": form, "organisation": organisation, "has_logo": has_logo},
    )


@require_GET
def organisation_logo(request, pk):
    """The logo as uploaded, for the preview of the organisation's form (and whoever may
    see it: ``Scope.can_see_organisation_logo``); 404 for anyone else."""
    organisation = get_object_or_404(Organisation, pk=pk)
    if not organisation.logo or not scope_for(request.user).can_see_organisation_logo(organisation):
        raise Http404("Aucun logo.")
    try:
        with organisation.logo.storage.open(organisation.logo.name, "rb") as file:
            data = file.read()
    except OSError as error:
        raise Http404("Le fichier du logo est introuvable.") from error
    content_type = logo_content_type(data)
    if content_type is None:
        raise Http404("Le fichier du logo n'est pas une image.")
    response = HttpResponse(data, content_type=content_type)
    # A new upload gets a new name, but the URL stays: never served from a stale cache.
    response["Cache-Control"] = "private, no-cache"
    return response


@organisation_editor_required
@submitted_once
def representative_create(request, organisation):
    form = RepresentativeForm(
        request.POST or None, instance=Representative(organisation=organisation)
    )
    if form.is_valid():
        try:
            representative = representative_save(organisation=organisation, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Le représentant « {representative} » a été ajouté.")
            return redirect(organisation)
    return render(
        request,
        "partners/representative_form.html",
        {"form": form, "organisation": organisation},
    )


@organisation_editor_required
def representative_edit(request, organisation, representative_pk):
    representative = get_object_or_404(organisation.representatives, pk=representative_pk)
    form = RepresentativeForm(request.POST or None, instance=representative)
    if form.is_valid():
        try:
            representative_save(
                organisation=organisation, representative=representative, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Les modifications ont été enregistrées.")
            return redirect(organisation)
    return render(
        request,
        "partners/representative_form.html",
        {"form": form, "organisation": organisation, "representative": representative},
    )
