import re

from django.core.exceptions import ValidationError
from stdnum import luhn
from stdnum.fr import siren, siret

# Identifiers are written with the digits 0-9 only: "\d" would also accept "٣" or "३",
# which int() reads as digits and open-data schemas refuse. The check digits are
# python-stdnum's, the library the official validator (validata) uses for its
# "french-siret-value" check: a SIRET is valid when its 14 digits pass (Luhn, or La
# Poste's rule) *and* its first nine, the SIREN, pass their own Luhn key.


def validate_siret(value: str) -> None:
    if not re.fullmatch(r"[0-9]{14}", value or ""):
        raise ValidationError("Le SIRET doit comporter exactement 14 chiffres.", code="format")
    if siret.is_valid(value):
        return
    if luhn.is_valid(value) and not siren.is_valid(value[:9]):
        # The 14-digit key alone passes: the old check accepted such numbers.
        raise ValidationError(
            "Ce SIRET n'est pas valide : ses 9 premiers chiffres (le SIREN) ont une clé de "
            "contrôle incorrecte.",
            code="siren_checksum",
        )
    raise ValidationError(
        "Ce SIRET n'est pas valide (clé de contrôle incorrecte) : vérifiez les 14 chiffres.",
        code="checksum",
    )


def validate_rna(value: str) -> None:
    if not re.fullmatch(r"W[0-9]{9}", value or ""):
        raise ValidationError(
            "Le numéro RNA s'écrit W suivi de 9 chiffres (par exemple W791000123).",
            code="format",
        )


def validate_departement_code(value: str) -> None:
    if not re.fullmatch(r"0[1-9]|[1-8][0-9]|9[0-5]|2[AB]|97[1-6]", value or ""):
        raise ValidationError(
            "Code de département inconnu : utilisez par exemple 79, 95, 2A ou 971.",
            code="format",
        )


ADDRESS_BLOCK_MAX_LINES = 6
ADDRESS_BLOCK_MAX_LINE_LENGTH = 80


def address_block_lines(value: str) -> tuple[str, ...]:
    """The lines of an address block as documents print them: trimmed, blank ones dropped."""
    return tuple(line.strip() for line in (value or "").splitlines() if line.strip())


def validate_address_block(value: str) -> None:
    """A letterhead's address: a few short lines, which fit beside the page margin."""
    lines = address_block_lines(value)
    if len(lines) > ADDRESS_BLOCK_MAX_LINES:
        raise ValidationError(
            f"Le bloc d'adresse compte {len(lines)} lignes : la limite est de "
            f"{ADDRESS_BLOCK_MAX_LINES}.",
            code="too_many_lines",
        )
    for number, line in enumerate(lines, start=1):
        if len(line) > ADDRESS_BLOCK_MAX_LINE_LENGTH:
            raise ValidationError(
                f"La ligne {number} du bloc d'adresse compte {len(line)} caractères : la "
                f"limite est de {ADDRESS_BLOCK_MAX_LINE_LENGTH} par ligne.",
                code="line_too_long",
            )
