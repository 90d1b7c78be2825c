"""Writes on funding: post costs, contributions, payments."""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from conventions.models import Contribution, Payment, Post, PostCost
from conventions.models.cancellation import clean_reason

STALE_CONTRIBUTION_MESSAGE = (
    "Cette contribution a été modifiée par quelqu'un d'autre pendant votre saisie. "
    "Rechargez la page pour voir sa version actuelle, puis refaites vos changements."
)


@transaction.atomic
def post_cost_set(
    *,
    post: Post,
    year: int,
    total: Decimal,
    salary: Decimal | None = None,
    charges: Decimal | None = None,
    operating: Decimal | None = None,
    note: str = "",
) -> PostCost:
    """Create or replace the cost of ``post`` for ``year``; expected amounts follow it."""
    cost = PostCost.objects.select_for_update().filter(post=post, year=year).first()
    if cost is None:
        cost = PostCost(post=post, year=year)
    cost.total, cost.salary, cost.charges, cost.operating, cost.note = (
        total,
        salary,
        charges,
        operating,
        note,
    )
    cost.full_clean()
    cost.save()
    return cost


@transaction.atomic
def contribution_save(
    *, contribution: Contribution, expected_version: int | None = None
) -> Contribution:
    """Save a new or edited contribution, refusing an edit based on a stale version."""
    if contribution.pk is not None:
        if expected_version is None:
            # An edit that does not say which version it started from could overwrite
            # someone else's: every caller passes the version its form displayed.
            raise ValueError("expected_version is required to update a contribution.")
        current = Contribution.objects.select_for_update().only("version").get(pk=contribution.pk)
        if current.version != expected_version:
            raise ValidationError(STALE_CONTRIBUTION_MESSAGE, code="stale")
        contribution.version = current.version + 1
    contribution.full_clean()
    contribution.save()
    return contribution


@transaction.atomic
def payment_record(
    *,
    contribution: Contribution,
    year: int,
    date: datetime.date,
    amount: Decimal,
    payer,
    reference: str = "",
    proof=None,
    recorded_by=None,
) -> Payment:
    payment = Payment(
        contribution=contribution,
        year=year,
        date=date,
        amount=amount,
        payer=payer,
        reference=reference,
        recorded_by=recorded_by,
    )
    if proof:
        payment.proof = proof
    payment.full_clean()
    payment.save()
    return payment


@transaction.atomic
def payment_cancel(*, payment: Payment, user, reason: str) -> Payment:
    """Cancel a payment recorded by mistake; it stays on record but no longer counts as paid.

    A payment is never deleted: the paid totals of past years must stay explainable.
    """
    reason = clean_reason(reason)
    payment = Payment.objects.select_for_update().get(pk=payment.pk)
    if payment.is_cancelled:
        raise ValidationError("Ce versement est déjà annulé.", code="already_cancelled")
    payment.cancelled_at, payment.cancelled_by = timezone.now(), user
    payment.cancellation_reason = reason
    payment.save(update_fields=["cancelled_at", "cancelled_by", "cancellation_reason"])
    return payment
