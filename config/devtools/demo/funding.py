"""Funding of the two seed conventions (article 6 of Niort, article 7 of Ermont).

From the seeds: Niort's État 25 350 €/year (FIPDR) and Ville 5 000 €/year paid
through the yearly subsidy to France Victimes 79; Ermont's État 13 000 €/year,
the Département at most one third of the post cost capped at 13 000 €
(deliberation 3-15 of 15 November 2010), Val Parisis paying salaries and
charges, that is the balance.

Demo values, not in the seeds:
- Niort's contributions are full years 2021–2023. The convention takes effect
  on 12 October 2021 (the last demo signature), but article 6 speaks of an
  "annual participation" and of the Ville's yearly subsidy to an association
  that already carried the post, and states no pro-rata: so none here.
- No due date: neither seed states one (Niort's article 6 says "annual", Ermont's
  article 7 too), and a date the convention does not state must not make a
  payment "en retard" nor raise the suspensive clause of article 12. The unpaid
  part of 2023 is "à verser", not late.
- Payments, dates and mandate numbers.
- Ermont's post cost, marked "montant de démonstration" on the page: 2022 is a
  partial year (holder from 1 April) at 36 000 €, whose third (12 000 €) stays
  under the cap; 2023 and 2024 (46 500 €, 48 000 €) hit it. Ermont's budget
  years are 2022–2024, three annual participations for the three years from
  March 2022; 2025 belongs to the renewal.
"""

import datetime
from decimal import Decimal

from config.devtools.demo.partners import organisation
from conventions.enums import BudgetLine, ContributionRule
from conventions.models import Contribution, Convention, Deliberation, Payment, PostCost

DEMO_NOTE = "montant de démonstration"


def contribution(convention, org_key, **fields):
    # Reloading the demo over an older one clears the due date it used to invent.
    fields.setdefault("due_month", None)
    fields.setdefault("due_day", None)
    # The demo conventions are simple ones: each contribution funds their one post.
    fields.setdefault("post", convention.single_post)
    item, _ = Contribution.objects.update_or_create(
        convention=convention,
        organisation=organisation(org_key),
        first_year=fields.pop("first_year"),
        defaults=fields,
    )
    return item


def payment(contribution, year, date, amount, reference, payer=None):
    Payment.objects.update_or_create(
        contribution=contribution,
        year=year,
        reference=reference,
        defaults={
            "date": date,
            "amount": Decimal(amount),
            "payer": payer or contribution.organisation,
        },
    )


def load_niort():
    convention = Convention.objects.get(reference="niort-2021")
    employer = organisation("fv79")
    state = contribution(
        convention,
        "prefecture79",
        first_year=2021,
        last_year=2023,
        source="FIPDR",
        budget_line=BudgetLine.FIPD,
        rule=ContributionRule.FIXED,
        amount=Decimal("25350"),
        payment_channel="participation annuelle de l'État",
        legal_basis_text="convention, article 6",
        beneficiary=employer,
    )
    city = contribution(
        convention,
        "niort",
        first_year=2021,
        last_year=2023,
        source="budget communal",
        rule=ContributionRule.FIXED,
        amount=Decimal("5000"),
        payment_channel="via les subventions versées annuellement à France Victimes 79",
        legal_basis=Deliberation.objects.get(
            organisation=organisation("niort"), number="D-2021-313"
        ),
        legal_basis_text="délibération D-2021-313 du 20 septembre 2021",
        beneficiary=employer,
    )
    payment(state, 2021, datetime.date(2021, 12, 14), "25350", "mandat 2021-004512")
    payment(city, 2021, datetime.date(2021, 11, 30), "5000", "mandat 2021-11873")
    payment(state, 2022, datetime.date(2022, 6, 21), "25350", "mandat 2022-002207")
    payment(city, 2022, datetime.date(2022, 5, 17), "5000", "mandat 2022-05120")
    # 2023: half of the State's share, nothing from the city: still to pay.
    payment(state, 2023, datetime.date(2023, 6, 20), "12675", "mandat 2023-001988")


def load_niort_renewal():
    """The 2024–2026 convention (see demo/lifecycle.py): the same two contributions;
    2024 and 2025 paid, in 2026 the State has paid and the city not yet."""
    convention = Convention.objects.filter(reference="niort-2024").first()
    if convention is None:
        return
    employer = organisation("fv79")
    common = {"first_year": 2024, "last_year": 2026, "rule": ContributionRule.FIXED}
    state = contribution(
        convention,
        "prefecture79",
        source="FIPDR",
        budget_line=BudgetLine.FIPD,
        amount=Decimal("25350"),
        payment_channel="participation annuelle de l'État",
        legal_basis_text="convention, article 6",
        beneficiary=employer,
        **common,
    )
    city = contribution(
        convention,
        "niort",
        source="budget communal",
        amount=Decimal("5000"),
        payment_channel="via les subventions versées annuellement à France Victimes 79",
        beneficiary=employer,
        **common,
    )
    payment(state, 2024, datetime.date(2024, 6, 18), "25350", "mandat 2024-002114")
    payment(city, 2024, datetime.date(2024, 5, 21), "5000", "mandat 2024-05233")
    payment(state, 2025, datetime.date(2025, 6, 12), "25350", "mandat 2025-001876")
    payment(city, 2025, datetime.date(2025, 6, 3), "5000", "mandat 2025-05871")
    payment(state, 2026, datetime.date(2026, 6, 16), "25350", "mandat 2026-001932")


def load_ermont():
    convention = Convention.objects.get(reference="ermont-2022")
    costs = {
        2022: ("36000", "24000", "10500", "1500"),
        2023: ("46500", "31000", "13500", "2000"),
        2024: ("48000", "32000", "14000", "2000"),
    }
    for year, (total, salary, charges, operating) in costs.items():
        PostCost.objects.update_or_create(
            post=convention.single_post,
            year=year,
            defaults={
                "total": Decimal(total),
                "salary": Decimal(salary),
                "charges": Decimal(charges),
                "operating": Decimal(operating),
                "note": DEMO_NOTE,
            },
        )
    employer = organisation("valparisis")
    state = contribution(
        convention,
        "prefecture95",
        first_year=2022,
        last_year=2024,
        source="FIPDR",
        budget_line=BudgetLine.FIPD,
        rule=ContributionRule.FIXED,
        amount=Decimal("13000"),
        payment_channel="participation annuelle de l'État",
        legal_basis_text="convention, article 7",
        beneficiary=employer,
    )
    departement = contribution(
        convention,
        "cd95",
        first_year=2022,
        last_year=2024,
        source="budget départemental",
        rule=ContributionRule.SHARE_CAPPED,
        share_numerator=1,
        share_denominator=3,
        cap=Decimal("13000"),
        payment_channel="subvention annuelle à la Communauté d'Agglomération Val Parisis",
        legal_basis=Deliberation.objects.get(organisation=organisation("cd95"), number="3-15"),
        legal_basis_text="délibération 3-15 du 15 novembre 2010",
        beneficiary=employer,
    )
    balance = contribution(
        convention,
        "valparisis",
        first_year=2022,
        last_year=2024,
        source="budget communautaire",
        rule=ContributionRule.BALANCE,
        payment_channel="paiement direct des salaires et charges (employeur)",
        legal_basis_text="convention, article 7",
        beneficiary=employer,
    )
    payment(state, 2022, datetime.date(2022, 7, 5), "13000", "mandat 2022-95-0311")
    payment(departement, 2022, datetime.date(2022, 9, 12), "12000", "mandat CD95-2022-7781")
    payment(balance, 2022, datetime.date(2022, 12, 31), "11000", "salaires et charges 2022")
    payment(state, 2023, datetime.date(2023, 7, 4), "13000", "mandat 2023-95-0290")
    payment(departement, 2023, datetime.date(2023, 9, 8), "13000", "mandat CD95-2023-6904")
    payment(balance, 2023, datetime.date(2023, 12, 29), "20500", "salaires et charges 2023")
    payment(state, 2024, datetime.date(2024, 7, 2), "13000", "mandat 2024-95-0275")


def load():
    load_niort()
    load_niort_renewal()
    load_ermont()
