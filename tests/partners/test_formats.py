import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from config.core.formats import euros, french_date
from partners.validators import validate_rna, validate_siret


def test_dates_read_as_in_a_french_document():
    assert french_date(datetime.date(2021, 9, 20)) == "20 septembre 2021"
    assert french_date(datetime.date(2006, 8, 1)) == "1er août 2006"


def test_amounts_read_as_in_a_french_document():
    assert euros(Decimal("28967")) == "28\u00a0967\u00a0€"
    assert euros(Decimal("8666.67")) == "8\u00a0666,67\u00a0€"
    assert euros(Decimal("-1500")) == "-1\u00a0500\u00a0€"


def test_a_siret_with_a_wrong_key_is_refused_in_french():
    with pytest.raises(ValidationError, match="clé de contrôle"):
        validate_siret("21790191200015")


def test_a_siret_of_the_wrong_length_is_refused_in_french():
    with pytest.raises(ValidationError, match="14 chiffres"):
        validate_siret("2179019120")


def test_a_valid_siret_passes():
    validate_siret("73282932000074")  # a published SIRET with a correct Luhn key


def test_an_rna_is_w_followed_by_nine_digits():
    validate_rna("W791000123")
    with pytest.raises(ValidationError, match="W suivi de 9 chiffres"):
        validate_rna("791000123")
