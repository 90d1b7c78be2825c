"""The contributions as the signed amendments change them: the one split that the
funding plan (``funding.build``) and the sums due (``funding.due``) both use, so that
they can never disagree.

What a signed amendment does to the money, from the day it takes effect:
- a new annual amount from a year (``ContributionChange``): the years before keep the
  signed rule, the amended years become that fixed amount (``rules.amended_spans``);
- a new contribution (``Contribution.introduced_by``): it counts only once its
  amendment is signed, from the later of its first year and the year the amendment
  takes effect; that first year is pro-rated by the contribution's own rule (by days,
  by months or not at all) from the day the amendment takes effect. Unsigned, it
  counts nothing;
- a party withdrawn (``PartyChange`` REMOVE): its contributions stop. For the year of
  withdrawal it owes its annual amount pro rata temporis by days, up to the day before
  the withdrawal takes effect (withdrawing on 1 July 2025, 181/365 of 2025's amount),
  unless a ContributionChange of the same amendment states that year's amount, which
  then wins; nothing after. Withdrawing on 1 January owes nothing for that year.

Nothing here queries the database: the callers read the amendments (``AmendmentFacts``)
and the contributions, and say how to copy one (``make``).
"""

import dataclasses
import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from conventions.enums import ContributionRule, PartyChangeAction, ProRata
from conventions.funding.rules import amended_spans
from conventions.models.changes import new_contribution_text

ONE_DAY = datetime.timedelta(days=1)


@dataclass(frozen=True)
class AmendmentFacts:
    """What one signed amendment changes in the money."""

    pk: int
    number: int
    takes_effect_on: datetime.date
    # (contribution id, from year, until year or None, amount), in the order recorded
    changes: tuple = ()
    withdrawn: frozenset = field(default_factory=frozenset)  # organisation ids

    @property
    def order(self):
        return (self.takes_effect_on, self.number)


def facts_of(amendments) -> list[AmendmentFacts]:
    """``AmendmentFacts`` of loaded amendments (signed ones), in the order they apply.
    Reads ``contribution_changes`` and ``party_changes`` (prefetch them)."""
    facts = [
        AmendmentFacts(
            pk=a.pk,
            number=a.number,
            takes_effect_on=a.takes_effect_on,
            changes=tuple(
                (c.contribution_id, c.from_year, c.until_year, c.amount)
                for c in sorted(a.contribution_changes.all(), key=lambda c: c.pk)
            ),
            withdrawn=frozenset(
                p.organisation_id
                for p in a.party_changes.all()
                if p.action == PartyChangeAction.REMOVE
            ),
        )
        for a in amendments
        if a.signed_on is not None
    ]
    return sorted(facts, key=lambda f: f.order)


def clipped_periods(contribution, periods):
    """The convention's periods as far as ``contribution`` runs (from the day its
    amendment takes effect, up to the day before its funder withdraws): what its
    pro-rata covers."""
    start = getattr(contribution, "active_from", None)
    end = getattr(contribution, "active_until", None)
    if not (start or end) or not periods:
        return periods
    clipped = []
    for period in periods:
        low = max(period.start, start) if start else period.start
        high = min(period.end, end) if end else period.end
        if low <= high:
            clipped.append(dataclasses.replace(period, start=low, end=high))
    return clipped


def as_amended(
    contributions: Iterable,
    amendments: list[AmendmentFacts],
    make: Callable,
) -> list:
    """``contributions`` as ``amendments`` (signed, in the order they apply) change them.

    A contribution left unchanged is returned as is; a changed one becomes pieces, each
    ``make(contribution, **fields)`` (a copy with those attributes: first_year,
    last_year, and when they change rule, amount, share_numerator, share_denominator,
    cap, prorata, active_from, active_until). Each contribution needs ``pk``,
    ``organisation_id``, ``first_year``, ``last_year``, ``prorata`` and
    ``introduced_by_id``.
    """
    by_pk = {a.pk: a for a in amendments}
    result = []
    for contribution in contributions:
        result.extend(_pieces(contribution, amendments, by_pk, make))
    return result


def _pieces(contribution, amendments, by_pk, make) -> list:
    first, last = contribution.first_year, contribution.last_year
    active_from = None
    introduced_on = None
    if contribution.introduced_by_id is not None:
        introduced = by_pk.get(contribution.introduced_by_id)
        if introduced is None:  # its amendment is not signed: it counts nothing yet
            return []
        introduced_on = introduced.takes_effect_on
        if introduced_on.year >= first:
            first = introduced_on.year
            if introduced_on != datetime.date(first, 1, 1):
                active_from = introduced_on
    changes = [
        (from_year, until_year, amount)
        for amendment in amendments
        for contribution_id, from_year, until_year, amount in amendment.changes
        if contribution_id == contribution.pk
    ]
    # The first withdrawal of its funder after it began (a party withdrawn, then added
    # again by a later amendment with a new contribution, pays that one).
    withdrawal = next(
        (
            a
            for a in amendments
            if contribution.organisation_id in a.withdrawn
            and (introduced_on is None or a.takes_effect_on > introduced_on)
        ),
        None,
    )
    if not (changes or withdrawal or first != contribution.first_year or active_from):
        return [contribution]

    spans = amended_spans(first, last, changes)
    last_year = max(high for _, high, _ in spans)
    active_until, stated = None, False
    if withdrawal is not None:
        left = withdrawal.takes_effect_on
        if left == datetime.date(left.year, 1, 1):
            last_year = min(last_year, left.year - 1)
        else:
            last_year = min(last_year, left.year)
            active_until = left - ONE_DAY
            stated = any(
                contribution_id == contribution.pk
                and from_year <= left.year <= (until_year or max(contribution.last_year, from_year))
                for contribution_id, from_year, until_year, _ in withdrawal.changes
            )
    own_years = [y for y in (active_from and first, active_until and active_until.year) if y]
    pieces = []
    for low, high, amount in spans:
        for piece_first, piece_last in _cut(max(low, first), min(high, last_year), own_years):
            pieces.append(
                _piece(
                    contribution,
                    make,
                    piece_first,
                    piece_last,
                    amount,
                    active_from=active_from if piece_first == first else None,
                    active_until=active_until
                    if active_until and piece_last == active_until.year
                    else None,
                    stated=stated,
                )
            )
    return pieces


def _cut(low: int, high: int, years: list[int]) -> list[tuple[int, int]]:
    """[low, high] with each of ``years`` inside it as a span of its own."""
    spans = [(low, high)] if low <= high else []
    for year in years:
        cut = []
        for a, b in spans:
            if a <= year <= b:
                cut += [(a, year - 1), (year, year), (year + 1, b)]
            else:
                cut.append((a, b))
        spans = [(a, b) for a, b in cut if a <= b]
    return spans


def _piece(
    contribution, make, first, last, amount: Decimal | None, *, active_from, active_until, stated
):
    fields = {"first_year": first, "last_year": last}
    if amount is not None:
        fields.update(
            rule=ContributionRule.FIXED,
            amount=amount,
            share_numerator=None,
            share_denominator=None,
            cap=None,
        )
    if active_from is not None:
        fields["active_from"] = active_from
    if active_until is not None:
        if stated and amount is not None:
            # The amendment that withdraws the party states its last year's amount.
            fields["prorata"] = ProRata.NONE
        else:
            fields.update(prorata=ProRata.DAYS, active_until=active_until)
    return make(contribution, **fields)


def planned_by_unsigned_amendments(convention) -> list[str]:
    """« participation de X : 5 000 € par an à compter de 2025, prévue par l'avenant n° 2
    (non signé) »: the contributions that count nothing yet. Reads ``contributions``
    (with their organisation) and ``amendments``, as ``with_funding`` loads them."""
    unsigned = {a.pk: a for a in convention.amendments.all() if a.signed_on is None}
    return [
        new_contribution_text(contribution, unsigned[contribution.introduced_by_id])
        for contribution in convention.contributions.all()
        if contribution.introduced_by_id in unsigned
    ]
