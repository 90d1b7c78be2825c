"""Property tests of the query parameters: the list filters, the years and
periods of the funding and statistics pages, the exports' scope, the
parameters some links carry. Any combination answers below 500."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.security.strategies import odd_text
from tests.security.urls import build_url

pytestmark = pytest.mark.django_db

# (page, demo side, account, the parameters the page reads)
PARAMETERS = [
    (
        "conventions:list",
        "-",
        "valparisis",
        ["q", "status", "departement", "organisation", "year", "page", "tri"],
    ),
    (
        "conventions:deliberation_list",
        "-",
        "ville.niort",
        ["q", "organisation", "year", "convention", "transmitted", "page", "tri"],
    ),
    ("partners:list", "-", "ddsp79", ["q", "kind", "departement", "page", "tri"]),
    ("conventions:post_list", "-", "fv79", ["q", "kind", "departement", "page", "tri"]),
    ("conventions:funding_overview", "-", "admin", ["annee", "page"]),
    ("conventions:partner_funding", "niort", "prefecture79", ["annee"]),
    ("conventions:departement_funding", "ermont", "admin", ["annee"]),
    ("conventions:payment_create", "niort", "ville.niort", ["contribution", "annee"]),
    ("conventions:amendment_create", "niort", "ville.niort", ["articles"]),
    ("conventions:deliberation_create", "-", "valparisis", ["conseil", "citee"]),
    ("activity:status_board", "-", "admin", ["annee", "departement"]),
    ("activity:export_csv[national]", "-", "admin", ["annee", "trimestre", "poste", "departement"]),
    ("activity:home", "-", "fv79", ["annee"]),
]


@pytest.mark.parametrize(("label", "side", "username", "names"), PARAMETERS)
def test_odd_query_parameters_never_make_a_server_error(client, demo, label, side, username, names):
    url = build_url(demo, label, side).split("?")[0]
    client.force_login(demo.users[username])

    @settings(
        max_examples=25,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture],
    )
    @given(st.dictionaries(keys=st.sampled_from(names), values=odd_text, min_size=1))
    def visit(parameters):
        assert client.get(url, parameters).status_code < 500

    visit()
