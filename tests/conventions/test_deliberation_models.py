"""What the database holds about deliberations, who sees them, and the demo."""

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.urls import reverse

from conventions.access import scope_for
from conventions.deliberations.services import parse_member_names
from conventions.enums import AttendanceStatus, ConventionStatus, DeliberationResult
from conventions.models import Attendance, Convention, Deliberation
from partners.enums import Role
from partners.models import User
from tests.conventions.factories import (
    ConventionFactory,
    CouncilMemberFactory,
    DeliberationFactory,
    sitting,
)
from tests.partners.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_database_refuses_a_proxy_date_on_a_member_who_gave_no_proxy():
    deliberation = DeliberationFactory()
    member = CouncilMemberFactory(council=deliberation.council)
    with pytest.raises(IntegrityError), transaction.atomic():
        Attendance.objects.create(
            deliberation=deliberation,
            member=member,
            status=AttendanceStatus.PRESENT,
            proxy_given_on=deliberation.session_date,
        )


def test_the_database_refuses_blank_ballots_in_a_public_vote():
    deliberation = DeliberationFactory(secret_ballot=False)
    with pytest.raises(IntegrityError), transaction.atomic():
        Deliberation.objects.filter(pk=deliberation.pk).update(blank_ballots=2)


def test_a_represented_member_without_holder_is_refused_in_french():
    deliberation = DeliberationFactory()
    member = CouncilMemberFactory(council=deliberation.council)
    attendance = Attendance(
        deliberation=deliberation, member=member, status=AttendanceStatus.REPRESENTED
    )
    with pytest.raises(ValidationError, match="a donné pouvoir à un autre membre"):
        attendance.full_clean()


def test_a_transmission_before_the_session_is_refused_in_french():
    deliberation = DeliberationFactory.build(
        council=DeliberationFactory().council, transmitted_on=datetime.date(2024, 3, 1)
    )
    with pytest.raises(ValidationError, match="ne peut pas précéder la séance"):
        deliberation.full_clean()


def test_a_session_outside_the_council_term_is_refused():
    deliberation = DeliberationFactory.build(
        council=DeliberationFactory().council, session_date=datetime.date(2027, 1, 10)
    )
    with pytest.raises(ValidationError, match="mandat de ce conseil"):
        deliberation.full_clean()


def test_an_adopted_deliberation_makes_an_unsigned_convention_approved():
    convention = ConventionFactory()
    on = datetime.date(2024, 6, 1)
    assert Convention.objects.for_list().get(pk=convention.pk).status(on) == (
        ConventionStatus.DRAFT
    )
    DeliberationFactory(conventions=[convention], result=DeliberationResult.REJECTED)
    assert Convention.objects.for_list().get(pk=convention.pk).status(on) == (
        ConventionStatus.DRAFT
    )
    adopted = DeliberationFactory(conventions=[convention], result=DeliberationResult.ADOPTED)
    convention = Convention.objects.for_detail().get(pk=convention.pk)
    assert convention.status(on) == ConventionStatus.APPROVED
    assert convention.approval_date() == adopted.session_date


def test_the_excused_count_comes_from_the_attendance():
    deliberation = DeliberationFactory()
    sitting(deliberation, present=10, represented=2, excused=3, absent=1)
    deliberation = Deliberation.objects.for_detail(Convention.objects.all()).get(pk=deliberation.pk)
    assert len(deliberation.excused_members) == 3
    assert len(deliberation.absent_members) == 1


# Scope --------------------------------------------------------------------------------


def test_a_deliberation_of_its_own_organisation_is_seen_without_any_convention():
    deliberation = DeliberationFactory()
    own = UserFactory(organisation=deliberation.organisation, role=Role.LOCAL_AUTHORITY)
    other = UserFactory(role=Role.LOCAL_AUTHORITY)
    assert list(scope_for(own).deliberations()) == [deliberation]
    assert list(scope_for(other).deliberations()) == []


def test_a_user_without_role_sees_no_deliberation():
    deliberation = DeliberationFactory()
    # The database refuses such an account (a role unless superuser): the scope does not
    # count on it.
    user = UserFactory.build(organisation=deliberation.organisation, role="")
    assert list(scope_for(user).deliberations()) == []


def test_a_cited_deliberation_may_be_edited_by_a_local_authority_party_to_the_convention(
    two_departements,
):
    convention = two_departements["95"]["convention"]
    cited = DeliberationFactory(reference=True, conventions=[convention])
    cited = Deliberation.objects.for_detail(Convention.objects.all()).get(pk=cited.pk)
    local = scope_for(two_departements["95"]["users"][Role.LOCAL_AUTHORITY])
    reader = scope_for(two_departements["95"]["users"][Role.READ_ONLY_PARTNER])
    assert cited in local.deliberations() and local.can_edit_deliberation(cited)
    assert cited in reader.deliberations() and not reader.can_edit_deliberation(cited)


def test_an_employer_coordinator_sees_in_the_admin_only_deliberations_in_scope(
    client, two_departements
):
    mine = DeliberationFactory(conventions=[two_departements["79"]["convention"]])
    theirs = DeliberationFactory(conventions=[two_departements["95"]["convention"]])
    client.force_login(two_departements["79"]["users"][Role.EMPLOYER_COORDINATION])
    content = client.get(reverse("admin:conventions_deliberation_changelist")).content.decode()
    assert mine.number in content and theirs.number not in content
    change = reverse("admin:conventions_deliberation_change", args=[theirs.pk])
    assert client.get(change).status_code in (302, 404)


# Roster parsing and demo ------------------------------------------------------------------


def test_family_names_are_the_words_in_capitals_at_the_end():
    members, errors = parse_member_names("Madame Aline DI MEGLIO\nMonsieur Lucien-Jean LAHOUSSE")
    assert errors == []
    assert [(m.first_name, m.last_name) for m in members] == [
        ("Aline", "DI MEGLIO"),
        ("Lucien-Jean", "LAHOUSSE"),
    ]


def test_the_demo_holds_the_niort_deliberation_and_the_ermont_reference():
    call_command("load_demo", stdout=io.StringIO())
    niort = Deliberation.objects.get(number="D-2021-313")
    assert niort.attendances.count() == 45
    assert [d.text[:22] for d in niort.decisions.all()] == [
        "approuver la conventio",
        "autoriser Monsieur le ",
        "autoriser Monsieur le ",
    ]
    assert (niort.votes_for, niort.votes_against, niort.abstentions) == (44, 0, 0)
    assert list(niort.conventions.values_list("reference", flat=True)) == ["niort-2021"]
    ermont = Deliberation.objects.get(number="3-15")
    assert ermont.is_reference_only and ermont.session_date == datetime.date(2010, 11, 15)
    assert ermont.organisation.name == "Conseil départemental du Val-d'Oise"
    assert list(ermont.conventions.values_list("reference", flat=True)) == ["ermont-2022"]
    valparisis = scope_for(User.objects.get(username="valparisis"))
    assert list(valparisis.deliberations()) == [ermont]
