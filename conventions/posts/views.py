"""ISC post pages: a post outlives its conventions and its holders."""

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from config.core.formats import french_date
from config.core.forms import add_service_errors, formset_changes
from config.core.lists import list_page
from config.core.sorting import SortColumn, Sorting
from conventions.access import scope_for
from conventions.history import post_history
from conventions.lifecycle.forms import PostHolderForm
from conventions.lifecycle.services import post_holder_change
from conventions.models import PostHolder, PostSite
from conventions.posts.forms import PostFilterForm, PostSiteFormSet, PostVersionForm
from conventions.posts.services import PostSiteData, post_sites_save

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
            "sorting": sorting,
            "headers": sorting.headers(),
            "can_import": scope.is_admin,
        },
    )


def scoped_post(request, pk):
    queryset = scope_for(request.user).posts().select_related("employer").with_sites()
    return get_object_or_404(queryset.prefetch_related("holders"), pk=pk)


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
            "parties", "renewals", "amendments", "renewed_by__parties", "deliberations"
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
