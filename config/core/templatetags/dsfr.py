"""The State design system (DSFR) markup of the product's forms.

``templates/includes/field.html`` draws every field (and the form renderer of
``config.core.form_renderer`` uses it for ``{{ form }}`` and ``as_field_group``); these
helpers pick the DSFR group of a field and give its widget the DSFR classes and the
``aria-describedby`` that links it to its hint and its error.
"""

from django import forms, template
from django.forms.boundfield import BoundWidget
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe

register = template.Library()

# Above this many choices, the boxes of a multiple choice scroll inside their fieldset.
LONG_CHOICE_LIST = 8


def _kind(widget: forms.Widget) -> str:
    if widget.is_hidden:
        return "hidden"
    # Before RadioSelect: Django's CheckboxSelectMultiple is a subclass of it.
    if isinstance(widget, (forms.CheckboxSelectMultiple, forms.SelectMultiple)):
        # A multiple select asks for Ctrl-click: its choices are shown as boxes instead.
        return "checkboxes"
    if isinstance(widget, forms.RadioSelect):
        return "radios"
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    if isinstance(widget, forms.Select):
        return "select"
    if isinstance(widget, forms.ClearableFileInput | forms.FileInput):
        return "upload"
    return "input"


@register.filter
def dsfr_kind(field: forms.BoundField) -> str:
    """hidden, radios, checkboxes, checkbox, select, upload or input."""
    return _kind(field.field.widget)


@register.filter
def dsfr_long(field: forms.BoundField) -> bool:
    """Whether a list of boxes is long enough to scroll inside its fieldset."""
    return len(field.field.choices) > LONG_CHOICE_LIST


@register.simple_tag
def dsfr_widget(field: forms.BoundField):
    """The field's widget with the DSFR class of its kind and its error state.

    Django itself adds ``aria-invalid`` and the ``aria-describedby`` that names the
    hint (``<id>_helptext``) and the error (``<id>_error``) that field.html writes.
    """
    kind = _kind(field.field.widget)
    attrs = {}
    css = {"input": "fr-input", "select": "fr-select", "upload": "fr-upload"}.get(kind)
    if css:
        classes = [field.field.widget.attrs.get("class", ""), css]
        if field.errors:
            classes.append(f"{css}--error")
        attrs["class"] = " ".join(c for c in classes if c)
    html = field.as_widget(attrs=attrs)
    if kind == "select":
        html = _without_dashes(html, required=field.field.required)
    return html


# Django's empty choice, as its Select widget writes it.
_DASHES = '<option value=""{}>---------</option>'
# A required choice has no value until the user makes it: its empty choice is a
# placeholder that cannot be chosen back. An optional one says what the empty value means.
PLACEHOLDER = "Choisir dans la liste"
OPTIONAL_EMPTY = "Non renseigné"


def _without_dashes(html: str, *, required: bool) -> str:
    """The select without « --------- »: « Choisir dans la liste », disabled, when a
    value is required; « Non renseigné » when it is not."""
    for selected in (" selected", ""):
        dashes = _DASHES.format(selected)
        if dashes in html:
            if required:
                option = f'<option value=""{selected} disabled>{PLACEHOLDER}</option>'
            else:
                option = f'<option value=""{selected}>{OPTIONAL_EMPTY}</option>'
            # The widget's own safe HTML, one constant option swapped for another.
            return mark_safe(html.replace(dashes, option, 1))  # noqa: S308
    return html


@register.simple_tag
def dsfr_choices(field: forms.BoundField):
    """The boxes (or radio buttons) of a multiple or single choice, each in its DSFR group.

    A multiple select is drawn as checkboxes: the browser sends the same values
    under the same name, so the form reads them unchanged.
    """
    kind = _kind(field.field.widget)
    if kind == "checkboxes" and not isinstance(field.field.widget, forms.CheckboxSelectMultiple):
        widget = forms.CheckboxSelectMultiple(attrs=field.field.widget.attrs)
        widget.choices = field.field.widget.choices
        attrs = {"id": field.field.widget.attrs.get("id") or field.auto_id}
        if field.field.disabled:
            attrs["disabled"] = True
        subwidgets = [
            BoundWidget(widget, data, field.form.renderer)
            for data in widget.subwidgets(field.html_name, field.value(), attrs)
        ]
    else:
        subwidgets = field.subwidgets
    group = "fr-radio-group" if kind == "radios" else "fr-checkbox-group"
    element = "fr-fieldset__element"
    if getattr(field.field.widget, "inline", False):
        element += " fr-fieldset__element--inline"
    return format_html_join(
        "",
        '<div class="{}"><div class="{}">{}<label class="fr-label" for="{}">{}</label></div></div>',
        ((element, group, sub.tag(), sub.id_for_label, sub.choice_label) for sub in subwidgets),
    )


def _forms_in(items):
    """The forms and formsets among ``items``, looking into dicts and lists of them."""
    for item in items:
        if isinstance(item, forms.BaseForm | forms.BaseFormSet):
            yield item
        elif isinstance(item, dict):
            yield from _forms_in(item.values())
        elif isinstance(item, list | tuple):
            yield from _forms_in(item)


def _form_errors(form: forms.BaseForm, anchor: str | None) -> list[dict]:
    href = f"#{anchor}" if anchor else None
    errors = [{"href": href, "message": e} for e in form.non_field_errors()]
    for name, messages in form.errors.items():
        if name == forms.forms.NON_FIELD_ERRORS:
            continue
        field = form.fields.get(name)
        bound = form[name] if field is not None else None
        if bound is None or bound.is_hidden:
            errors.extend({"href": href, "message": m} for m in messages)
            continue
        errors.extend(
            {"href": f"#{bound.auto_id}", "label": bound.label, "message": m} for m in messages
        )
    return errors


@register.simple_tag(takes_context=True)
def error_summary(context) -> list[dict]:
    """Each error of the page's forms and formsets, with the anchor of its field.

    The page's ``form`` comes first, then the other forms and formsets of the context in
    their order (a dict of formsets, as the convention form has, counts). An error about
    a whole form is only written in the summary; about a formset row, it points at the
    row's fieldset (``templates/conventions/includes/formset_row.html``); about a whole
    formset, at its heading.
    """
    values = context.flatten()
    found = list(_forms_in([values.get("form"), *values.values()]))
    formsets = [item for item in found if isinstance(item, forms.BaseFormSet)]
    in_formsets = {id(subform) for formset in formsets for subform in formset.forms}
    errors, seen = [], set()
    for item in found:
        if id(item) in seen or id(item) in in_formsets or not item.is_bound:
            continue
        seen.add(id(item))
        if isinstance(item, forms.BaseFormSet):
            errors.extend(
                {"href": f"#{item.prefix}-errors", "message": e} for e in item.non_form_errors()
            )
            for subform in item.forms:
                errors.extend(_form_errors(subform, subform.prefix))
        else:
            errors.extend(_form_errors(item, None))
    return errors
