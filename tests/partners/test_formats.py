import datetime
import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from stdnum.fr import siret

from config.core.formats import euros, french_date
from config.devtools.demo.partners import demo_siret
from partners.validators import validate_rna, validate_siret


def test_dates_read_as_in_a_french_document():
    assert french_date(datetime.date(2021, 9, 20)) == "20 septembre 2021"
    assert french_date(datetime.date(2006, 8, 1)) == "1er août 2006"


def test_amounts_read_as_in_a_french_document():
    assert euros(Decimal("28967")) == "28\u00a0967\u00a0€"
    assert euros(Decimal("8666.67")) == "8\u00a0666,67\u00a0€"
    assert euros(Decimal("-1500")) == "-1\u00a0500\u00a0€"


@pytest.mark.parametrize(
    ("siret", "message"),
    [
        ("21790191200015", "clé de contrôle incorrecte) : vérifiez les 14 chiffres"),
        ("2179019120", "exactement 14 chiffres"),
        ("2179019120001٣", "exactement 14 chiffres"),
        # The 14 digits pass Luhn but the SIREN 123456789 does not: the official
        # validator (french-siret-value) refuses it, and so does the form.
        ("12345678900015", "ses 9 premiers chiffres (le SIREN) ont une clé de contrôle incorrecte"),
        # La Poste: neither Luhn nor a digit sum that is a multiple of 5.
        ("35600000000049", "clé de contrôle incorrecte"),
    ],
)
def test_an_invalid_siret_is_refused_in_french(siret, message):
    with pytest.raises(ValidationError, match=re.escape(message)):
        validate_siret(siret)


@pytest.mark.parametrize(
    "siret",
    [
        "73282932000074",  # a published SIRET
        "35600000000048",  # La Poste's head office
        "35600000000010",  # a La Poste establishment: its digits sum to a multiple of 5
    ],
)
def test_a_valid_siret_passes(siret):
    validate_siret(siret)


def test_the_demo_and_factory_sirets_pass_python_stdnum():
    for prefix in ("900", "7000123", "812345"):
        assert siret.is_valid(demo_siret(prefix)), prefix


def test_an_rna_is_w_followed_by_nine_digits():
    validate_rna("W791000123")
    with pytest.raises(ValidationError, match="W suivi de 9 chiffres"):
        validate_rna("791000123")
