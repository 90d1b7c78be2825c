import datetime
import io

import pytest
from django.core.management import call_command

from conventions.models import Convention

pytestmark = pytest.mark.django_db
D = datetime.date


def test_the_demo_renews_ermont_once_for_three_years_after_its_initial_period():
    call_command("load_demo", stdout=io.StringIO())
    call_command("load_demo", stdout=io.StringIO())
    ermont = Convention.objects.get(reference="ermont-2022")
    renewal = ermont.renewals.get()
    assert renewal.number == 1
    assert renewal.start == ermont.initial_end_date + datetime.timedelta(days=1)
    assert (renewal.start, renewal.end, renewal.decided_on) == (
        D(2025, 3, 1),
        D(2028, 2, 29),
        D(2024, 12, 10),
    )
    assert ermont.notice_deadline(D(2026, 1, 1)) == D(2027, 11, 29)
