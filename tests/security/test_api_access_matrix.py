"""Every API endpoint × every demo role, each with a key of its own → the expected answer.

The pages' matrix (test_access_matrix.py) says what a browser's session gets; this one
says what a program gets with a key, and must agree with it: an object out of the
user's scope is a 404, an object in scope that the role may not change is a 403. Writes
are sent inside a transaction rolled back after each request. A quarter is written with
an empty body: the scope (404) and the role (403) are checked before the body (400).
A payment names its contribution in its body, not in its address: one out of scope is
« Contribution inconnue » (400), as a form's choice out of scope would be.

Columns as in the pages' matrix: admin; vnior = ville.niort; dsp79; fv79; isc =
intervenant.niort; valp = valparisis; dsp95; pre79 = prefecture79; pil79; pilN.
"""

import pytest
from django.db import transaction
from django.urls import reverse
from rest_framework.test import APIClient

from config.api.urls import v1
from partners.api_tokens import api_token_create
from tests.security.conftest import ROLES
from tests.security.urls import YEAR

pytestmark = pytest.mark.django_db

MATRIX = """
# endpoint            objet  HTTP admin vnior dsp79 fv79  isc   valp  dsp95 pre79 pil79 pilN
organisation-list     -      GET  200   200   200   200   200   200   200   200   200   200
organisation-detail   niort  GET  200   200   200   200   200   200   200   200   200   200
post-list             -      GET  200   200   200   200   200   200   200   200   200   200
post-detail           niort  GET  200   200   200   200   200   404   404   200   200   200
post-detail           ermont GET  200   404   404   404   404   200   200   404   404   200
convention-list       -      GET  200   200   200   200   200   200   200   200   200   200
convention-detail     niort  GET  200   200   200   200   200   404   404   200   200   200
convention-detail     ermont GET  200   404   404   404   404   200   200   404   404   200
deliberation-list     -      GET  200   200   200   200   200   200   200   200   200   200
deliberation-detail   niort  GET  200   200   200   200   200   404   404   200   200   200
deliberation-detail   ermont GET  200   404   404   404   404   200   200   404   404   200
year-amount-list      -      GET  200   200   200   200   200   200   200   200   200   200
payment-list          -      GET  200   200   200   200   200   200   200   200   200   200
payment-detail        niort  GET  200   200   200   200   200   404   404   200   200   200
payment-detail        ermont GET  200   404   404   404   404   200   200   404   404   200
payment-list          niort  POST 201   201   403   403   403   400   400   403   403   403
payment-list          ermont POST 201   400   400   400   400   201   403   400   400   403
quarter-list          -      GET  200   200   200   200   200   200   200   200   200   200
quarter               niort  GET  200   200   200   200   200   404   404   200   200   200
quarter               niort  PUT  403   403   403   400   400   404   404   403   403   403
quarter               ermont PUT  403   404   404   404   404   403   403   404   404   403
quarter-submit        niort  POST 403   403   403   400   400   404   404   403   403   403
bilan-post            niort  GET  200   200   200   200   200   404   404   200   200   200
bilan-post            ermont GET  200   404   404   404   404   200   200   404   404   200
bilan-departement     niort  GET  200   200   200   200   200   404   404   200   200   200
bilan-departement     ermont GET  200   404   404   404   404   200   200   404   404   200
bilan-national        -      GET  200   403   403   403   403   403   403   403   403   200
"""


def parse(matrix):
    rows = {}
    for line in matrix.strip().splitlines():
        if line.startswith("#"):
            continue
        name, side, method, *answers = line.split()
        assert len(answers) == len(ROLES), line
        rows[name, side, method] = dict(zip(ROLES, answers, strict=True))
    return rows


EXPECTED = parse(MATRIX)


def url(world, name, side):
    s = world.side(side) if side != "-" else None
    args = {
        "organisation-detail": lambda: [s.organisation.pk],
        "post-detail": lambda: [s.post.pk],
        "convention-detail": lambda: [s.convention.reference],
        "deliberation-detail": lambda: [s.deliberation.pk],
        "payment-detail": lambda: [s.payment.pk],
        "quarter": lambda: [s.post.pk, YEAR, 1],
        "quarter-submit": lambda: [s.post.pk, YEAR, 1],
        "bilan-post": lambda: [s.post.pk, YEAR],
        "bilan-departement": lambda: [s.departement, YEAR],
        "bilan-national": lambda: [YEAR],
    }.get(name, list)()
    return reverse(f"api:{name}", args=args)


def body(world, name, side):
    if name != "payment-list" or side == "-":
        return {}
    contribution = world.side(side).contribution
    return {
        "contribution": contribution.pk,
        "annee": contribution.first_year,
        "date": f"{contribution.first_year}-06-30",
        "montant": "1.00",
    }


def test_every_api_route_has_a_row(demo):
    routes = {name for name, _side, _method in EXPECTED}
    every = {pattern.name for pattern in v1}
    assert every <= routes, f"API routes without a row: {sorted(every - routes)}"


@pytest.mark.parametrize(("name", "side", "method"), list(EXPECTED))
def test_each_role_gets_the_expected_answer_with_its_key(demo, name, side, method):
    address = url(demo, name, side)
    wrong = []
    for role in ROLES:
        key = api_token_create(user=demo.users[role], name="Matrice", lifetime_days=30).key
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
        with transaction.atomic():
            send = getattr(client, method.lower())
            extra = {"HTTP_IDEMPOTENCY_KEY": f"matrice-{role}"} if method == "POST" else {}
            response = send(address, body(demo, name, side), format="json", **extra)
            transaction.set_rollback(True)
        if str(response.status_code) != EXPECTED[name, side, method][role]:
            wrong.append(f"{role}: {response.status_code}")
    assert not wrong, f"{method} {address}: " + ", ".join(wrong)
