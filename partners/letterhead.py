"""An organisation's letterhead: the logo and address block its documents print.

The contract every document writer reads (PDF, DOCX, ODT): ``letterhead_for``
gives the organisation's ``Letterhead`` or ``None`` when it has none, in which
case a document prints no letterhead at all (never a placeholder).
"""

import logging
from dataclasses import dataclass

from partners.logos import logo_content_type
from partners.validators import address_block_lines

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Letterhead:
    organisation_name: str
    # The image as uploaded (PNG or JPEG), or None when only an address block is set.
    logo: bytes | None
    logo_content_type: str | None  # "image/png" or "image/jpeg"
    # The address block as typed, one line a line, in order.
    address_lines: tuple[str, ...]


def letterhead_for(organisation) -> Letterhead | None:
    """The letterhead of ``organisation``, or None when it has set none.

    The logo is read through the field's storage (the file system today, an object
    storage later). A logo file gone from the storage (a database restored without
    its files) leaves the address alone, with a warning in the log: a convention is
    still printed rather than refused for its decoration.
    """
    address_lines = address_block_lines(organisation.address_block)
    logo = content_type = None
    if organisation.logo:
        try:
            with organisation.logo.storage.open(organisation.logo.name, "rb") as file:
                data = file.read()
        except OSError:
            logger.warning(
                "Logo introuvable dans le stockage : %s (organisation %s)",
                organisation.logo.name,
                organisation.pk,
            )
        else:
            content_type = logo_content_type(data)
            logo = data if content_type else None
    if logo is None and not address_lines:
        return None
    return Letterhead(
        organisation_name=organisation.name,
        logo=logo,
        logo_content_type=content_type if logo is not None else None,
        address_lines=address_lines,
    )
