"""One action, one record: a form that creates something is carried out once, however
many times it is sent (a double click, the browser's « renvoyer », two tabs).

Each creating form carries a token drawn when it is displayed (``OnceFormMixin``, a
hidden field). The view, decorated with ``submitted_once``, writes the token first,
in the same transaction as what it creates, then keeps the address it redirected
to. The same token sent again gets the same answer, a redirection to that address,
and nothing is written twice. Two sends at the same moment meet on the token's
unique constraint: the database makes the second wait for the first, whose row it
then reads; no error reaches the user.

The rows are stored by the model that ``settings.SUBMISSION_MODEL`` names (the core
holds no model): fields ``token``, ``user``, ``url``.
"""

import re
import secrets
from functools import wraps

from django import forms
from django.apps import apps
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import SuspiciousOperation
from django.db import IntegrityError, transaction
from django.shortcuts import redirect

SUBMISSION_FIELD = "submission_token"
TOKEN_PATTERN = re.compile(r"[A-Za-z0-9_-]{32,64}")
ALREADY_DONE_MESSAGE = (
    "Ce formulaire avait déjà été envoyé : il n'a pas été enregistré une seconde fois."
)


def new_token() -> str:
    return secrets.token_urlsafe(32)


class OnceFormMixin:
    """A hidden token, new at each display of the form; kept when the form comes back
    with errors, so that the corrected form is still the same action. It is not one
    of the values the service takes: ``clean()`` leaves it out."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[SUBMISSION_FIELD] = forms.CharField(
            widget=forms.HiddenInput, required=False, max_length=64, initial=new_token
        )

    def clean(self):
        cleaned = super().clean()
        cleaned.pop(SUBMISSION_FIELD, None)
        return cleaned


def submission_model():
    return apps.get_model(settings.SUBMISSION_MODEL)


def submitted_once(view):
    """Carry out a POST that has a token once; give its first answer to the same token
    sent again. A post without a token (an older page) is carried out as it comes."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        token = request.POST.get(SUBMISSION_FIELD, "") if request.method == "POST" else ""
        if not TOKEN_PATTERN.fullmatch(token) or not request.user.is_authenticated:
            return view(request, *args, **kwargs)
        store = submission_model()
        previous = _previous(store, token)
        if previous is not None:
            return _again(request, previous)
        with transaction.atomic():
            try:
                with transaction.atomic():
                    submission = store.objects.create(token=token, user=request.user)
            except IntegrityError:
                # Sent twice at once: the insert waited for the other request to finish.
                previous = _previous(store, token)
                if previous is None:
                    raise
                return _again(request, previous)
            response = view(request, *args, **kwargs)
            if response.status_code in (301, 302, 303) and response.has_header("Location"):
                submission.url = response["Location"]
                submission.save(update_fields=["url"])
            else:
                # Nothing was done (the form came back with errors): the corrected form
                # may come again with the same token.
                submission.delete()
            return response

    return wrapper


def _previous(store, token):
    return store.objects.filter(token=token).first()


def _again(request, previous):
    if previous.user_id != request.user.pk:
        raise SuspiciousOperation("A submission token sent by another user.")
    messages.info(request, ALREADY_DONE_MESSAGE)
    return redirect(previous.url or request.get_full_path())
