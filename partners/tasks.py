"""The partners' e-mails that carry a secret link, as background tasks: each carries an
account's id only and builds its message when it sends it (the link is never stored)."""

from celery import shared_task
from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm
from django.contrib.auth.tokens import default_token_generator
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from config.jobs.tasks import Job
from partners.invitations import send_invitation
from partners.models import User

__all__ = ["send_invitation", "send_password_reset"]

RESET_TEMPLATES = (
    "registration/password_reset_subject.txt",
    "registration/password_reset_email.txt",
)


@shared_task(base=Job, name="partners.send_password_reset", autoretry_for=(OSError,))
def send_password_reset(user_id: int) -> bool:
    """The forgotten-password e-mail of an active account with a password."""
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or not user.has_usable_password() or not user.email:
        return False
    context = {
        "email": user.email,
        "user": user,
        "uid": urlsafe_base64_encode(force_bytes(user.pk)),
        "token": default_token_generator.make_token(user),
        "site_url": settings.SITE_URL,
    }
    PasswordResetForm().send_mail(*RESET_TEMPLATES, context, None, user.email)
    return True
