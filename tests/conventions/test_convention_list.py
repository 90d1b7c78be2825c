"""The convention list: scope, filters, search, and a query count that does not grow."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from config.core.formats import french_date
from conventions.agreements import views as list_views
from conventions.agreements.selectors import convention_list, in_force_during
from conventions.enums import ConventionStatus, RenewalMode
from conventions.models import Convention, Renewal
from partners.enums import Role
from tests.conventions.factories import (
    ConventionFactory,
    PartyFactory,
    PostFactory,
    ReportingRuleFactory,
    signed_convention,
)
from tests.partners.factories import OrganisationFactory

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()
URL = reverse("conventions:list")


def years_ago(years):
    return TODAY.replace(year=TODAY.year - years, day=min(TODAY.day, 28))


def add_conventions(world, count):
    """``count`` conventions in Deux-Sèvres, mixing every status a row can show."""
    employer = world["79"]["post"].employer
    ddsp = world["79"]["post"].functional_authorities[0]
    for i in range(count):
        post = PostFactory(departement="79", employer=employer, functional_authority=ddsp)
        organisations = [OrganisationFactory(), OrganisationFactory(), ddsp, employer]
        match i % 3:
            case 0:  # in force, with a quarterly report due
                convention = signed_convention(
                    post=post, signed_on=years_ago(1), organisations=organisations
                )
                ReportingRuleFactory(convention=convention)
            case 1:  # ended, then renewed by a signed convention
                convention = signed_convention(
                    post=post, signed_on=years_ago(5), organisations=organisations
                )
                signed_convention(
                    post=post,
                    signed_on=years_ago(2),
                    organisations=organisations,
                    renews=convention,
                )
            case 2:  # renewed by a recorded further period, in force again
                convention = signed_convention(
                    post=post,
                    signed_on=years_ago(4),
                    organisations=organisations,
                    renewal_mode=RenewalMode.SUCCESSIVE_PERIODS,
                    renewal_period_years=3,
                )
                end = convention.initial_end_date
                Renewal.objects.create(
                    convention=convention,
                    number=1,
                    start=end + datetime.timedelta(days=1),
                    end=end.replace(year=end.year + 3),
                )


@pytest.mark.parametrize("count", [3, 30])
def test_the_list_runs_the_same_queries_for_3_and_30_conventions(
    client, two_departements, django_assert_num_queries, count
):
    add_conventions(two_departements, count)
    client.force_login(two_departements["79"]["users"][Role.DDSP_SECRETARIAT])
    # 1 session, 2 user, 3 savepoint (ATOMIC_REQUESTS), 4 user's organisation,
    # 5 départements of the visible posts, 6 partner organisations (filter choices),
    # 7 count for the pages, 8 the page's conventions, 9 their sections with their post
    # and its employer, 10 the posts' sites, 11 parties, 12 their organisations,
    # 13 renewals, 14 amendments (they may change the dates), 15 reporting rules,
    # 16 renewing conventions, 17 their parties, 18 linked deliberations (approval
    # status), 19 release savepoint.
    with django_assert_num_queries(19):
        response = client.get(URL)
    assert response.status_code == 200
    # The fixture's convention, the added ones and the renewing ones.
    assert response.context["count"] == 1 + count + count // 3


@pytest.mark.parametrize("count", [3, 30])
def test_the_list_filtered_by_status_runs_the_same_queries_for_3_and_30_conventions(
    client, two_departements, django_assert_num_queries, count
):
    add_conventions(two_departements, count)
    client.force_login(two_departements["79"]["users"][Role.DDSP_SECRETARIAT])
    # 1 session, 2 user, 3 savepoint, 4 user's organisation, 5 départements, 6 partner
    # organisations (filter choices); the status, decided in Python: 7 and 8 the
    # durations in use (for "in force" and for the year), 9 the conventions whose dates
    # may match, 10 their parties, 11 renewals, 12 amendments; then as above: 13 count,
    # 14 the page's conventions, 15 their sections with their post, 16 the posts' sites,
    # 17 parties, 18 their organisations, 19 renewals, 20 amendments, 21 reporting rules,
    # 22 renewing conventions, 23 linked deliberations, 24 release savepoint.
    with django_assert_num_queries(24):
        response = client.get(URL, {"status": "in_force", "year": TODAY.year})
    # The first and third kinds of add_conventions and the renewing conventions.
    assert response.context["count"] == 3 * (count // 3)


@pytest.mark.parametrize("status", [s for s, _ in ConventionStatus.choices])
def test_every_status_filter_runs_the_same_queries_for_3_and_30_conventions(
    client, two_departements, status
):
    client.force_login(two_departements["79"]["users"][Role.DDSP_SECRETARIAT])
    counts, matches = [], []
    for count in (3, 27):
        add_conventions(two_departements, count)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(URL, {"status": status})
        counts.append(len(queries))
        matches.append(response.context["count"])
    assert counts[0] == counts[1]
    if status in ("in_force", "renewed"):
        assert matches[1] > matches[0]


def test_the_list_is_cut_into_pages_that_keep_the_filters(client, two_departements, monkeypatch):
    monkeypatch.setattr(list_views, "PAGE_SIZE", 2)
    for i in range(3):
        ConventionFactory(post=two_departements["79"]["post"], reference=f"page-{i}")
    client.force_login(two_departements["79"]["users"][Role.DDSP_SECRETARIAT])
    first = client.get(URL, {"q": "page"})
    assert references(first) == {"page-0", "page-1"}
    assert "?q=page&amp;page=2" in first.content.decode()
    assert references(client.get(URL, {"q": "page", "page": 2})) == {"page-2"}


def test_a_row_shows_reference_title_post_parties_status_and_next_deadline(
    client, two_departements
):
    world = two_departements["79"]
    convention = signed_convention(
        post=world["post"],
        signed_on=years_ago(1),
        organisations=[OrganisationFactory(name="Ville de Chauray", short_name="Chauray")],
        reference="chauray-2024",
        title="Convention de Chauray",
    )
    ReportingRuleFactory(convention=convention)
    client.force_login(world["users"][Role.DDSP_SECRETARIAT])
    content = client.get(URL).content.decode()
    row = content[content.index("chauray-2024") :]
    row = row[: row.index("</tr>")]
    assert f'href="{convention.get_absolute_url()}"' in row
    assert "Convention de Chauray" in row
    assert world["post"].name in row
    assert "Chauray" in row
    assert "En vigueur" in row
    # Signed a year ago for three years: the first quarter's bilan (due 15 April) comes first.
    april_15 = datetime.date(TODAY.year, 4, 15)
    if april_15 < TODAY:
        april_15 = april_15.replace(year=TODAY.year + 1)
    assert f"{french_date(april_15)}</strong><br>Bilan trimestriel" in row


def references(response):
    return {row["convention"].reference for row in response.context["rows"]}


@pytest.fixture
def three_statuses(two_departements):
    """Deux-Sèvres: a draft, an expired and an in-force convention, besides the fixture's."""
    world = two_departements["79"]
    organisations = [world["post"].employer]
    ConventionFactory(post=world["post"], reference="projet")
    signed_convention(
        post=world["post"], signed_on=years_ago(6), organisations=organisations, reference="expiree"
    )
    signed_convention(
        post=world["post"],
        signed_on=years_ago(1),
        organisations=organisations,
        reference="en-vigueur",
    )
    return world


@pytest.mark.parametrize(
    "status,expected",
    [
        ("in_force", {"en-vigueur"}),
        ("expired", {"expiree"}),
        ("draft", {"projet", "convention-79"}),
    ],
)
def test_it_filters_by_status(client, three_statuses, status, expected):
    client.force_login(three_statuses["users"][Role.DDSP_SECRETARIAT])
    assert references(client.get(URL, {"status": status})) == expected


def test_it_filters_by_the_year_in_force(client, three_statuses):
    client.force_login(three_statuses["users"][Role.DDSP_SECRETARIAT])
    assert references(client.get(URL, {"year": TODAY.year - 5})) == {"expiree"}
    assert references(client.get(URL, {"year": TODAY.year})) == {"en-vigueur"}


def test_it_filters_by_the_departement_of_the_post(client, two_departements, admin_user):
    client.force_login(admin_user)
    assert references(client.get(URL, {"departement": "95"})) == {"convention-95"}


def test_it_filters_by_partner_organisation(client, two_departements):
    world = two_departements["79"]
    other = ConventionFactory(post=world["post"], reference="autre-partenaire")
    partner = OrganisationFactory(name="CCAS de Chauray")
    PartyFactory(convention=other, organisation=partner)
    client.force_login(world["users"][Role.DDSP_SECRETARIAT])
    response = client.get(URL, {"organisation": partner.pk})
    assert references(response) == {"autre-partenaire"}


def test_the_search_box_finds_a_convention_by_partner_name(client, two_departements):
    world = two_departements["79"]
    other = ConventionFactory(post=world["post"], reference="recherche")
    PartyFactory(convention=other, organisation=OrganisationFactory(name="Mairie de Bessines"))
    client.force_login(world["users"][Role.DDSP_SECRETARIAT])
    assert references(client.get(URL, {"q": "bessines"})) == {"recherche"}


def test_an_unknown_filter_value_is_reported_in_french_not_a_crash(client, two_departements):
    client.force_login(two_departements["79"]["users"][Role.DDSP_SECRETARIAT])
    response = client.get(URL, {"status": "inconnu"})
    assert response.status_code == 200
    assert "Sélectionnez un choix valide" in response.content.decode()
    assert references(response) == {"convention-79"}


def test_a_user_sees_only_the_conventions_of_their_scope(client, two_departements):
    client.force_login(two_departements["95"]["users"][Role.LOCAL_AUTHORITY])
    assert references(client.get(URL)) == {"convention-95"}


def test_model_conventions_are_listed_for_administrators_only(client, two_departements, admin_user):
    template = ConventionFactory(post=two_departements["79"]["post"], is_template=True)
    client.force_login(two_departements["79"]["users"][Role.DDSP_SECRETARIAT])
    assert template.reference not in references(client.get(URL))
    client.force_login(admin_user)
    assert template.reference in references(client.get(URL))


def test_the_dashboard_links_each_convention_to_its_page(client, two_departements):
    convention = two_departements["79"]["convention"]
    client.force_login(two_departements["79"]["users"][Role.LOCAL_AUTHORITY])
    content = client.get(reverse("dashboard")).content.decode()
    # Not signed yet: it is listed under the signatures awaited, linked to its page.
    assert (
        f'<a href="{convention.get_absolute_url()}">{convention.reference} : signature attendue'
        in content
    )


def test_the_filters_found_in_sql_match_the_status_and_years_of_every_convention(
    two_departements,
):
    """SQL decides or narrows; the answer must be the one each convention's dates give."""
    add_conventions(two_departements, 6)
    post = two_departements["79"]["post"]
    organisations = [post.employer]
    ConventionFactory(post=post, reference="projet")
    signed_convention(post=post, signed_on=years_ago(6), organisations=organisations)
    signed_convention(
        post=post,
        signed_on=years_ago(2),
        organisations=organisations,
        end_date=years_ago(-2),
        term_governed_by="duration",
    )
    signed_convention(
        post=post,
        signed_on=years_ago(4),
        organisations=organisations,
        duration_years=1,
        renewal_mode=RenewalMode.TACIT,
        renewal_period_years=1,
    )
    signed_convention(
        post=post,
        signed_on=years_ago(1),
        organisations=organisations,
        start_rule="date",
        stated_start_date=years_ago(-1),
        end_date=years_ago(-3),
    )
    signed_convention(
        post=post,
        signed_on=years_ago(2),
        organisations=organisations,
        end_date=years_ago(-1),
        terminated_on=TODAY - datetime.timedelta(days=10),
    )
    # Written end dates that govern (SQL decides), ending in various years.
    for signed, end in [(8, 5), (4, 1), (2, -1), (1, -2)]:
        signed_convention(
            post=post,
            signed_on=years_ago(signed),
            organisations=organisations,
            end_date=years_ago(end),
        )
    signed_convention(
        post=post,
        signed_on=years_ago(5),
        organisations=organisations,
        end_date=years_ago(4),
        duration_years=1,
        renewal_mode=RenewalMode.TACIT,
        renewal_period_years=1,
    )
    # Ended conventions renewed by a signed convention, by a draft, by a tacit one.
    ended = [
        signed_convention(
            post=post, signed_on=years_ago(7), organisations=organisations, end_date=years_ago(e)
        )
        for e in (4, 3, 2)
    ]
    signed_convention(
        post=post, signed_on=years_ago(4), organisations=organisations, renews=ended[0]
    )
    ConventionFactory(post=post, renews=ended[1])
    signed_convention(
        post=post,
        signed_on=years_ago(2),
        organisations=organisations,
        renews=ended[2],
        duration_years=1,
        renewal_mode=RenewalMode.TACIT,
        renewal_period_years=1,
    )
    visible = Convention.objects.all()
    everything = list(Convention.objects.for_list())
    for status in [None, *ConventionStatus.values]:
        for year in [None, *range(TODAY.year - 8, TODAY.year + 4)]:
            expected = {
                c.reference
                for c in everything
                if (status is None or c.status(TODAY) == status)
                and (year is None or in_force_during(c, year))
            }
            found = convention_list(visible, filters={"status": status, "year": year}, today=TODAY)
            assert {c.reference for c in found} == expected, (status, year)
