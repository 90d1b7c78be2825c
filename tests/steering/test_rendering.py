"""The steering pages render any report: every table formatted in French, every chart as
SVG with its figures, the national map; who may see which page."""

import pytest
from django.urls import reverse
from lxml import html

from partners.enums import Role
from tests.partners.factories import OrganisationFactory, UserFactory
from tests.steering.reports import TODAY, YEAR, sample_report

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def hand_built_report(monkeypatch):
    """The page of any area shows the hand-built report of that area."""
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: TODAY)
    monkeypatch.setattr(
        "config.steering.report.steering_report",
        lambda area, *, year, today: sample_report(area, year),
    )


@pytest.fixture
def steering_79(db):
    return UserFactory(
        role=Role.DEPARTEMENTAL_STEERING, organisation=OrganisationFactory(prefecture=True)
    )


def page_tables(content: bytes) -> dict[str, list[list[str]]]:
    """The text of every cell of every steering table of the page, by table id."""
    tree = html.fromstring(content)
    return {
        wrapper.get("id"): [
            [" ".join(cell.text_content().split()) for cell in row.xpath("./th|./td")]
            for row in wrapper.xpath(".//tbody/tr")
        ]
        for wrapper in tree.xpath('//div[contains(@class, "steering-table")]')
    }


def test_the_national_page_formats_every_table_and_chart_figure_in_french(client, admin_user):
    client.force_login(admin_user)
    response = client.get(reverse("steering:national"))
    assert response.status_code == 200
    tables = page_tables(response.content)
    assert tables["couverture-departements"][1] == [
        "Val-d'Oise (95)",
        "12",
        "80 %",
        "1 234 567,89 €",
    ]
    assert tables["couverture-departements"][2][1] == "—"
    assert tables["couverture-forces"][2] == ["Mixte", "< 11", "—"]
    assert tables["financement-annees"][0] == ["2022", "400 000,50 €", "42 %", "30 j"]
    # A chart's figures: its table in « Voir les données ».
    assert tables["financement-payeurs-data"][0] == ["2022", "120 000 €", "200 000 €", "-15 000 €"]
    assert tables["activite-problematiques-data"][2] == ["Logement", "< 11"]


def test_the_page_title_names_the_area_and_the_summary_links_every_part(client, admin_user):
    client.force_login(admin_user)
    tree = html.fromstring(client.get(reverse("steering:departement", args=["79"])).content)
    assert tree.xpath("string(//h1)") == "Pilotage — Deux-Sèvres (79)"
    summary = tree.xpath('//nav[contains(@class, "fr-summary")]//a')
    assert [(a.get("href"), a.text) for a in summary] == [
        ("#couverture", "Couverture du territoire"),
        ("#financement", "Financement"),
        ("#activite", "Activité des intervenants sociaux"),
        ("#remontees", "Remontée des statistiques"),
    ]
    assert all(tree.xpath(f'//section[@id="{a.get("href")[1:]}"]') for a in summary)


def test_each_chart_is_an_svg_with_its_data_in_a_disclosure(client, admin_user):
    client.force_login(admin_user)
    tree = html.fromstring(client.get(reverse("steering:national")).content)
    for chart_id in ("couverture-evolution", "financement-payeurs", "financement-part-etat"):
        figure = tree.xpath(f'//figure[@id="{chart_id}"]')[0]
        assert figure.xpath(".//svg[@role='img']")
        assert figure.xpath("string(.//details/summary)") == "Voir les données"


def test_the_first_cell_links_to_the_departement_page(client, admin_user):
    client.force_login(admin_user)
    tree = html.fromstring(client.get(reverse("steering:national")).content)
    links = tree.xpath('//div[@id="couverture-departements"]//tbody/tr/th/a')
    assert [(a.text, a.get("href")) for a in links] == [
        ("Deux-Sèvres (79)", "/pilotage/departement/79/"),
        ("Val-d'Oise (95)", "/pilotage/departement/95/"),
        ("Corse-du-Sud (2A)", "/pilotage/departement/2A/"),
    ]


def test_a_sortable_table_sorts_by_a_column_with_unknown_values_last(client, admin_user):
    client.force_login(admin_user)
    url = reverse("steering:national")
    response = client.get(url, {"tri": "-couverture-departements.1"})
    rows = page_tables(response.content)["couverture-departements"]
    assert [row[0] for row in rows] == ["Val-d'Oise (95)", "Deux-Sèvres (79)", "Corse-du-Sud (2A)"]
    tree = html.fromstring(response.content)
    sorted_header = tree.xpath('//div[@id="couverture-departements"]//th[@aria-sort]')
    assert [th.get("aria-sort") for th in sorted_header] == ["descending"]


def test_the_national_map_shows_the_indicator_chosen(client, admin_user):
    client.force_login(admin_user)
    tree = html.fromstring(
        client.get(
            reverse("steering:national"), {"indicateur": "couverture-departements:3"}
        ).content
    )
    assert tree.xpath("string(//select[@id='indicateur']/option[@selected])") == (
        "Couverture par département — Coût annuel"
    )
    titles = tree.xpath('//svg[contains(@class, "steering-map")]//a[@data-code="95"]/title')
    assert titles[0].text == "Val-d'Oise (95) : coût annuel 1\u00a0234\u00a0567,89\u00a0€"
    assert "Fond de carte : pygal_maps_fr" in tree.xpath(
        "string(//figure[contains(@class, 'steering-map-figure')])"
    )


def test_the_map_defaults_to_the_first_figure_of_the_coverage_by_departement(client, admin_user):
    client.force_login(admin_user)
    tree = html.fromstring(
        client.get(reverse("steering:national"), {"indicateur": "nope:1"}).content
    )
    title = tree.xpath('//svg[contains(@class, "steering-map")]//a[@data-code="79"]/title')[0]
    assert title.text == "Deux-Sèvres (79) : 3 postes"


def test_a_skip_link_before_the_map_jumps_to_the_table_of_the_same_figures(client, admin_user):
    """The map's 101 links are as many tab stops: a keyboard user may pass them."""
    client.force_login(admin_user)
    tree = html.fromstring(client.get(reverse("steering:national")).content)
    order = list(tree.iter())
    link = tree.xpath("//a[normalize-space()='Passer la carte']")[0]
    target = tree.get_element_by_id(link.get("href").removeprefix("#"))
    svg = tree.xpath('//svg[contains(@class, "steering-map")]')[0]
    assert order.index(link) < order.index(svg) < order.index(target)
    assert "steering-table" in target.get("class")
    assert target.xpath("string(.//caption)") == "Couverture par département"


def test_the_departement_page_has_no_map(client, admin_user):
    client.force_login(admin_user)
    response = client.get(reverse("steering:departement", args=["79"]))
    assert b"steering-map" not in response.content


def test_the_page_offers_the_annual_report_of_the_year_shown(client, admin_user):
    client.force_login(admin_user)
    response = client.get(reverse("steering:departement", args=["79"]), {"annee": "2025"})
    tree = html.fromstring(response.content)
    links = {a.text: a.get("href") for a in tree.xpath("//a[contains(@class, 'fr-btn')]")}
    assert links["Rapport annuel (PDF)"] == "/pilotage/departement/79/rapport-2025.pdf"
    assert links["Rapport annuel (XLSX)"] == "/pilotage/departement/79/rapport-2025.xlsx"
    assert tree.xpath("string(//select[@id='annee']/option[@selected])") == "2025"


def test_the_national_page_is_not_found_for_a_departemental_steering_user(client, steering_79):
    client.force_login(steering_79)
    assert client.get(reverse("steering:national")).status_code == 404
    assert client.get(reverse("steering:national_pdf", args=[YEAR])).status_code == 404
    assert client.get(reverse("steering:national_xlsx", args=[YEAR])).status_code == 404


def test_a_departemental_steering_user_sees_only_their_departement(client, steering_79):
    client.force_login(steering_79)
    assert client.get(reverse("steering:departement", args=["79"])).status_code == 200
    assert client.get(reverse("steering:departement", args=["95"])).status_code == 404
    assert client.get(reverse("steering:departement_xlsx", args=["95", YEAR])).status_code == 404


def test_only_the_administrator_gets_a_link_back_to_the_national_page(
    client, admin_user, steering_79
):
    url = reverse("steering:departement", args=["79"])
    client.force_login(steering_79)
    assert b'href="/pilotage/"' not in client.get(url).content
    client.force_login(admin_user)
    assert b'href="/pilotage/"' in client.get(url).content


def test_an_unknown_departement_is_not_found(client, admin_user):
    client.force_login(admin_user)
    assert client.get(reverse("steering:departement", args=["975"])).status_code == 404
    assert client.get(reverse("steering:departement_pdf", args=["99", YEAR])).status_code == 404


def test_a_report_of_a_year_out_of_range_is_not_found(client, admin_user):
    client.force_login(admin_user)
    assert client.get(reverse("steering:national_xlsx", args=[1999])).status_code == 404
    assert client.get(reverse("steering:national_xlsx", args=[YEAR + 2])).status_code == 404


def test_the_steering_pages_run_a_fixed_number_of_queries(
    client, admin_user, steering_79, django_assert_num_queries
):
    client.force_login(admin_user)
    # The session, the user, the savepoint of the request and its release, the coverage
    # targets' version (the report's cache key; the parts are hand-built here: their own
    # queries are pinned by their tests).
    with django_assert_num_queries(5):
        assert client.get(reverse("steering:national")).status_code == 200
    client.force_login(steering_79)
    # And the steering user's organisation (the scope).
    with django_assert_num_queries(6):
        assert client.get(reverse("steering:departement", args=["79"])).status_code == 200
