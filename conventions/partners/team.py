"""An organisation's team: its accounts, the invitations that wait, and the page where
an invited person chooses a password. Who may manage a team is the scope's
``can_manage_team``; anybody else gets 404, as for any object out of scope."""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import SetPasswordForm
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.encoding import force_str
from django.utils.http import urlsafe_base64_decode
from django.views.decorators.http import require_POST

from config.core.forms import add_service_errors
from config.core.idempotency import submitted_once
from conventions.access import scope_for
from partners.forms import InvitationForm
from partners.invitations import (
    account_set_active,
    invitation_accept,
    invitation_resend,
    invitation_revoke,
    invitation_send,
    invitation_tokens,
    roles_offered,
)
from partners.models import Organisation, User


def team_organisation(request, pk) -> Organisation:
    organisation = get_object_or_404(Organisation, pk=pk)
    if not scope_for(request.user).can_manage_team(organisation):
        raise Http404
    return organisation


def team(request, pk):
    organisation = team_organisation(request, pk)
    members = organisation.users.select_related("invited_by").order_by(
        "-is_active", "last_name", "first_name", "username"
    )
    return render(
        request,
        "partners/team.html",
        {
            "organisation": organisation,
            "members": members,
            "can_invite": bool(roles_offered(organisation)),
        },
    )


@submitted_once
def team_invite(request, pk):
    organisation = team_organisation(request, pk)
    form = InvitationForm(request.POST or None, roles=roles_offered(organisation))
    if form.is_valid():
        try:
            user = invitation_send(organisation=organisation, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                f"L'invitation a été envoyée à {user.email}. Le lien vaut sept jours.",
            )
            return redirect("partners:team", pk=organisation.pk)
    return render(
        request, "partners/team_invite.html", {"organisation": organisation, "form": form}
    )


ACTIONS = {
    "renvoyer": (
        lambda user, by: invitation_resend(user=user, by=by),
        "Une nouvelle invitation a été envoyée à {email} ; l'ancien lien ne fonctionne plus.",
    ),
    "retirer": (
        lambda user, by: invitation_revoke(user=user, by=by),
        "L'invitation de {email} est retirée : son lien ne fonctionne plus.",
    ),
    "desactiver": (
        lambda user, by: account_set_active(user=user, active=False, by=by),
        "Le compte de {email} est désactivé : il ne peut plus se connecter.",
    ),
    "reactiver": (
        lambda user, by: account_set_active(user=user, active=True, by=by),
        "Le compte de {email} est réactivé.",
    ),
}


@require_POST
def team_member_action(request, pk, user_pk, action):
    organisation = team_organisation(request, pk)
    member = get_object_or_404(organisation.users, pk=user_pk)
    if action not in ACTIONS:
        raise Http404
    service, message = ACTIONS[action]
    try:
        service(member, request.user)
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
    else:
        messages.success(request, message.format(email=member.email or member.username))
    return redirect("partners:team", pk=organisation.pk)


def _invited_user(uidb64):
    try:
        pk = force_str(urlsafe_base64_decode(uidb64))
        return User.objects.select_related("organisation").get(pk=pk)
    except (TypeError, ValueError, OverflowError, User.DoesNotExist):
        return None


@login_not_required
def invitation_page(request, uidb64, token):
    """Choose a password from the link received by e-mail. An expired, spent or altered
    link changes nothing and says so."""
    user = _invited_user(uidb64)
    if (
        user is None
        or not user.invitation_pending
        or not invitation_tokens.check_token(user, token)
    ):
        return render(request, "partners/invitation_invalid.html", status=404)
    form = SetPasswordForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = invitation_accept(user=user, password=form.cleaned_data["new_password1"])
        except ValidationError:
            return render(request, "partners/invitation_invalid.html", status=404)
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, "Bienvenue : votre compte est ouvert.")
        return redirect(reverse("dashboard"))
    return render(request, "partners/invitation_accept.html", {"form": form, "invited": user})
