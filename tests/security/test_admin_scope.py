"""The Django admin for a *Coordination employeur* user: France Victimes 79 (fv79).

It employs the Niort post (Deux-Sèvres, 79) and signs the Niort convention;
nothing of Ermont (Val-d'Oise, 95) may show: not in changelists, filters, change
forms, autocomplete answers, "view on site" redirects or actions.
"""

import re

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.urls import reverse

from activity.enums import QuarterState
from activity.models import QuarterReport
from conventions.models import Payment, Post
from tests.security.conftest import ROLES
from tests.security.forms import main_post_form

pytestmark = pytest.mark.django_db

# What fv79 lists in each registered model's changelist: the rows matching the
# filter (here, everything of the Deux-Sèvres and nothing else), or 403.
# A model registered later without a line here fails
# test_every_registered_model_has_a_line.
NIORT = "79"
NOTHING = {"pk__in": []}
COORDINATOR_CHANGELISTS = {
    "auth.Group": 403,
    "axes.AccessAttempt": 403,
    "axes.AccessLog": 403,
    "axes.AccessFailureLog": 403,
    "partners.Organisation": 403,
    "partners.Representative": 403,
    "partners.User": 403,
    "conventions.Post": {"departement": NIORT},
    "conventions.PostHolder": {"post__departement": NIORT},
    "conventions.Convention": {"posts__departement": NIORT},
    "conventions.Amendment": {"convention__posts__departement": NIORT},
    # Councils are those of one's own organisation: an association has none.
    "conventions.Council": NOTHING,
    "conventions.CouncilMember": NOTHING,
    "conventions.Deliberation": {"organisation__departement": NIORT},
    "conventions.PostCost": {"post__departement": NIORT},
    "conventions.Contribution": {"convention__posts__departement": NIORT},
    "conventions.Payment": {"contribution__convention__posts__departement": NIORT},
    # The statistics grid is national: administrators only.
    "activity.GridVersion": 403,
    "activity.IndicatorGroup": 403,
    "activity.Indicator": 403,
    "activity.MonthlyRecord": {"report__post__departement": NIORT},
    "activity.QuarterReport": {"post__departement": NIORT},
    # The outbox, the failed tasks and the imports and exports: the national
    # administrator's.
    "jobs.Email": 403,
    "jobs.TaskFailure": 403,
    "jobs.Run": 403,
}

SCOPED = {label: rows for label, rows in COORDINATOR_CHANGELISTS.items() if rows != 403}


def changelist_url(model):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")


def change_url(obj):
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])


@pytest.fixture
def coordinator(client, demo):
    client.force_login(demo.users["fv79"])
    return client


def test_every_registered_model_has_a_line():
    registered = {model._meta.label for model in admin.site._registry}
    assert registered == set(COORDINATOR_CHANGELISTS)


@pytest.mark.parametrize("label", list(COORDINATOR_CHANGELISTS))
def test_a_coordinator_lists_only_its_own_rows_or_is_refused(coordinator, label):
    model = apps.get_model(label)
    expected = COORDINATOR_CHANGELISTS[label]
    response = coordinator.get(changelist_url(model), {"all": ""})
    if expected == 403:
        assert response.status_code == 403
        return
    assert response.status_code == 200
    listed = {obj.pk for obj in response.context["cl"].result_list}
    assert listed == set(model.objects.filter(**expected).values_list("pk", flat=True))


@pytest.mark.parametrize("label", list(SCOPED))
def test_a_coordinators_filters_offer_no_value_of_another_departement(coordinator, label):
    content = coordinator.get(changelist_url(apps.get_model(label))).content.decode()
    filters = content[content.find('id="changelist-filter"') :]
    assert not re.search(r"departement(__exact)?=95\b", filters)


@pytest.mark.parametrize("label", list(SCOPED))
def test_a_coordinator_opening_an_object_out_of_scope_is_sent_away_as_if_it_did_not_exist(
    coordinator, label
):
    model = apps.get_model(label)
    own = set(model.objects.filter(**SCOPED[label]).values_list("pk", flat=True))
    foreign = model.objects.exclude(pk__in=own).order_by("pk").first()
    if foreign is None:
        pytest.skip(f"the demo has no {label} outside the coordinator's scope")
    missing = change_url(foreign).replace(f"/{foreign.pk}/", "/999999/")
    response = coordinator.get(change_url(foreign))
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:index")
    assert coordinator.get(missing)["Location"] == response["Location"]
    # Its history page answers as for an object that does not exist.
    history = coordinator.get(change_url(foreign).replace("/change/", "/history/"))
    nothing = coordinator.get(missing.replace("/change/", "/history/"))
    assert history.status_code in (302, 404)
    assert (history.status_code, history.get("Location")) == (
        nothing.status_code,
        nothing.get("Location"),
    )


@pytest.mark.parametrize("label", list(SCOPED))
def test_a_coordinator_opens_its_own_objects(coordinator, label):
    model = apps.get_model(label)
    own = model.objects.filter(**SCOPED[label]).order_by("pk").first()
    if own is None:
        pytest.skip(f"the coordinator has no {label}")
    assert coordinator.get(change_url(own)).status_code == 200


def autocomplete_sources():
    """Every foreign key of the project towards a model whose admin is scoped."""
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if not (field.many_to_one or field.one_to_one) or not field.concrete:
                continue
            remote = field.remote_field.model
            if remote._meta.label in SCOPED and admin.site._registry[remote].search_fields:
                yield model._meta.app_label, model._meta.model_name, field.name, remote


@pytest.mark.parametrize(
    ("app_label", "model_name", "field_name", "remote"), list(autocomplete_sources())
)
def test_autocomplete_answers_a_coordinator_with_objects_of_its_scope_only(
    coordinator, app_label, model_name, field_name, remote
):
    response = coordinator.get(
        reverse("admin:autocomplete"),
        {"app_label": app_label, "model_name": model_name, "field_name": field_name},
    )
    assert response.status_code == 200
    answered = {int(item["id"]) for item in response.json()["results"]}
    own = set(remote.objects.filter(**SCOPED[remote._meta.label]).values_list("pk", flat=True))
    assert answered <= own
    # Answers come by pages of twenty: the first page is never empty when there is something.
    assert bool(answered) == bool(own)


def test_autocomplete_of_organisations_and_users_is_refused_to_a_coordinator(coordinator):
    for app_label, model_name, field_name in [
        ("conventions", "party", "organisation"),
        ("conventions", "postholder", "user"),
    ]:
        response = coordinator.get(
            reverse("admin:autocomplete"),
            {"app_label": app_label, "model_name": model_name, "field_name": field_name},
        )
        assert response.status_code == 403, field_name


def test_view_on_site_does_not_reveal_where_a_foreign_object_lives(coordinator, demo):
    content_type = ContentType.objects.get_for_model(demo.ermont.convention)
    foreign = coordinator.get(f"/admin/r/{content_type.pk}/{demo.ermont.convention.pk}/")
    missing = coordinator.get(f"/admin/r/{content_type.pk}/999999/")
    not_a_number = coordinator.get(f"/admin/r/{content_type.pk}/abc/")
    assert foreign.status_code == missing.status_code == not_a_number.status_code == 404
    own = coordinator.get(f"/admin/r/{content_type.pk}/{demo.niort.convention.pk}/")
    assert own.status_code == 302
    assert own["Location"].endswith(demo.niort.convention.get_absolute_url())


def test_an_administrator_still_follows_view_on_site_anywhere(client, demo):
    client.force_login(demo.users["admin"])
    content_type = ContentType.objects.get_for_model(demo.ermont.convention)
    response = client.get(f"/admin/r/{content_type.pk}/{demo.ermont.convention.pk}/")
    assert response["Location"].endswith(demo.ermont.convention.get_absolute_url())


def test_an_action_on_a_foreign_quarter_leaves_it_untouched(coordinator, demo):
    draft = QuarterReport.objects.get(post=demo.ermont.post, year=2026, quarter=3)
    assert draft.state == QuarterState.DRAFT
    with transaction.atomic():
        coordinator.post(
            changelist_url(QuarterReport),
            {"action": "submit_selected", "_selected_action": [draft.pk]},
        )
        draft.refresh_from_db()
        transaction.set_rollback(True)
    assert draft.state == QuarterState.DRAFT


def test_a_coordinator_cannot_delete_a_payment_through_an_action(coordinator, demo):
    payment = demo.ermont.payment
    with transaction.atomic():
        coordinator.post(
            changelist_url(Payment),
            {"action": "delete_selected", "_selected_action": [payment.pk], "post": "yes"},
        )
        still_there = Payment.objects.filter(pk=payment.pk).exists()
        transaction.set_rollback(True)
    assert still_there


@pytest.mark.parametrize("username", [r for r in ROLES if r not in ("admin", "fv79")])
def test_accounts_without_the_admin_role_are_sent_to_the_admin_login(client, demo, username):
    client.force_login(demo.users[username])
    for url in [reverse("admin:index"), changelist_url(QuarterReport)]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))


@pytest.mark.parametrize("username", ["fv79", "admin"])
def test_uploaded_files_are_linked_through_their_checked_views_in_the_admin(client, demo, username):
    client.force_login(demo.users[username])
    convention, payment = demo.niort.convention, demo.niort.payment
    pages = {
        change_url(convention): reverse("conventions:scan", args=[convention.reference]),
        change_url(payment): reverse("conventions:payment_proof", args=[payment.pk]),
    }
    for page, download in pages.items():
        content = client.get(page).content.decode()
        assert f'href="{download}"' in content, page
        assert settings.MEDIA_URL not in content, page


def test_a_coordinator_cannot_move_her_post_to_another_departement(coordinator, demo):
    post = Post.objects.get(departement=NIORT)
    url = change_url(post)
    page = coordinator.get(url).content.decode()
    form = main_post_form(page, url)
    assert "departement" not in form.names and "employer" not in form.names
    values = [(n, v) for n, v in form.values if n != "_addanother"]
    values += [
        ("departement", "95"),
        ("employer", str(demo.ermont.convention.single_post.employer_id)),
    ]
    data = {}
    for name, value in values:
        data.setdefault(name, []).append(value)
    response = coordinator.post(url, data)
    assert response.status_code == 302
    post.refresh_from_db()
    assert post.departement == NIORT
    assert post.employer.name.startswith("France Victimes")


def test_the_national_administrator_still_changes_a_posts_departement(client, demo):
    client.force_login(demo.users["admin"])
    post = Post.objects.get(departement=NIORT)
    form = main_post_form(client.get(change_url(post)).content.decode(), change_url(post))
    assert "departement" in form.names
