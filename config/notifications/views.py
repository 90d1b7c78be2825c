"""« Mes notifications »: the list with what is unread, and how often each kind is sent.

A user reads their own notifications only: another's is a 404 like anything out of scope.
"""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from config.core.lists import list_page
from config.notifications.forms import PreferencesForm
from config.notifications.models import Preference
from config.notifications.services import (
    notification_read,
    notifications_read_all,
    preferences_save,
)

PAGE_SIZE = 20


@require_GET
def notification_list(request):
    notifications = request.user.notifications.all()
    return render(
        request, "notifications/list.html", list_page(request, notifications, page_size=PAGE_SIZE)
    )


@require_GET
def notification_open(request, pk: int):
    """Marks it read and goes to the page it tells of."""
    notification = get_object_or_404(request.user.notifications, pk=pk)
    notification_read(user=request.user, notification=notification)
    if not url_has_allowed_host_and_scheme(notification.path, allowed_hosts=None):
        return redirect("notifications:list")
    return redirect(notification.path)


@require_POST
def notification_mark_read(request, pk: int):
    notification = get_object_or_404(request.user.notifications, pk=pk)
    notification_read(user=request.user, notification=notification)
    return redirect("notifications:list")


@require_POST
def notifications_mark_all_read(request):
    count = notifications_read_all(user=request.user)
    messages.success(
        request,
        f"{count} notification(s) marquée(s) comme lue(s)." if count else "Tout était déjà lu.",
    )
    return redirect("notifications:list")


@require_http_methods(["GET", "POST"])
def preferences(request):
    user = request.user
    chosen = dict(Preference.objects.filter(user=user).values_list("kind", "frequency"))
    form = PreferencesForm(request.POST or None, user=user, chosen=chosen)
    if request.method == "POST":
        if form.is_valid():
            preferences_save(user=user, choices=form.cleaned_data)
            messages.success(request, "Vos choix sont enregistrés.")
            return redirect("notifications:preferences")
        return render(request, "notifications/preferences.html", {"form": form}, status=400)
    return render(request, "notifications/preferences.html", {"form": form})
