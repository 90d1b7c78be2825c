"""The product's form renderer: ``{{ form }}`` and ``{{ field.as_field_group }}`` draw
the State design system (DSFR) markup of ``templates/includes/field.html``."""

from django.forms.renderers import TemplatesSetting


class DsfrFormRenderer(TemplatesSetting):
    # TemplatesSetting reads the project's templates (and django.forms' own widget
    # templates through APP_DIRS), so one field template serves every form.
    form_template_name = "includes/form.html"
    field_template_name = "includes/field.html"
