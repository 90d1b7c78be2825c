"""The webhook subscriptions of an organisation, on its pages: its referents (and the
administrator) add an address, choose the events, read the last deliveries, delete."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from config.api.models import WebhookDelivery, WebhookSubscription
from config.api.webhooks import EVENTS, subscription_create
from config.core.forms import add_service_errors
from config.core.idempotency import OnceFormMixin, submitted_once
from conventions.access import scope_for
from partners.models import Organisation

# The name of the session entry that holds a new secret until it is shown once.
NEW_SECRET_SESSION = "webhook_new_secret"  # noqa: S105


class SubscriptionForm(OnceFormMixin, forms.Form):
    url = forms.URLField(
        label="Adresse de réception",
        max_length=500,
        assume_scheme="https",
        help_text="L'adresse HTTPS de votre outil qui recevra chaque événement (POST, JSON).",
    )
    events = forms.MultipleChoiceField(
        label="Événements",
        choices=list(EVENTS.items()),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choisissez au moins un événement."},
    )


def _organisation(request, pk) -> Organisation:
    organisation = get_object_or_404(scope_for(request.user).organisations(), pk=pk)
    if not scope_for(request.user).can_manage_team(organisation):
        raise Http404
    return organisation


def _page(request, organisation, form, status=200):
    subscriptions = list(organisation.webhook_subscriptions.all())
    for subscription in subscriptions:
        subscription.event_labels = [EVENTS.get(kind, kind) for kind in subscription.events]
    deliveries = list(
        WebhookDelivery.objects.filter(subscription__organisation=organisation)
        .select_related("subscription")
        .order_by("-created_at", "-pk")[:20]
    )
    for delivery in deliveries:
        delivery.kind_label = EVENTS.get(delivery.kind, delivery.kind)
    return render(
        request,
        "api/webhooks.html",
        {
            "organisation": organisation,
            "subscriptions": subscriptions,
            "deliveries": deliveries,
            "form": form,
            "new_secret": request.session.pop(NEW_SECRET_SESSION, None),
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
@submitted_once
def webhooks(request, pk):
    organisation = _organisation(request, pk)
    form = SubscriptionForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                subscription = subscription_create(
                    organisation=organisation, user=request.user, **form.cleaned_data
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                request.session[NEW_SECRET_SESSION] = subscription.secret
                messages.success(request, f"Abonnement créé : {subscription.url}")
                return redirect(reverse("webhooks", args=[organisation.pk]))
        return _page(request, organisation, form, status=400)
    return _page(request, organisation, form)


@require_POST
def webhook_delete(request, pk, subscription):
    organisation = _organisation(request, pk)
    row = get_object_or_404(WebhookSubscription, pk=subscription, organisation=organisation)
    row.delete()
    messages.success(request, f"Abonnement supprimé : {row.url} ne reçoit plus rien.")
    return redirect(reverse("webhooks", args=[organisation.pk]))
