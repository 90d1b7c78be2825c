"""Writes on partners: organisations, their representatives, a user's calendar address.

Each service takes cleaned values, runs ``full_clean()`` and raises a French
``ValidationError`` keyed by field.
"""

import datetime
import re
import secrets

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction

from config.core.concurrency import check_version
from config.core.writes import assign, validate
from partners.models import Organisation, Representative, User

POSTAL_CODE_MESSAGE = "Le code postal comporte 5 chiffres."


@transaction.atomic
def organisation_save(
    *,
    organisation: Organisation | None = None,
    name: str,
    kind: str,
    departement: str,
    kind_label: str = "",
    short_name: str = "",
    premises: str = "",
    street: str = "",
    postal_code: str = "",
    city: str = "",
    siret: str = "",
    rna: str = "",
    phone: str = "",
    email: str = "",
    address_block: str | None = None,
    logo: File | None = None,
    remove_logo: bool = False,
    expected_version: int | None = None,
) -> Organisation:
    """Create an organisation, or change ``organisation`` if it is still at
    ``expected_version``.

    The letterhead is kept unless given: ``address_block`` None keeps the one recorded
    (the spreadsheet import has no column for it), ``logo`` is a new upload, and
    ``remove_logo`` drops the current one. A replaced or removed logo's file stays in
    the storage: the history still names it (``clean_orphan_uploads`` keeps it).
    """
    organisation = organisation if organisation is not None else Organisation()
    if logo is not None and remove_logo:
        raise ValidationError(
            {
                "remove_logo": "Déposez un nouveau logo ou supprimez le logo actuel, "
                "pas les deux à la fois."
            }
        )
    assign(
        organisation,
        {
            "name": name,
            "short_name": short_name,
            "kind": kind,
            "kind_label": kind_label,
            "departement": departement,
            "premises": premises,
            "street": street,
            "postal_code": postal_code,
            "city": city,
            "siret": siret,
            "rna": rna,
            "phone": phone,
            "email": email,
        },
    )
    if address_block is not None:
        organisation.address_block = address_block
    if logo is not None:
        organisation.logo = logo
    elif remove_logo:
        organisation.logo = ""
    check_version(organisation, expected_version, what="cette organisation")
    errors = {}
    if postal_code and not re.fullmatch(r"[0-9]{5}", postal_code):
        errors["postal_code"] = [POSTAL_CODE_MESSAGE]
    # Organisation.clean() names the near-duplicate next to the name; the unique
    # constraint on name_key would only repeat it above the form.
    validate(organisation, errors=errors, exclude=["name_key"])
    organisation.save()
    return organisation


@transaction.atomic
def representative_save(
    *,
    organisation: Organisation,
    representative: Representative | None = None,
    title: str,
    civility: str = "",
    first_name: str = "",
    last_name: str = "",
    acting: bool = False,
    delegated_by: Representative | None = None,
    delegated_by_title: str = "",
    delegation_reference: str = "",
    mandate_start: datetime.date | None = None,
    mandate_end: datetime.date | None = None,
) -> Representative:
    """Add a representative to ``organisation``, or change ``representative``, one of its own."""
    if representative is None:
        representative = Representative(organisation=organisation)
    elif representative.organisation_id != organisation.pk:
        raise ValueError("The representative belongs to another organisation.")
    assign(
        representative,
        {
            "civility": civility,
            "first_name": first_name,
            "last_name": last_name,
            "title": title,
            "acting": acting,
            "delegated_by": delegated_by,
            "delegated_by_title": delegated_by_title,
            "delegation_reference": delegation_reference,
            "mandate_start": mandate_start,
            "mandate_end": mandate_end,
        },
    )
    validate(representative)
    representative.save()
    return representative


@transaction.atomic
def calendar_token_renew(*, user: User) -> str:
    """Give the user a new private calendar address; the old one stops working."""
    user.calendar_token = secrets.token_urlsafe(32)
    user.save(update_fields=["calendar_token"])
    return user.calendar_token


@transaction.atomic
def calendar_token_revoke(*, user: User) -> None:
    user.calendar_token = None
    user.save(update_fields=["calendar_token"])
