"""Funding rules: what a contribution expects each year, in words and in euros.

Rules, as the seeds write them:
- a fixed amount per year (État: 25 350 € in Niort, 13 000 € in Ermont);
- a share of the post cost with an optional annual cap
  (Ermont's Département: min(cost / 3, 13 000 €));
- a share of the post cost by year (the State's 80 %, then 50 %, then 30 %):
  a year after the last one stated keeps the last share, as a renewal keeps the
  last terms, so a tacitly renewed fourth year is paid at 30 %;
- the balance: the cost minus what the others pay, never below zero
  (Ermont's employer, Val Parisis).
A share (capped or by year) is a maximum and rounds down to the cent, then the
cap limits it, then the floor (a minimum annual amount) raises it.
An aid in kind (premises, equipment) computes nothing: it is never expected nor
paid, and the plan shows it apart.
A fixed amount or a share may be pro-rated for a first or last partial year,
by days or by months of the convention's periods within that year: the annual
amount (after the cap) is multiplied by the covered fraction. The balance is
never pro-rated: it follows the cost budgeted for the year, which is where a
partial year belongs.

Nothing here queries the database.
"""

import calendar
import datetime
from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from fractions import Fraction

from config.core.formats import euros, french_date, french_number
from conventions.enums import ContributionNature, ContributionRule, PaymentState, ProRata

CENT = Decimal("0.01")
ZERO = Decimal("0.00")


def money(value) -> Decimal:
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def times(amount: Decimal, fraction: Fraction) -> Decimal:
    return money(Decimal(amount) * fraction.numerator / fraction.denominator)


def french_list(items) -> str:
    """["2021", "2022", "2023"] → "2021, 2022 et 2023"."""
    items = [str(i) for i in items]
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} et {items[-1]}"


def partner_name(organisation) -> str:
    return organisation.short_name or organisation.name


SHARE_WORDS = {
    (1, 1): "la totalité",
    (1, 2): "la moitié",
    (1, 3): "un tiers",
    (2, 3): "deux tiers",
    (1, 4): "un quart",
    (3, 4): "trois quarts",
    (1, 5): "un cinquième",
}


def share_in_words(numerator: int, denominator: int) -> str:
    fraction = Fraction(numerator, denominator)
    key = (fraction.numerator, fraction.denominator)
    if key in SHARE_WORDS:
        return SHARE_WORDS[key]
    if denominator == 100:
        return f"{numerator} %"
    return f"{numerator}/{denominator}"


def percent(share) -> str:
    """Decimal("80.00") → "80 %", Decimal("33.33") → "33,33 %"."""
    share = Decimal(share)
    return f"{french_number(share, 0 if share == int(share) else 2)}\u00a0%"


def share_for_year(schedule, year: int) -> Decimal | None:
    """The percentage of ``year`` in a (year, share) schedule in year order: the share
    stated for that year, else the last one stated before it; None before the first."""
    share = None
    for stated_year, stated_share in schedule:
        if stated_year > year:
            break
        share = stated_share
    return share


def schedule_text(schedule) -> str:
    """ "80 % en 2024, 50 % en 2025, puis 30 % à partir de 2026" (the last share runs on)."""
    if not schedule:
        return "une part du coût du poste à indiquer pour chaque année"
    parts = [f"{percent(share)} en {year}" for year, share in schedule[:-1]]
    last_year, last_share = schedule[-1]
    last = f"{percent(last_share)} à partir de {last_year}"
    return f"{', '.join(parts)}, puis {last}" if parts else last


def in_kind_text(contribution) -> str:
    text = f"aide en nature : {contribution.in_kind_description}"
    if contribution.in_kind_value is not None:
        return f"{text}, valorisée {euros(contribution.in_kind_value)} par an"
    return f"{text} (valeur non chiffrée)"


def rule_text(contribution) -> str:
    """The rule written out in French: "un tiers du coût du poste, plafonné à 13 000 € par an"."""
    if getattr(contribution, "nature", "money") == ContributionNature.IN_KIND:
        return in_kind_text(contribution)
    match contribution.rule:
        case ContributionRule.FIXED:
            text = f"{euros(contribution.amount)} par an"
        case ContributionRule.SHARE_CAPPED:
            share = share_in_words(contribution.share_numerator, contribution.share_denominator)
            text = f"{share} du coût du poste"
            text += _limits_text(contribution)
        case ContributionRule.SHARE_BY_YEAR:
            text = f"part du coût du poste : {schedule_text(contribution.share_schedule)}"
            text += _limits_text(contribution)
        case _:
            text = "le solde du coût du poste (ce que les autres financeurs ne couvrent pas)"
    if contribution.prorata == ProRata.DAYS:
        text += " ; une année incomplète au prorata des jours couverts par la convention"
    elif contribution.prorata == ProRata.MONTHS:
        text += (
            " ; une année incomplète au prorata des mois couverts par la convention "
            "(tout mois commencé compte)"
        )
    if contribution.prorata != ProRata.NONE and contribution.rule in SHARE_RULES:
        text += ", appliqué à la part du coût d'une année entière"
    if contribution.due_month:
        day = french_date(datetime.date(2000, contribution.due_month, contribution.due_day))
        text += f" ; à verser au plus tard le {day.removesuffix(' 2000')} de chaque année"
    return text


SHARE_RULES = (ContributionRule.SHARE_CAPPED, ContributionRule.SHARE_BY_YEAR)


def _limits_text(contribution) -> str:
    text = ""
    if contribution.cap is not None:
        text += f", plafonné à {euros(contribution.cap)} par an"
    if getattr(contribution, "floor", None) is not None:
        text += f", au moins {euros(contribution.floor)} par an"
    return text


def binding_from(
    last_signature: datetime.date | None, effective: datetime.date | None
) -> datetime.date | None:
    """The day the convention binds its funders: its last signature, or its effective
    date when later. None while a party has yet to sign: nothing can be late then."""
    if last_signature is None:
        return None
    return max(last_signature, effective) if effective is not None else last_signature


def convention_binding_from(convention) -> datetime.date | None:
    """``binding_from`` of a convention whose parties are loaded."""
    return binding_from(convention.last_signature_date, convention.effective_date)


def stated_due_date(contribution, year: int) -> datetime.date | None:
    """The due date the convention states for ``year``, as written."""
    if not contribution.due_month:
        return None
    last_day = calendar.monthrange(year, contribution.due_month)[1]
    return datetime.date(year, contribution.due_month, min(contribution.due_day, last_day))


def due_date(contribution, year: int, binding: datetime.date | None) -> datetime.date | None:
    """When ``year``'s payment is due: the stated date, moved to ``binding`` (see
    ``binding_from``) when earlier, for a payment cannot be late before the convention
    was signed (Niort signed on 12 October 2021, a « 30 June » date makes the 2021
    payment due at signature). None without a stated date or before signature."""
    stated = stated_due_date(contribution, year)
    if stated is None or binding is None:
        return None
    return max(stated, binding)


def covered_fraction(periods, year: int, mode: str) -> Fraction | None:
    """Share of ``year`` that the periods cover, by days or by started months.

    None when the convention has no dates yet (not signed, no stated start).
    """
    if mode == ProRata.NONE:
        return Fraction(1)
    if not periods:
        return None
    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    if mode == ProRata.DAYS:
        covered = set()
        for period in periods:
            start, end = max(period.start, first), min(period.end, last)
            if start <= end:
                covered.update(range(start.toordinal(), end.toordinal() + 1))
        return Fraction(len(covered), last.toordinal() - first.toordinal() + 1)
    months = set()
    for period in periods:
        start, end = max(period.start, first), min(period.end, last)
        if start <= end:
            months.update(range(start.month, end.month + 1))
    return Fraction(len(months), 12)


@dataclass(frozen=True)
class Expected:
    """What a contribution should bring in one year, and how it was reached."""

    amount: Decimal | None  # None: cannot be computed (the year's cost is missing)
    annual: Decimal | None = None  # before pro-rata
    fraction: Fraction = Fraction(1)
    uncapped: Decimal | None = None  # the share before the cap
    cap_reached: bool = False
    floor_reached: bool = False
    share: Decimal | None = None  # the percentage of the year, for a share by year
    negative_balance: Decimal | None = None  # the balance before it was floored at zero
    prorata_unknown: bool = False


def expected_amount(contribution, year: int, cost, others=ZERO, *, periods=None) -> Expected:
    """Expected amount of ``contribution`` for ``year``.

    ``cost`` is the post cost budgeted for that year (a Decimal, or None when
    not entered); ``others`` is what the other contributions bring that year
    (used by the balance only). ``periods`` are the convention's periods, read
    from the convention when a pro-rata needs them.
    """
    uncapped = None
    cap_reached = floor_reached = False
    negative_balance = share = None
    match contribution.rule:
        case ContributionRule.FIXED:
            annual = money(contribution.amount)
        case ContributionRule.SHARE_CAPPED:
            if cost is None:
                return Expected(None)
            # « À hauteur maximum d'un tiers »: a share is a maximum, so it rounds down to
            # the cent (a third of 35 000 € is 11 666,66 €, never above the third).
            uncapped = (
                Decimal(cost) * contribution.share_numerator / contribution.share_denominator
            ).quantize(CENT, rounding=ROUND_DOWN)
            annual, cap_reached, floor_reached = _limited(contribution, uncapped)
        case ContributionRule.SHARE_BY_YEAR:
            share = share_for_year(contribution.share_schedule, year)
            if cost is None or share is None:
                return Expected(None, share=share)
            # A share is a maximum: rounded down to the cent, as a capped share.
            uncapped = (Decimal(cost) * Decimal(share) / 100).quantize(CENT, rounding=ROUND_DOWN)
            annual, cap_reached, floor_reached = _limited(contribution, uncapped)
        case ContributionRule.BALANCE:
            if cost is None:
                return Expected(None)
            annual = money(Decimal(cost) - Decimal(others))
            if annual < 0:
                annual, negative_balance = ZERO, annual
        case _:
            raise ValueError(f"Unknown contribution rule {contribution.rule!r}")
    fraction, prorata_unknown = Fraction(1), False
    if contribution.prorata != ProRata.NONE:
        if periods is None:
            periods = contribution.convention.periods()
        covered = covered_fraction(periods, year, contribution.prorata)
        if covered is None:
            prorata_unknown = True
        else:
            fraction = covered
    return Expected(
        amount=times(annual, fraction),
        annual=annual,
        fraction=fraction,
        uncapped=uncapped,
        cap_reached=cap_reached,
        floor_reached=floor_reached,
        share=share,
        negative_balance=negative_balance,
        prorata_unknown=prorata_unknown,
    )


def _limited(contribution, uncapped: Decimal) -> tuple[Decimal, bool, bool]:
    """A share after its cap, then its floor: (annual amount, cap reached, floor reached).
    The floor applies last: a funder committed to « au moins » pays it even when the
    share of a small cost falls below."""
    cap, floor = contribution.cap, getattr(contribution, "floor", None)
    if cap is not None and uncapped >= cap:
        return money(cap), True, False
    if floor is not None and uncapped < floor:
        return money(floor), False, True
    return uncapped, False, False


def payment_state(expected: Decimal | None, paid: Decimal, due: datetime.date | None, today):
    """Due, partly paid, paid, overpaid, or late: unpaid after the stated due date."""
    if expected is None:
        return PaymentState.UNKNOWN
    if paid > expected:
        return PaymentState.OVERPAID
    if paid == expected:
        return PaymentState.PAID if expected > 0 else PaymentState.NOTHING_DUE
    if due is not None and due < today:
        return PaymentState.LATE
    return PaymentState.PARTLY_PAID if paid > 0 else PaymentState.DUE


def amended_spans(
    first_year: int, last_year: int, changes
) -> list[tuple[int, int, Decimal | None]]:
    """A contribution's years as amended: (first, last, new annual amount or None for the
    signed rule) in year order. ``changes`` are (from year, until year or None, amount) in
    the order the amendments apply; a later one wins. Without an until year, a change runs
    to the contribution's last year, or its own from year when that comes later."""
    spans = [(first_year, last_year, None)]
    for start, until, amount in changes:
        end = until or max(last_year, start)
        kept = []
        for low, high, value in spans:
            if low < start:
                kept.append((low, min(high, start - 1), value))
            if high > end:
                kept.append((max(low, end + 1), high, value))
        spans = sorted([*kept, (start, end, amount)])
    return spans
