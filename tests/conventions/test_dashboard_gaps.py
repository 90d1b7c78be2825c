"""« Aucun poste sous-financé » is said only of the posts whose cost and money
contributions are known, with their number; otherwise the dashboard says which are
unknown."""

import datetime
import html
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from partners.enums import Role
from tests.conventions.factories import ContributionFactory, PostCostFactory

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 22)


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: TODAY)


def gaps_section(client, user):
    client.force_login(user)
    response = client.get(reverse("dashboard"))
    assert response.status_code == 200
    content = html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode())))
    return content[content.index("Écarts de financement") :]


@pytest.fixture
def funded(two_departements):
    world = two_departements["79"]
    world["convention"].parties.update(signed_on=datetime.date(2025, 1, 10))
    ContributionFactory(
        convention=world["convention"],
        organisation=world["users"][Role.LOCAL_AUTHORITY].organisation,
        first_year=2025,
        last_year=2027,
        amount=Decimal("30000"),
    )
    return world


def test_it_says_the_cost_is_unknown_instead_of_no_gap(client, funded, admin_user):
    section = gaps_section(client, admin_user)
    assert "Aucun poste sous-financé" not in section
    assert (
        "convention-79 : financement 2026 inconnu (coût du poste 2026 non renseigné), "
        "l'écart ne peut pas être calculé" in section
    )


def test_it_gives_the_gap_when_the_cost_is_known(client, funded, admin_user):
    PostCostFactory(post=funded["post"], year=2026, total=Decimal("45000"))
    section = gaps_section(client, admin_user)
    assert "convention-79 : 15" in section and "non financés en 2026" in section


def test_it_says_no_gap_only_when_the_cost_is_known_and_covered(client, funded, admin_user):
    PostCostFactory(post=funded["post"], year=2026, total=Decimal("30000"))
    # The other département's convention has no money contribution: its post is not
    # among those said to be funded.
    assert (
        "Aucun poste sous-financé cette année (1 poste dont le financement 2026 est saisi)."
        in gaps_section(client, admin_user)
    )


def test_it_counts_every_post_whose_funding_is_entered(
    client, funded, two_departements, admin_user
):
    PostCostFactory(post=funded["post"], year=2026, total=Decimal("30000"))
    other = two_departements["95"]
    other["convention"].parties.update(signed_on=datetime.date(2025, 1, 10))
    ContributionFactory(
        convention=other["convention"],
        organisation=other["users"][Role.LOCAL_AUTHORITY].organisation,
        first_year=2026,
        last_year=2026,
        amount=Decimal("20000"),
    )
    PostCostFactory(post=other["post"], year=2026, total=Decimal("20000"))
    assert (
        "Aucun poste sous-financé cette année (2 postes dont le financement 2026 est saisi)."
        in gaps_section(client, admin_user)
    )


NOTHING_TO_COMPARE = (
    "Aucun montant en numéraire n'est saisi pour 2026 : le sous-financement des postes ne "
    "peut pas être calculé."
)


def test_without_any_contribution_it_says_the_gaps_cannot_be_computed(
    client, two_departements, admin_user
):
    # funding_due stops early: no money contribution at all.
    section = gaps_section(client, admin_user)
    assert "Aucun poste sous-financé" not in section
    assert NOTHING_TO_COMPARE in section


def test_an_aid_in_kind_alone_says_the_gaps_cannot_be_computed(client, funded, admin_user):
    funded["convention"].contributions.update(
        nature="in_kind", rule="", amount=None, in_kind_description="mise à disposition des locaux"
    )
    PostCostFactory(post=funded["post"], year=2026, total=Decimal("30000"))
    section = gaps_section(client, admin_user)
    assert "Aucun poste sous-financé" not in section
    assert NOTHING_TO_COMPARE in section


def test_contributions_of_past_years_only_say_the_gaps_cannot_be_computed(
    client, funded, admin_user
):
    funded["convention"].contributions.update(first_year=2025, last_year=2025)
    PostCostFactory(post=funded["post"], year=2026, total=Decimal("30000"))
    section = gaps_section(client, admin_user)
    assert "Aucun poste sous-financé" not in section
    assert NOTHING_TO_COMPARE in section
