"""Accounts by invitation: an administrator or an organisation's referent invites a
colleague by e-mail; the link sets the password, expires after seven days and works once.

The invited account exists from the invitation, inactive and without a usable
password. The link is a token of Django's machinery (as for a forgotten password)
whose hash covers the password, the activity and the time of the invitation: choosing a
password, resending the invitation (a new time) or revoking it (the account goes) makes
every earlier link useless.
"""

import datetime

from celery import shared_task
from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.encoding import force_bytes
from django.utils.http import base36_to_int, urlsafe_base64_encode

from config.core.events import publish
from config.core.writes import validate
from config.jobs.tasks import Job
from partners.enums import ROLES_BY_KIND, Role
from partners.models import Organisation, User

INVITATION_DAYS = 7

# How far a role reaches; a referent gives none that reaches further than their own (a
# read-only partner invites read-only partners, a social worker no coordinator). The
# national steering reaches every département: only the administrator gives it.
FULL_REACH = 2
ROLE_REACH = {Role.READ_ONLY_PARTNER: 0, Role.SOCIAL_WORKER: 1, Role.NATIONAL_STEERING: 3}


def _reach(role) -> int:
    return ROLE_REACH.get(role, FULL_REACH)


class InvitationTokenGenerator(PasswordResetTokenGenerator):
    key_salt = "partners.invitations.InvitationTokenGenerator"

    def _make_hash_value(self, user, timestamp):
        # To the microsecond: a resend in the same second still changes every link.
        invited = "" if user.invited_at is None else user.invited_at.isoformat()
        return f"{user.pk}{user.password}{user.is_active}{invited}{timestamp}"

    def check_token(self, user, token) -> bool:
        """Django's check, with the invitation's own lifetime (seven days)."""
        if not (user and token) or user.invited_at is None:
            return False
        try:
            stamp, _ = token.split("-")
            timestamp = base36_to_int(stamp)
        except ValueError:
            return False
        expected = self._make_token_with_timestamp(user, timestamp, self.secret)
        if not constant_time_compare(expected, token):
            return False
        age = self._num_seconds(self._now()) - timestamp
        return age <= INVITATION_DAYS * 24 * 60 * 60


invitation_tokens = InvitationTokenGenerator()


def roles_offered(organisation: Organisation):
    return ROLES_BY_KIND.get(organisation.kind, ())


def may_manage_team(user, organisation: Organisation) -> bool:
    """The national administrator for every organisation; a referent for their own."""
    if user.is_superuser:
        return True
    return bool(user.is_referent and user.is_active and user.organisation_id == organisation.pk)


def _require(user, organisation):
    if not may_manage_team(user, organisation):
        raise PermissionDenied


def invitation_link(user: User) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    path = reverse("invitation_accept", args=[uid, invitation_tokens.make_token(user)])
    return f"{settings.SITE_URL}{path}"


@shared_task(base=Job, name="partners.send_invitation", autoretry_for=(OSError,))
def send_invitation(user_id: int, invited_at: str) -> bool:
    """The invitation's e-mail, built when it is sent: its link is never stored (neither
    in the outbox nor in the broker). Nothing is sent when the invitation has been resent
    (a newer time: its own task sends it), revoked or accepted since."""
    user = User.objects.select_related("organisation").filter(pk=user_id).first()
    if user is None or not user.invitation_pending or user.invited_at.isoformat() != invited_at:
        return False
    expires = timezone.localdate(user.invited_at) + datetime.timedelta(days=INVITATION_DAYS)
    context = {"user": user, "link": invitation_link(user), "expires": expires}
    body = render_to_string("partners/invitation_email.txt", context)
    subject = f"Conventions ISCG : invitation de {user.organisation}"
    send_mail(subject, body, None, [user.email])
    return True


def _send(user: User) -> None:
    send_invitation.delay(user.pk, user.invited_at.isoformat())


@transaction.atomic
def invitation_send(
    *,
    organisation: Organisation,
    email: str,
    first_name: str,
    last_name: str,
    role: str,
    is_referent: bool = False,
    by: User,
) -> User:
    """Create the waiting account and send its link (once the transaction commits)."""
    _require(by, organisation)
    email = email.strip().lower()
    if role not in roles_offered(organisation):
        raise ValidationError({"role": "Ce rôle n'est pas proposé pour ce type d'organisation."})
    if not by.is_superuser and _reach(role) > _reach(by.role):
        raise ValidationError(
            {
                "role": "Vous ne pouvez pas donner un rôle plus étendu que le vôtre "
                f"({by.get_role_display()})."
            }
        )
    if (
        User.objects.filter(email__iexact=email).exists()
        or User.objects.filter(username__iexact=email).exists()
    ):
        raise ValidationError({"email": "Un compte existe déjà pour cette adresse."})
    user = User(
        username=email,
        email=email,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        organisation=organisation,
        role=role,
        is_referent=is_referent,
        is_active=False,
        invited_by=by,
        invited_at=timezone.now(),
    )
    user.set_unusable_password()
    validate(user)
    user.save()
    transaction.on_commit(lambda: _send(user))
    return user


@transaction.atomic
def invitation_resend(*, user: User, by: User) -> User:
    """A new link, valid seven days from now; the earlier ones stop working."""
    _require(by, user.organisation)
    if not user.invitation_pending:
        raise ValidationError("Ce compte n'attend pas d'invitation : il est déjà ouvert.")
    user.invited_at = timezone.now()
    user.save(update_fields=["invited_at"])
    transaction.on_commit(lambda: _send(user))
    return user


@transaction.atomic
def invitation_revoke(*, user: User, by: User) -> None:
    """The waiting account goes, and its link with it. An open account is deactivated
    instead (its history stays)."""
    _require(by, user.organisation)
    if not user.invitation_pending:
        raise ValidationError("Ce compte est déjà ouvert : désactivez-le plutôt.")
    user.delete()


@transaction.atomic
def account_set_active(*, user: User, active: bool, by: User) -> User:
    _require(by, user.organisation)
    if user.pk == by.pk:
        raise ValidationError("Vous ne pouvez pas désactiver votre propre compte.")
    if user.invitation_pending or user.is_superuser:
        raise PermissionDenied
    user.is_active = active
    user.save(update_fields=["is_active"])
    return user


@transaction.atomic
def invitation_accept(*, user: User, password: str) -> User:
    """The invited person chose a password (checked by the form): the account opens and
    the link is spent."""
    user = User.objects.select_for_update().get(pk=user.pk)
    if not user.invitation_pending:
        raise ValidationError("Cette invitation a déjà servi.")
    user.set_password(password)
    user.is_active = True
    user.save(update_fields=["password", "is_active", "calendar_token"])
    publish(
        "invitation.accepted",
        data={"utilisateur": user.pk},
        concerned=lambda: [user.organisation_id],
    )
    return user
