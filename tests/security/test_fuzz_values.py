"""Property tests of the small functions every form relies on: whatever is typed,
a value or a French validation message, never an exception."""

import re
from decimal import Decimal

from django.core.exceptions import ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st

from config.core.formats import euros, french_date, french_number
from conventions.funding.forms import EuroField, euro_field, parse_year
from conventions.lifecycle.rules import word_diff
from partners.validators import validate_departement_code, validate_rna, validate_siret
from tests.security.strategies import SOME_DATES, english_messages, odd_text

FAST = settings(max_examples=200, deadline=None)


def clean_or_messages(field, value):
    try:
        return field.clean(value), []
    except ValidationError as error:
        return None, error.messages


@FAST
@given(odd_text)
def test_an_amount_is_a_positive_decimal_of_cents_or_a_french_message(text):
    amount, messages = clean_or_messages(euro_field("Montant"), text)
    if messages:
        assert not english_messages(messages), messages
        return
    assert isinstance(amount, Decimal)
    assert Decimal(0) <= amount < Decimal(10) ** 10
    assert amount == amount.quantize(Decimal("0.01"))


@FAST
@given(st.decimals(min_value=0, max_value=Decimal("9999999999.99"), places=2))
def test_an_amount_written_the_french_way_reads_back_the_same(amount):
    typed = euros(amount)
    assert EuroField(max_digits=12, decimal_places=2).clean(typed) == amount


@FAST
@given(st.one_of(odd_text, st.integers(), st.none(), st.floats()))
def test_a_year_parameter_is_a_year_of_the_century_or_nothing(value):
    year = parse_year(value)
    assert year is None or 2000 <= year <= 2100


# Amounts are at most 12 digits; sums over every convention of the country stay far
# below 10**15.
ANY_SUM = st.decimals(min_value=-(10**15), max_value=10**15, allow_nan=False)


@FAST
@given(ANY_SUM, st.integers(0, 2))
def test_any_amount_can_be_written_in_french(value, places):
    text = french_number(value, places)
    assert re.fullmatch(r"-?\d{1,3}(\u00a0\d{3})*(,\d+)?", text), text


@FAST
@given(SOME_DATES)
def test_any_date_can_be_written_in_french(day):
    assert french_date(day).endswith(str(day.year))


@FAST
@given(odd_text)
def test_a_siret_is_accepted_only_as_fourteen_ascii_digits(text):
    try:
        validate_siret(text)
    except ValidationError as error:
        assert not english_messages(error.messages)
    else:
        assert re.fullmatch(r"[0-9]{14}", text), text


@FAST
@given(st.one_of(odd_text, st.from_regex(r"W\d{9}", fullmatch=True)))
def test_an_rna_number_is_accepted_only_as_w_and_nine_ascii_digits(text):
    try:
        validate_rna(text)
    except ValidationError as error:
        assert not english_messages(error.messages)
    else:
        assert re.fullmatch(r"W[0-9]{9}", text), text


@FAST
@given(st.one_of(odd_text, st.from_regex(r"[0-9]{2}|9[0-9]{2}|2[AB]", fullmatch=True)))
def test_a_departement_code_is_accepted_only_in_ascii(text):
    try:
        validate_departement_code(text)
    except ValidationError as error:
        assert not english_messages(error.messages)
    else:
        assert re.fullmatch(r"[0-9]{2}|97[1-6]|2[AB]", text), text


MARKUP = re.compile(r'</?(del|ins)>|<span class="visually-hidden">|</span>')


@FAST
@given(st.text(max_size=300), st.text(max_size=300))
def test_the_word_diff_of_any_two_texts_carries_no_markup_of_theirs(old, new):
    # word_diff is marked safe: whatever the texts hold must come out escaped.
    html = str(word_diff(old, new))
    assert "<" not in MARKUP.sub("", html)
