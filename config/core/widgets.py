"""Widgets for the forms that render many fields or options, written without templates.

Django renders each widget, and each option of a select, through its template
engine: about a millisecond for a select of a thousand partners (the
conventions filter of an administrator), and as much for the 171 cells of a
quarter's entry grid. These produce the same HTML as Django's templates
(attributes escaped by ``format_html``), straight from Python.
"""

from django import forms
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

SELECTED = mark_safe(" selected")  # noqa: S308 (a constant)


def html_attributes(attrs: dict) -> str:
    """In order, as django/forms/widgets/attrs.html writes them: ``True`` as a bare name."""
    return format_html_join(
        "",
        "{}",
        (
            (format_html(" {}", name) if value is True else format_html(' {}="{}"', name, value),)
            for name, value in attrs.items()
            if value is not False and value is not None
        ),
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


class FastSelect(forms.Select):
    """A single choice among flat options (no option groups)."""

    def render(self, name, value, attrs=None, renderer=None):
        # Once: a model choice field queries on each iteration (and counts for a len()).
        choices = list(iter(self.choices))
        if any(isinstance(label, (list, tuple)) for _, label in choices):
            return super().render(name, value, attrs, renderer)
        chosen = set(self.format_value(value))
        options = []
        for option_value, label in choices:
            text = "" if option_value is None else str(option_value)
            selected = text in chosen
            if selected:
                chosen.clear()  # a single choice: only the first match is selected
            options.append((text, SELECTED if selected else "", label))
        attributes = {"name": name, **self.build_attrs(self.attrs, attrs)}
        return format_html(
            "<select{}>{}</select>",
            html_attributes(attributes),
            format_html_join("", '<option value="{}"{}>{}</option>', options),
        )
