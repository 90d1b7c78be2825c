"""Demo: the Ermont convention renewed once, as the issue asks for an example,
and the Niort convention followed by a new one.

The Ermont renewal starts the day after the initial period and lasts the three
years of article 9 ("renouvelée par périodes successives de trois ans").

Niort's convention ended on 31 December 2023 and its article 12 asks for a
concertation on what follows: the demo records a new convention "niort-2024"
(same parties and texts, signed in January 2024, written end 31 December
2026), so that Niort's pages show a convention in force and live deadlines.
Its signature dates are demo values.
"""

import datetime

from config.core.dates import term_end
from conventions.agreements.services import convention_renew
from conventions.lifecycle.rules import ONE_DAY
from conventions.models import Convention, Renewal

NIORT_RENEWAL_SIGNED_ON = [
    datetime.date(2024, 1, 8),
    datetime.date(2024, 1, 10),
    datetime.date(2024, 1, 12),
    datetime.date(2024, 1, 15),
]

ERMONT_RENEWAL_DECIDED_ON = datetime.date(2024, 12, 10)


def load():
    load_ermont_renewal()
    load_niort_renewal()


def load_ermont_renewal():
    ermont = Convention.objects.get(reference="ermont-2022")
    start = ermont.initial_end_date + ONE_DAY
    Renewal.objects.update_or_create(
        convention=ermont,
        number=1,
        defaults={
            "start": start,
            "end": term_end(start, ermont.renewal_period_years),
            "decided_on": ERMONT_RENEWAL_DECIDED_ON,
            "note": "Reconduction après concertation des parties (exemple de démonstration).",
        },
    )


def load_niort_renewal():
    niort = Convention.objects.get(reference="niort-2021")
    renewal = Convention.objects.filter(renews=niort).first()
    if renewal is None:
        renewal = convention_renew(convention=niort, user=None, today=datetime.date(2023, 11, 6))
    for party, signed_on in zip(
        renewal.parties.order_by("order"), NIORT_RENEWAL_SIGNED_ON, strict=False
    ):
        if party.signed_on != signed_on:
            party.signed_on = signed_on
            party.save(update_fields=["signed_on"])
    return renewal
