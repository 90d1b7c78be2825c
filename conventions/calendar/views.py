from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from conventions.calendar.feed import user_calendar
from partners.models import User
from partners.services import calendar_token_renew, calendar_token_revoke


@login_not_required
@require_GET
def calendar_feed(request, token):
    """Public by design: the secret token in the address is the credential."""
    user = User.objects.filter(calendar_token=token, is_active=True).first()
    if user is None:
        raise Http404("Adresse de calendrier inconnue ou révoquée.")
    response = HttpResponse(
        user_calendar(user, today=timezone.localdate()), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = 'inline; filename="echeances-iscg.ics"'
    return response


@require_http_methods(["GET", "POST"])
def profile(request):
    user = request.user
    if request.method == "POST":
        if request.POST.get("action") == "revoke":
            calendar_token_revoke(user=user)
            messages.success(request, "L'adresse du calendrier est révoquée : elle ne sert plus.")
        else:
            calendar_token_renew(user=user)
            messages.success(
                request,
                "Nouvelle adresse de calendrier créée. L'ancienne ne fonctionne plus.",
            )
        return redirect("profile")
    feed_url = None
    if user.calendar_token:
        feed_url = request.build_absolute_uri(reverse("calendar_feed", args=[user.calendar_token]))
    return render(request, "profile.html", {"feed_url": feed_url})
