"""The pages a French public service must publish (footer links): accessibility
statement, legal notice, personal data, help and contact. Public: a person who
cannot log in must be able to read them. And the server-error page, rendered
without the database, and the expired-form page."""

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponseForbidden, HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.views import defaults
from django.views.decorators.http import require_safe

from config.context_processors import site_identity


@login_not_required
@require_safe
def accessibility(request):
    return render(request, "legal/accessibility.html")


@login_not_required
@require_safe
def legal_notice(request):
    return render(request, "legal/notice.html")


@login_not_required
@require_safe
def personal_data(request):
    return render(
        request,
        "legal/personal_data.html",
        {"submission_days": settings.SUBMISSION_RETENTION_DAYS},
    )


@login_not_required
@require_safe
def help_and_contact(request):
    return render(request, "legal/help.html")


def bad_request(request, exception):
    """A request Django refuses before any view (a Host header it does not serve, a
    malformed one): the API answers in JSON, as its description says, the site with its
    400 page."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "Requête invalide."}, status=400)
    return defaults.bad_request(request, exception)


def server_error(request):
    """The 500 page in the site's layout, from the settings alone: no context processor
    (they may read the database, which may be what failed), no user, no session."""
    page = loader.get_template("500.html").render(site_identity())
    return HttpResponseServerError(page)


def csrf_failure(request, reason=""):
    """The expired-form page (CSRF_FAILURE_VIEW) in the site's layout, with the header of
    the signed-in user: Django's own renders the template without the request."""
    return HttpResponseForbidden(loader.get_template("403_csrf.html").render(request=request))
