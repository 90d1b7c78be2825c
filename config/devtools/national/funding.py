"""Contributions and payments of the national dataset."""

import datetime
from decimal import Decimal

from config.devtools.national.common import CONVENTION_YEARS, SHARE_BY_YEAR, money
from conventions.enums import BudgetLine, ContributionRule
from conventions.models import Contribution, ContributionYearShare, Payment


class FundingMixin:
    # Funding ---------------------------------------------------------------------

    def write_funding(self):
        contributions, payments, shares = [], [], []
        for item in self.convention_plans:
            plan = item.plan
            dep = plan.departement
            years = range(item.start_year, item.start_year + CONVENTION_YEARS)
            common = {
                "convention": item.convention,
                "post": plan.post,
                "first_year": years[0],
                "last_year": years[-1],
            }
            # In a framework convention the État pays a share of each post's cost that
            # decreases year after year (80 %, 50 %, 30 %), as the IGA describes.
            framework = (item.framework or item).covered > 1
            state_rule = (
                {"rule": ContributionRule.SHARE_BY_YEAR}
                if framework
                else {"rule": ContributionRule.FIXED, "amount": item.state_amount}
            )
            specs = [
                Contribution(
                    organisation=dep.prefecture,
                    source="FIPDR",
                    budget_line=BudgetLine.FIPD,
                    **state_rule,
                    beneficiary=plan.employer,
                    payment_channel="subvention annuelle de l'État à l'employeur",
                    legal_basis_text="convention, article 6",
                    due_month=6,
                    due_day=30,
                    **common,
                )
            ]
            if item.local_amount:
                specs.append(
                    Contribution(
                        organisation=plan.local,
                        source="budget communal" if plan.local.kind == "commune" else "budget",
                        rule=ContributionRule.FIXED,
                        amount=item.local_amount,
                        beneficiary=plan.employer,
                        legal_basis=item.deliberation,
                        due_month=3,
                        due_day=31,
                        **common,
                    )
                )
            if item.with_council:
                specs.append(
                    Contribution(
                        organisation=dep.council,
                        source="budget départemental",
                        rule=ContributionRule.SHARE_CAPPED,
                        share_numerator=1,
                        share_denominator=3,
                        cap=Decimal("13000.00"),
                        legal_basis=dep.cd_deliberation,
                        due_month=9,
                        due_day=30,
                        **common,
                    )
                )
            specs.append(
                Contribution(
                    organisation=plan.employer,
                    source="fonds propres de l'employeur",
                    rule=ContributionRule.BALANCE,
                    legal_basis=item.deliberation if plan.employer == plan.local else None,
                    **common,
                )
            )
            contributions.extend(specs)
            if framework:
                shares.extend(
                    ContributionYearShare(contribution=specs[0], year=year, share=share)
                    for year, share in zip(years, SHARE_BY_YEAR, strict=True)
                )
            for year in years:
                if year > self.last_year:
                    continue
                cost = plan.costs[year].total
                expected = {}
                for contribution in specs:
                    if contribution.rule == ContributionRule.FIXED:
                        expected[id(contribution)] = contribution.amount
                    elif contribution.rule == ContributionRule.SHARE_BY_YEAR:
                        share = SHARE_BY_YEAR[year - years[0]]
                        expected[id(contribution)] = money(cost * share / 100)
                    elif contribution.rule == ContributionRule.SHARE_CAPPED:
                        expected[id(contribution)] = min(money(cost / 3), contribution.cap)
                others = sum(expected.values(), Decimal(0))
                for contribution in specs:
                    amount = expected.get(id(contribution), max(cost - others, Decimal(0)))
                    payments.extend(self.payments(contribution, year, amount))
        self.bulk(Contribution, contributions)
        self.bulk(ContributionYearShare, shares)
        self.bulk(Payment, payments)

    def payments(self, contribution, year: int, amount: Decimal) -> list[Payment]:
        if amount <= 0:
            return []
        due = (
            datetime.date(year, contribution.due_month, contribution.due_day)
            if contribution.due_month
            else datetime.date(year, 12, 15)
        )
        draw = self.rng.random()
        # Arrears are recent: older years were settled, but for a few.
        recent = year >= self.last_year - 2
        if year == self.last_year:
            if due > self.today and draw < 0.7:
                return []
            if draw < 0.15:
                return []
        elif draw < (0.03 if recent else 0.003):
            return []
        parts = [amount]
        if draw > 0.9:
            first = money(amount / 2)
            parts = [first, amount - first]
        elif draw > 0.86 and recent:
            parts = [money(amount * Decimal("0.6"))]
        payments = []
        for index, part in enumerate(parts):
            date = min(
                self.today,
                due
                - datetime.timedelta(days=self.rng.randint(0, 40))
                + datetime.timedelta(days=120 * index),
            )
            payments.append(
                Payment(
                    contribution=contribution,
                    year=year,
                    date=max(date, datetime.date(year, 1, 2)),
                    amount=part,
                    payer=contribution.organisation,
                    reference=f"Mandat n° {year}-{self.rng.randint(1000, 99999)}",
                )
            )
        return payments
