"""The map of France by département, coloured by one indicator of the steering tables.

The shapes come from static/steering/france-departements.svg (built once by
config/devtools/build_france_map.py; licence in static/steering/LICENCE-carte.md):
one per département, the overseas ones as insets, and Paris with its petite couronne
drawn a second time, larger, in a framed inset. Each département is a link to its
steering page with its figure as a tooltip; the values fall into five classes of the
DSFR's blue, a département without a value is hatched grey (« Aucune donnée »).

The SVG is a group of links (``role="group"`` named by its title), each named by its
``<title>`` (« Deux-Sèvres (79) : 3 postes »), reached by the keyboard like any link; a
picture (``role="img"``) may not hold links (axe: nested-interactive). The table of the
same figures right under it is its text alternative.
"""

import functools
import re
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from config.core.charts import FONT
from config.steering.area import Area
from config.steering.figures import Column, Kind, Masked, formatted
from partners.departements import BY_CODE

MAP_FILE = Path(settings.BASE_DIR) / "static" / "steering" / "france-departements.svg"
SHAPE = re.compile(r'<path data-code="(\w+)"( class="inset")? d="([^"]+)"/>')
# Blue France, lightest to darkest (DSFR: blue-france 925, 850, 625 hover… main 525, sun 113).
PALETTE = ("#e3e3fd", "#cacafb", "#8585f6", "#3a3aeb", "#000091")
NO_DATA = "Aucune donnée"
ATTRIBUTION = "Fond de carte : pygal_maps_fr (Kozea), licence LGPL-3.0 ou ultérieure"
MAP_WIDTH, MAP_HEIGHT = 2000, 1898
LEGEND_HEIGHT = 320


@functools.cache
def shapes() -> dict[str, list[tuple[bool, str]]]:
    """The drawings of each département by code: (inset?, path), the main one first."""
    result: dict[str, list[tuple[bool, str]]] = {}
    for match in SHAPE.finditer(MAP_FILE.read_text()):
        result.setdefault(match[1], []).append((bool(match[2]), match[3]))
    return result


def _bounds(paths: list[str]) -> tuple[float, float, float, float]:
    numbers = [float(n) for d in paths for n in re.findall(r"-?[\d.]+", d)]
    xs, ys = numbers[0::2], numbers[1::2]
    return min(xs), min(ys), max(xs), max(ys)


def _number(value) -> Decimal | None:
    if value is None or isinstance(value, (Masked, str)):
        return None
    return Decimal(value)


def classes(values: list[Decimal]) -> list[tuple[Decimal, Decimal]]:
    """Up to five classes of about as many départements each (quantiles), as (low, high)
    bounds, both included: the legend reads « de 3 à 7 »."""
    ordered = sorted(set(values))
    if not ordered:
        return []
    count = min(len(PALETTE), len(ordered))
    everyone = sorted(values)
    bounds, low_index = [], 0
    for k in range(1, count + 1):
        high = everyone[min(len(everyone) - 1, round(k * len(everyone) / count) - 1)]
        low = ordered[low_index] if low_index < len(ordered) else high
        if high < low:
            continue
        bounds.append((low, high))
        low_index = ordered.index(high) + 1
        if low_index >= len(ordered):
            break
    return bounds


def class_of(value: Decimal, bounds: list[tuple[Decimal, Decimal]]) -> int:
    for index, (_low, high) in enumerate(bounds):
        if value <= high:
            return index
    return len(bounds) - 1


def colour(index: int, bounds) -> str:
    """Fewer classes than colours (few distinct values) spread over the palette."""
    if len(bounds) < 2:
        return PALETTE[-1]
    return PALETTE[round(index * (len(PALETTE) - 1) / (len(bounds) - 1))]


def tooltip(code: str, value, indicator: Column) -> str:
    name = f"{BY_CODE[code].name} ({code})"
    if _number(value) is None and not isinstance(value, Masked):
        return f"{name} : {NO_DATA.lower()}"
    shown = formatted(value, indicator.kind)
    if indicator.kind == Kind.COUNT:
        return f"{name} : {shown} {indicator.label[:1].lower()}{indicator.label[1:]}"
    return f"{name} : {indicator.label[:1].lower()}{indicator.label[1:]} {shown}"


def _text(x, y, text, size=34, anchor="start") -> str:
    return (
        f'<text x="{x:.0f}" y="{y:.0f}" {FONT} font-size="{size}" text-anchor="{anchor}" '
        f'fill="#1e1e1e">{escape(text)}</text>'
    )


def france_map(values: dict, *, indicator: Column, title: str, map_id: str = "carte") -> SafeString:
    """``values``: the indicator's value by département code (missing: no data)."""
    numbers = {code: _number(value) for code, value in values.items()}
    bounds = classes([n for n in numbers.values() if n is not None])
    hatch = f"{map_id}-no-data"
    body = [
        "<defs>"
        f'<pattern id="{hatch}" width="14" height="14" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)"><rect width="14" height="14" fill="#f6f6f6"/>'
        '<line x1="0" y1="0" x2="0" y2="14" stroke="#929292" stroke-width="4"/></pattern>'
        "</defs>"
    ]
    inset_paths = []
    for code, drawings in shapes().items():
        number = numbers.get(code)
        fill = f"url(#{hatch})" if number is None else colour(class_of(number, bounds), bounds)
        paths = "".join(
            f'<path d="{d}" class="inset"/>' if inset else f'<path d="{d}"/>'
            for inset, d in drawings
        )
        inset_paths.extend(d for inset, d in drawings if inset)
        body.append(
            f'<a href="{escape(Area(code).url)}" data-code="{code}" '
            f'fill="{fill}" stroke="#ffffff" stroke-width="2">'
            f"<title>{escape(tooltip(code, values.get(code), indicator))}</title>{paths}</a>"
        )
    x1, y1, x2, y2 = _bounds(inset_paths)
    body.append(
        f'<rect x="{x1 - 20:.0f}" y="{y1 - 20:.0f}" width="{x2 - x1 + 40:.0f}" '
        f'height="{y2 - y1 + 40:.0f}" fill="none" stroke="#929292" stroke-width="3" '
        'stroke-dasharray="12 8"/>'
    )
    body.append(_text((x1 + x2) / 2, y2 + 60, "Paris et petite couronne", 30, "middle"))
    body.extend(_legend(bounds, indicator, hatch))
    return mark_safe(  # noqa: S308 (every text goes through escape())
        f'<svg xmlns="http://www.w3.org/2000/svg" class="steering-map" '
        f'viewBox="0 0 {MAP_WIDTH} {MAP_HEIGHT + LEGEND_HEIGHT}" role="group" '
        f'aria-labelledby="{map_id}-title">'
        f'<title id="{map_id}-title">{escape(title)}</title>{"".join(body)}</svg>'
    )


def _legend(bounds, indicator: Column, hatch: str) -> list[str]:
    """Under the map, in two columns (readable on a phone): the classes, then « Aucune
    donnée »."""
    top = MAP_HEIGHT + 10
    body = [_text(40, top + 40, indicator.label, 48)]
    items = [
        (
            colour(index, bounds),
            formatted(low, indicator.kind)
            if low == high
            else f"de {formatted(low, indicator.kind)} à {formatted(high, indicator.kind)}",
        )
        for index, (low, high) in enumerate(bounds)
    ]
    items.append((f"url(#{hatch})", NO_DATA))
    for index, (fill, label) in enumerate(items):
        x = 40 + (index % 2) * 960
        y = top + 70 + (index // 2) * 78
        body.append(
            f'<rect x="{x}" y="{y}" width="84" height="60" fill="{fill}" '
            'stroke="#1e1e1e" stroke-width="2"/>'
        )
        body.append(_text(x + 110, y + 46, label, 46))
    return body
