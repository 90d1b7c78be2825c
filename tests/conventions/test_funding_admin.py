"""The funding admin: scoped like the rest, proofs behind the scoped view, stale edits refused."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from partners.enums import Role
from tests.conventions.factories import ContributionFactory, PaymentFactory, PostCostFactory
from tests.pdfs import ONE_PAGE_PDF

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def funded(two_departements):
    """One contribution, payment and post cost in each département."""
    items = {}
    for dep in ("79", "95"):
        convention = two_departements[dep]["convention"]
        organisation = convention.parties.first().organisation
        contribution = ContributionFactory(convention=convention, organisation=organisation)
        items[dep] = {
            "contribution": contribution,
            "payment": PaymentFactory(contribution=contribution, year=2021),
            "cost": PostCostFactory(post=convention.single_post, year=2021),
        }
    return items


@pytest.mark.parametrize(
    "model,key", [("contribution", "contribution"), ("payment", "payment"), ("postcost", "cost")]
)
def test_a_coordinator_sees_only_the_funding_of_its_own_posts(
    client, two_departements, funded, model, key
):
    client.force_login(two_departements["79"]["users"][Role.EMPLOYER_COORDINATION])
    listing = client.get(reverse(f"admin:conventions_{model}_changelist"))
    assert listing.status_code == 200
    own = reverse(f"admin:conventions_{model}_change", args=[funded["79"][key].pk])
    foreign = reverse(f"admin:conventions_{model}_change", args=[funded["95"][key].pk])
    content = listing.content.decode()
    assert own in content and foreign not in content


def test_a_coordinator_may_not_add_payments_in_the_admin(client, two_departements, funded):
    client.force_login(two_departements["79"]["users"][Role.EMPLOYER_COORDINATION])
    assert client.get(reverse("admin:conventions_payment_add")).status_code == 403


def test_a_payment_with_a_proof_links_it_to_the_scoped_download(client, admin_user, funded):
    payment = funded["79"]["payment"]
    payment.proof = SimpleUploadedFile("avis.pdf", ONE_PAGE_PDF, "application/pdf")
    payment.save()
    client.force_login(admin_user)
    response = client.get(reverse("admin:conventions_payment_change", args=[payment.pk]))
    assert response.status_code == 200
    assert reverse("conventions:payment_proof", args=[payment.pk]) in response.content.decode()


def test_a_stale_contribution_edit_in_the_admin_is_refused(client, admin_user, funded):
    contribution = funded["79"]["contribution"]
    client.force_login(admin_user)
    url = reverse("admin:conventions_contribution_change", args=[contribution.pk])
    data = {
        "convention": contribution.convention_id,
        "organisation": contribution.organisation_id,
        "source": "FIPDR",
        "rule": "fixed",
        "amount": "26000",
        "first_year": 2021,
        "last_year": 2023,
        "prorata": "none",
        "version": 1,
    }
    assert client.post(url, data).status_code == 302
    stale = client.post(url, data | {"amount": "20000"})
    assert "Quelqu&#x27;un d&#x27;autre a enregistré cette contribution" in stale.content.decode()
    contribution.refresh_from_db()
    assert (contribution.amount, contribution.version) == (Decimal("26000"), 2)
