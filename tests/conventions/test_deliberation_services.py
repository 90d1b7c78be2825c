"""The council and deliberation services, called with plain data as any caller would."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from config.core.writes import RowChange
from conventions.deliberations.services import (
    AttendanceEntry,
    DecidedAmountData,
    DecisionData,
    DeliberationData,
    ParsedMember,
    attendance_record,
    cited_deliberation_save,
    council_create,
    council_member_update,
    council_members_add,
    deliberation_save,
)
from conventions.enums import AttendanceStatus, DeliberatingBody, DeliberationResult
from conventions.models import Council, Decision, Deliberation
from partners.enums import Civility
from tests.conventions.factories import (
    ConventionFactory,
    CouncilFactory,
    CouncilMemberFactory,
    DecidedAmountFactory,
    DecisionFactory,
    DeliberationFactory,
    sitting,
)
from tests.partners.factories import OrganisationFactory

pytestmark = pytest.mark.django_db
D = datetime.date


# Councils ---------------------------------------------------------------------------


def test_council_create_creates_the_council_of_a_term():
    organisation = OrganisationFactory()
    council = council_create(
        organisation=organisation,
        body=DeliberatingBody.MUNICIPAL_COUNCIL,
        term_start_year=2026,
        term_end_year=2032,
    )
    assert Council.objects.get(pk=council.pk).term_label == "2026-2032"


def test_council_create_refuses_a_term_that_ends_before_it_starts():
    with pytest.raises(ValidationError) as refused:
        council_create(
            organisation=OrganisationFactory(),
            body=DeliberatingBody.MUNICIPAL_COUNCIL,
            term_start_year=2026,
            term_end_year=2020,
        )
    assert "La fin du mandat ne peut précéder son début." in refused.value.messages
    assert not Council.objects.exists()


def test_council_members_add_refuses_a_name_too_long_and_names_the_member():
    council = CouncilFactory()
    too_long = "A" * 81
    with pytest.raises(ValidationError) as refused:
        council_members_add(
            council=council,
            members=[
                ParsedMember(Civility.MRS, "Anne", "DURAND"),
                ParsedMember(Civility.MR, "Pierre", too_long),
            ],
        )
    message = refused.value.message_dict["members"][0]
    assert message.startswith(f"« Pierre {too_long} » : ")
    assert "au plus 80 caractères" in message
    assert not council.members.exists(), "nothing is added when one member is refused"


def test_council_member_update_changes_the_member():
    member = CouncilMemberFactory(first_name="Anne", last_name="DURAND")
    council_member_update(
        member=member,
        expected_version=member.version,
        civility=Civility.MRS,
        first_name="Anne",
        last_name="DURAND-MARTIN",
        order=3,
        in_office_until=D(2024, 5, 31),
    )
    member.refresh_from_db()
    assert (member.last_name, member.order, member.in_office_until) == (
        "DURAND-MARTIN",
        3,
        D(2024, 5, 31),
    )


def test_council_member_update_refuses_a_name_already_on_the_roster_next_to_the_name():
    member = CouncilMemberFactory(first_name="Anne", last_name="DURAND")
    CouncilMemberFactory(council=member.council, first_name="Pierre", last_name="MARTIN")
    with pytest.raises(ValidationError) as refused:
        council_member_update(
            member=member,
            expected_version=member.version,
            civility=Civility.MR,
            first_name="Pierre",
            last_name="MARTIN",
            order=1,
        )
    assert refused.value.message_dict == {"last_name": ["Ce membre figure déjà dans ce conseil."]}
    member.refresh_from_db()
    assert member.last_name == "DURAND"


# A deliberation of a council -----------------------------------------------------------


@pytest.fixture
def council():
    council = CouncilFactory()
    CouncilMemberFactory.create_batch(3, council=council)
    return council


def test_deliberation_save_creates_a_deliberation_with_its_decisions_and_amounts(council):
    president, secretary, _ = council.members.all()
    convention = ConventionFactory()
    deliberation = deliberation_save(
        deliberation=Deliberation(council=council),
        data=DeliberationData(
            number="D-2024-900",
            session_date=D(2024, 6, 24),
            president=president,
            secretaries=[secretary],
            votes_for=3,
            votes_against=0,
            abstentions=0,
            not_participating=0,
            result=DeliberationResult.ADOPTED,
            conventions=[convention],
        ),
        decisions=[RowChange(data=DecisionData(order=1, text="approuver la convention ;"))],
        amounts=[RowChange(data=DecidedAmountData(amount=Decimal("28967"), label="annuel"))],
    )
    saved = Deliberation.objects.get(pk=deliberation.pk)
    assert (saved.organisation, saved.body) == (council.organisation, council.body)
    assert list(saved.secretaries.all()) == [secretary]
    assert list(saved.conventions.all()) == [convention]
    assert [d.text for d in saved.decisions.all()] == ["approuver la convention ;"]
    assert [a.amount for a in saved.amounts.all()] == [Decimal("28967")]
    assert saved.history.get().history_type == "+"


def test_deliberation_save_changes_and_deletes_only_the_rows_it_is_given():
    deliberation = DeliberationFactory()
    kept, changed, deleted = DecisionFactory.create_batch(3, deliberation=deliberation)
    deleted_pk = deleted.pk
    deliberation_save(
        deliberation=deliberation,
        expected_version=deliberation.version,
        data=DeliberationData(number=deliberation.number, session_date=deliberation.session_date),
        decisions=[
            RowChange(row=changed, data=DecisionData(order=changed.order, text="autoriser ;")),
            RowChange(row=deleted),
        ],
    )
    assert [d.text for d in deliberation.decisions.all()] == [kept.text, "autoriser ;"]
    assert kept.history.count() == 1, "an unchanged row is not saved again"
    assert Decision.history.filter(id=deleted_pk).latest("history_date").history_type == "-"


def test_deliberation_save_refuses_a_duplicate_number_next_to_the_field(council):
    existing = DeliberationFactory(council=council)
    with pytest.raises(ValidationError) as refused:
        deliberation_save(
            deliberation=Deliberation(council=council),
            data=DeliberationData(number=existing.number, session_date=D(2024, 6, 24)),
        )
    assert refused.value.message_dict == {
        "number": ["Cette organisation a déjà une délibération portant ce numéro."]
    }
    assert Deliberation.objects.count() == 1


def test_deliberation_save_refuses_a_session_out_of_the_term_and_a_stranger_as_secretary(
    council,
):
    with pytest.raises(ValidationError) as refused:
        deliberation_save(
            deliberation=Deliberation(council=council),
            data=DeliberationData(
                number="D-2030-001",
                session_date=D(2030, 1, 15),
                secretaries=[CouncilMemberFactory()],
            ),
        )
    errors = refused.value.message_dict
    assert errors["session_date"] == [
        "La séance ne tombe pas dans le mandat de ce conseil (2020-2026)."
    ]
    assert errors["secretaries"] == ["Choisissez des membres de ce conseil."]
    assert not Deliberation.objects.exists()


def test_deliberation_save_refuses_a_negative_amount_before_writing_anything():
    deliberation = DeliberationFactory(object="Avant")
    amount = DecidedAmountFactory(deliberation=deliberation, amount=Decimal("5000"))
    with pytest.raises(ValidationError) as refused:
        deliberation_save(
            deliberation=deliberation,
            expected_version=deliberation.version,
            data=DeliberationData(
                number=deliberation.number, session_date=deliberation.session_date, object="Après"
            ),
            amounts=[RowChange(row=amount, data=DecidedAmountData(amount=Decimal("-1")))],
        )
    assert refused.value.message_dict == {"amounts": ["Le montant doit être positif."]}
    deliberation.refresh_from_db()
    assert deliberation.object == "Avant"


def test_deliberation_save_leaves_a_cited_deliberation_to_its_own_service():
    with pytest.raises(ValueError, match="cited_deliberation_save"):
        deliberation_save(
            deliberation=DeliberationFactory(reference=True),
            data=DeliberationData(number="3-15", session_date=D(2010, 11, 15)),
        )


# A deliberation only cited -------------------------------------------------------------


def test_cited_deliberation_save_records_number_date_body_and_conventions():
    organisation = OrganisationFactory(departement_council=True)
    convention = ConventionFactory()
    cited = cited_deliberation_save(
        organisation=organisation,
        body=DeliberatingBody.DEPARTEMENT_COUNCIL,
        number="3-15",
        session_date=D(2010, 11, 15),
        conventions=[convention],
    )
    cited.refresh_from_db()
    assert cited.is_reference_only and cited.council is None
    assert list(cited.conventions.all()) == [convention]


def test_cited_deliberation_save_refuses_a_duplicate_number_next_to_the_field():
    existing = DeliberationFactory(reference=True)
    with pytest.raises(ValidationError) as refused:
        cited_deliberation_save(
            organisation=existing.organisation,
            body=existing.body,
            number=existing.number,
            session_date=D(2010, 11, 15),
        )
    assert refused.value.message_dict == {
        "number": ["Cette organisation a déjà une délibération portant ce numéro."]
    }


# The attendance sheet --------------------------------------------------------------------


def test_attendance_record_writes_the_sheet_with_its_history(council):
    deliberation = DeliberationFactory(council=council)
    first, second, third = council.members.all()
    attendance_record(
        deliberation=deliberation,
        expected_version=deliberation.version,
        entries=[
            AttendanceEntry(first, AttendanceStatus.PRESENT),
            AttendanceEntry(second, AttendanceStatus.REPRESENTED, first),
            AttendanceEntry(third, AttendanceStatus.EXCUSED),
        ],
    )
    lines = {a.member: a for a in deliberation.attendances.all()}
    assert lines[second].proxy_holder == first
    assert lines[third].status == AttendanceStatus.EXCUSED
    assert all(line.history.count() == 1 for line in lines.values())


def test_attendance_record_keeps_the_lines_of_the_members_it_is_not_given(council):
    deliberation = DeliberationFactory(council=council)
    first, second, third = council.members.all()
    attendance_record(
        deliberation=deliberation,
        expected_version=deliberation.version,
        entries=[
            AttendanceEntry(first, AttendanceStatus.PRESENT),
            AttendanceEntry(second, AttendanceStatus.PRESENT),
            AttendanceEntry(third, AttendanceStatus.EXCUSED),
        ],
    )
    attendance_record(
        deliberation=deliberation,
        expected_version=deliberation.version,
        entries=[AttendanceEntry(third, AttendanceStatus.ABSENT)],
        cleared=[second],
    )
    lines = {a.member: a.status for a in deliberation.attendances.all()}
    assert lines == {first: AttendanceStatus.PRESENT, third: AttendanceStatus.ABSENT}


def test_attendance_record_refuses_two_proxies_for_one_holder_in_french():
    deliberation = DeliberationFactory()
    sitting(deliberation, present=2, represented=2)
    holder = deliberation.attendances.filter(proxy_holder__isnull=False).first().proxy_holder
    entries = [
        AttendanceEntry(a.member, a.status, holder if a.proxy_holder else None)
        for a in deliberation.attendances.select_related("member")
    ]
    with pytest.raises(ValidationError) as refused:
        attendance_record(
            deliberation=deliberation, entries=entries, expected_version=deliberation.version
        )
    (message,) = refused.value.message_dict["entries"]
    assert "un membre ne peut détenir qu'un seul pouvoir" in message
    assert deliberation.attendances.filter(proxy_holder=holder).count() == 1


def test_attendance_record_refuses_a_member_of_another_council():
    deliberation = DeliberationFactory()
    stranger = CouncilMemberFactory(civility=Civility.MR, first_name="Paul", last_name="AILLEURS")
    with pytest.raises(ValidationError) as refused:
        attendance_record(
            deliberation=deliberation,
            expected_version=deliberation.version,
            entries=[AttendanceEntry(stranger, AttendanceStatus.PRESENT)],
        )
    assert refused.value.message_dict["entries"] == [
        "Monsieur Paul AILLEURS n'est pas membre en exercice à la date de la séance."
    ]
    assert not deliberation.attendances.exists()


def test_attendance_record_refuses_a_deliberation_only_cited():
    with pytest.raises(ValidationError, match="seulement citée"):
        attendance_record(deliberation=DeliberationFactory(reference=True), entries=[])
