"""Dates of the past (a signature, a payment, a convocation) cannot be typed in the future.

Each case is named after what a wrong date would do on the pages.
"""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tests.conventions.factories import DeliberationFactory, PartyFactory, PaymentFactory

pytestmark = pytest.mark.django_db


def in_years(years):
    today = timezone.localdate()
    return today.replace(year=today.year + years)


def errors_of(instance):
    with pytest.raises(ValidationError) as error:
        instance.full_clean()
    return error.value.message_dict


def test_a_signature_dated_in_2031_would_make_the_convention_signed_and_is_refused():
    party = PartyFactory(signed_on=None)
    party.signed_on = in_years(5)
    assert errors_of(party)["signed_on"] == [
        "La date de signature ne peut pas être postérieure à aujourd'hui "
        f"({timezone.localdate():%d/%m/%Y})."
    ]


def test_a_signature_of_today_is_accepted():
    party = PartyFactory(signed_on=timezone.localdate())
    party.full_clean()


def test_a_payment_dated_in_ten_years_is_refused():
    payment = PaymentFactory.build(contribution=PaymentFactory().contribution)
    payment.date = in_years(10)
    assert "date" in errors_of(payment)


def test_a_convocation_after_the_session_is_refused_next_to_the_field():
    deliberation = DeliberationFactory()
    deliberation.convocation_date = deliberation.session_date + datetime.timedelta(days=3)
    assert errors_of(deliberation)["convocation_date"] == [
        "La convocation ne peut pas suivre la séance."
    ]
