"""One action, one record: the same creating form sent twice (a double click, the
browser's « renvoyer ») records once, and the second answer is the first one."""

import re

import pytest
from django.urls import reverse

from config.core import idempotency
from conventions.models import Amendment, Convention, Payment
from partners.enums import Role
from partners.models import Organisation, Submission
from tests.conventions import test_amendments, test_create_from_and_renew, test_funding_views
from tests.conventions.test_amendments import create_url, form_data
from tests.conventions.test_funding_views import payment_url
from tests.partners.factories import UserFactory
from tests.partners.test_pages import VALID as ORGANISATION

pytestmark = pytest.mark.django_db

# The worlds of the pages' own tests: a funded convention, a signed one to renew,
# one with articles to amend.
funded_world = test_funding_views.world
niort_2021 = test_create_from_and_renew.niort_2021
amended_convention = test_amendments.convention


@pytest.fixture
def while_amended_convention_in_force(monkeypatch):
    """The amendment is recorded while the convention is in force (an ended one takes none)."""
    in_force = test_amendments.WHILE_IN_FORCE
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: in_force)


def token_of(response) -> str:
    """The token of the page's creating form, as the browser sends it back."""
    return re.search(
        rf'name="{idempotency.SUBMISSION_FIELD}" value="([^"]+)"', response.content.decode()
    ).group(1)


def payment_data(funded_world, token):
    return {
        "date": "2022-05-17",
        "amount": "2 500",
        "payer": funded_world["city"].organisation_id,
        "reference": "mandat 2022-05120",
        idempotency.SUBMISSION_FIELD: token,
    }


def test_a_payment_sent_three_times_is_recorded_once_and_answered_the_same(client, funded_world):
    client.force_login(funded_world["users"][Role.LOCAL_AUTHORITY])
    url = payment_url(funded_world, funded_world["city"], 2022)
    data = payment_data(funded_world, token_of(client.get(url)))
    answers = [client.post(url, data) for _ in range(3)]
    assert [a.status_code for a in answers] == [302, 302, 302]
    assert len({a["Location"] for a in answers}) == 1
    assert Payment.objects.filter(year=2022).count() == 1
    page = client.get(answers[-1]["Location"]).content.decode()
    assert "il n&#x27;a pas été enregistré une seconde fois" in page


def test_two_payment_forms_opened_apart_record_two_payments(client, funded_world):
    client.force_login(funded_world["users"][Role.LOCAL_AUTHORITY])
    url = payment_url(funded_world, funded_world["city"], 2022)
    for _ in range(2):
        data = payment_data(funded_world, token_of(client.get(url)))
        assert client.post(url, data).status_code == 302
    assert Payment.objects.filter(year=2022).count() == 2


def test_a_payment_refused_then_corrected_is_recorded_with_the_same_token(client, funded_world):
    client.force_login(funded_world["users"][Role.LOCAL_AUTHORITY])
    url = payment_url(funded_world, funded_world["city"], 2022)
    data = payment_data(funded_world, token_of(client.get(url)))
    refused = client.post(url, {**data, "amount": "beaucoup"})
    assert refused.status_code == 200
    assert token_of(refused) == data[idempotency.SUBMISSION_FIELD]
    assert client.post(url, data).status_code == 302
    assert Payment.objects.filter(year=2022).count() == 1


def test_two_sends_at_the_same_moment_meet_on_the_token_without_an_error(
    client, funded_world, monkeypatch
):
    """The second send does not see the first one's row when it looks (not committed
    yet): its insert meets the unique token, waits, and answers with the first's page."""
    client.force_login(funded_world["users"][Role.LOCAL_AUTHORITY])
    url = payment_url(funded_world, funded_world["city"], 2022)
    data = payment_data(funded_world, token_of(client.get(url)))
    first = client.post(url, data)
    looked = []
    real = idempotency._previous

    def not_yet_committed(store, token):
        looked.append(token)
        return None if len(looked) == 1 else real(store, token)

    monkeypatch.setattr(idempotency, "_previous", not_yet_committed)
    second = client.post(url, data)
    assert len(looked) == 2
    assert (second.status_code, second["Location"]) == (302, first["Location"])
    assert Payment.objects.filter(year=2022).count() == 1


def test_a_token_of_another_user_is_refused(client, funded_world, django_user_model):
    client.force_login(funded_world["users"][Role.LOCAL_AUTHORITY])
    url = payment_url(funded_world, funded_world["city"], 2022)
    data = payment_data(funded_world, token_of(client.get(url)))
    client.post(url, data)
    client.force_login(funded_world["users"][Role.DDSP_SECRETARIAT])
    assert client.post(url, data).status_code in (400, 403)
    assert Payment.objects.filter(year=2022).count() == 1


def test_a_double_click_on_renouveler_creates_one_convention_without_an_error(
    client, two_departements, niort_2021
):
    client.force_login(two_departements["79"]["users"][Role.LOCAL_AUTHORITY])
    detail = client.get(reverse("conventions:detail", args=[niort_2021.reference]))
    token = token_of(detail)
    url = reverse("conventions:renew", args=[niort_2021.reference])
    answers = [client.post(url, {idempotency.SUBMISSION_FIELD: token}) for _ in range(2)]
    assert [a.status_code for a in answers] == [302, 302]
    assert answers[0]["Location"] == answers[1]["Location"]
    assert Convention.objects.filter(renews=niort_2021).count() == 1
    assert Submission.objects.get().url == answers[0]["Location"]


def test_a_double_click_on_nouvel_avenant_records_one_amendment_without_an_error(
    client, amended_convention, two_departements, while_amended_convention_in_force
):
    client.force_login(two_departements["79"]["users"][Role.LOCAL_AUTHORITY])
    url = create_url(amended_convention)
    data = {**form_data(), idempotency.SUBMISSION_FIELD: token_of(client.get(url))}
    answers = [client.post(url, data) for _ in range(2)]
    assert [a.status_code for a in answers] == [302, 302]
    assert answers[0]["Location"] == answers[1]["Location"]
    assert Amendment.objects.filter(convention=amended_convention).count() == 1


@pytest.mark.parametrize(
    "route",
    [
        "conventions:create",
        "conventions:create_from",
        "conventions:council_list",
        "conventions:post_create",
        "partners:create",
    ],
)
def test_every_creating_form_carries_a_token(client, two_departements, route):
    client.force_login(UserFactory(admin=True))
    assert token_of(client.get(reverse(route)))


def test_an_organisation_sent_twice_is_created_once(client):
    client.force_login(UserFactory(admin=True))
    url = reverse("partners:create")
    data = {**ORGANISATION, idempotency.SUBMISSION_FIELD: token_of(client.get(url))}
    answers = [client.post(url, data) for _ in range(2)]
    assert [a.status_code for a in answers] == [302, 302]
    assert answers[0]["Location"] == answers[1]["Location"]
    assert Organisation.objects.filter(name=ORGANISATION["name"]).count() == 1
