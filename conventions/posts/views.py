"""ISC post pages: a post outlives its conventions and its holders."""

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods

from config.core.formats import french_date
from config.core.forms import add_service_errors, cleaned_data_as, formset_changes
from config.core.idempotency import submitted_once
from config.core.lists import list_page
from config.core.sorting import SortColumn, Sorting
from conventions.access import scope_for
from conventions.history import post_history
from conventions.lifecycle.forms import PostHolderForm
from conventions.lifecycle.services import post_holder_change
from conventions.models import ConventionPost, Post, PostHolder, PostSite
from conventions.posts.forms import (
    PostCreateForm,
    PostEditForm,
    PostFilterForm,
    PostSiteFormSet,
    PostVersionForm,
)
from conventions.posts.services import (
    PostData,
    PostSiteData,
    post_create,
    post_sites_save,
    post_update,
)

POST_COLUMNS = (
    SortColumn("intitule", "Intitulé", ("name",)),
    SortColumn("departement", "Département", ("departement", "name")),
    SortColumn("type", "Type", ("annotated_kind", "name")),
    SortColumn("employeur", "Employeur", ("employer__name", "name")),
)
PAGE_SIZE = 50


def post_list(request):
    scope = scope_for(request.user)
    today = timezone.localdate()
    visible = scope.posts()
    departements = visible.order_by().values_list("departement", flat=True).distinct()
    form = PostFilterForm(request.GET or None, departements=sorted(set(departements)))
    sorting = Sorting.from_query(request.GET, POST_COLUMNS, default="departement")
    posts = sorting.apply(
        form.filter(visible.with_kind())
        .select_related("employer")
        .prefetch_related(
            "sites",
            Prefetch(
                "holders",
                queryset=PostHolder.objects.filter(start__lte=today).exclude(end__lt=today),
                to_attr="current_holders",
            ),
            # Only the conventions the user may see, not every convention of the post.
            Prefetch(
                "conventions",
                queryset=scope.conventions().agreements().order_by("reference"),
                to_attr="visible_conventions",
            ),
        )
    )
    return render(
        request,
        "conventions/post_list.html",
        {
            **list_page(request, posts, page_size=PAGE_SIZE),
            "form": form,
            "can_create": scope.can_create_post,
            "sorting": sorting,
            "headers": sorting.headers(),
            "can_import": scope.is_admin,
        },
    )


def scoped_post(request, pk):
    queryset = scope_for(request.user).posts().select_related("employer").with_sites()
    return get_object_or_404(queryset.prefetch_related("holders"), pk=pk)


def section_state(section, today) -> str:
    """Whether the convention covers the post through its annex: « poste couvert »,
    « ajouté par l'avenant n° 1 à compter du 1er janvier 2026 », « retiré par l'avenant
    n° 2 depuis le 1er juillet 2025 », or an amendment not signed yet."""
    removed, added = section.removed_by, section.added_by
    if removed is not None and removed.is_in_force():
        since = "depuis le" if removed.takes_effect_on <= today else "à compter du"
        return (
            f"retiré par l'avenant n° {removed.number} {since} "
            f"{french_date(removed.takes_effect_on)}"
        )
    if added is not None and not added.is_in_force():
        return f"ajout prévu par l'avenant n° {added.number}, non signé"
    if added is not None:
        since = "depuis le" if added.takes_effect_on <= today else "à compter du"
        state = (
            f"ajouté par l'avenant n° {added.number} {since} {french_date(added.takes_effect_on)}"
        )
    else:
        state = "poste couvert depuis l'origine"
    if removed is not None:
        state += f" ; retrait prévu par l'avenant n° {removed.number}, non signé"
    return state


def post_detail(request, pk):
    post = scoped_post(request, pk)
    scope = scope_for(request.user)
    today = timezone.localdate()
    conventions = (
        scope.conventions()
        .agreements()
        .filter(sections__post=post)
        .select_related("renews")
        .prefetch_related(
            "parties",
            "renewals",
            "amendments",
            "renewed_by__parties",
            "deliberations",
            # The post's annex in each, with the amendments adding or removing it.
            Prefetch(
                "sections",
                queryset=ConventionPost.objects.filter(post=post).select_related(
                    "added_by", "removed_by"
                ),
                to_attr="post_sections",
            ),
        )
    )
    # In the order they took effect; unsigned drafts last.
    conventions = sorted(
        conventions, key=lambda c: (c.effective_date or datetime.date.max, c.reference)
    )
    rows = [
        {
            "convention": convention,
            "periods": convention.periods(until=today),
            "status": convention.status(today),
            "section": convention.post_sections[0],
            "section_state": section_state(convention.post_sections[0], today),
        }
        for convention in conventions
    ]
    return render(
        request,
        "conventions/post_detail.html",
        {
            "post": post,
            "holders": post.holders.all(),
            "current_holder": post.holder_on(today),
            "rows": rows,
            "can_change_holder": scope.can_change_post_holder(post),
            "can_change_sites": scope.can_change_post_sites(post),
            "can_edit": scope.can_edit_post(post),
            "today": today,
            "history": post_history(post),
        },
    )


def post_holder_change_view(request, pk):
    post = scoped_post(request, pk)
    if not scope_for(request.user).can_change_post_holder(post):
        raise PermissionDenied
    form = PostHolderForm(request.POST or None, post=post)
    if form.is_valid():
        try:
            holder = post_holder_change(post=post, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                f"{holder.name} est enregistré(e) comme titulaire du poste à partir du "
                f"{french_date(holder.start)}.",
            )
            return redirect(post)
    return render(
        request,
        "conventions/post_holder_form.html",
        {"post": post, "form": form, "current_holder": post.holder_on(timezone.localdate())},
    )


def post_sites_edit(request, pk):
    post = scoped_post(request, pk)
    scope = scope_for(request.user)
    if not scope.can_change_post_sites(post):
        raise PermissionDenied
    data = request.POST if request.method == "POST" else None
    form = PostVersionForm(data, version=post.version)
    sites = PostSiteFormSet(
        data,
        instance=post,
        prefix="sites",
        scope=scope,
        queryset=PostSite.objects.select_related("functional_authority"),
    )
    if data is not None:
        valid = form.is_valid()
        if sites.is_valid() and valid:
            try:
                post_sites_save(
                    post=post,
                    sites=formset_changes(sites, PostSiteData),
                    expected_version=form.expected_version,
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, "Les sites du poste sont enregistrés.")
                return redirect(post)
    return render(
        request, "conventions/post_sites_form.html", {"post": post, "form": form, "sites": sites}
    )


def _next_url(request) -> str | None:
    """Where to go back once the post is created (the convention form that needed it),
    if it is an address of this site."""
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return None


@require_http_methods(["GET", "POST"])
@submitted_once
def post_create_view(request):
    scope = scope_for(request.user)
    if not scope.can_create_post:
        raise PermissionDenied
    post = Post()
    if not scope.is_admin:
        post.departement = scope.organisation.departement
    data = request.POST if request.method == "POST" else None
    form = PostCreateForm(data, instance=post, scope=scope)
    sites = PostSiteFormSet(data, instance=post, prefix="sites", scope=scope)
    next_url = _next_url(request)
    if data is not None:
        valid = form.is_valid()
        if sites.is_valid() and valid:
            try:
                post = post_create(
                    data=cleaned_data_as(form, PostData),
                    sites=[change.data for change in formset_changes(sites, PostSiteData)],
                    created_by_organisation=None if scope.is_admin else scope.organisation,
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, f"Le poste « {post.name} » est créé.")
                return redirect(next_url or post.get_absolute_url())
    return render(
        request,
        "conventions/post_form.html",
        {"form": form, "sites": sites, "creating": True, "next": next_url},
    )


@require_http_methods(["GET", "POST"])
def post_edit(request, pk):
    post = scoped_post(request, pk)
    scope = scope_for(request.user)
    if not scope.can_edit_post(post):
        raise PermissionDenied
    form = PostEditForm(request.POST or None, instance=post, scope=scope)
    if form.is_valid():
        try:
            post = post_update(
                post=post,
                data=cleaned_data_as(form, PostData),
                expected_version=form.expected_version,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Le poste est enregistré.")
            return redirect(post)
    return render(
        request, "conventions/post_form.html", {"form": form, "post": post, "creating": False}
    )
