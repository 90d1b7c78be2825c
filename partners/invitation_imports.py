"""Users of an organisation imported from a spreadsheet, as invitations.

One row a person: e-mail, first and last name, role, referent or not. Each row
goes through ``invitation_send``, the service of the « Inviter un collègue » form,
so the same rules apply: only the national administrator or the organisation's
referent invites, only the roles of the organisation's kind are offered, an address
has one account. The check runs it in a transaction rolled back (no e-mail leaves:
the messages are sent once the transaction commits); the confirmation invites every
row or none. An address that already has an account in this organisation is left as
it is, so that importing the same file again sends nothing.
"""

from django.core.exceptions import ValidationError
from django.db import transaction

from config.core import spreadsheets
from config.core.imports import (
    CREATE,
    ERROR,
    UNCHANGED,
    Column,
    RowResult,
    Table,
    check_header,
    normalised,
    row_cells,
    summary,
)
from partners.enums import Role
from partners.invitations import invitation_send, roles_offered
from partners.models import Organisation, User

KIND = "invitations"
COLUMNS = [
    Column("courriel", aliases=("adresse électronique", "email")),
    Column("prénom", required=False),
    Column("nom", required=False),
    Column("rôle"),
    Column("référent", required=False, help_text="oui ou non"),
]
YES = {"oui", "o", "1", "x", "vrai"}
NO = {"", "non", "n", "0", "faux"}
FIELDS = {"email": "courriel", "role": "rôle", "first_name": "prénom", "last_name": "nom"}


def _role(text: str, organisation: Organisation) -> str | None:
    offered = roles_offered(organisation)
    for role in offered:
        if normalised(text) in (normalised(role.value), normalised(role.label)):
            return role.value
    return None


def _invite(result: RowResult, organisation: Organisation, by: User) -> str:
    cells = result.cells
    email = cells["courriel"].strip().lower()
    existing = User.objects.filter(email__iexact=email, organisation=organisation).first()
    if existing is not None:
        return UNCHANGED
    role = _role(cells["rôle"], organisation)
    if role is None:
        offered = ", ".join(f"« {r.label} »" for r in roles_offered(organisation))
        raise ValidationError(
            f"Rôle « {cells['rôle']} » non proposé pour cette organisation : {offered}."
        )
    referent = normalised(cells.get("référent", ""))
    if referent not in YES | NO:
        raise ValidationError(
            f"« référent » : écrivez oui ou non (et non « {cells['référent']} »)."
        )
    invitation_send(
        organisation=organisation,
        email=email,
        first_name=cells.get("prénom", ""),
        last_name=cells.get("nom", ""),
        role=role,
        is_referent=referent in YES,
        by=by,
    )
    return CREATE


def _messages(error: ValidationError) -> list[str]:
    if hasattr(error, "error_dict"):
        return [
            f"« {FIELDS.get(field, field)} » : {message}" if field in FIELDS else message
            for field, messages in error.message_dict.items()
            for message in messages
        ]
    return list(error.messages)


def _run(results: list[RowResult], organisation: Organisation, by: User) -> None:
    for result in results:
        result.label = result.cells["courriel"] or "—"
        if result.status == ERROR:
            continue
        try:
            with transaction.atomic():
                result.status = _invite(result, organisation, by)
        except ValidationError as error:
            for message in _messages(error):
                result.refuse(message)


def check_rows(*, table: Table, organisation: Organisation, by: User) -> list[RowResult]:
    positions = check_header(table.header, COLUMNS)
    results = row_cells(table, positions)
    with transaction.atomic():
        _run(results, organisation, by)
        transaction.set_rollback(True)
    return results


@transaction.atomic
def invitations_import(
    *, results: list[RowResult], organisation: Organisation, by: User
) -> dict[str, int]:
    if any(result.status == ERROR for result in results):
        raise ValueError("A file with errors is not imported.")
    _run(results, organisation, by)
    if any(result.status == ERROR for result in results):
        raise ValueError("The database changed since the check.")
    return summary(results)


def _example(organisation: Organisation) -> list[str]:
    roles = roles_offered(organisation) or (Role.READ_ONLY_PARTNER,)
    return ["prenom.nom@example.org", "Camille", "Martin", roles[0].label, "non"]


def template_csv(organisation: Organisation) -> bytes:
    return spreadsheets.french_csv([c.name for c in COLUMNS], [_example(organisation)])


def template_xlsx(organisation: Organisation) -> bytes:
    workbook = spreadsheets.new_workbook()
    sheet = workbook.active
    sheet.title = "Invitations"
    spreadsheets.append_rows(sheet, [[c.name for c in COLUMNS], _example(organisation)])
    spreadsheets.bold_row(sheet)
    return spreadsheets.workbook_bytes(workbook)
