"""The benchmark's table says, for each page, its p95 as a multiple of the trivial page's
and whether issue #25's limit for what the page is about is met."""

from config.devtools.national.bench import (
    DEPARTEMENT,
    EXPORT,
    NATIONAL,
    ONE_POST,
    Measure,
    Page,
    table,
)


def measured(label, target, p95, **page):
    return Measure(Page(label, "admin", "/", target, **page), p95, p95, 5, 200, p95)


def test_each_page_is_held_to_the_limit_of_what_it_is_about():
    baseline = measured("Page triviale (profil)", None, 0.010)
    lines = table(
        baseline,
        [
            measured("Poste", ONE_POST, 0.250),  # 25 × a page about one post
            measured("Département", DEPARTEMENT, 0.250),  # 25 × a département page
            measured("Pays", NATIONAL, 1.200),  # 120 × a national page
            measured("Export d'un poste", EXPORT, 0.150, scope="one"),
            measured("Calcul à froid", NATIONAL, 3.0, scope=None),
        ],
    )
    cells = {line.split(" | ")[0].strip("| "): line.split(" | ")[6] for line in lines[2:]}
    assert cells == {
        "Page triviale (profil)": "1.0",
        "Poste": "25.0 (≤ 20 ✗)",
        "Département": "25.0 (≤ 50 ✓)",
        "Pays": "120.0 (≤ 100 ✗)",
        "Export d'un poste": "15.0 (≤ 20 ✓)",
        "Calcul à froid": "300.0",
    }
