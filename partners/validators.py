import re

from django.core.exceptions import ValidationError

# Identifiers are written with the digits 0-9 only: "\d" would also accept "٣" or "३",
# which int() reads as digits and open-data schemas refuse.

# La Poste's establishments share one SIREN and follow a different checksum rule.
LA_POSTE_SIREN = "356000000"


def luhn_is_valid(digits: str) -> bool:
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def validate_siret(value: str) -> None:
    if not re.fullmatch(r"[0-9]{14}", value or ""):
        raise ValidationError("Le SIRET doit comporter exactement 14 chiffres.", code="format")
    if value.startswith(LA_POSTE_SIREN):
        valid = sum(int(c) for c in value) % 5 == 0
    else:
        valid = luhn_is_valid(value)
    if not valid:
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
