"""Webhooks: each event that concerns an organisation reaches its subscribed tool, signed,
and again later until it is received. The receiver is a real HTTP server on loopback."""

import datetime
import hashlib
import hmac
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from activity.services import quarter_submit
from config.api.models import WebhookDelivery, WebhookSubscription
from config.api.webhooks import SIGNATURE_HEADER, check_address, deliver_due, subscription_create
from conventions.enums import TerminationKind
from conventions.lifecycle.services import convention_terminate
from partners.enums import Role
from tests.activity.factories import QuarterReportFactory
from tests.conventions.factories import ContributionFactory

pytestmark = pytest.mark.django_db


class Receiver:
    """A tool's endpoint: records what it receives, answers ``status``."""

    def __init__(self):
        self.received, self.status = [], 204
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.received.append((self.headers, body))
                self.send_response(receiver.status)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/iscg"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def events(self):
        return [json.loads(body) for _headers, body in self.received]


@pytest.fixture
def receiver(settings):
    settings.WEBHOOKS_ALLOW_PRIVATE_NETWORK = True
    server = Receiver()
    yield server
    server.server.shutdown()


@pytest.fixture
def niort(two_departements):
    return two_departements["79"]


def subscribe(organisation, url, events):
    return subscription_create(organisation=organisation, url=url, events=events, user=None)


def test_a_submitted_quarter_reaches_the_employers_tool_signed(
    niort, receiver, django_capture_on_commit_callbacks
):
    employer = niort["users"][Role.EMPLOYER_COORDINATION]
    subscription = subscribe(employer.organisation, receiver.url, ["quarter.submitted"])
    report = QuarterReportFactory(post=niort["post"], filled=True)
    with django_capture_on_commit_callbacks(execute=True):
        quarter_submit(report=report, user=employer)
    ((headers, body),) = receiver.received
    event = json.loads(body)
    assert event["type"] == "quarter.submitted"
    assert event["donnees"] == {
        "poste": niort["post"].pk,
        "annee": 2025,
        "trimestre": 1,
        "etat": "submitted",
        "version": 1,
    }
    assert event["ressource"].endswith(f"/api/v1/postes/{niort['post'].pk}/trimestres/2025/1/")
    timestamp, signed = (part.split("=", 1)[1] for part in headers[SIGNATURE_HEADER].split(","))
    expected = hmac.new(
        subscription.secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256
    ).hexdigest()
    assert hmac.compare_digest(signed, expected)
    assert WebhookDelivery.objects.get().delivered_at is not None


def test_an_organisation_hears_only_of_what_concerns_it_and_what_it_chose(
    two_departements, niort, receiver, django_capture_on_commit_callbacks
):
    other = two_departements["95"]["users"][Role.EMPLOYER_COORDINATION].organisation
    subscribe(other, receiver.url, ["quarter.submitted"])
    employer = niort["users"][Role.EMPLOYER_COORDINATION]
    subscribe(employer.organisation, receiver.url, ["payment.recorded"])
    report = QuarterReportFactory(post=niort["post"], filled=True)
    with django_capture_on_commit_callbacks(execute=True):
        quarter_submit(report=report, user=employer)
    assert receiver.received == []


def test_a_payment_recorded_through_the_api_is_told_to_the_parties(
    niort, receiver, api_as, django_capture_on_commit_callbacks
):
    commune = niort["users"][Role.LOCAL_AUTHORITY].organisation
    subscribe(commune, receiver.url, ["payment.recorded"])
    contribution = ContributionFactory(
        convention=niort["convention"], organisation=commune, first_year=2025, last_year=2025
    )
    api = api_as(niort["users"][Role.LOCAL_AUTHORITY])
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(
            "/api/v1/versements/",
            {
                "contribution": contribution.pk,
                "annee": 2025,
                "date": "2025-03-01",
                "montant": "100",
            },
            format="json",
            HTTP_IDEMPOTENCY_KEY="v-1",
        )
    assert response.status_code == 201
    (event,) = receiver.events()
    assert event["type"] == "payment.recorded"
    assert event["donnees"]["montant"] == "100.00"
    assert event["donnees"]["convention"] == "convention-79"


def test_a_refused_delivery_is_tried_again_later_then_received(
    niort, receiver, django_capture_on_commit_callbacks
):
    employer = niort["users"][Role.EMPLOYER_COORDINATION]
    subscribe(employer.organisation, receiver.url, ["quarter.submitted"])
    receiver.status = 503
    report = QuarterReportFactory(post=niort["post"], filled=True)
    with django_capture_on_commit_callbacks(execute=True):
        quarter_submit(report=report, user=employer)
    delivery = WebhookDelivery.objects.get()
    assert (delivery.attempts, delivery.last_status, delivery.delivered_at) == (1, 503, None)
    assert delivery.next_attempt_at - timezone.now() > datetime.timedelta(seconds=50)
    # Not yet due: nothing is sent.
    assert deliver_due() == 0
    receiver.status = 200
    call_command("deliver_webhooks", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert deliver_due(now=timezone.now() + datetime.timedelta(minutes=2)) == 1
    delivery.refresh_from_db()
    assert delivery.attempts == 2 and delivery.delivered_at is not None
    assert len(receiver.received) == 2
    # The same event both times: the receiver can tell a retry from a new event.
    first, second = receiver.events()
    assert first["id"] == second["id"]


def test_after_the_last_retry_a_delivery_is_given_up(niort, receiver):
    employer = niort["users"][Role.EMPLOYER_COORDINATION]
    subscription = subscribe(employer.organisation, receiver.url, ["quarter.submitted"])
    receiver.status = 500
    delivery = WebhookDelivery.objects.create(
        subscription=subscription,
        event_id="6f1d6c1e-6c1a-4f7e-9d55-0d8b8d3f0a11",
        kind="quarter.submitted",
        payload={},
        attempts=6,
        next_attempt_at=timezone.now(),
    )
    assert deliver_due() == 1
    delivery.refresh_from_db()
    assert delivery.next_attempt_at is None and delivery.delivered_at is None


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("http://outil.example.fr/iscg", "https://"),
        ("https://127.0.0.1/iscg", "réseau privé"),
        ("https://169.254.169.254/latest", "réseau privé"),
        ("https://10.1.2.3/iscg", "réseau privé"),
    ],
)
def test_a_receiver_in_a_private_network_or_without_tls_is_refused(settings, url, message):
    settings.WEBHOOKS_ALLOW_PRIVATE_NETWORK = False
    with pytest.raises(Exception, match=message):
        check_address(url)


class TestPage:
    def test_a_referent_subscribes_and_sees_the_secret_once(self, client, niort, receiver):
        referent = niort["users"][Role.EMPLOYER_COORDINATION]
        referent.is_referent = True
        referent.save()
        client.force_login(referent)
        url = reverse("webhooks", args=[referent.organisation_id])
        response = client.post(
            url, {"url": receiver.url, "events": ["quarter.submitted", "quarter.validated"]}
        )
        assert response.status_code == 302
        subscription = WebhookSubscription.objects.get()
        page = client.get(url).content.decode()
        assert subscription.secret in page and "Trimestre validé" in page
        assert subscription.secret not in client.get(url).content.decode()

    def test_no_event_chosen_is_refused_next_to_the_field(self, client, niort, receiver):
        referent = niort["users"][Role.EMPLOYER_COORDINATION]
        referent.is_referent = True
        referent.save()
        client.force_login(referent)
        response = client.post(
            reverse("webhooks", args=[referent.organisation_id]), {"url": receiver.url}
        )
        assert response.status_code == 400
        assert "Choisissez au moins un événement." in response.content.decode()
        assert not WebhookSubscription.objects.exists()

    def test_a_user_who_is_not_a_referent_of_the_organisation_gets_404(self, client, niort):
        client.force_login(niort["users"][Role.LOCAL_AUTHORITY])
        employer = niort["users"][Role.EMPLOYER_COORDINATION].organisation
        assert client.get(reverse("webhooks", args=[employer.pk])).status_code == 404


def test_a_terminated_convention_is_told_to_its_parties(
    niort, receiver, django_capture_on_commit_callbacks
):
    convention = niort["convention"]
    today = timezone.localdate()
    convention.parties.update(signed_on=today - datetime.timedelta(days=200))
    commune = niort["users"][Role.LOCAL_AUTHORITY].organisation
    subscribe(commune, receiver.url, ["convention.terminated", "convention.signed"])
    with django_capture_on_commit_callbacks(execute=True):
        convention_terminate(
            convention=convention,
            letter_date=today,
            terminated_by=commune,
            end_date=today + datetime.timedelta(days=90),
            termination_kind=TerminationKind.MUTUAL_AGREEMENT,
        )
    (event,) = receiver.events()
    assert event["type"] == "convention.terminated"
    assert event["donnees"] == {
        "convention": "convention-79",
        "fin": (today + datetime.timedelta(days=90)).isoformat(),
    }
    assert event["ressource"].endswith("/api/v1/conventions/convention-79/")


def test_the_same_address_is_subscribed_once_per_organisation(niort, receiver):
    organisation = niort["users"][Role.EMPLOYER_COORDINATION].organisation
    subscribe(organisation, receiver.url, ["quarter.submitted"])
    with pytest.raises(Exception, match="déjà abonnée"):
        subscribe(organisation, receiver.url, ["quarter.validated"])
