"""Demo: the Ermont convention renewed once, as the issue asks for an example.

The renewal starts the day after the initial period and lasts the three years
of article 9 ("renouvelée par périodes successives de trois ans").
"""

import datetime

from ..dates import add_years
from ..lifecycle import ONE_DAY
from ..models import Convention, Renewal

ERMONT_RENEWAL_DECIDED_ON = datetime.date(2024, 12, 10)


def load():
    ermont = Convention.objects.get(reference="ermont-2022")
    start = ermont.initial_end_date + ONE_DAY
    Renewal.objects.update_or_create(
        convention=ermont,
        number=1,
        defaults={
            "start": start,
            "end": add_years(start, ermont.renewal_period_years) - ONE_DAY,
            "decided_on": ERMONT_RENEWAL_DECIDED_ON,
            "note": "Reconduction après concertation des parties (exemple de démonstration).",
        },
    )
