"""Bilan pages: per post (quarterly, annual), per département, national."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_GET, require_http_methods

from activity.bilans import Period, Scope, build_bilan
from activity.charts import bilan_charts
from activity.enums import AnnualState
from activity.forms import EXPORT_FORMATS, PRIVACY_WARNING, AnnualCommentForm, NationalExportForm
from activity.rules import Action, may
from activity.services import annual_comment_save
from activity.views.common import QUARTER_LABELS, check_period, scoped_post
from config.core.forms import add_service_errors
from conventions.access import scope_for
from conventions.models import Post
from partners.enums import AUTHORITY_SECRETARIAT_ROLES
from partners.validators import validate_departement_code


def post_scope(request, post_id):
    post = scoped_post(request, post_id)
    scope = Scope("post", post.name, Post.objects.filter(pk=post.pk), post, post.departement)
    return scope, not may(request.user, post, Action.READ_UNVALIDATED)


def departement_scope(request, departement):
    try:
        validate_departement_code(departement)
    except ValidationError as error:
        raise Http404("Département inconnu.") from error
    user = request.user
    posts = scope_for(user).posts().filter(departement=departement)
    if not user.is_superuser and not posts.exists():
        raise Http404("Aucun poste de ce département dans votre périmètre.")
    # A secretariat reads, unvalidated too, the posts it is the functional authority of.
    reads_everything = user.is_superuser or (
        user.role in AUTHORITY_SECRETARIAT_ROLES
        and not posts.exclude(pk__in=Post.objects.supervised_by(user.organisation)).exists()
    )
    scope = Scope("departement", f"Département {departement}", posts, departement=departement)
    return scope, not reads_everything


def national_scope(request):
    return national_scope_of(request.user)


def national_scope_of(user):
    """Every post: the administrator, and the national steering (validated quarters only)."""
    if not scope_for(user).reads_everything:
        raise PermissionDenied
    return Scope("national", "Tous les postes", Post.objects.all()), not user.is_superuser


def scope_url(scope, name, period, **extra):
    args = {"post": [scope.post.pk] if scope.post else [], "departement": [scope.departement]}
    base = args.get(scope.kind, [])
    period_args = [period.year] + ([period.quarter] if period.quarter else [])
    return reverse(f"activity:{name}", args=[*base, *period_args])


def bilan_name(scope):
    return {
        "post": "bilan_post",
        "departement": "bilan_departement",
        "national": "bilan_national",
    }[scope.kind]


def _render(request, scope, period, validated_only, extra=None):
    bilan = build_bilan(scope, period, validated_only=validated_only)
    name = bilan_name(scope)
    navigation = [("Année", scope_url(scope, name, Period(period.year)))] + [
        (QUARTER_LABELS[q], scope_url(scope, name, Period(period.year, q))) for q in range(1, 5)
    ]
    context = {
        "bilan": bilan,
        "period": period,
        "scope": scope,
        "charts": bilan_charts(bilan),
        "navigation": navigation,
        "previous_url": scope_url(scope, name, Period(period.year - 1, period.quarter)),
        "next_url": scope_url(scope, name, Period(period.year + 1, period.quarter)),
        "exports": _exports(scope, period),
        "privacy_warning": PRIVACY_WARNING,
        **(extra or {}),
    }
    return render(request, "activity/bilan.html", context)


def _exports(scope, period) -> list[tuple[str, object]]:
    """The export buttons: links to the file, or for the whole country forms that have a
    worker make it (activity.views.exports.export_national)."""
    if scope.kind == "national":
        return [
            (f"Préparer l'export {label}", NationalExportForm(period=period, file_format=key))
            for key, label in EXPORT_FORMATS
        ]
    query = export_query(scope, period)
    return [
        ("Exporter en XLSX", f"{reverse('activity:export_xlsx')}?{query}"),
        ("Exporter en CSV", f"{reverse('activity:export_csv')}?{query}"),
    ]


def export_query(scope, period) -> str:
    """The export's parameters for the same scope and period as the page."""
    params = {"annee": period.year}
    if period.quarter:
        params["trimestre"] = period.quarter
    if scope.kind == "post":
        params["poste"] = scope.post.pk
    elif scope.kind == "departement":
        params["departement"] = scope.departement
    return urlencode(params)


@require_http_methods(["GET", "POST"])
def bilan_post(request, post_id: int, year: int, quarter: int | None = None):
    check_period(year, quarter)
    scope, validated_only = post_scope(request, post_id)
    post, period = scope.post, Period(year, quarter)
    extra = {}
    if quarter is None:
        may_comment = may(request.user, post, Action.ENTER_MONTH) or may(
            request.user, post, Action.VALIDATE
        )
        annual = post.annual_reports.filter(year=year).first()
        open_year = annual is None or annual.state == AnnualState.OPEN
        form = None
        if may_comment and open_year:
            form = AnnualCommentForm(
                request.POST or None,
                initial={"comment": annual.comment if annual else ""},
                version=annual.version if annual else None,
            )
            if request.method == "POST" and form.is_valid():
                try:
                    annual_comment_save(
                        post=post,
                        year=year,
                        comment=form.cleaned_data["comment"],
                        user=request.user,
                        expected_version=form.expected_version,
                    )
                except ValidationError as error:
                    add_service_errors(form, error)
                else:
                    messages.success(request, "Commentaire de l'année enregistré.")
                    return redirect(request.path)
        elif request.method == "POST":
            raise PermissionDenied
        extra["comment_form"] = form
        # The annual PDF: same scope as this page (post_scope), so whoever reads the page
        # may open it. A quarter has no PDF of its own.
        extra["pdf_url"] = reverse("activity:bilan_pdf", args=[post.pk, year])
    elif request.method == "POST":
        raise PermissionDenied
    return _render(request, scope, period, validated_only, extra)


@require_GET
def bilan_departement(request, departement: str, year: int, quarter: int | None = None):
    check_period(year, quarter)
    scope, validated_only = departement_scope(request, departement)
    return _render(request, scope, Period(year, quarter), validated_only)


@require_GET
def bilan_national(request, year: int, quarter: int | None = None):
    check_period(year, quarter)
    scope, validated_only = national_scope(request)
    return _render(request, scope, Period(year, quarter), validated_only)
