"""The admin as the coordinators see it: the product's name and colours, French column
headers, amounts and dates written the French way, only their role's actions."""

import html
from decimal import Decimal

import pytest
from django.contrib import admin
from django.contrib.admin.utils import label_for_field
from django.core.exceptions import FieldDoesNotExist
from django.forms.utils import pretty_name
from django.urls import reverse

from partners.enums import Role
from tests.conventions.factories import PostCostFactory

pytestmark = pytest.mark.django_db

# Column names that read the same in French and in English.
FRENCH_AS_IS = {"convention", "version"}


def page(response) -> str:
    return html.unescape(response.content.decode()).replace("\u202f", " ").replace("\xa0", " ")


def test_the_admin_shows_the_product_name_and_its_colours(client, two_departements):
    client.force_login(two_departements["79"]["users"][Role.EMPLOYER_COORDINATION])
    content = page(client.get(reverse("admin:index")))
    assert "Conventions ISCG — administration" in content
    assert "css/admin.css" in content
    # One colour scheme, like the product's pages.
    assert "dark_mode.css" not in content


def test_every_column_of_the_project_s_admin_lists_has_a_french_header():
    english = []
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label not in ("partners", "conventions", "activity"):
            continue
        for name in model_admin.list_display:
            if name == "__str__" or name in FRENCH_AS_IS:
                continue
            label = str(label_for_field(name, model, model_admin))
            try:
                field = model._meta.get_field(name)
            except FieldDoesNotExist:
                derived = label in (pretty_name(name), name.replace("_", " "))
            else:
                derived = field.deconstruct()[3].get("verbose_name") is None
            if derived:
                english.append(f"{model.__name__}.{name}: {label}")
    assert english == []


def test_amounts_in_the_admin_lists_are_written_the_french_way(
    client, two_departements, admin_user
):
    PostCostFactory(post=two_departements["79"]["post"], year=2024, total=Decimal("45000.50"))
    client.force_login(admin_user)
    content = page(client.get(reverse("admin:conventions_postcost_changelist")))
    assert "45 000,50 €" in content


def test_a_coordinator_is_offered_no_bulk_deletion(client, two_departements):
    client.force_login(two_departements["79"]["users"][Role.EMPLOYER_COORDINATION])
    content = client.get(reverse("admin:conventions_postholder_changelist")).content.decode()
    assert "delete_selected" not in content


def test_the_change_lists_leave_the_whole_width_to_their_columns(client, two_departements):
    client.force_login(two_departements["79"]["users"][Role.EMPLOYER_COORDINATION])
    content = client.get(reverse("admin:conventions_payment_changelist")).content.decode()
    assert 'id="nav-sidebar"' not in content
