"""Money through the API: what is expected and paid per year, and payments recorded by
the funders' keys with the funding plan's checks, once per idempotency key."""

import uuid
from decimal import Decimal

import pytest

from conventions.models import Payment
from partners.enums import Role
from tests.conventions.factories import ContributionFactory, PaymentFactory
from tests.partners.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def niort(two_departements):
    world = two_departements["79"]
    commune = world["users"][Role.LOCAL_AUTHORITY].organisation
    world["contribution"] = ContributionFactory(
        convention=world["convention"], organisation=commune, first_year=2025, last_year=2027
    )
    return world


def payment(contribution, **fields):
    return {
        "contribution": contribution.pk,
        "annee": 2025,
        "date": "2025-06-30",
        "montant": "10000.00",
        "reference": "Mandat 2025-118",
        **fields,
    }


def test_a_funder_records_a_payment_once_per_key(niort, api_as):
    api = api_as(niort["users"][Role.LOCAL_AUTHORITY])
    key = str(uuid.uuid4())
    body = payment(niort["contribution"])
    first = api.post("/api/v1/versements/", body, format="json", HTTP_IDEMPOTENCY_KEY=key)
    assert first.status_code == 201, first.json()
    again = api.post("/api/v1/versements/", body, format="json", HTTP_IDEMPOTENCY_KEY=key)
    assert again.status_code == 201 and again["Idempotent-Replayed"] == "true"
    assert again.json()["id"] == first.json()["id"]
    (recorded,) = Payment.objects.all()
    assert recorded.amount == Decimal("10000.00")
    assert recorded.payer == niort["contribution"].organisation
    assert recorded.recorded_by == niort["users"][Role.LOCAL_AUTHORITY]


def test_the_same_key_for_another_payment_is_refused(niort, api_as):
    api = api_as(niort["users"][Role.LOCAL_AUTHORITY])
    api.post(
        "/api/v1/versements/",
        payment(niort["contribution"]),
        format="json",
        HTTP_IDEMPOTENCY_KEY="cle-1",
    )
    other = api.post(
        "/api/v1/versements/",
        payment(niort["contribution"], montant="5.00"),
        format="json",
        HTTP_IDEMPOTENCY_KEY="cle-1",
    )
    assert other.status_code == 422
    assert Payment.objects.count() == 1


def test_a_payment_without_idempotency_key_is_refused(niort, api_as):
    api = api_as(niort["users"][Role.LOCAL_AUTHORITY])
    response = api.post("/api/v1/versements/", payment(niort["contribution"]), format="json")
    assert response.status_code == 400
    assert "Idempotency-Key" in response.json()
    assert not Payment.objects.exists()


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"montant": "0"}, "montant", "positif"),
        ({"annee": 2030}, "annee", "Rien n'est attendu"),
        ({"date": "30/06/2025"}, "date", "format"),
    ],
    ids=["zero", "year-not-covered", "date-format"],
)
def test_a_wrong_payment_is_a_400_next_to_its_field(niort, api_as, fields, field, message):
    api = api_as(niort["users"][Role.LOCAL_AUTHORITY])
    response = api.post(
        "/api/v1/versements/",
        payment(niort["contribution"], **fields),
        format="json",
        HTTP_IDEMPOTENCY_KEY=str(uuid.uuid4()),
    )
    assert response.status_code == 400
    assert message.lower() in " ".join(response.json()[field]).lower()
    assert not Payment.objects.exists()


@pytest.mark.parametrize(
    "role", [Role.EMPLOYER_COORDINATION, Role.READ_ONLY_PARTNER, Role.DDSP_SECRETARIAT]
)
def test_who_may_not_record_it_on_the_pages_may_not_through_the_api(niort, api_as, role):
    api = api_as(niort["users"][role])
    response = api.post(
        "/api/v1/versements/",
        payment(niort["contribution"]),
        format="json",
        HTTP_IDEMPOTENCY_KEY=str(uuid.uuid4()),
    )
    assert response.status_code == 403
    assert not Payment.objects.exists()


def test_a_contribution_out_of_scope_is_unknown(two_departements, niort, api_as):
    api = api_as(two_departements["95"]["users"][Role.LOCAL_AUTHORITY])
    response = api.post(
        "/api/v1/versements/",
        payment(niort["contribution"]),
        format="json",
        HTTP_IDEMPOTENCY_KEY=str(uuid.uuid4()),
    )
    assert response.status_code == 400
    assert response.json()["contribution"] == ["Contribution inconnue."]


def test_the_year_amounts_say_what_is_expected_paid_and_left(niort, api_as):
    PaymentFactory(contribution=niort["contribution"], year=2025, amount=Decimal("5350"))
    api = api_as(niort["users"][Role.LOCAL_AUTHORITY])
    rows = api.get("/api/v1/financements/", {"annee": 2025}).json()["results"]
    (row,) = [r for r in rows if r["contribution"] == niort["contribution"].pk]
    assert row["convention"] == "convention-79"
    assert (row["attendu"], row["verse"], row["reste"]) == ("25350.00", "5350.00", "20000.00")
    # A commune that is not a party to the convention does not see its money.
    stranger = api_as(UserFactory(role=Role.LOCAL_AUTHORITY))
    other = stranger.get("/api/v1/financements/", {"annee": 2025})
    assert niort["contribution"].pk not in {r["contribution"] for r in other.json()["results"]}


def test_a_wrong_year_is_a_400(niort, api_as):
    api = api_as(niort["users"][Role.LOCAL_AUTHORITY])
    assert api.get("/api/v1/financements/", {"annee": "vingt"}).status_code == 400


def test_payments_are_listed_in_scope(two_departements, niort, api_as):
    PaymentFactory(contribution=niort["contribution"], year=2025)
    mine = api_as(niort["users"][Role.LOCAL_AUTHORITY]).get("/api/v1/versements/").json()
    assert mine["count"] == 1 and mine["results"][0]["convention"] == "convention-79"
    theirs = api_as(two_departements["95"]["users"][Role.LOCAL_AUTHORITY]).get(
        "/api/v1/versements/"
    )
    assert theirs.json()["count"] == 0


def test_the_year_of_one_departement_or_one_funder_holds_its_rows_only(
    two_departements, niort, api_as
):
    cergy = two_departements["95"]
    ContributionFactory(
        convention=cergy["convention"],
        organisation=cergy["users"][Role.LOCAL_AUTHORITY].organisation,
        first_year=2025,
        last_year=2027,
    )
    api = api_as(UserFactory(admin=True))
    everything = api.get("/api/v1/financements/", {"annee": 2026}).json()["results"]
    assert {row["departement"] for row in everything} == {"79", "95"}

    niort_rows = api.get("/api/v1/financements/", {"annee": 2026, "departement": "79"})
    assert niort_rows.status_code == 200
    rows = niort_rows.json()["results"]
    assert rows and {row["departement"] for row in rows} == {"79"}
    assert rows == [row for row in everything if row["departement"] == "79"]

    commune = niort["contribution"].organisation
    funded = api.get("/api/v1/financements/", {"annee": 2026, "financeur": commune.pk}).json()
    assert [row["contribution"] for row in funded["results"]] == [niort["contribution"].pk]
