"""Renewals move the deadlines to the new period; a late termination is flagged."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from conventions.enums import RenewalMode, TermGovernedBy
from conventions.lifecycle.deadlines import convention_deadlines
from conventions.lifecycle.services import convention_terminate, renewal_record
from conventions.models import Convention
from partners.enums import Role
from tests.conventions.factories import ConventionFactory, PartyFactory
from tests.partners.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def ermont(db):
    """Signed on 1 March 2022 for three years, renewed by successive three-year periods."""
    convention = ConventionFactory(
        reference="ermont-2022",
        duration_years=3,
        renewal_mode=RenewalMode.SUCCESSIVE_PERIODS,
        renewal_period_years=3,
        term_governed_by=TermGovernedBy.DURATION,
    )
    PartyFactory(convention=convention, signed_on=D(2022, 2, 10), organisation__name="CA 95")
    PartyFactory(convention=convention, signed_on=D(2022, 3, 1), organisation__name="Préf 95")
    return convention


@pytest.fixture
def editor(ermont):
    commune = ermont.parties.get(organisation__name="CA 95").organisation
    return UserFactory(organisation=commune, role=Role.LOCAL_AUTHORITY)


def fresh(convention):
    return Convention.objects.get(pk=convention.pk)


def deadlines(convention, today):
    events = convention_deadlines(fresh(convention), today=today, horizon_days=4000)
    return {e.kind: e.date for e in events}


def test_a_renewal_gets_the_next_number(ermont):
    first = renewal_record(convention=ermont, start=D(2025, 3, 1), end=D(2028, 2, 29))
    second = renewal_record(convention=ermont, start=D(2028, 3, 1), end=D(2031, 2, 28))
    assert (first.number, second.number) == (1, 2)


def test_after_one_recorded_renewal_the_notice_deadline_is_the_new_periods(ermont):
    assert deadlines(ermont, D(2024, 6, 1))["notice"] == D(2024, 11, 28)
    renewal_record(
        convention=ermont, start=D(2025, 3, 1), end=D(2028, 2, 29), decided_on=D(2024, 12, 10)
    )
    events = deadlines(ermont, D(2025, 6, 1))
    assert events["expiry"] == D(2028, 2, 29)
    assert events["notice"] == D(2027, 11, 29)


def test_after_two_recorded_renewals_the_notice_deadline_is_the_third_periods(ermont):
    renewal_record(convention=ermont, start=D(2025, 3, 1), end=D(2028, 2, 29))
    renewal_record(convention=ermont, start=D(2028, 3, 1), end=D(2031, 2, 28))
    events = deadlines(ermont, D(2029, 1, 1))
    assert events["expiry"] == D(2031, 2, 28)
    assert events["notice"] == D(2030, 11, 28)


def test_a_renewal_cannot_overlap_the_current_period(ermont):
    with pytest.raises(ValidationError) as error:
        renewal_record(convention=ermont, start=D(2025, 1, 1), end=D(2027, 12, 31))
    assert error.value.message_dict["start"] == [
        "La nouvelle période doit commencer après la fin de la période n° 1 (le 28 février "
        "2025), par exemple le 1er mars 2025."
    ]


def test_an_unsigned_convention_cannot_be_renewed(db):
    convention = ConventionFactory()
    PartyFactory(convention=convention, signed_on=None)
    with pytest.raises(ValidationError, match="toutes les parties n'ont pas signé"):
        renewal_record(convention=convention, start=D(2025, 1, 1), end=D(2027, 12, 31))


def test_a_terminated_convention_cannot_be_renewed(ermont):
    ermont.terminated_on = D(2025, 2, 28)
    ermont.save()
    with pytest.raises(ValidationError, match="ne peut plus être reconduite"):
        renewal_record(convention=ermont, start=D(2025, 3, 1), end=D(2028, 2, 29))


def renewal_url(convention):
    return reverse("conventions:renewal_create", args=[convention.reference])


def test_the_renewal_form_suggests_the_next_period_from_the_convention(client, ermont, editor):
    renewal_record(convention=ermont, start=D(2025, 3, 1), end=D(2028, 2, 29))
    client.force_login(editor)
    form = client.get(renewal_url(ermont)).context["form"]
    assert form["start"].value() == D(2028, 3, 1)
    assert form["end"].value() == D(2031, 2, 28)


def test_the_renewal_form_uses_the_duration_when_no_renewal_period_is_written(client, editor):
    convention = editor.organisation.parties.get().convention
    convention.renewal_mode = RenewalMode.CONCERTATION
    convention.renewal_period_years = None
    convention.duration_years = 2
    convention.save()
    client.force_login(editor)
    form = client.get(renewal_url(convention)).context["form"]
    assert (form["start"].value(), form["end"].value()) == (D(2024, 3, 1), D(2026, 2, 28))


def test_an_editor_records_a_renewal_and_is_told_the_new_notice_deadline(client, ermont, editor):
    client.force_login(editor)
    response = client.post(
        renewal_url(ermont),
        {"start": "2025-03-01", "end": "2028-02-29", "decided_on": "2024-12-10", "note": ""},
        follow=True,
    )
    assert "Dernier jour pour la dénoncer : 29 novembre 2027" in response.content.decode()
    assert fresh(ermont).renewals.get().decided_on == D(2024, 12, 10)


def test_the_renewal_form_shows_the_overlap_error_next_to_the_start(client, ermont, editor):
    client.force_login(editor)
    response = client.post(renewal_url(ermont), {"start": "2025-01-01", "end": "2027-12-31"})
    assert (
        "doit commencer après la fin de la période n° 1"
        in (response.context["form"].errors["start"][0])
    )


def test_a_read_only_partner_may_not_record_a_renewal(client, ermont):
    reader = UserFactory(
        organisation=ermont.parties.get(organisation__name="Préf 95").organisation,
        role=Role.READ_ONLY_PARTNER,
    )
    client.force_login(reader)
    assert client.get(renewal_url(ermont)).status_code == 403
    assert client.get(terminate_url(ermont)).status_code == 403


def test_renewal_and_termination_are_not_found_out_of_scope(client, ermont):
    client.force_login(UserFactory(role=Role.LOCAL_AUTHORITY))
    assert client.get(renewal_url(ermont)).status_code == 404
    assert client.get(terminate_url(ermont)).status_code == 404


# Termination ---------------------------------------------------------------------


def terminate_url(convention):
    return reverse("conventions:terminate", args=[convention.reference])


def party(convention, name):
    return convention.parties.get(organisation__name=name).organisation


def test_a_termination_on_time_has_no_warning(ermont):
    result = convention_terminate(
        convention=ermont,
        letter_date=D(2024, 11, 28),
        terminated_by=party(ermont, "CA 95"),
        end_date=D(2025, 2, 28),
    )
    assert not result.is_late
    ermont = fresh(ermont)
    assert ermont.terminated_on == D(2025, 2, 28)
    assert ermont.terminated_by.name == "CA 95"
    assert ermont.termination_letter_date == D(2024, 11, 28)


def test_a_late_letter_is_not_a_notice_at_expiry_but_may_be_an_early_termination(ermont):
    arguments = {
        "convention": ermont,
        "letter_date": D(2024, 12, 15),
        "terminated_by": party(ermont, "CA 95"),
        "end_date": D(2025, 2, 28),
    }
    with pytest.raises(ValidationError) as refused:
        convention_terminate(**arguments)
    assert refused.value.message_dict["termination_kind"] == [
        "La clause de dénonciation permet de mettre fin à la convention à l'échéance du "
        "28/02/2025, par lettre recommandée avec accusé de réception envoyée au plus tard le "
        "28/11/2024 (3 mois avant l'échéance). Ici, la lettre du 15/12/2024 est envoyée après "
        "le délai : ce n'est pas une dénonciation à l'échéance. Choisissez « Résiliation d'un "
        "commun accord » ou « Résiliation anticipée »."
    ]
    assert fresh(ermont).terminated_on is None

    convention_terminate(**arguments, termination_kind="early")
    assert fresh(ermont).terminated_on == D(2025, 2, 28)
    assert fresh(ermont).termination_kind == "early"


def test_the_notice_deadline_of_a_termination_is_the_one_of_the_renewed_period(ermont):
    renewal_record(convention=ermont, start=D(2025, 3, 1), end=D(2028, 2, 29))
    result = convention_terminate(
        convention=ermont,
        letter_date=D(2027, 10, 1),
        terminated_by=party(ermont, "Préf 95"),
        end_date=D(2028, 2, 29),
    )
    assert not result.is_late


def test_a_late_termination_is_recorded_as_the_kind_chosen_and_shown_on_the_convention(
    client, ermont, editor
):
    client.force_login(editor)
    response = client.post(
        terminate_url(ermont),
        {
            "letter_date": "2024-12-15",
            "terminated_by": party(ermont, "CA 95").pk,
            "end_date": "2025-02-28",
            "termination_kind": "agreement",
        },
        follow=True,
    )
    content = response.content.decode()
    assert "Résiliation d&#x27;un commun accord à l'initiative de CA 95 par lettre" in content
    assert "le préavis n&#x27;est pas respecté" not in content


def test_only_a_party_may_terminate(client, ermont, editor):
    outsider = OrganisationFactory(name="Tiers")
    client.force_login(editor)
    response = client.post(
        terminate_url(ermont),
        {"letter_date": "2024-11-01", "terminated_by": outsider.pk, "end_date": "2025-02-28"},
    )
    assert "terminated_by" in response.context["form"].errors
    assert fresh(ermont).terminated_on is None


def test_it_rejects_an_end_before_the_letter(client, ermont, editor):
    client.force_login(editor)
    response = client.post(
        terminate_url(ermont),
        {
            "letter_date": "2024-11-01",
            "terminated_by": party(ermont, "CA 95").pk,
            "end_date": "2024-10-01",
        },
    )
    assert response.context["form"].errors["end_date"] == [
        "La fin de la convention ne peut précéder la lettre de dénonciation."
    ]
    assert fresh(ermont).terminated_on is None


def test_sql_finds_every_convention_whose_current_period_ends_in_a_window(db):
    """``may_end_between`` may keep too many conventions, never too few."""
    signed = [datetime.date(2023, 1, 15), datetime.date(2024, 2, 29), datetime.date(2025, 6, 30)]
    for day in signed:
        for kwargs in (
            {"duration_years": 3},
            {"duration_years": 1},
            {"duration_years": 3, "end_date": datetime.date(2027, 3, 31)},
            {
                "duration_years": 3,
                "end_date": datetime.date(2026, 12, 31),
                "term_governed_by": TermGovernedBy.DURATION,
            },
            {"start_rule": "date", "stated_start_date": day, "duration_years": 2},
            {"renewal_mode": RenewalMode.TACIT, "renewal_period_years": 1, "duration_years": 1},
        ):
            convention = ConventionFactory(**kwargs)
            PartyFactory(convention=convention, signed_on=day)
    renewed = ConventionFactory(duration_years=1)
    PartyFactory(convention=renewed, signed_on=datetime.date(2022, 5, 1))
    renewal_record(
        convention=renewed,
        start=datetime.date(2023, 5, 1),
        end=datetime.date(2027, 1, 31),
    )
    checked = 0
    for first in (
        datetime.date(2026, 1, 1),
        datetime.date(2026, 11, 22),
        datetime.date(2027, 6, 1),
    ):
        last = first + datetime.timedelta(days=183)
        found = set(Convention.objects.may_end_between(first, last).values_list("pk", flat=True))
        for convention in Convention.objects.for_list():
            end = convention.current_end_date(first)
            if end and first <= end <= last:
                checked += 1
                assert convention.pk in found, (convention.reference, end)
        assert len(found) < Convention.objects.count()  # it does narrow
    assert checked >= 8
