"""Writes on funding: post costs, contributions, payments."""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from config.core.concurrency import check_version
from config.core.events import publish
from conventions.enums import ContributionRule
from conventions.models import (
    Contribution,
    ContributionYearShare,
    Payment,
    PaymentProofVersion,
    Post,
    PostCost,
)
from conventions.models.cancellation import clean_reason


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
    expected_version: int | None = None,
) -> PostCost:
    """Create or replace the cost of ``post`` for ``year``; expected amounts follow it.

    ``expected_version``: the version of the cost the form showed, None if there was
    none; a cost saved meanwhile refuses the save."""
    cost = PostCost.objects.filter(post=post, year=year).first()
    if cost is None:
        cost = PostCost(post=post, year=year)
    cost.total, cost.salary, cost.charges, cost.operating, cost.note = (
        total,
        salary,
        charges,
        operating,
        note,
    )
    check_version(cost, expected_version, what=f"le coût du poste pour {year}")
    cost.full_clean()
    cost.save()
    return cost


@transaction.atomic
def contribution_save(
    *,
    contribution: Contribution,
    expected_version: int | None = None,
    year_shares: list[tuple[int, Decimal]] | None = None,
) -> Contribution:
    """Save a new or edited contribution, refusing an edit based on a stale version.

    ``year_shares``: the (year, percentage) of a share of the cost by year, replacing
    those stated before; None keeps them. Any other rule forgets them."""
    check_version(contribution, expected_version, what="cette contribution")
    contribution.full_clean()
    by_year = contribution.rule == ContributionRule.SHARE_BY_YEAR
    if by_year:
        if year_shares is None:
            year_shares = list(contribution.share_schedule)
        check_year_shares(contribution, year_shares)
    contribution.save()
    if by_year:
        stated = {share.year: share for share in contribution.year_shares.all()}
        for year, share in year_shares:
            row = stated.pop(year, None) or ContributionYearShare(
                contribution=contribution, year=year
            )
            if row.pk is None or row.share != share:
                row.share = share
                row.full_clean()
                row.save()
        for row in stated.values():
            row.delete()
    else:
        contribution.year_shares.all().delete()
    return contribution


def check_year_shares(contribution: Contribution, year_shares) -> None:
    """A share for the first year at least (a later year keeps the last share stated),
    each year once and within the contribution's years, each from 0 to 100 %."""
    first, last = contribution.first_year, contribution.last_year
    years = [year for year, _ in year_shares]
    if first not in years:
        raise ValidationError(
            {
                "rule": f"Indiquez la part du coût de {first}, première année de la contribution "
                "(les années suivantes sans part gardent la dernière part indiquée)."
            }
        )
    if len(set(years)) != len(years):
        raise ValidationError({"rule": "Chaque année ne prend qu'une part du coût."})
    outside = sorted(year for year in years if not first <= year <= last)
    if outside:
        raise ValidationError(
            {
                "rule": f"La contribution couvre {first}–{last} : retirez la part de "
                f"{', '.join(str(y) for y in outside)} ou changez ses années."
            }
        )
    if any(not 0 <= share <= 100 for _, share in year_shares):
        raise ValidationError({"rule": "Une part du coût va de 0 à 100 %."})


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
    payment.full_clean()
    payment.save()
    if proof:
        payment_attach_proof(payment=payment, proof=proof, uploaded_by=recorded_by)
        payment.refresh_from_db(fields=["proof"])
    convention = contribution.convention
    publish(
        "payment.recorded",
        concerned=lambda: {*convention.concerned_organisation_ids(), payer.pk},
        data={
            "versement": payment.pk,
            "convention": convention.reference,
            "contribution": contribution.pk,
            "annee": year,
            "montant": str(payment.amount),
        },
    )
    return payment


@transaction.atomic
def payment_attach_proof(*, payment: Payment, proof, uploaded_by=None) -> PaymentProofVersion:
    """Keep ``proof`` as a new version of the payment's proof, which becomes the current one.

    No file is ever deleted or overwritten: each upload gets a new name
    (``payment_proof_path``) and the previous versions stay listed and downloadable. The
    file is written before the rows: if the transaction fails afterwards, it is left as
    an orphan (``clean_orphan_uploads``), and the current proof is intact. A cancelled
    payment keeps its proofs and may get one: it is still on record.
    """
    # Locked so that of two uploads at once, the payment points at the newer one.
    payment = Payment.objects.select_for_update().get(pk=payment.pk)
    version = PaymentProofVersion(payment=payment, uploaded_by=uploaded_by).keep(proof)
    payment.proof.name = version.file.name
    payment.save(update_fields=["proof"])
    return version


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
