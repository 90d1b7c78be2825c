"""Organisations and their representatives, imported from a spreadsheet.

One row an organisation, with one of its representatives when the columns of the
representative are filled (several rows for one organisation add several
representatives). An organisation is found by its kind, département and name as
the registry compares them (case, accents, punctuation: ``Organisation.name_key``);
a representative by their function and name within it. Every row goes through the
services of the forms (``organisation_save``, ``representative_save``), so that the
same checks apply (SIRET and RNA keys, the near-duplicate name…): the check runs
them in a transaction rolled back, the confirmation for good, all rows or none.
"""

from django.core.exceptions import ValidationError
from django.db import transaction

from config.core import spreadsheets
from config.core.imports import (
    CREATE,
    ERROR,
    UNCHANGED,
    UPDATE,
    Column,
    RowResult,
    Table,
    check_header,
    normalised,
    row_cells,
    summary,
)
from partners.enums import Civility, OrganisationKind
from partners.models import Organisation, name_key
from partners.services import organisation_save, representative_save

KIND = "organisations"

# column -> Organisation field
ORGANISATION_COLUMNS = {
    "nom": "name",
    "type": "kind",
    "département": "departement",
    "type en toutes lettres": "kind_label",
    "nom court": "short_name",
    "bâtiment": "premises",
    "adresse": "street",
    "code postal": "postal_code",
    "commune": "city",
    "SIRET": "siret",
    "RNA": "rna",
    "téléphone": "phone",
    "courriel": "email",
}
REPRESENTATIVE_COLUMNS = {
    "civilité du représentant": "civility",
    "prénom du représentant": "first_name",
    "nom du représentant": "last_name",
    "fonction du représentant": "title",
}
REQUIRED = {"nom", "type", "département"}
COLUMNS = [
    Column(name, required=name in REQUIRED)
    for name in (*ORGANISATION_COLUMNS, *REPRESENTATIVE_COLUMNS)
]
EXAMPLE = {
    "nom": "Commune de Niort",
    "type": "Commune",
    "département": "79",
    "adresse": "Place Martin Bastard",
    "code postal": "79000",
    "commune": "Niort",
    "SIRET": "21790191700013",
    "civilité du représentant": "M.",
    "prénom du représentant": "Camille",
    "nom du représentant": "Martin",
    "fonction du représentant": "Maire",
}

KINDS = {
    **{normalised(kind.value): kind.value for kind in OrganisationKind},
    **{normalised(kind.label): kind.value for kind in OrganisationKind},
}
CIVILITIES = {
    **{normalised(c.value): c.value for c in Civility},
    **{normalised(c.label): c.value for c in Civility},
    "m": Civility.MR.value,
    "mr": Civility.MR.value,
}


def _organisation_values(cells: dict[str, str]) -> dict[str, str]:
    values = {field: cells.get(column, "") for column, field in ORGANISATION_COLUMNS.items()}
    values["kind"] = KINDS.get(normalised(values["kind"]), values["kind"])
    values["siret"] = values["siret"].replace(" ", "")
    # A spreadsheet reads « 01 » and « 01000 » as numbers and drops their leading zero.
    if values["departement"].isdigit() and len(values["departement"]) == 1:
        values["departement"] = values["departement"].zfill(2)
    if values["postal_code"].isdigit() and len(values["postal_code"]) == 4:
        values["postal_code"] = values["postal_code"].zfill(5)
    return values


def _representative_values(cells: dict[str, str]) -> dict[str, str] | None:
    values = {field: cells.get(column, "") for column, field in REPRESENTATIVE_COLUMNS.items()}
    if not any(values.values()):
        return None
    if values["civility"]:
        values["civility"] = CIVILITIES.get(normalised(values["civility"]), values["civility"])
    return values


def _existing(values) -> Organisation | None:
    return Organisation.objects.filter(
        kind=values["kind"], departement=values["departement"], name_key=name_key(values["name"])
    ).first()


def _errors(error: ValidationError) -> list[str]:
    if hasattr(error, "error_dict"):
        return [
            f"{_column_of(field)} : {message}" if field != "__all__" else message
            for field, messages in error.message_dict.items()
            for message in messages
        ]
    return list(error.messages)


def _column_of(field: str) -> str:
    for column, name in (*ORGANISATION_COLUMNS.items(), *REPRESENTATIVE_COLUMNS.items()):
        if name == field:
            return f"« {column} »"
    return f"« {field} »"


def _write(result: RowResult) -> str:
    """Create or change the row's organisation and representative; returns the status."""
    values = result.payload["organisation"]
    organisation = _existing(values)
    status = UNCHANGED
    if organisation is None:
        organisation = organisation_save(**values)
        status = CREATE
    elif any(
        value and getattr(organisation, field) != value
        for field, value in values.items()
        if field != "name"
    ):
        # A filled cell changes the organisation; an empty one keeps what is recorded.
        kept = {
            field: value or getattr(organisation, field)
            for field, value in values.items()
            if field != "name"
        }
        organisation_save(
            organisation=organisation,
            name=organisation.name,
            expected_version=organisation.version,
            **kept,
        )
        status = UPDATE
    person = result.payload["representative"]
    if person is not None:
        same = organisation.representatives.filter(
            title=person["title"], first_name=person["first_name"], last_name=person["last_name"]
        ).first()
        if same is None:
            representative_save(organisation=organisation, **person)
            status = UPDATE if status == UNCHANGED else status
        elif person["civility"] and same.civility != person["civility"]:
            representative_save(organisation=organisation, representative=same, **person)
            status = UPDATE if status == UNCHANGED else status
    return status


def check_rows(*, table: Table) -> list[RowResult]:
    """What the import would do to each row; the services run in a transaction that is
    rolled back, so that nothing is written."""
    positions = check_header(table.header, COLUMNS)
    results = row_cells(table, positions)
    with transaction.atomic():
        for result in results:
            values = _organisation_values(result.cells)
            result.label = values["name"] or "—"
            result.payload = {
                "organisation": values,
                "representative": _representative_values(result.cells),
            }
            if values["kind"] and values["kind"] not in OrganisationKind.values:
                result.refuse(
                    f"Type inconnu « {values['kind']} » : écrivez l'un des types de la feuille "
                    "« Types » du modèle XLSX (par exemple « Commune » ou « Association »)."
                )
            if result.status == ERROR:
                continue
            try:
                with transaction.atomic():
                    result.status = _write(result)
            except ValidationError as error:
                for message in _errors(error):
                    result.refuse(message)
        transaction.set_rollback(True)
    return results


@transaction.atomic
def organisations_import(*, results: list[RowResult]) -> dict[str, int]:
    """Write the checked rows: all of them or none."""
    if any(result.status == ERROR for result in results):
        raise ValueError("A file with errors is not imported.")
    for result in results:
        result.status = _write(result)
    return summary(results)


def template_csv() -> bytes:
    header = [c.name for c in COLUMNS]
    return spreadsheets.french_csv(header, [[EXAMPLE.get(name, "") for name in header]])


def template_xlsx() -> bytes:
    header = [c.name for c in COLUMNS]
    workbook = spreadsheets.new_workbook()
    sheet = workbook.active
    sheet.title = "Organisations"
    spreadsheets.append_rows(sheet, [header, [EXAMPLE.get(name, "") for name in header]])
    spreadsheets.bold_row(sheet)
    kinds = workbook.create_sheet("Types")
    spreadsheets.append_rows(kinds, [["type"], *([kind.label] for kind in OrganisationKind)])
    spreadsheets.bold_row(kinds)
    return spreadsheets.workbook_bytes(workbook)
