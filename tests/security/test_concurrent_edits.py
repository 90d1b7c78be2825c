"""Two people edit the same thing: the second save is refused in French, keeps its input,
and the first person's values stay in the database. Nothing is overwritten silently."""

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from activity.models import QuarterReport
from activity.selectors import report_values
from conventions.funding.services import contribution_save
from conventions.models import Contribution, Convention
from partners.enums import Role
from tests.activity.factories import QuarterReportFactory, month_values
from tests.conventions.factories import ContributionFactory
from tests.conventions.test_convention_form import page_data
from tests.partners.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(two_departements):
    return two_departements["79"]


@pytest.fixture
def first(world):
    client = Client()
    client.force_login(world["users"][Role.LOCAL_AUTHORITY])
    return client


@pytest.fixture
def second(world):
    """A colleague of the first user, in the same commune, on another computer."""
    colleague = UserFactory(
        organisation=world["users"][Role.LOCAL_AUTHORITY].organisation,
        role=Role.LOCAL_AUTHORITY,
    )
    client = Client()
    client.force_login(colleague)
    return client


def form_values(response) -> dict:
    """What the browser sends back for a plain form as displayed."""
    form = response.context["form"]
    return {
        bound.html_name: "" if bound.value() is None else bound.value()
        for bound in form
        if bound.value() is not None or bound.field.required
    }


# The convention -----------------------------------------------------------------------------


def test_the_second_save_of_a_convention_is_refused_and_keeps_its_input(first, second, world):
    url = reverse("conventions:edit", args=[world["convention"].reference])
    mine, theirs = page_data(first.get(url)), page_data(second.get(url))
    mine["title"] = "Titre de la première personne"
    assert first.post(url, mine).status_code == 302

    theirs["title"] = "Titre de la seconde personne"
    response = second.post(url, theirs)
    content = response.content.decode()
    assert response.status_code == 200
    assert "Quelqu&#x27;un d&#x27;autre a enregistré cette convention pendant votre saisie" in (
        content
    )
    assert 'value="Titre de la seconde personne"' in content
    assert Convention.objects.get(pk=world["convention"].pk).title == (
        "Titre de la première personne"
    )


def test_a_convention_save_without_its_version_is_refused(first, world):
    url = reverse("conventions:edit", args=[world["convention"].reference])
    data = page_data(first.get(url))
    data.pop("version")
    data["title"] = "Sans version"
    assert first.post(url, data).status_code == 200
    assert Convention.objects.get(pk=world["convention"].pk).title != "Sans version"


# A contribution ------------------------------------------------------------------------------


@pytest.fixture
def contribution(world):
    commune = world["convention"].parties.get(organisation__name="Commune 79").organisation
    return ContributionFactory(
        convention=world["convention"], organisation=commune, amount=Decimal("5000")
    )


def test_the_second_save_of_a_contribution_is_refused_and_keeps_its_input(
    first, second, contribution
):
    url = reverse("conventions:contribution_update", args=[contribution.pk])
    mine, theirs = form_values(first.get(url)), form_values(second.get(url))
    mine["amount"] = "6 000"
    assert first.post(url, mine).status_code == 302

    theirs["amount"] = "4 500"
    response = second.post(url, theirs)
    content = response.content.decode()
    assert response.status_code == 200
    assert "Cette contribution a été modifiée par quelqu&#x27;un d&#x27;autre" in content
    assert 'value="4 500"' in content
    saved = Contribution.objects.get(pk=contribution.pk)
    assert (saved.amount, saved.version) == (Decimal("6000"), 2)


def test_the_contribution_service_refuses_an_edit_that_does_not_say_its_version(contribution):
    contribution.amount = Decimal("1")
    with pytest.raises(ValueError, match="expected_version"):
        contribution_save(contribution=contribution)
    assert Contribution.objects.get(pk=contribution.pk).amount == Decimal("5000")


# A quarter of statistics -----------------------------------------------------------------------


def test_the_second_save_of_a_quarter_is_refused_and_keeps_its_input(world):
    QuarterReportFactory(post=world["post"], filled=True, filled__persons=20)
    url = reverse("activity:quarter_entry", args=[world["post"].pk, 2025, 1])
    secretary, colleague = Client(), Client()
    secretary.force_login(world["users"][Role.DDSP_SECRETARIAT])
    colleague.force_login(
        UserFactory(organisation=world["post"].functional_authority, role=Role.DDSP_SECRETARIAT)
    )
    mine, theirs = form_values(secretary.get(url)), form_values(colleague.get(url))
    mine.update({f"m1_{code}": value for code, value in month_values(persons=21).items()})
    assert secretary.post(url, mine).status_code == 302

    theirs.update({f"m1_{code}": value for code, value in month_values(persons=25).items()})
    response = colleague.post(url, theirs)
    content = response.content.decode()
    assert response.status_code == 200
    assert "Ces chiffres ont été modifiés par quelqu&#x27;un d&#x27;autre" in content
    assert 'name="m1_personnes_rencontrees" value="25"' in content
    report = QuarterReport.objects.get()
    assert report_values(report)[1]["personnes_rencontrees"] == 21
