"""Between the forms and the services: a form's cleaned values as the plain data a
service takes, and a service's errors shown back on the form."""

from dataclasses import fields
from functools import cached_property
from typing import TypeVar

from django import forms
from django.core.exceptions import ValidationError

from config.core.concurrency import VERSION_FIELD, StaleVersionError
from config.core.writes import RowChange

D = TypeVar("D")


def capped(max_rows: int) -> dict:
    """The options that bound a formset to ``max_rows`` rows, whatever a request claims.

    Django builds as many forms as ``TOTAL_FORMS`` says, up to 2 000: one request
    could keep a worker busy for twenty seconds. Here it builds at most
    ``max_rows`` and says in French that there are too many (« Veuillez soumettre
    au plus … formulaires »), so the work of a request stays bounded.
    """
    return {"max_num": max_rows, "validate_max": True, "absolute_max": max_rows}


def add_service_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Show a service's errors next to the fields they name, the others above the form.

    A save refused because the row changed meanwhile carries the row's new version:
    the form shown again holds it, so that the user can save again once the
    changes are read.
    """
    if isinstance(error, StaleVersionError) and VERSION_FIELD in form.fields:
        form.data = form.data.copy()
        form.data[form.add_prefix(VERSION_FIELD)] = error.version
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, messages in error.message_dict.items():
        form.add_error(field if field in form.fields else None, messages)


def cleaned_data_as(form: forms.BaseForm, data_class: type[D]) -> D:
    """The form's cleaned values that ``data_class`` holds (a formset row's cleaned data
    also has its id, its parent and its deletion box)."""
    names = {field.name for field in fields(data_class)}
    return data_class(**{k: v for k, v in form.cleaned_data.items() if k in names})


def formset_changes(formset: forms.BaseModelFormSet, data_class: type[D]) -> list[RowChange]:
    """What ``formset.save()`` would write, as plain data: the saved rows deleted or
    changed, then the rows added. Unchanged rows are left out, as the formset leaves them."""
    deleted = formset.deleted_forms
    changes = []
    for form in formset.initial_forms:
        # No pk: a row that is no longer there, or that the formset's queryset refused.
        if form.instance.pk is None:
            continue
        if form in deleted:
            changes.append(RowChange(row=form.instance))
        elif form.has_changed():
            changes.append(RowChange(row=form.instance, data=cleaned_data_as(form, data_class)))
    for form in formset.extra_forms:
        if form.has_changed() and form not in deleted:
            changes.append(RowChange(data=cleaned_data_as(form, data_class)))
    return changes


class FiniteDecimalField(forms.DecimalField):
    """A decimal that is a number. Django's DecimalField reads « sNaN » and « Infinity »
    as decimals and refuses them only in ``validate()``, after a formset has compared the
    value with the initial one (``has_changed``), which a signalling NaN makes raise:
    a 500 where the reader should be told the value is not a number."""

    def to_python(self, value):
        value = super().to_python(value)
        if value is not None and not value.is_finite():
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return value


class AddableRowsFormSet(forms.BaseFormSet):
    """A formset whose page adds rows with an « Ajouter … » button (static/js/formset.js).

    Rows already saved are shown without a blank one below them; a blank row is shown
    only while the list is empty, so that the first row can be typed even without
    JavaScript. Used with ``can_delete_extra=False``: a row not yet saved has no
    « Supprimer » box, leaving it blank is enough.
    """

    @cached_property
    def empty_form(self):
        # One blank row for the page's template and for share_choices: Django builds a
        # new one at each access, reading every select's choices again.
        return super().empty_form

    @property
    def is_empty(self) -> bool:
        """No saved row and nothing typed: a page may show its empty state (a sentence and
        the « Ajouter » button) instead of the blank row, which only pages without
        JavaScript need (templates/conventions/includes/formset.html)."""
        if self.initial_form_count():
            return False
        # An unbound row "changes" its fields with a default (an order of 0): only a sent
        # row is looked at.
        return not self.is_bound or not any(form.has_changed() for form in self.forms)

    def total_form_count(self):
        if not self.is_bound and self.initial_form_count():
            return self.initial_form_count()
        return super().total_form_count()
