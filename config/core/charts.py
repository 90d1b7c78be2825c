"""What every SVG chart of the product shares: text, the ``<svg>`` wrapper with its title
and description, round axis ticks. Drawn on the server so that the page and the PDF
show the same picture (activity.charts, config.steering.charts)."""

import math
from decimal import ROUND_CEILING, Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

BLUE = "#000091"
FONT = 'font-family="DejaVu Sans, Arial, sans-serif"'
STEPS = (1, 1.5, 2, 2.5, 3, 4, 5, 6, 8)


def svg_text(x, y, text, size=11, anchor="start", weight="normal", fill="#1e1e1e") -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" {FONT} font-size="{size}" text-anchor="{anchor}" '
        f'font-weight="{weight}" fill="{fill}">{escape(text)}</text>'
    )


def svg_document(chart_id, title, description, width, height, body) -> SafeString:
    return mark_safe(  # noqa: S308 (every text goes through escape())
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" class="chart" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc">'
        f'<title id="{chart_id}-title">{escape(title)}</title>'
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>'
        f"{''.join(body)}</svg>"
    )


def nice_max(value: int, ticks: int = 4) -> int:
    """The smallest round top of the axis above ``value`` with ``ticks`` whole steps."""
    magnitude = 1
    while True:
        for step in STEPS:
            tick = step * magnitude
            if tick == int(tick) and tick * ticks >= value:
                return int(tick * ticks)
        magnitude *= 10


def nice_axis(low, high, ticks: int = 4, *, whole: bool = False) -> list[Decimal]:
    """Round ticks from below ``low`` (or zero) to above ``high`` (or zero), about
    ``ticks`` steps of 1, 2, 2.5 or 5 times a power of ten: amounts, counts and shares
    between 0 and 1 alike. ``whole``: a count's axis has no tick between two whole
    numbers (« 0,25 poste » means nothing)."""
    low, high = min(Decimal(0), Decimal(low)), max(Decimal(0), Decimal(high))
    if low == high:
        high = Decimal(1)
    raw = (high - low) / ticks
    power = Decimal(10) ** math.floor(math.log10(raw))
    step = next(s * power for s in (1, 2, Decimal("2.5"), 5, 10) if s * power >= raw)
    if whole:
        step = max(Decimal(1), step.to_integral_value(rounding=ROUND_CEILING))
    first = math.floor(low / step)
    last = math.ceil(high / step)
    return [step * n for n in range(first, last + 1)]
