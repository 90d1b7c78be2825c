"""Money: what the posts cost each year and who pays what share; the State's commitments
and payments; gaps between cost and funding.

The figures cover the posts of the area funded by an agreement in force or not, never
a cancelled convention nor a model convention; each contribution's yearly amount is the
one its rules give (``conventions.funding.yearly``), as on the funding plan.

Groups of funders, decided in this order:
- the post's employer, whatever its kind, pays from its own funds: « Employeurs (fonds
  propres) » (Ermont's Communauté d'agglomération pays the balance of its post);
- the State (``OrganisationKind.STATE``, all budget lines): « État »;
- the départements (``DEPARTEMENT``): « Départements »;
- the communes and their groupings (``COMMUNE``, ``EPCI``, ``PETR``, ``MIXED_SYNDICATE``):
  « Communes et intercommunalités »;
- any other funder (région, CAF, bailleur social…): « Autres ».
An aid in kind counts apart, at its stated annual value, never in the money expected.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from config.core.formats import french_number
from config.steering.area import Area
from config.steering.figures import Chart, Column, Kind, Part, Series, Table
from conventions.enums import BudgetLine, ContributionNature
from conventions.funding.rules import ZERO
from conventions.funding.yearly import PostYear, YearAmount, expected_by_year
from conventions.models import Convention, ConventionPost
from partners.enums import OrganisationKind

STATE = "État"
DEPARTEMENTS = "Départements"
LOCAL = "Communes et intercommunalités"
EMPLOYERS = "Employeurs (fonds propres)"
OTHERS = "Autres"
GROUPS = [STATE, DEPARTEMENTS, LOCAL, EMPLOYERS, OTHERS]

GROUP_BY_KIND = {
    OrganisationKind.STATE: STATE,
    OrganisationKind.DEPARTEMENT: DEPARTEMENTS,
    OrganisationKind.COMMUNE: LOCAL,
    OrganisationKind.EPCI: LOCAL,
    OrganisationKind.PETR: LOCAL,
    OrganisationKind.MIXED_SYNDICATE: LOCAL,
}

# A share is shown to the whole percent: computed to four places (« 42,17 % » rounds once).
SHARE_PLACES = Decimal("0.0001")


def payer_group(amount: YearAmount) -> str:
    if amount.is_employer:
        return EMPLOYERS
    return GROUP_BY_KIND.get(amount.organisation_kind, OTHERS)


def area_conventions(area: Area):
    """The agreements, not cancelled, that cover a post of the area."""
    sections = ConventionPost.objects.filter(**area.posts_filter("post__"))
    return (
        Convention.objects.agreements().not_cancelled().filter(pk__in=sections.values("convention"))
    )


@dataclass
class Totals:
    """The money of one year over some posts."""

    cost: Decimal = ZERO  # of the posts whose cost is entered
    posts_with_cost: int = 0
    posts_without_cost: int = 0
    expected: Decimal = ZERO  # in money, of the amounts that can be computed
    amounts_unknown: int = 0
    by_group: dict[str, Decimal] = field(default_factory=lambda: dict.fromkeys(GROUPS, ZERO))
    in_kind: Decimal = ZERO
    in_kind_unvalued: int = 0

    @classmethod
    def of(cls, amounts: list[YearAmount], posts: list[PostYear]) -> "Totals":
        totals = cls()
        for post in posts:
            if post.cost is None:
                totals.posts_without_cost += 1
            else:
                totals.posts_with_cost += 1
                totals.cost += post.cost
        for amount in amounts:
            if amount.nature == ContributionNature.IN_KIND:
                if amount.expected is None:
                    totals.in_kind_unvalued += 1
                else:
                    totals.in_kind += amount.expected
            elif amount.expected is None:
                totals.amounts_unknown += 1
            else:
                totals.expected += amount.expected
                totals.by_group[payer_group(amount)] += amount.expected
        return totals

    @property
    def known_cost(self) -> Decimal | None:
        """The cost of the posts whose cost is entered; unknown (not « 0 € ») when none is."""
        if self.posts_without_cost and not self.posts_with_cost:
            return None
        return self.cost

    @property
    def gap(self) -> Decimal | None:
        """Cost minus money expected (above zero: under-funded); None when a cost or an
        amount is unknown, for then nobody can tell."""
        if self.posts_without_cost or self.amounts_unknown:
            return None
        return self.cost - self.expected

    def share(self, group: str) -> Decimal | None:
        if not self.expected:
            return None
        return (self.by_group[group] / self.expected).quantize(SHARE_PLACES, ROUND_HALF_UP)


def money_part(area: Area, *, years: list[int], today: datetime.date) -> Part:
    funding = expected_by_year(area_conventions(area), years, today=today)
    amounts = [a for a in funding.amounts if _in_area(area, a.departement)]
    posts = [p for p in funding.posts if _in_area(area, p.departement)]
    by_year = {
        year: Totals.of(
            [a for a in amounts if a.year == year], [p for p in posts if p.year == year]
        )
        for year in years
    }
    yearly, yearly_chart = _yearly_table(by_year)
    shares, shares_chart = _shares_table(by_year)
    part = Part(
        "financement",
        "Financement",
        intro=(
            "Coût des postes et montants attendus de chaque financeur selon les règles de "
            "leurs conventions (montant fixe, part du coût, solde, avenants), versements "
            "de l'État et écarts entre le coût et le financement."
        ),
        tables=[yearly, shares, _state_table(amounts, years)],
        charts=[yearly_chart, shares_chart],
    )
    if area.is_national:
        part.tables.append(_departements_table(amounts, posts, years[-1]))
    return part


def _in_area(area: Area, departement: str | None) -> bool:
    return area.is_national or departement == area.departement


def _yearly_table(by_year: dict[int, Totals]) -> tuple[Table, Chart]:
    columns = [
        Column("Année", Kind.TEXT),
        Column("Coût des postes", Kind.EUROS),
        Column("Financement attendu (argent)", Kind.EUROS),
        *(Column(group, Kind.EUROS) for group in GROUPS),
        Column("En nature (valorisé, hors total)", Kind.EUROS),
        Column("Écart (coût − financement)", Kind.EUROS),
    ]
    rows = [
        [
            str(year),
            totals.known_cost,
            totals.expected,
            *(totals.by_group[group] for group in GROUPS),
            totals.in_kind,
            totals.gap,
        ]
        for year, totals in by_year.items()
    ]
    notes = [
        "Un écart positif est la part du coût qu'aucun financeur ne couvre ; négatif, "
        "le financement attendu dépasse le coût.",
        "Employeurs : ce que l'employeur du poste apporte sur ses fonds propres, quel que "
        "soit son type ; l'aide en nature (locaux, matériel) est comptée à part, à sa "
        "valeur déclarée.",
    ]
    for year, totals in by_year.items():
        if totals.posts_without_cost:
            notes.append(
                f"{year} : {_count(totals.posts_without_cost, 'poste')} sans coût renseigné, "
                "écart non calculé."
            )
        if totals.amounts_unknown:
            notes.append(
                f"{year} : {_count(totals.amounts_unknown, 'contribution')} dont le montant "
                "dépend d'un coût non renseigné, écart non calculé."
            )
        if totals.in_kind_unvalued:
            notes.append(
                f"{year} : {_count(totals.in_kind_unvalued, 'aide')} en nature sans valeur "
                "déclarée."
            )
    table = Table("financement-annees", "Coût et financement par année", columns, rows)
    table.notes = notes
    chart = Chart(
        "financement-annees-graphique",
        "Financement attendu par financeur",
        "stacked",
        [str(year) for year in by_year],
        [Series(group, [t.by_group[group] for t in by_year.values()]) for group in GROUPS],
        unit=Kind.EUROS,
    )
    return table, chart


def _shares_table(by_year: dict[int, Totals]) -> tuple[Table, Chart]:
    columns = [Column("Année", Kind.TEXT), *(Column(group, Kind.PERCENT) for group in GROUPS)]
    rows = [
        [str(year), *(totals.share(group) for group in GROUPS)] for year, totals in by_year.items()
    ]
    table = Table("financement-parts", "Parts des financeurs", columns, rows)
    table.notes.append("Part de chaque financeur dans le financement attendu en argent.")
    decreasing = decreasing_groups(by_year)
    first, last = next(iter(by_year)), list(by_year)[-1]
    if decreasing:
        table.notes.append(
            f"Part décroissante chaque année de {first} à {last} : {', '.join(decreasing)}."
        )
    else:
        table.notes.append(f"Aucune part décroissante chaque année de {first} à {last}.")
    chart = Chart(
        "financement-parts-graphique",
        "Parts des financeurs",
        "lines",
        [str(year) for year in by_year],
        [Series(group, [t.share(group) for t in by_year.values()]) for group in GROUPS],
        unit=Kind.PERCENT,
    )
    return table, chart


def decreasing_groups(by_year: dict[int, Totals]) -> list[str]:
    """The groups whose share fell from each year to the next over the years with money
    expected (two at least)."""
    found = []
    for group in GROUPS:
        shares = [t.share(group) for t in by_year.values() if t.expected]
        if len(shares) >= 2 and all(a > b for a, b in zip(shares, shares[1:], strict=False)):
            found.append(group)
    return found


def budget_line_label(amount: YearAmount) -> str:
    label = BudgetLine(amount.budget_line).label
    if amount.budget_line_label.strip():
        return f"{label} : {amount.budget_line_label.strip()}"
    return label


def _state_table(amounts: list[YearAmount], years: list[int]) -> Table:
    state = [a for a in amounts if a.nature == ContributionNature.MONEY and payer_group(a) == STATE]
    by_line = defaultdict(list)
    for amount in state:
        by_line[budget_line_label(amount)].append(amount)
    lines = sorted(by_line.items())
    if len(lines) > 1:
        lines.append(("Total État", state))
    rows = []
    for label, items in lines:
        for year in years:
            cells = [a for a in items if a.year == year]
            if not cells:
                continue
            rows.append(
                [
                    label,
                    str(year),
                    _sum(a.expected for a in cells),
                    _sum(a.expected for a in cells if a.committed),
                    _sum(a.paid for a in cells),
                    _sum(a.remaining for a in cells if a.is_late),
                    _sum(a.remaining for a in cells),
                ]
            )
    return Table(
        "financement-etat-lignes",
        "État : crédits par ligne budgétaire",
        [
            Column("Ligne budgétaire", Kind.TEXT),
            Column("Année", Kind.TEXT),
            Column("Programmé", Kind.EUROS),
            Column("Engagé", Kind.EUROS),
            Column("Versé", Kind.EUROS),
            Column("En retard", Kind.EUROS),
            Column("Reste à verser", Kind.EUROS),
        ],
        rows,
        notes=[
            "Programmé : ce que les conventions prévoient, signées ou non. L'application "
            "n'enregistre pas d'engagement comptable : « engagé » compte ce que prévoient "
            "les conventions signées par toutes leurs parties, qui engagent l'État.",
            "En retard : non versé après l'échéance de versement fixée par la convention.",
        ],
    )


def _departements_table(amounts: list[YearAmount], posts: list[PostYear], year: int) -> Table:
    amounts = [a for a in amounts if a.year == year]
    posts = [p for p in posts if p.year == year]
    codes = sorted({a.departement for a in amounts} | {p.departement for p in posts})
    rows = []
    for code in codes:
        totals = Totals.of(
            [a for a in amounts if a.departement == code],
            [p for p in posts if p.departement == code],
        )
        rows.append([code, totals.known_cost, totals.expected, totals.by_group[STATE], totals.gap])
    return Table(
        "financement-departements",
        f"Financement par département en {year}",
        [
            Column("Département", Kind.TEXT),
            Column("Coût des postes", Kind.EUROS),
            Column("Financement attendu (argent)", Kind.EUROS),
            Column(STATE, Kind.EUROS),
            Column("Écart (coût − financement)", Kind.EUROS),
        ],
        rows,
        links=[Area(code).url for code in codes],
        sortable=True,
    )


def _sum(values) -> Decimal:
    return sum((v for v in values if v is not None), ZERO)


def _count(number: int, noun: str) -> str:
    return f"{french_number(number, 0)} {noun}{'s' if number > 1 else ''}"
