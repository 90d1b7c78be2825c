"""The map of France by département and the steering charts, drawn as SVG."""

import re
from decimal import Decimal

import pytest
from lxml import etree

from config.core.charts import nice_axis
from config.steering.area import Area
from config.steering.charts import chart_svg
from config.steering.figures import Chart, Column, Kind, Masked, Series
from config.steering.maps import MAP_FILE, PALETTE, classes, france_map, shapes
from partners.departements import DEPARTEMENTS

SVG = "{http://www.w3.org/2000/svg}"


def parsed(svg: str):
    return etree.fromstring(svg.encode())


def drawn_map(values, kind=Kind.COUNT, label="Postes"):
    return parsed(france_map(values, indicator=Column(label, kind), title="Postes par département"))


def test_the_map_file_has_one_shape_for_each_of_the_101_departements():
    assert set(shapes()) == {d.code for d in DEPARTEMENTS}
    assert "975" not in shapes()
    # Paris and its petite couronne are drawn again, larger, in an inset.
    assert {code for code, drawings in shapes().items() if len(drawings) == 2} == {
        "75",
        "92",
        "93",
        "94",
    }


def test_the_map_file_stays_small():
    assert MAP_FILE.stat().st_size < 250_000


@pytest.mark.django_db
def test_each_departement_is_a_link_to_its_page_with_its_figure_as_title():
    svg = drawn_map({"79": 3, "95": 12})
    links = svg.findall(f".//{SVG}a")
    assert len(links) == 101
    assert {a.get("data-code") for a in links} == {d.code for d in DEPARTEMENTS}
    assert all(a.get("href") == Area(a.get("data-code")).url for a in links)
    by_code = {a.get("data-code"): a for a in links}
    assert by_code["79"].find(f"{SVG}title").text == "Deux-Sèvres (79) : 3 postes"


@pytest.mark.django_db
def test_a_departement_without_a_value_reads_no_data_and_is_hatched():
    svg = drawn_map({"79": 3, "95": None})
    by_code = {a.get("data-code"): a for a in svg.findall(f".//{SVG}a")}
    for code in ("95", "2A"):
        assert by_code[code].find(f"{SVG}title").text.endswith(": aucune donnée")
        assert by_code[code].get("fill").startswith("url(#")
    legend = [t.text for t in svg.findall(f"{SVG}text")]
    assert "Aucune donnée" in legend


@pytest.mark.django_db
def test_the_map_is_a_group_of_links_named_by_its_title_for_screen_readers():
    svg = drawn_map({"79": 3})
    # A picture (role img) may not hold links: a group of named links may.
    assert svg.get("role") == "group"
    assert all(link.get("tabindex") is None for link in svg.iter(f"{SVG}a"))
    (title,) = svg.findall(f"{SVG}title")
    assert svg.get("aria-labelledby") == title.get("id")
    assert title.text == "Postes par département"


@pytest.mark.django_db
def test_the_values_fall_into_five_classes_from_light_to_dark_blue_with_a_legend():
    values = {d.code: n for n, d in enumerate(DEPARTEMENTS[:50], start=1)}
    svg = drawn_map(values)
    by_code = {a.get("data-code"): a.get("fill") for a in svg.findall(f".//{SVG}a")}
    assert by_code["01"] == PALETTE[0]
    assert by_code[DEPARTEMENTS[49].code] == PALETTE[-1]
    assert len({by_code[d.code] for d in DEPARTEMENTS[:50]}) == 5
    legend = [t.text for t in svg.findall(f"{SVG}text")]
    assert legend == [
        "Paris et petite couronne",
        "Postes",
        "de 1 à 10",
        "de 11 à 20",
        "de 21 à 30",
        "de 31 à 40",
        "de 41 à 50",
        "Aucune donnée",
    ]


def test_classes_never_split_equal_values_and_shrink_with_few_values():
    assert classes([Decimal(3)] * 10) == [(3, 3)]
    assert classes([Decimal(v) for v in (1, 1, 1, 1, 2)]) == [(1, 1), (2, 2)]


@pytest.mark.django_db
def test_a_share_is_shown_as_a_percent_in_the_legend_and_the_title():
    svg = drawn_map({"79": Decimal("0.5"), "95": Decimal("0.8")}, Kind.PERCENT, "Taux")
    by_code = {a.get("data-code"): a for a in svg.findall(f".//{SVG}a")}
    assert by_code["79"].find(f"{SVG}title").text == "Deux-Sèvres (79) : taux 50\u00a0%"
    assert "80\u00a0%" in [t.text for t in svg.findall(f"{SVG}text")]


def test_axis_ticks_are_round_for_counts_amounts_shares_and_negative_gaps():
    assert nice_axis(0, 13) == [0, 5, 10, 15]
    assert nice_axis(0, Decimal("0.43")) == [0, Decimal("0.2"), Decimal("0.4"), Decimal("0.6")]
    assert nice_axis(-15000, 208000) == [-100000, 0, 100000, 200000, 300000]
    assert nice_axis(0, 0) == [0, Decimal("0.25"), Decimal("0.5"), Decimal("0.75"), 1]


def test_a_count_axis_has_no_tick_between_two_whole_numbers():
    assert nice_axis(0, 1, whole=True) == [0, 1]
    assert nice_axis(0, 3, whole=True) == [0, 1, 2, 3]
    assert nice_axis(0, 13, whole=True) == [0, 5, 10, 15]
    svg = str(chart_svg(chart("bars", [0, 1])))
    assert "0,25" not in svg and "0,5<" not in svg


def chart(kind, values, unit=Kind.COUNT):
    return Chart(
        "essai",
        "Postes",
        kind,
        ["2025", "2026"],
        [Series("Pourvus", values), Series("Vacants", [1, 2])],
        unit=unit,
    )


@pytest.mark.parametrize("kind", ["bars", "stacked", "lines", "hbars"])
def test_every_chart_kind_has_a_title_a_description_and_a_legend(kind):
    svg = parsed(chart_svg(chart(kind, [8, Masked(11)])))
    assert svg.findtext(f"{SVG}title") == "Postes"
    assert (
        svg.findtext(f"{SVG}desc") == "2025 : Pourvus 8, Vacants 1; 2026 : Pourvus < 11, Vacants 2"
    )
    texts = [t.text for t in svg.iter(f"{SVG}text")]
    assert "Pourvus" in texts and "Vacants" in texts


def test_two_series_differ_by_more_than_their_colour():
    svg = chart_svg(chart("bars", [8, 9]))
    fills = re.findall(r'<rect x="[\d.]+" y="[\d.]+" width="14" height="12" ([^/]+)/>', svg)
    assert len(fills) == 2
    assert "stroke" in fills[1] and "stroke" not in fills[0]


def test_the_axis_of_an_amount_chart_reads_in_euros():
    svg = parsed(chart_svg(chart("bars", [Decimal("120000"), Decimal("-15000")], Kind.EUROS)))
    texts = [t.text for t in svg.iter(f"{SVG}text")]
    assert "100\u00a0000\u00a0€" in texts
    assert "-50\u00a0000\u00a0€" in texts


@pytest.mark.parametrize("kind", ["bars", "stacked", "lines", "hbars"])
def test_a_chart_without_figures_is_drawn_empty(kind):
    empty = Chart("vide", "Rien encore", kind, [], [])
    unknown = Chart("inconnu", "Inconnu", kind, ["2026"], [Series("Postes", [None])])
    for chart in (empty, unknown):
        assert parsed(chart_svg(chart)).findtext(f"{SVG}title") == chart.title
