"""« Mon profil »: the account, the private calendar address and the API keys."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from config.core.idempotency import submitted_once
from partners.api_tokens import api_token_create, api_token_revoke
from partners.forms import ApiTokenForm
from partners.models import ApiToken
from partners.services import calendar_token_renew, calendar_token_revoke

# The key of a token just created, kept in the session until the profile shows it once.
NEW_KEY_SESSION = "api_new_key"


def _profile_page(request, *, token_form=None, status=200):
    user = request.user
    feed_url = None
    if user.calendar_token:
        feed_url = request.build_absolute_uri(reverse("calendar_feed", args=[user.calendar_token]))
    return render(
        request,
        "profile.html",
        {
            "feed_url": feed_url,
            "tokens": user.api_tokens.all(),
            "form": token_form or ApiTokenForm(),
            "new_key": request.session.pop(NEW_KEY_SESSION, None),
        },
        status=status,
    )


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
    return _profile_page(request)


@require_POST
@submitted_once
def api_token_create_view(request):
    form = ApiTokenForm(request.POST)
    if form.is_valid():
        try:
            new = api_token_create(user=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            request.session[NEW_KEY_SESSION] = new.key
            messages.success(request, f"La clé « {new.token.name} » est créée.")
            return redirect(reverse("profile") + "#api")
    return _profile_page(request, token_form=form, status=400)


@require_POST
def api_token_revoke_view(request, pk):
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    api_token_revoke(token=token)
    messages.success(request, f"La clé « {token.name} » est révoquée : elle ne sert plus.")
    return redirect(reverse("profile") + "#api")
