"""Widgets for the forms that render many fields or options, written without templates.

Django renders each widget, and each option of a select, through its template
engine: about a millisecond for a select of a thousand partners (the
conventions filter of an administrator), and as much for the 171 cells of a
quarter's entry grid. These produce the same HTML as Django's templates
(attributes escaped as ``format_html`` escapes them), straight from Python.
"""

import html

from django import forms
from django.utils.choices import BaseChoiceIterator
from django.utils.html import format_html
from django.utils.safestring import SafeData, mark_safe

SELECTED = mark_safe(" selected")  # noqa: S308 (a constant)


def _escaped(value) -> str:
    """What ``conditional_escape`` gives, without its lazy-string wrapper (a grid of 171
    cells escapes some 2 000 values)."""
    if isinstance(value, SafeData):
        return str(value)
    return html.escape(str(value))


def html_attributes(attrs: dict) -> str:
    """In order, as django/forms/widgets/attrs.html writes them: ``True`` as a bare name."""
    return mark_safe(  # noqa: S308 (every name and value escaped above)
        "".join(
            f" {_escaped(name)}" if value is True else f' {_escaped(name)}="{_escaped(value)}"'
            for name, value in attrs.items()
            if value is not False and value is not None
        )
    )


class InlineRadioSelect(forms.RadioSelect):
    """A few short choices side by side on a wide screen (DSFR's inline fieldset
    elements), one under the other on a phone."""

    inline = True


class FastNumberInput(forms.NumberInput):
    def render(self, name, value, attrs=None, renderer=None):
        attributes = {"type": self.input_type, "name": name}
        value = self.format_value(value)
        if value is not None:
            attributes["value"] = value
        attributes.update(self.build_attrs(self.attrs, attrs))
        return format_html("<input{}>", html_attributes(attributes))


class SharedChoices(BaseChoiceIterator):
    """Choices read once and given to every row of a formset (``share_choices``). Django
    copies a plain list into a new one for each field it is given to (the country's
    organisations, once a row); an iterator it keeps as it is. ``FastSelect`` writes
    their options once too, and only marks the chosen one in each row."""

    def __init__(self, choices):
        # Through iter(): list() would first ask a model choice field's len(), a COUNT.
        self.choices = list(iter(choices))
        self.written = {}  # by widget class: its options' HTML

    def __iter__(self):
        return iter(self.choices)

    def __len__(self):
        return len(self.choices)


def share_choices(formset, names) -> None:
    """Read each select's choices once for every row of ``formset`` (and its empty form)
    instead of once a row."""
    forms_ = [formset.empty_form, *formset.forms]
    for name in names:
        shared = SharedChoices(forms_[0].fields[name].choices)
        for form in forms_:
            form.fields[name].choices = shared


def _text(value) -> str:
    """Escaped as ``conditional_escape`` does, without its lazy wrapper (thousands of
    options a page)."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


class FastSelect(forms.Select):
    """A single choice among flat options (no option groups)."""

    def option_attributes(self, option_value) -> dict:
        """Attributes of one option besides its value (a subclass's ``data-*``)."""
        return {}

    def _written_options(self, choices) -> list[tuple[str, str, str]] | None:
        """Each option as (its value, its opening up to the value's quote, the rest);
        None when the choices hold groups."""
        written = []
        for option_value, label in choices:
            if isinstance(label, (list, tuple)):
                return None
            text = "" if option_value is None else str(option_value)
            extra = "".join(
                f' {name}="{_text(value)}"'
                for name, value in self.option_attributes(option_value).items()
            )
            written.append(
                (text, f'<option value="{_text(text)}"', f"{extra}>{_text(label)}</option>")
            )
        return written

    def render(self, name, value, attrs=None, renderer=None):
        choices = self.choices
        if isinstance(choices, SharedChoices):
            key = type(self)
            if key not in choices.written:
                choices.written[key] = self._written_options(choices)
            options = choices.written[key]
        else:
            # Once: a model choice field queries on each iteration (and counts for a len()).
            options = self._written_options(list(iter(choices)))
        if options is None:
            return super().render(name, value, attrs, renderer)
        chosen = set(self.format_value(value))
        parts = []
        for text, opening, rest in options:
            parts.append(opening)
            if text in chosen:
                chosen.clear()  # a single choice: only the first match is selected
                parts.append(SELECTED)
            parts.append(rest)
        attributes = {"name": name, **self.build_attrs(self.attrs, attrs)}
        return format_html(
            "<select{}>{}</select>",
            html_attributes(attributes),
            mark_safe("".join(parts)),  # noqa: S308 (escaped above)
        )
