"""Every admin change form of a model that counts its saves (``version``) refuses a
stale form: two administrators open the same change form, the first saves, the
second's save is refused with the site's French message and overwrites nothing.

The admins are read from the admin site's registry: a versioned model registered
later without the mechanism (config.core.admin.VersionedAdminMixin) fails here.
"""

import html

import pytest
from django.contrib import admin
from django.db import models
from django.test import Client
from django.urls import reverse

from config.core.admin import VersionedAdminMixin, is_versioned
from tests.activity.factories import QuarterReportFactory
from tests.conventions.factories import (
    ContributionFactory,
    ConventionFactory,
    CouncilMemberFactory,
    DeliberationFactory,
    PartyFactory,
    PostCostFactory,
    PostFactory,
)
from tests.partners.factories import OrganisationFactory
from tests.security.test_concurrent_edits import FormReader

pytestmark = pytest.mark.django_db

VERSIONED = sorted(
    (model for model in admin.site._registry if is_versioned(model)),
    key=lambda model: model._meta.label,
)


def contribution():
    party = PartyFactory()  # a funder is a party to the convention
    return ContributionFactory(convention=party.convention, organisation=party.organisation)


# A row of each versioned model, as the admin shows it.
FACTORIES = {
    "activity.QuarterReport": QuarterReportFactory,
    "conventions.Contribution": contribution,
    "conventions.Convention": ConventionFactory,
    "conventions.CouncilMember": CouncilMemberFactory,
    "conventions.Deliberation": DeliberationFactory,
    "conventions.Post": PostFactory,
    "conventions.PostCost": PostCostFactory,
    "partners.Organisation": OrganisationFactory,
}


def test_the_registry_has_the_versioned_models():
    # The list the test below runs over is not empty by mistake.
    assert {model._meta.label for model in VERSIONED} >= {
        "conventions.Convention",
        "partners.Organisation",
        "conventions.Deliberation",
    }


@pytest.mark.parametrize("model", VERSIONED, ids=lambda model: model._meta.label)
def test_every_versioned_admin_uses_the_one_mechanism(model):
    assert isinstance(admin.site._registry[model], VersionedAdminMixin)


def form_values(response) -> dict:
    """What the browser sends back from the change form, unchanged."""
    reader = FormReader()
    reader.feed(response.content.decode())
    form = next(form for form in reader.forms if "version" in form)
    return {name: values if len(values) > 1 else values[0] for name, values in form.items()}


def text_field(model, values) -> str | None:
    """A free-text field of the form, to be typed differently by the second person."""
    for field in model._meta.concrete_fields:
        if (
            isinstance(field, models.CharField)
            and not field.choices
            and field.editable
            and values.get(field.name)
        ):
            return field.name
    return None


def snapshot(row):
    row.refresh_from_db()
    return {f.attname: getattr(row, f.attname) for f in row._meta.concrete_fields}


@pytest.mark.parametrize("model", VERSIONED, ids=lambda model: model._meta.label)
def test_the_second_of_two_admin_saves_is_refused(model, admin_user):
    assert model._meta.label in FACTORIES, "a versioned model without a case here"
    row = FACTORIES[model._meta.label]()
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_change", args=[row.pk])
    first, second = Client(), Client()
    first.force_login(admin_user)
    second.force_login(admin_user)
    shown_first = form_values(first.get(url))
    shown_second = form_values(second.get(url))
    version = row.version
    assert shown_second["version"] == str(version)

    saved = first.post(url, shown_first)
    assert saved.status_code == 302, saved.context["errors"] if saved.context else saved
    after_first = snapshot(row)
    assert after_first["version"] == version + 1

    field = text_field(model, shown_second)
    if field:
        shown_second[field] += "-bis"  # fits a name, a title, a slug
    refused = second.post(url, shown_second)
    assert refused.status_code == 200
    page = html.unescape(refused.content.decode())
    assert "Quelqu'un d'autre a enregistré" in page
    assert "pendant votre saisie" in page
    assert snapshot(row) == after_first  # nothing overwritten, the version unchanged

    # The form shown again carries the new version: saving again is a choice.
    again = form_values(refused)
    assert again["version"] == str(after_first["version"])
    saved_again = second.post(url, again)
    assert saved_again.status_code == 302, saved_again.context["errors"]


def test_a_council_member_is_changed_on_its_own_versioned_page_not_in_the_council_inline(
    client, admin_user
):
    # An inline row carries no version: a recorded member is shown read-only in the
    # council's page, with a link to its own page, whose form refuses a stale save.
    member = CouncilMemberFactory(last_name="Dupont")
    client.force_login(admin_user)
    page = client.get(
        reverse("admin:conventions_council_change", args=[member.council.pk])
    ).content.decode()
    assert 'name="members-0-last_name"' not in page
    assert "Dupont" in page
    member_page = reverse("admin:conventions_councilmember_change", args=[member.pk])
    assert member_page in page
    # A new member can still be added in the council's page.
    assert 'name="members-__prefix__-last_name"' in page
