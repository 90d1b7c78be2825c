"""The admin site for the Coordination employeur role: its posts and conventions only."""

import datetime

import pytest
from django.urls import reverse

from conventions.models import PostHolder
from partners.enums import Role
from tests.conventions.factories import (
    AmendmentFactory,
    ArticleChangeFactory,
    PostHolderFactory,
)
from tests.partners.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator(client, two_departements):
    client.force_login(two_departements["79"]["users"][Role.EMPLOYER_COORDINATION])
    return two_departements


def changelist(client, model):
    return client.get(reverse(f"admin:conventions_{model}_changelist"))


def change_url(obj):
    return reverse(f"admin:conventions_{obj._meta.model_name}_change", args=[obj.pk])


def listed(response):
    return set(response.context["cl"].result_list)


def test_a_coordinator_lists_only_the_conventions_of_its_posts(client, coordinator):
    response = changelist(client, "convention")
    assert response.status_code == 200
    assert listed(response) == {coordinator["79"]["convention"]}


def test_a_coordinator_lists_only_the_holders_of_its_posts(client, coordinator):
    response = changelist(client, "postholder")
    assert listed(response) == set(coordinator["79"]["post"].holders.all())


def test_a_coordinator_lists_only_the_amendments_of_its_conventions(client, coordinator):
    own = AmendmentFactory(convention=coordinator["79"]["convention"])
    AmendmentFactory(convention=coordinator["95"]["convention"])
    assert listed(changelist(client, "amendment")) == {own}


@pytest.mark.parametrize("model", ["convention", "post"])
def test_a_foreign_object_change_page_sends_the_coordinator_away(client, coordinator, model):
    foreign = coordinator["95"][model]
    response = client.get(change_url(foreign))
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:index")


def test_a_foreign_holder_change_page_sends_the_coordinator_away(client, coordinator):
    foreign = coordinator["95"]["post"].holders.get()
    response = client.get(change_url(foreign))
    assert response.status_code == 302


def test_a_coordinator_views_its_convention_without_changing_it(client, coordinator):
    convention = coordinator["79"]["convention"]
    amendment = AmendmentFactory(convention=convention)
    ArticleChangeFactory(amendment=amendment)
    response = client.get(change_url(convention))
    assert response.status_code == 200
    assert not response.context["has_change_permission"]
    assert client.post(change_url(convention), {"title": "Changé"}).status_code == 403
    assert client.get(change_url(amendment)).status_code == 200


def test_a_coordinator_records_the_end_of_a_holders_period(client, coordinator):
    holder = coordinator["79"]["post"].holders.get()
    response = client.post(
        change_url(holder),
        {
            "post": holder.post.pk,
            "name": holder.name,
            "start": "2021-01-01",
            "end": "2024-06-30",
            "user": holder.user_id or "",
        },
    )
    assert response.status_code == 302
    holder.refresh_from_db()
    assert holder.end == datetime.date(2024, 6, 30)


def test_a_coordinator_adds_a_holder_only_to_its_own_posts(client, coordinator):
    add_url = reverse("admin:conventions_postholder_add")
    response = client.get(add_url)
    assert set(response.context["adminform"].form.fields["post"].queryset) == {
        coordinator["79"]["post"]
    }
    response = client.post(
        add_url, {"post": coordinator["95"]["post"].pk, "name": "Intrus", "start": "2025-01-01"}
    )
    assert response.status_code == 200
    assert not PostHolder.objects.filter(name="Intrus").exists()


def test_a_coordinator_links_holders_only_to_accounts_of_its_organisation(client, coordinator):
    UserFactory(organisation=coordinator["95"]["post"].employer)
    response = client.get(reverse("admin:conventions_postholder_add"))
    accounts = response.context["adminform"].form.fields["user"].queryset
    employer = coordinator["79"]["post"].employer
    assert accounts.exists()
    assert set(accounts.values_list("organisation", flat=True)) == {employer.pk}


def test_other_roles_do_not_enter_the_admin(client, two_departements):
    client.force_login(two_departements["79"]["users"][Role.LOCAL_AUTHORITY])
    assert changelist(client, "convention").status_code == 302


def test_an_administrator_sees_every_convention_and_its_inlines(client, two_departements):
    client.force_login(UserFactory(admin=True))
    assert len(listed(changelist(client, "convention"))) == 2
    holder = PostHolderFactory(
        post=two_departements["95"]["post"], start="2015-01-01", end="2016-01-01"
    )
    response = client.get(change_url(two_departements["95"]["convention"]))
    assert response.status_code == 200
    # The posts covered (annexes), the parties, associated partners, visas, articles,
    # annexes, renewals, reporting rules and committee members.
    assert len(response.context["inline_admin_formsets"]) == 9
    assert client.get(change_url(holder)).status_code == 200


def test_a_change_in_the_admin_makes_an_open_edit_page_stale(client, two_departements):
    convention = two_departements["95"]["convention"]
    client.force_login(UserFactory(admin=True))
    response = client.get(change_url(convention))
    data = {}
    form = response.context["adminform"].form
    for name in form.fields:
        if name == "signed_scan":
            continue
        value = form[name].value()
        if value is not None and value is not False:
            data[name] = "on" if value is True else value
    for formset in response.context["inline_admin_formsets"]:
        for bound in formset.formset.management_form:
            data[bound.html_name] = bound.value()
        for inline_form in formset.formset.forms:
            for bound in inline_form:
                value = bound.value()
                if value is not None and value is not False:
                    data[bound.html_name] = "on" if value is True else value
    data["title"] = "Titre changé dans l'administration"
    response = client.post(change_url(convention), data)
    assert response.status_code == 302
    convention.refresh_from_db()
    assert convention.title == "Titre changé dans l'administration"
    assert convention.version == 2
