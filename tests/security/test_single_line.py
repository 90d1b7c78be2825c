"""Single-line fields refuse line breaks: a name holding one breaks the header of an
e-mail (Django refuses to send it), a CSV row, a PDF heading. One validator
(config.core.validators.single_line) on every text field of one line, checked on
every model so that a new field cannot forget it."""

import html

import pytest
from django.apps import apps
from django.db import models
from django.urls import reverse

from config.core.validators import SINGLE_LINE_MESSAGE, single_line
from partners.models import Organisation
from tests.partners.factories import OrganisationFactory, UserFactory
from tests.security.test_concurrent_edits import displayed

PRODUCT_APPS = ["partners", "conventions", "activity"]
# Typed by nobody: a password hash, Django's username (its own validator refuses any
# space), the page a form redirected to, the key of a reminder already sent.
EXEMPT = {
    "partners.User.password",
    "partners.User.username",
    "partners.Submission.url",
    "conventions.ReminderSent.key",
}


def one_line_fields():
    for app in PRODUCT_APPS:
        for model in apps.get_app_config(app).get_models():
            if getattr(model, "instance_type", None):  # a history model: copies the fields
                continue
            for field in model._meta.concrete_fields:
                if isinstance(field, models.CharField) and field.editable and not field.choices:
                    yield f"{model._meta.label}.{field.name}", field


def test_every_single_line_field_refuses_line_breaks():
    fields = dict(one_line_fields())
    assert "partners.Organisation.name" in fields  # the walk finds the fields
    missing = [
        label
        for label, field in fields.items()
        if label not in EXEMPT and single_line not in field.validators
    ]
    assert missing == []


@pytest.mark.parametrize("value", ["Ville\nde Niort", "Ville\r\nde Niort", "Ville\u2028de Niort"])
def test_the_validator_refuses_each_kind_of_line_break(value):
    field = Organisation._meta.get_field("name")
    with pytest.raises(Exception, match="tient sur une ligne"):
        field.run_validators(value)


def test_the_validator_accepts_one_line():
    Organisation._meta.get_field("name").run_validators("Ville de Niort — Mairie")


@pytest.mark.django_db
def test_the_organisation_page_refuses_a_name_on_two_lines(client):
    organisation = OrganisationFactory(name="Ville de Niort", departement="79")
    client.force_login(UserFactory(admin=True))
    url = reverse("partners:edit", args=[organisation.pk])
    values = displayed(client.get(url), "name") | {"name": "Ville\nde Niort"}
    response = client.post(url, values)
    assert response.status_code == 200
    assert response.context["form"].errors["name"] == [SINGLE_LINE_MESSAGE]
    assert SINGLE_LINE_MESSAGE in html.unescape(response.content.decode())
    organisation.refresh_from_db()
    assert organisation.name == "Ville de Niort"


@pytest.mark.django_db
def test_the_admin_refuses_a_name_on_two_lines(client, admin_user):
    organisation = OrganisationFactory(name="Ville de Niort", departement="79")
    client.force_login(admin_user)
    url = reverse("admin:partners_organisation_change", args=[organisation.pk])
    values = displayed(client.get(url), "version") | {"name": "Ville\nde Niort"}
    response = client.post(url, values)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["name"] == [SINGLE_LINE_MESSAGE]
    organisation.refresh_from_db()
    assert organisation.name == "Ville de Niort"
