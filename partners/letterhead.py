"""An organisation's letterhead: the logo and address block its documents print.

The contract every document writer reads (PDF, DOCX, ODT): ``letterhead_for``
gives the organisation's ``Letterhead`` or ``None`` when it has none, in which
case a document prints no letterhead at all (never a placeholder).
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Letterhead:
    organisation_name: str
    # The image as uploaded (PNG or JPEG), or None when only an address block is set.
    logo: bytes | None
    logo_content_type: str | None  # "image/png" or "image/jpeg"
    # The address block as typed, one line a line, in order.
    address_lines: tuple[str, ...]


def letterhead_for(organisation) -> Letterhead | None:
    """The letterhead of ``organisation``, or None when it has set none."""
    return None
