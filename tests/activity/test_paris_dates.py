"""Dates and times shown to users are those of Europe/Paris, not the UTC stored ones."""

import datetime

import pytest
from django.urls import reverse

from config.core.formats import french_date
from config.core.spreadsheets import csv_value
from partners.enums import Role
from tests.activity.factories import QuarterReportFactory

pytestmark = pytest.mark.django_db

# 00:16 on 6 December 2026 in Paris (UTC+1) is 23:16 on 5 December in UTC.
PARIS_AFTER_MIDNIGHT = datetime.datetime(2026, 12, 5, 23, 16, tzinfo=datetime.UTC)


def test_it_gives_the_paris_day_of_a_time_stored_in_utc():
    assert french_date(PARIS_AFTER_MIDNIGHT) == "6 décembre 2026"


def test_it_writes_the_paris_day_and_time_in_a_csv_export():
    assert csv_value(PARIS_AFTER_MIDNIGHT) == "06/12/2026 00:16"


def test_it_says_a_quarter_transmitted_at_00_16_on_6_december_was_transmitted_on_6_december(
    client, two_departements
):
    world = two_departements["79"]
    QuarterReportFactory(
        post=world["post"],
        year=2026,
        quarter=3,
        submitted=True,
        submitted_at=PARIS_AFTER_MIDNIGHT,
        first_submitted_at=PARIS_AFTER_MIDNIGHT,
    )
    client.force_login(world["users"][Role.DDSP_SECRETARIAT])
    response = client.get(reverse("activity:quarter_entry", args=[world["post"].pk, 2026, 3]))
    assert response.status_code == 200
    content = response.content.decode()
    assert "transmis le 6 décembre 2026" in content
    assert "5 décembre 2026" not in content
