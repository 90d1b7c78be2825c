"""The funding pages of a partner and of a département on the list mechanism: sort,
search (a partner's representative too), filters, counts, empty states, pagination whose
totals stay those of every row, and pinned query counts."""

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from conventions.funding import views
from partners.enums import Role
from tests.conventions.factories import (
    ContributionFactory,
    ConventionFactory,
    PartyFactory,
    PaymentFactory,
)

pytestmark = pytest.mark.django_db
D = datetime.date
TODAY = D(2026, 11, 22)


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: TODAY)


def add_funded(commune, reference, *, amount="3000", paid=None):
    """A convention of the Deux-Sèvres, signed in 2021, the commune paying ``amount`` a
    year 2021–2023 by 30 June."""
    convention = ConventionFactory(post__departement="79", reference=reference)
    PartyFactory(convention=convention, organisation=commune, signed_on=D(2021, 10, 12))
    contribution = ContributionFactory(
        convention=convention,
        organisation=commune,
        amount=Decimal(amount),
        source="budget communal",
        due_month=6,
        due_day=30,
    )
    if paid:
        PaymentFactory(contribution=contribution, year=2022, amount=Decimal(paid))
    return convention


@pytest.fixture
def commune(two_departements):
    """The Deux-Sèvres commune funds two conventions in 2022: « b-late » (3 000 €,
    unpaid, late) and « a-paid » (2 000 €, paid)."""
    organisation = two_departements["79"]["users"][Role.LOCAL_AUTHORITY].organisation
    add_funded(organisation, "b-late")
    add_funded(organisation, "a-paid", amount="2000", paid="2000")
    return organisation


def references(response, key="page"):
    return [entry["plan"].convention.reference for entry in response.context[key].object_list]


def partner_url(organisation):
    return reverse("conventions:partner_funding", args=[organisation.pk])


DEPARTEMENT_URL = reverse("conventions:departement_funding", args=["79"])


# The partner's page ------------------------------------------------------------------


@pytest.mark.parametrize(
    "tri,expected", [(None, ["a-paid", "b-late"]), ("-convention", ["b-late", "a-paid"])]
)
def test_the_partner_page_sorts_by_convention(client, admin_user, commune, tri, expected):
    client.force_login(admin_user)
    query = {"annee": 2022} | ({"tri": tri} if tri else {})
    response = client.get(partner_url(commune), query)
    assert references(response) == expected
    assert 'aria-sort="' in response.content.decode()


def test_the_partner_page_finds_a_convention_and_keeps_the_year(client, admin_user, commune):
    client.force_login(admin_user)
    response = client.get(partner_url(commune), {"annee": 2022, "q": "b-late"})
    assert references(response) == ["b-late"]
    assert response.context["count"] == 1
    assert 'name="annee" value="2022"' in response.content.decode()


def test_the_partner_page_filters_by_state_and_totals_what_it_keeps(client, admin_user, commune):
    client.force_login(admin_user)
    response = client.get(partner_url(commune), {"annee": 2022, "etat": "late"})
    assert references(response) == ["b-late"]
    assert response.context["totals"].expected == Decimal("3000")


def test_the_partner_page_totals_every_page(client, admin_user, commune, monkeypatch):
    monkeypatch.setattr(views, "PAGE_SIZE", 1)
    client.force_login(admin_user)
    response = client.get(partner_url(commune), {"annee": 2022, "page": 2})
    assert references(response) == ["b-late"]
    content = response.content.decode()
    total = re.search(
        r"Total 2022 \(toutes les pages\)</th>\s*<td class=\"num\">([^<]+)</td>", content
    )
    assert total.group(1) == "5\u00a0000\u00a0€"
    assert 'class="fr-pagination"' in content


def test_the_partner_page_says_when_nothing_matches(client, admin_user, commune):
    client.force_login(admin_user)
    content = client.get(partner_url(commune), {"annee": 2022, "q": "personne"}).content
    assert "Aucune contribution ne correspond à ces filtres." in content.decode()
    content = client.get(partner_url(commune), {"annee": 2030}).content.decode()
    assert "Aucune contribution de ce partenaire cette année" in content


def test_a_bad_state_is_a_message_next_to_the_filter(client, admin_user, commune):
    client.force_login(admin_user)
    response = client.get(partner_url(commune), {"annee": 2022, "etat": "n'importe-quoi"})
    assert response.status_code == 200
    assert "etat" in response.context["form"].errors
    assert references(response) == ["a-paid", "b-late"]


@pytest.mark.parametrize("count", [3, 30])
def test_the_partner_page_runs_the_same_queries_for_3_and_30_conventions(
    client, admin_user, commune, django_assert_num_queries, count
):
    for number in range(count):
        add_funded(commune, f"c-{number:02}")
    client.force_login(admin_user)
    # 1 session, 2 user, 3 savepoint (ATOMIC_REQUESTS), 4 the organisation, 5 the
    # conventions (sorted, searched by key), then what their plans read: 6 sections with
    # their post, 7 parties, 8 renewals, 9 amendments, 10 contributions, 11 payments,
    # 12 yearly shares, 13 post costs, 14 amounts decided by deliberation, 15 release
    # savepoint. The page is cut from the rows in Python: no count query.
    with django_assert_num_queries(15):
        response = client.get(partner_url(commune), {"annee": 2022})
    assert response.context["count"] == count + 2


# The département's page --------------------------------------------------------------


def test_the_departement_page_sorts_searches_and_counts(client, admin_user, commune):
    client.force_login(admin_user)
    response = client.get(DEPARTEMENT_URL, {"annee": 2022, "tri": "-convention"})
    assert references(response) == ["convention-79", "b-late", "a-paid"]
    assert response.context["count"] == 3
    response = client.get(DEPARTEMENT_URL, {"annee": 2022, "q": "late"})
    assert references(response) == ["b-late"]
    assert "1 convention" in response.content.decode()


def test_the_departement_search_finds_a_partner(client, admin_user, commune):
    client.force_login(admin_user)
    words = commune.name
    response = client.get(DEPARTEMENT_URL, {"annee": 2022, "q": words})
    assert set(references(response)) == {"a-paid", "b-late", "convention-79"}
    response = client.get(DEPARTEMENT_URL, {"annee": 2022, "q": "introuvable"})
    content = response.content.decode()
    assert "Aucune convention du département ne correspond à cette recherche." in content
    assert "Effacer les filtres" in content


def test_the_departement_page_totals_every_page(client, admin_user, commune, monkeypatch):
    monkeypatch.setattr(views, "PAGE_SIZE", 1)
    client.force_login(admin_user)
    response = client.get(DEPARTEMENT_URL, {"annee": 2022, "page": 1})
    assert references(response) == ["a-paid"]
    # Both of the commune's conventions count in its total, whatever the page.
    partner = next(p for p in response.context["partners"] if p["organisation"] == commune)
    assert partner["totals"].expected == Decimal("5000")


def test_the_departement_page_without_conventions_says_so(client, admin_user):
    client.force_login(admin_user)
    url = reverse("conventions:departement_funding", args=["2A"])
    assert "Aucune convention dans ce département." in client.get(url).content.decode()


@pytest.mark.parametrize("count", [3, 30])
def test_the_departement_page_runs_the_same_queries_for_3_and_30_conventions(
    client, admin_user, commune, django_assert_num_queries, count
):
    for number in range(count):
        add_funded(commune, f"c-{number:02}")
    client.force_login(admin_user)
    # 1 session, 2 user, 3 savepoint (ATOMIC_REQUESTS), 4 the conventions (sorted,
    # searched by key), then what their plans read: 5 sections with their post,
    # 6 parties, 7 renewals, 8 amendments, 9 contributions, 10 payments, 11 yearly
    # shares, 12 post costs, 13 amounts decided by deliberation, 14 release savepoint.
    # The page is cut from the rows in Python: no count query.
    with django_assert_num_queries(14):
        response = client.get(DEPARTEMENT_URL, {"annee": 2022})
    assert response.context["count"] == count + 3
