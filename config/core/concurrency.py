"""Two people edit the same thing: the second save is refused, never silently merged.

One mechanism for every edit form. The form carries the version of the row it
was displayed from (``VersionedFormMixin``, a hidden field); the service locks
the row and compares (``check_version``): another save in between raised the
version, and the save is refused by a French ``StaleVersionError`` that says
what changed meanwhile, field by field, from the history of the row (or, for
a row without history, by comparing it with what the user typed). The form
shown again keeps the user's input and the new version (``add_service_errors``
sets it), so that saving again, once the changes are read, is a choice.
"""

from collections.abc import Iterable

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from config.core.formats import french_date
from config.core.history import ACTIONS, Change, changes_between, history_entries, record_display

VERSION_FIELD = "version"
# A message stays readable: a whole sheet changed meanwhile is summed up after that.
MAX_LINES = 12
ADDED_OR_DELETED = {ACTIONS["+"]: "ajout", ACTIONS["-"]: "suppression"}


class StaleVersionError(ValidationError):
    """The row changed since the form was displayed; ``version`` is its current one."""

    def __init__(self, message: str, *, version: int):
        self.version = version
        super().__init__(message, code="stale")


class VersionedFormMixin:
    """A hidden ``version`` field: the version of the row the form shows.

    A model form reads it from its saved instance; another form says it
    (``version=``, None when there is no row yet). Required on an edit: a post
    without it could overwrite anything.
    """

    def __init__(self, *args, version: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        instance = getattr(self, "instance", None)
        if version is None and instance is not None and instance.pk is not None:
            version = instance.version
        self.fields[VERSION_FIELD] = forms.IntegerField(
            widget=forms.HiddenInput, required=version is not None, min_value=0, initial=version
        )

    @property
    def expected_version(self) -> int | None:
        return self.cleaned_data.get(VERSION_FIELD)

    @property
    def cleaned_values(self) -> dict:
        """The cleaned values for the service, the version apart."""
        return {k: v for k, v in self.cleaned_data.items() if k != VERSION_FIELD}


def check_version(
    instance: models.Model,
    expected: int | None,
    *,
    what: str,
    related: Iterable[models.QuerySet] = (),
) -> None:
    """Lock the saved row of ``instance`` and refuse the save if it changed since version
    ``expected``; otherwise give ``instance`` the next version, to be saved with it.

    ``expected`` None means that the user saw no row: one created meanwhile is a
    change too. ``what`` names the object (« cette convention »). ``related``: the
    histories of the rows saved with it (a deliberation's attendance sheet), whose
    changes since that version are listed too. Call it inside the service's
    transaction, before writing.
    """
    if instance.pk is None:
        return
    current = type(instance)._default_manager.select_for_update().get(pk=instance.pk)
    if current.version != expected:
        raise stale_version_error(current, expected, instance, what=what, related=related)
    instance.version = current.version + 1


def stale_version_error(
    current: models.Model,
    expected: int | None,
    instance: models.Model | None = None,
    *,
    what: str,
    related: Iterable[models.QuerySet] = (),
    error_class: type[StaleVersionError] = StaleVersionError,
    **error_kwargs,
) -> StaleVersionError:
    """The refusal of a save prepared on version ``expected`` of a row now at ``current``
    (locked by the caller), listing what changed meanwhile. For a service that locks
    and counts versions its own way (a quarter's counts)."""
    lines = _changes_since(current, expected, related)
    if not lines and instance is not None:
        lines = _differences(current, instance)
    saved_at = getattr(current, "updated_at", None)
    when = (
        f" (le {french_date(timezone.localdate(saved_at))} à {timezone.localtime(saved_at):%H:%M})"
        if saved_at
        else ""
    )
    message = f"Quelqu'un d'autre a enregistré {what} pendant votre saisie{when}."
    if len(lines) > MAX_LINES:
        lines = [*lines[:MAX_LINES], f"et {len(lines) - MAX_LINES} autre(s) changement(s)"]
    if lines:
        message += " Changé entre-temps : " + " ; ".join(lines) + "."
    message += " Vos valeurs sont conservées ci-dessous : vérifiez-les, puis enregistrez à nouveau."
    return error_class(message, version=current.version, **error_kwargs)


def _format(change: Change, subject: str = "") -> str:
    label = f"{subject} — {change.field}" if subject else change.field
    before = change.before or "(vide)"
    after = change.after or "(vide)"
    return f"{label} : {before} → {after}"


def _changes_since(current, expected, related) -> list[str]:
    """From the history: the row as the user saw it against the row now, then the
    changes of the related rows since then. Empty when the history cannot say."""
    history = getattr(type(current), "history", None)
    if history is None or expected is None:
        return []
    seen = history.filter(id=current.pk, version=expected).order_by("-history_date").first()
    latest = history.filter(id=current.pk).order_by("-history_date", "-history_id").first()
    if seen is None or latest is None:
        return []
    lines = [_format(change) for change in changes_between(seen, latest)]
    sources = [source.filter(history_date__gt=seen.history_date) for source in related]
    for entry in reversed(history_entries(sources)):
        if entry.action == ACTIONS["~"]:
            lines += [_format(change, entry.subject) for change in entry.changes]
        else:
            lines.append(f"{entry.subject} : {ADDED_OR_DELETED[entry.action]}")
    return lines


def _differences(current, instance) -> list[str]:
    """Without history: the fields where the saved row differs from what the user typed,
    with the saved value."""
    lines = []
    for field in current._meta.fields:
        if not field.editable or field.primary_key or field.name == VERSION_FIELD:
            continue
        saved, typed = getattr(current, field.attname), getattr(instance, field.attname)
        if saved != typed:
            label = str(field.verbose_name)
            shown = record_display(current, field.name) or "(vide)"
            lines.append(f"{label[:1].upper()}{label[1:]} : {shown}")
    return lines
