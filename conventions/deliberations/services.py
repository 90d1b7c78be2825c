"""Writes for councils and deliberations: the council and its roster, the deliberation
with its decisions, amounts and vote, a deliberation only cited, the attendance sheet.

Each service takes cleaned values (model instances for references), runs
``full_clean()`` before writing and raises a French ``ValidationError`` keyed
by field, or by the argument at fault for a list (``decisions``, ``entries``…).
Who may write is the views' business (``scope_for``); these check the data.
One module of some 420 lines: the council's roster, the deliberation and its
attendance sheet are validated against each other (members in office on the
session date, the vote against the sheet) and share one version.
"""

import datetime
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from simple_history.utils import bulk_create_with_history

from config.core.concurrency import check_version
from config.core.writes import RowChange, assign, prepare_rows, validate, values_of, write_rows
from conventions.deliberations.checks.attendance import check_attendance
from conventions.deliberations.checks.deliberation import sitting_from_deliberation
from conventions.enums import AttendanceStatus
from conventions.models import (
    Attendance,
    Convention,
    Council,
    CouncilMember,
    DecidedAmount,
    Decision,
    Deliberation,
)
from partners.enums import Civility
from partners.models import Organisation, Representative

DUPLICATE_NUMBER_MESSAGE = "Cette organisation a déjà une délibération portant ce numéro."
DUPLICATE_MEMBER_MESSAGE = "Ce membre figure déjà dans ce conseil."
NOT_A_MEMBER_MESSAGE = "Choisissez des membres de ce conseil."

CIVILITIES = {
    "monsieur": Civility.MR,
    "m.": Civility.MR,
    "m": Civility.MR,
    "madame": Civility.MRS,
    "mme": Civility.MRS,
    "mme.": Civility.MRS,
}


@dataclass(frozen=True)
class ParsedMember:
    civility: str
    first_name: str
    last_name: str

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}"


def parse_member_names(text: str) -> tuple[list[ParsedMember], list[str]]:
    """Read "Madame Prénom NOM" entries, one per line, or separated by commas.

    The register's own lists can be pasted as they are: "Monsieur Jérôme
    BALOGE, Monsieur Dominique SIX, …". The family name is the words in
    capitals at the end ("Aline DI MEGLIO").
    """
    members, errors = [], []
    # A pasted register list wraps lines anywhere: commas, when there are some, separate.
    separators = r"[,;]" if "," in text or ";" in text else r"\n"
    for raw in re.split(separators, text):
        entry = " ".join(raw.split()).strip(" .")
        if not entry:
            continue
        words = entry.split(" ")
        civility = CIVILITIES.get(words[0].lower())
        if civility is None:
            errors.append(f"« {entry} » : commencez par la civilité (Madame ou Monsieur).")
            continue
        rest = words[1:]
        cut = len(rest)
        while cut > 0 and _is_capitalised(rest[cut - 1]):
            cut -= 1
        first, last = " ".join(rest[:cut]), " ".join(rest[cut:])
        if not first or not last:
            errors.append(
                f"« {entry} » : écrivez le prénom puis le nom en majuscules "
                "(« Madame Valérie BELY-VOLLAND »)."
            )
            continue
        members.append(ParsedMember(civility, first, last))
    return members, errors


def _is_capitalised(word: str) -> bool:
    return any(c.isalpha() for c in word) and word == word.upper()


# Councils ----------------------------------------------------------------------------


@transaction.atomic
def council_create(
    *,
    organisation: Organisation,
    body: str,
    term_start_year: int,
    term_end_year: int | None = None,
    body_label: str = "",
) -> Council:
    council = Council(
        organisation=organisation,
        body=body,
        body_label=body_label,
        term_start_year=term_start_year,
        term_end_year=term_end_year,
    )
    validate(council)
    council.save()
    return council


@transaction.atomic
def council_members_add(
    *, council: Council, members: Sequence[ParsedMember]
) -> tuple[list[CouncilMember], list[ParsedMember]]:
    """Append members to the roster; returns (added, already there)."""
    existing = {(m.first_name, m.last_name) for m in council.members.all()}
    next_order = max((m.order for m in council.members.all()), default=0) + 1
    added, skipped = [], []
    for parsed in members:
        key = (parsed.first_name, parsed.last_name)
        if key in existing:
            skipped.append(parsed)
            continue
        existing.add(key)
        member = CouncilMember(
            council=council,
            civility=parsed.civility,
            first_name=parsed.first_name,
            last_name=parsed.last_name,
            order=next_order,
        )
        try:
            validate(member)
        except ValidationError as error:
            raise ValidationError(
                {"members": [f"« {parsed.name} » : {message}" for message in error.messages]}
            ) from error
        member.save()
        added.append(member)
        next_order += 1
    return added, skipped


@transaction.atomic
def council_member_update(
    *,
    member: CouncilMember,
    civility: str,
    first_name: str,
    last_name: str,
    order: int,
    in_office_from: datetime.date | None = None,
    in_office_until: datetime.date | None = None,
    expected_version: int | None = None,
) -> CouncilMember:
    assign(
        member,
        {
            "civility": civility,
            "first_name": first_name,
            "last_name": last_name,
            "order": order,
            "in_office_from": in_office_from,
            "in_office_until": in_office_until,
        },
    )
    check_version(member, expected_version, what="ce membre du conseil")
    errors = {}
    twin = CouncilMember.objects.filter(
        council=member.council_id, first_name=first_name, last_name=last_name
    ).exclude(pk=member.pk)
    if twin.exists():
        errors["last_name"] = [DUPLICATE_MEMBER_MESSAGE]
    validate(member, errors=errors)
    member.save()
    return member


# Deliberations ------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class DeliberationData:
    """A deliberation of a council: the session, the exposé, the vote, the signature,
    the transmission. The council gives its organisation and its body."""

    number: str
    session_date: datetime.date
    convocation_date: datetime.date | None = None
    object: str = ""
    service: str = ""
    matter_code: str = ""
    matter_name: str = ""
    president: CouncilMember | None = None
    secretaries: Iterable[CouncilMember] = ()
    rapporteur: CouncilMember | None = None
    rapporteur_capacity: str = ""
    report: str = ""
    second_convocation: bool = False
    secret_ballot: bool = False
    votes_for: int | None = None
    votes_against: int | None = None
    abstentions: int | None = None
    not_participating: int | None = None
    blank_ballots: int | None = None
    spoilt_ballots: int | None = None
    president_vote: str = ""
    result: str = ""
    signer_for: str = ""
    signer_for_name: str = ""
    signer_capacity: str = ""
    signed_mention: str = ""
    signer_name: str = ""
    signatory: Representative | None = None
    president_signed: bool = False
    secretaries_signed: bool = False
    transmission_required: bool = True
    transmitted_on: datetime.date | None = None
    actes_id: str = ""
    published_on: datetime.date | None = None
    publication_url: str = ""
    conventions: Iterable[Convention] = ()


@dataclass(frozen=True, kw_only=True)
class DecisionData:
    order: int
    text: str


@dataclass(frozen=True, kw_only=True)
class DecidedAmountData:
    amount: Decimal
    organisation: Organisation | None = None
    year: int | None = None
    label: str = ""


MANY_TO_MANY = ("secretaries", "conventions")


def _parts(deliberation: Deliberation):
    """The histories of the rows saved with a deliberation. Its form and its attendance
    sheet share its version: the vote is read against the sheet, so a change to one
    is a change to what the other was prepared on."""
    return [
        model.history.filter(deliberation_id=deliberation.pk)
        for model in (Attendance, Decision, DecidedAmount)
    ]


def _duplicate_number(organisation_id: int, number: str, deliberation: Deliberation) -> bool:
    return (
        Deliberation.objects.filter(organisation=organisation_id, number=number)
        .exclude(pk=deliberation.pk)
        .exists()
    )


@transaction.atomic
def deliberation_save(
    *,
    deliberation: Deliberation,
    data: DeliberationData,
    decisions: Sequence[RowChange[Decision, DecisionData]] = (),
    amounts: Sequence[RowChange[DecidedAmount, DecidedAmountData]] = (),
    expected_version: int | None = None,
) -> Deliberation:
    """Save a deliberation of its council (a new one is ``Deliberation(council=…)``) with
    the decisions and amounts that change; everything is checked before anything is
    written. An edit prepared on an older version (``expected_version``) is refused."""
    council = deliberation.council
    if council is None or deliberation.is_reference_only:
        raise ValueError("A deliberation only cited is saved by cited_deliberation_save().")
    check_version(
        deliberation, expected_version, what="cette délibération", related=_parts(deliberation)
    )
    values = values_of(data)
    related = {name: list(values.pop(name)) for name in MANY_TO_MANY}
    errors = {}
    if deliberation.pk and deliberation.publications.current().exists():
        # Written by the publication on this site (deliberations.publication).
        for name in ("published_on", "publication_url"):
            if values[name] != getattr(deliberation, name):
                errors[name] = [
                    "Publiée sur ce site : retirez la publication pour changer sa date ou "
                    "son adresse."
                ]
    assign(deliberation, values)
    # Deliberation.clean() takes them from the council too, but the fields are checked first.
    deliberation.organisation_id, deliberation.body = council.organisation_id, council.body
    deliberation.body_label = council.body_label
    if _duplicate_number(council.organisation_id, data.number, deliberation):
        errors["number"] = [DUPLICATE_NUMBER_MESSAGE]
    if any(m.council_id != council.pk for m in related["secretaries"]):
        errors["secretaries"] = [NOT_A_MEMBER_MESSAGE]
    validate(deliberation, errors=errors)
    # The rows' constraints hold within one deliberation: see prepare_rows().
    writes = prepare_rows(
        decisions,
        new=lambda: Decision(deliberation=deliberation),
        argument="decisions",
        exclude=["deliberation"],
    )
    writes += prepare_rows(
        amounts,
        new=lambda: DecidedAmount(deliberation=deliberation),
        argument="amounts",
        exclude=["deliberation"],
    )
    deliberation.save()
    for name, members in related.items():
        getattr(deliberation, name).set(members)
    write_rows(writes)
    return deliberation


@transaction.atomic
def cited_deliberation_save(
    *,
    deliberation: Deliberation | None = None,
    organisation: Organisation,
    body: str,
    number: str,
    session_date: datetime.date,
    body_label: str = "",
    object: str = "",
    conventions: Iterable[Convention] = (),
    expected_version: int | None = None,
) -> Deliberation:
    """Save a deliberation only cited by a convention: number, date and body, no council."""
    if deliberation is None:
        deliberation = Deliberation(is_reference_only=True)
    elif not deliberation.is_reference_only:
        raise ValueError("A deliberation of a council is saved by deliberation_save().")
    check_version(deliberation, expected_version, what="cette délibération")
    assign(
        deliberation,
        {
            "organisation": organisation,
            "body": body,
            "body_label": body_label,
            "number": number,
            "session_date": session_date,
            "object": object,
        },
    )
    errors = {}
    if _duplicate_number(organisation.pk, number, deliberation):
        errors["number"] = [DUPLICATE_NUMBER_MESSAGE]
    validate(deliberation, errors=errors)
    deliberation.save()
    deliberation.conventions.set(list(conventions))
    return deliberation


# The attendance sheet -----------------------------------------------------------------


@dataclass(frozen=True)
class AttendanceEntry:
    member: CouncilMember
    status: str
    proxy_holder: CouncilMember | None = None
    proxy_given_on: datetime.date | None = None
    proxy_for_illness: bool = False


@transaction.atomic
def attendance_record(
    *,
    deliberation: Deliberation,
    entries: Sequence[AttendanceEntry],
    cleared: Iterable[CouncilMember] = (),
    expected_version: int | None = None,
) -> None:
    """Write the lines of ``entries`` and remove those of the ``cleared`` members.

    Every other saved line stays as it is: a sheet sent in part (a page cut short,
    a request carrying only some members) never erases the members it does not
    name; a line goes only when its member is in ``cleared``. A sheet opened before
    someone else saved it is refused (``expected_version``).

    The sheet is refused, keyed by ``entries``, when a blocking check of the
    law fails on the sheet as it would stand (``check_attendance``: a member
    listed twice, more proxies for one holder than the law in force on the
    session date allows, a holder who is not present, a member not in office…),
    as the form refuses it. The lines that change are deleted first, then
    written again. Unchanged lines are left alone.
    """
    if deliberation.council_id is None:
        raise ValidationError(
            "Une délibération seulement citée n'a pas de feuille de présence.",
            code="reference_only",
        )
    check_version(
        deliberation,
        expected_version,
        what="la feuille de présence de cette délibération",
        related=_parts(deliberation),
    )
    # The new version, and the date of the sheet's last change.
    deliberation.save(update_fields=["version", "updated_at"])
    saved = list(deliberation.attendances.all())
    named = {entry.member.pk for entry in entries} | {member.pk for member in cleared}
    kept = [a for a in saved if a.member_id not in named]
    lines = kept + [_attendance_line(deliberation, entry) for entry in entries]
    sitting = sitting_from_deliberation(deliberation, attendances=lines)
    blocking = [check.message for check in check_attendance(sitting) if check.blocking]
    if blocking:
        raise ValidationError({"entries": blocking})
    current = {_line_key(a): a for a in saved}
    wanted = {_line_key(a): a for a in lines}
    added = [row for key, row in wanted.items() if key not in current]
    for row in added:
        # The member and the proxy holder, and the constraints between lines, are what
        # the checks above read; validating them again line by line would cost four
        # queries a line (a sheet of 69 members).
        validate(row, exclude=["deliberation", "member", "proxy_holder"])
    # Only the lines that change are replaced, so that the history shows what changed.
    stale = [row.pk for key, row in current.items() if key not in wanted]
    Attendance.objects.filter(pk__in=stale).delete()
    bulk_create_with_history(added, Attendance)


def _attendance_line(deliberation: Deliberation, entry: AttendanceEntry) -> Attendance:
    represented = entry.status == AttendanceStatus.REPRESENTED
    return Attendance(
        deliberation=deliberation,
        member=entry.member,
        status=entry.status,
        proxy_holder=entry.proxy_holder if represented else None,
        proxy_given_on=entry.proxy_given_on if represented else None,
        proxy_for_illness=entry.proxy_for_illness if represented else False,
    )


def _line_key(line: Attendance) -> tuple:
    return (
        line.member_id,
        line.status,
        line.proxy_holder_id,
        line.proxy_given_on,
        line.proxy_for_illness,
    )
