"""A hand-built steering report: every kind of value and of chart, for the rendering
tests (the parts' own figures are tested with the parts)."""

import datetime
from decimal import Decimal

from config.steering.area import Area
from config.steering.figures import Chart, Column, Kind, Masked, Part, Series, Table
from config.steering.report import Report

YEAR = 2026
TODAY = datetime.date(2026, 11, 22)


def departements_table() -> Table:
    """Three départements with figures, the others absent from the table."""
    codes = ["79", "95", "2A"]
    return Table(
        id="couverture-departements",
        caption="Couverture par département",
        columns=[
            Column("Département", Kind.TEXT),
            Column("Postes"),
            Column("Taux de couverture", Kind.PERCENT),
            Column("Coût annuel", Kind.EUROS),
        ],
        rows=[
            [Area(code).label, posts, share, cost]
            for code, posts, share, cost in zip(
                codes,
                [3, 12, None],
                [Decimal("0.5"), Decimal("0.8"), Decimal("0.25")],
                [Decimal("95000.00"), Decimal("1234567.89"), Decimal("0")],
                strict=True,
            )
        ],
        links=[Area(code).url for code in codes],
        sortable=True,
    )


def sample_report(area: Area | None = None, year: int = YEAR) -> Report:
    area = area or Area()
    years = list(range(year - 4, year + 1))
    coverage = Part(
        "couverture",
        "Couverture du territoire",
        intro="Postes financés au 22 novembre 2026.",
        tables=[
            departements_table(),
            Table(
                id="couverture-forces",
                caption="Postes par force",
                columns=[Column("Force", Kind.TEXT), Column("Postes"), Column("ETP", Kind.DECIMAL)],
                rows=[
                    ["Police", 10, Decimal("9.50")],
                    ["Gendarmerie", 5, Decimal("4.80")],
                    ["Mixte", Masked(11), None],
                ],
                notes=["Un poste mixte compte pour chacune des deux forces."],
            ),
        ],
        charts=[
            Chart(
                "couverture-evolution",
                "Postes pourvus et vacants",
                "stacked",
                [str(y) for y in years],
                [Series("Pourvus", [8, 9, 11, 12, 13]), Series("Vacants", [2, 1, 2, 3, 2])],
            ),
        ],
    )
    money = Part(
        "financement",
        "Financement",
        tables=[
            Table(
                id="financement-annees",
                caption="Coût et financement par année",
                columns=[
                    Column("Année", Kind.TEXT),
                    Column("Coût", Kind.EUROS),
                    Column("Part de l'État", Kind.PERCENT),
                    Column("Délai moyen", Kind.DAYS),
                ],
                rows=[
                    [str(y), Decimal(400000 + 25000 * i) + Decimal("0.50"), Decimal("0.42"), 30 + i]
                    for i, y in enumerate(years)
                ],
            )
        ],
        charts=[
            Chart(
                "financement-payeurs",
                "Financement par payeur",
                "bars",
                [str(y) for y in years],
                [
                    Series("État (FIPD)", [Decimal(120000 + 1000 * i) for i in range(5)]),
                    Series("Collectivités", [Decimal(200000 + 2000 * i) for i in range(5)]),
                    Series(
                        "Écart", [Decimal(-15000), None, Decimal(5000), Decimal(0), Decimal(12000)]
                    ),
                ],
                unit=Kind.EUROS,
            ),
            Chart(
                "financement-part-etat",
                "Part de l'État",
                "lines",
                [str(y) for y in years],
                [
                    Series(
                        "France",
                        [
                            Decimal("0.40"),
                            Decimal("0.41"),
                            Decimal("0.42"),
                            Decimal("0.42"),
                            Decimal("0.43"),
                        ],
                    ),
                    Series("Objectif", [Decimal("0.5")] * 5),
                ],
                unit=Kind.PERCENT,
            ),
        ],
    )
    activity = Part(
        "activite",
        "Activité des intervenants sociaux",
        charts=[
            Chart(
                "activite-problematiques",
                "Problématiques rencontrées",
                "hbars",
                [
                    "Violences intrafamiliales",
                    "Difficultés éducatives",
                    "Logement",
                    "Santé mentale",
                ],
                [Series("Personnes", [1520, 640, Masked(11), 210])],
            )
        ],
    )
    discipline = Part("remontees", "Remontée des statistiques")
    return Report(area, year, years, [coverage, money, activity, discipline])
