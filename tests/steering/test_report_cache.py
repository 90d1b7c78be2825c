"""The steering report is kept ten minutes (config.steering.report): what a reader is
told on the page, and what computes it again at once."""

import datetime

import pytest
from django.core.cache import cache
from django.urls import reverse

from config.steering.area import Area
from config.steering.report import cached_document, cached_steering_report
from config.steering.targets import targets_save
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
