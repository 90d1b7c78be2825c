"""The annual bilan PDF is laid out once for a given content and served from the storage
afterwards (config.jobs.renderings); a change of what it shows lays it out again."""

import pytest
from django.urls import reverse

from activity.models import MonthlyValue
from activity.tasks import lay_out_bilan
from config.jobs.models import Rendering
from partners.enums import Role
from tests.activity.factories import QuarterReportFactory
from tests.activity.test_pdf import pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def niort(two_departements, client):
    world = two_departements["79"]
    QuarterReportFactory(post=world["post"], year=2025, quarter=1, filled=True, validated=True)
    client.force_login(world["users"][Role.DDSP_SECRETARIAT])
    return world


def bilan_pdf(client, world) -> bytes:
    response = client.get(reverse("activity:bilan_pdf", args=[world["post"].pk, 2025]))
    assert response.status_code == 200
    return response.content


def test_the_same_bilan_asked_twice_is_laid_out_once(client, niort):
    first = bilan_pdf(client, niort)
    (rendering,) = Rendering.objects.all()
    assert rendering.file.read() == first

    assert bilan_pdf(client, niort) == first
    assert Rendering.objects.count() == 1


def test_a_value_changed_lays_the_bilan_out_again(client, niort):
    before = pdf_text(bilan_pdf(client, niort))
    value = MonthlyValue.objects.filter(record__report__post=niort["post"]).earliest("pk")
    value.value += 7
    value.save()

    after = pdf_text(bilan_pdf(client, niort))

    assert Rendering.objects.count() == 2
    assert after != before  # never the stale document


def test_a_lost_file_is_laid_out_again(client, niort):
    first = bilan_pdf(client, niort)
    rendering = Rendering.objects.get()
    rendering.file.storage.delete(rendering.file.name)

    assert pdf_text(bilan_pdf(client, niort)) == pdf_text(first)
    assert Rendering.objects.get().pk != rendering.pk


def test_the_task_lays_out_what_the_readers_will_ask_for(client, niort, two_departements):
    lay_out_bilan.delay(niort["post"].pk, 2025)
    laid_out = Rendering.objects.count()
    assert laid_out >= 1

    bilan_pdf(client, niort)  # the secretariat reads every figure
    client.force_login(two_departements["79"]["users"][Role.LOCAL_AUTHORITY])
    bilan_pdf(client, niort)  # the commune, the validated ones

    assert Rendering.objects.count() == laid_out  # nothing laid out at reading time
