"""The steering report is kept ten minutes (config.steering.report): what a reader is
told on the page, and what computes it again at once."""

import datetime
import os
import subprocess
import sys
import uuid

import pytest
import redis
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from config.steering.area import Area
from config.steering.report import cached_document, cached_steering_report
from config.steering.targets import targets_save
from config.steering.tasks import refresh_reports
from tests.conventions.factories import PostFactory
from tests.partners.factories import UserFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 3, 5)


def posts_of(report, code):
    table = next(t for t in report.parts[0].tables if t.id == "couverture-departements")
    index = [c.label for c in table.columns].index("Postes")
    return next(row[index] for row in table.rows if row[0] == code)


def test_a_report_computed_less_than_ten_minutes_ago_is_served_again():
    PostFactory(departement="79")
    first = cached_steering_report(Area(), year=2026, today=TODAY)
    PostFactory(departement="79")

    again = cached_steering_report(Area(), year=2026, today=TODAY)

    assert again.computed_at == first.computed_at
    assert posts_of(again, "79") == 1


def test_the_report_is_computed_again_once_the_ten_minutes_have_passed():
    PostFactory(departement="79")
    cached_steering_report(Area(), year=2026, today=TODAY)
    PostFactory(departement="79")
    cache.clear()  # what the cache does when the ten minutes are over

    assert posts_of(cached_steering_report(Area(), year=2026, today=TODAY), "79") == 2


def test_a_change_of_coverage_targets_computes_the_report_again_at_once():
    admin = UserFactory(admin=True)
    PostFactory(departement="79")
    cached_steering_report(Area(), year=2026, today=TODAY)
    PostFactory(departement="79")

    targets_save(
        posts_per_departement=3,
        national_total=None,
        departements={},
        expected_version=0,
        user=admin,
    )

    assert posts_of(cached_steering_report(Area(), year=2026, today=TODAY), "79") == 2


def test_each_departement_and_year_has_its_own_report():
    PostFactory(departement="79")
    cached_steering_report(Area(), year=2026, today=TODAY)

    assert cached_steering_report(Area("79"), year=2026, today=TODAY).area == Area("79")
    assert cached_steering_report(Area(), year=2025, today=TODAY).year == 2025


def test_the_page_says_when_its_figures_were_computed(client):
    client.force_login(UserFactory(admin=True))

    page = client.get(reverse("steering:national")).content.decode()

    assert "Chiffres calculés le" in page
    assert "recalculés toutes les dix minutes" in page
    assert reverse("steering:targets") in page


def test_a_report_s_pdf_is_rendered_once_for_each_computation_of_the_report():
    PostFactory(departement="79")
    report = cached_steering_report(Area(), year=2026, today=TODAY)
    rendered = []

    def render(report):
        rendered.append(report.computed_at)
        return b"%PDF-1.7"

    assert cached_document(report, "pdf", render) == b"%PDF-1.7"
    assert cached_document(report, "pdf", render) == b"%PDF-1.7"
    cache.clear()
    newer = cached_steering_report(Area(), year=2026, today=TODAY)
    cached_document(newer, "pdf", render)

    assert rendered == [report.computed_at, newer.computed_at]


def test_the_periodic_task_puts_fresh_reports_in_place_of_the_cached_ones():
    today = timezone.localdate()
    PostFactory(departement="79")
    cached_steering_report(Area(), year=today.year, today=today)
    PostFactory(departement="79")

    assert refresh_reports.delay().result == 2  # the country and the 79

    national = cached_steering_report(Area(), year=today.year, today=today)
    assert posts_of(national, "79") == 2  # read from the cache, as the task left it
    departement = cache.get(f"steering-report:79:{today.year}:{today.isoformat()}:0")
    assert departement is not None and departement.area == Area("79")


def test_a_cache_given_by_cache_url_is_shared_by_the_processes_of_every_server():
    """CACHE_URL (README « Configuration »): what one server keeps, another reads."""
    url = "redis://127.0.0.1:6379/14"
    try:
        redis.Redis.from_url(url).ping()
    except redis.ConnectionError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    key = f"shared-{uuid.uuid4().hex}"

    def run(code):
        env = {
            **os.environ,
            "CACHE_URL": url,
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DEBUG": "true",
        }
        script = f"import django; django.setup(); from django.core.cache import cache; {code}"
        return subprocess.run(
            [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True
        ).stdout

    run(f"cache.set({key!r}, 'calculé par le serveur 1', 60)")
    assert run(f"print(cache.get({key!r}))").strip() == "calculé par le serveur 1"
