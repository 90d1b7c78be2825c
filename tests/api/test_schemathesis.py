"""The whole API tested from its own OpenAPI description (schemathesis): for every
operation, requests generated from the description (valid and invalid parameters and
bodies) never get a 500, and every answer matches what the description says (status
code, content type, body schema).

The requests go through Django's WSGI application in this process, with the key of the
national administrator (who reads everything) on the two-département world. Hypothesis is
derandomized: CI runs the same examples at each run, and a failure is replayed as is.
"""

import json

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import negative_data_rejection, positive_data_acceptance

from config.api.docs import schema as api_description
from config.api.throttling import ReadRateThrottle, WriteRateThrottle
from partners.api_tokens import api_token_create
from tests.conventions.factories import ContributionFactory, DeliberationFactory, PaymentFactory
from tests.partners.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def world(two_departements, monkeypatch):
    # The requests run inside the test's transaction: Django must not close the
    # connection at the end of each request (its own test client does the same).
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    # Hundreds of calls a minute from one key: the limits are tested elsewhere.
    for throttle in (ReadRateThrottle, WriteRateThrottle):
        monkeypatch.setattr(throttle, "THROTTLE_RATES", {"lecture": None, "ecriture": None})
    world = two_departements["79"]
    contribution = ContributionFactory(
        convention=world["convention"],
        organisation=world["convention"].parties.first().organisation,
    )
    PaymentFactory(contribution=contribution)
    DeliberationFactory(organisation=contribution.organisation).conventions.add(world["convention"])
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def admin_key(db):
    return api_token_create(user=UserFactory(admin=True), name="schemathesis", lifetime_days=30).key


# The description /api/openapi.json serves (drf-spectacular's generator, as the docs page
# reads it), the requests sent to the WSGI application in this process.
schema = schemathesis.openapi.from_dict(json.loads(json.dumps(api_description())))
schema.app = get_wsgi_application()


@schema.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_the_api_answers_as_it_is_described(case, admin_key):
    case.call_and_validate(
        headers={"Authorization": f"Bearer {admin_key}"},
        # A query parameter the description does not name is ignored, as most APIs do
        # (a client adding a parameter of a later version keeps working): not refused.
        # And a request the description allows may still break a rule of the domain (a
        # payment for a year its contribution does not cover): a 400 that says why.
        excluded_checks=[negative_data_rejection, positive_data_acceptance],
    )
