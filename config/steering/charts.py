"""Steering charts as SVG: one function draws any ``Chart`` (figures), so that the page
and the PDF show the same picture; the XLSX rebuilds it as a native chart from the same
values (documents).

Series differ by pattern or outline (bars) and by dash and marker (lines), never by
colour alone; the legend shows the same swatches. Unknown and masked values are left
out of the drawing (the table under the chart prints them).
"""

from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString

from config.core.charts import BLUE, nice_axis, svg_document, svg_text
from config.core.formats import euros, french_number
from config.steering.figures import Chart, Kind, Masked, formatted

# Axes in whole numbers: no « 0,25 poste ».
WHOLE_UNITS = frozenset({Kind.COUNT, Kind.DAYS})

WIDTH = 680
GRID = "#c8c8c8"
INK = "#1e1e1e"
CHAR = 6.2  # the width of a character of the 10-unit font, to size the margins


def _patterns(chart_id: str) -> str:
    """Hatches and dots for the third series onwards (per chart: ids are page-wide)."""
    return (
        "<defs>"
        f'<pattern id="{chart_id}-hatch" width="6" height="6" patternUnits="userSpaceOnUse" '
        f'patternTransform="rotate(45)"><rect width="6" height="6" fill="#ffffff"/>'
        f'<line x1="0" y1="0" x2="0" y2="6" stroke="{BLUE}" stroke-width="2.5"/></pattern>'
        f'<pattern id="{chart_id}-dots" width="5" height="5" patternUnits="userSpaceOnUse">'
        f'<rect width="5" height="5" fill="#ffffff"/>'
        f'<circle cx="2.5" cy="2.5" r="1.3" fill="{BLUE}"/></pattern>'
        f'<pattern id="{chart_id}-cross" width="6" height="6" patternUnits="userSpaceOnUse">'
        f'<rect width="6" height="6" fill="#cacafb"/>'
        f'<path d="M0,3H6M3,0V6" stroke="{BLUE}" stroke-width="1"/></pattern>'
        "</defs>"
    )


def _fill(chart_id: str, index: int) -> str:
    """The fill and outline of the bars of series ``index``."""
    styles = (
        f'fill="{BLUE}"',
        f'fill="#ffffff" stroke="{BLUE}" stroke-width="1.5"',
        f'fill="url(#{chart_id}-hatch)" stroke="{BLUE}" stroke-width="1"',
        f'fill="url(#{chart_id}-dots)" stroke="{BLUE}" stroke-width="1"',
        f'fill="url(#{chart_id}-cross)" stroke="{INK}" stroke-width="1"',
        f'fill="#cacafb" stroke="{INK}" stroke-width="1" stroke-dasharray="3 2"',
    )
    return styles[index % len(styles)]


DASHES = ("", "7 4", "2 3", "10 3 2 3")
LINE_COLOURS = (BLUE, INK, "#6a6af4", "#5e2a2b")


def _marker(x: float, y: float, index: int, colour: str) -> str:
    """A circle, a square, a triangle or a diamond on each point of a line."""
    outline = f'fill="#ffffff" stroke="{colour}" stroke-width="1.5"'
    match index % 4:
        case 0:
            return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{colour}"/>'
        case 1:
            return f'<rect x="{x - 3.5:.1f}" y="{y - 3.5:.1f}" width="7" height="7" {outline}/>'
        case 2:
            points = [(x, y - 4.5), (x + 4.5, y + 3.5), (x - 4.5, y + 3.5)]
            style = f'fill="{colour}"'
        case _:
            points = [(x, y - 4.5), (x + 4.5, y), (x, y + 4.5), (x - 4.5, y)]
            style = outline
    return f'<path d="M{"L".join(f"{px:.1f},{py:.1f}" for px, py in points)}Z" {style}/>'


def _number(value) -> float | None:
    if value is None or isinstance(value, Masked):
        return None
    return float(value)


def tick_label(value: Decimal, unit: str) -> str:
    if unit == Kind.PERCENT:
        return formatted(value, Kind.PERCENT)
    if unit == Kind.EUROS:
        return euros(value)
    places = 0 if value == value.to_integral_value() else len(str(value.normalize()).split(".")[1])
    return french_number(value, min(places, 2))


def description(chart: Chart) -> str:
    """The figures in words: the SVG's ``<desc>``."""
    return "; ".join(
        f"{category} : "
        + ", ".join(f"{s.label} {formatted(s.values[i], chart.unit)}" for s in chart.series)
        for i, category in enumerate(chart.categories)
    )


def _legend(chart: Chart, y: float) -> tuple[list[str], float]:
    """Swatches in rows above the plot; returns the drawing and the height it takes."""
    if len(chart.series) < 2 and chart.kind != "lines":
        return [], 0
    body, x, row = [], 8.0, 0
    for index, series in enumerate(chart.series):
        width = 24 + len(series.label) * CHAR + 16
        if x + width > WIDTH and x > 8:
            x, row = 8.0, row + 1
        top = y + row * 18
        if chart.kind == "lines":
            colour = LINE_COLOURS[index % len(LINE_COLOURS)]
            dash = DASHES[index % len(DASHES)]
            body.append(
                f'<line x1="{x:.1f}" x2="{x + 18:.1f}" y1="{top + 6:.1f}" y2="{top + 6:.1f}" '
                f'stroke="{colour}" stroke-width="2" stroke-dasharray="{dash}"/>'
            )
            body.append(_marker(x + 9, top + 6, index, colour))
        else:
            body.append(
                f'<rect x="{x:.1f}" y="{top:.1f}" width="14" height="12" {_fill(chart.id, index)}/>'
            )
        body.append(svg_text(x + 22, top + 10, series.label, 10))
        x += width
    return body, (row + 1) * 18 + 6


def _vertical(chart: Chart) -> tuple[list[str], float]:
    """Grouped or stacked bars, or lines, over the categories (years, quarters)."""
    numbers = [[_number(v) for v in s.values] for s in chart.series]
    if chart.kind == "stacked":
        sums = [
            (
                sum(n[i] for n in numbers if n[i] is not None and n[i] < 0),
                sum(n[i] for n in numbers if n[i] is not None and n[i] > 0),
            )
            for i in range(len(chart.categories))
        ]
        low, high = min([s[0] for s in sums] + [0]), max([s[1] for s in sums] + [0])
    else:
        known = [v for n in numbers for v in n if v is not None] or [0]
        low, high = min(known), max(known)
    ticks = nice_axis(low, high, whole=chart.unit in WHOLE_UNITS)
    labels = [tick_label(t, chart.unit) for t in ticks]
    legend, legend_h = _legend(chart, 8)
    left = 12 + max(len(label) for label in labels) * CHAR
    top, bottom, right = 14 + legend_h, 30, 12
    height = 260 + legend_h
    plot_w, plot_h = WIDTH - left - right, height - top - bottom
    axis_low, axis_high = float(ticks[0]), float(ticks[-1])

    def y_of(value: float) -> float:
        return top + plot_h * (axis_high - value) / (axis_high - axis_low)

    body = [_patterns(chart.id), *legend]
    for tick, label in zip(ticks, labels, strict=True):
        y = y_of(float(tick))
        stroke = INK if tick == 0 else GRID
        body.append(
            f'<line x1="{left:.1f}" x2="{WIDTH - right}" y1="{y:.1f}" y2="{y:.1f}" '
            f'stroke="{stroke}" stroke-width="1"/>'
        )
        body.append(svg_text(left - 6, y + 4, label, 10, "end"))
    slot = plot_w / max(len(chart.categories), 1)
    for index, category in enumerate(chart.categories):
        body.append(
            svg_text(left + slot * (index + 0.5), height - bottom + 16, category, 10, "middle")
        )
    if chart.kind == "lines":
        for s_index, values in enumerate(numbers):
            colour = LINE_COLOURS[s_index % len(LINE_COLOURS)]
            points = [
                (left + slot * (i + 0.5), y_of(v)) for i, v in enumerate(values) if v is not None
            ]
            if len(points) > 1:
                body.append(
                    '<polyline fill="none" stroke-width="2" '
                    f'stroke="{colour}" stroke-dasharray="{DASHES[s_index % len(DASHES)]}" '
                    f'points="{" ".join(f"{x:.1f},{y:.1f}" for x, y in points)}"/>'
                )
            body.extend(_marker(x, y, s_index, colour) for x, y in points)
    elif chart.kind == "stacked":
        bar = slot * 0.6
        for i in range(len(chart.categories)):
            x = left + slot * i + (slot - bar) / 2
            above = below = 0.0
            for s_index, values in enumerate(numbers):
                value = values[i]
                if not value:
                    continue
                if value > 0:
                    start, above = above, above + value
                else:
                    start, below = below, below + value
                y1, y2 = sorted((y_of(start), y_of(start + value)))
                body.append(
                    f'<rect x="{x:.1f}" y="{y1:.1f}" width="{bar:.1f}" '
                    f'height="{y2 - y1:.1f}" {_fill(chart.id, s_index)}/>'
                )
    else:
        count = max(len(numbers), 1)
        bar = slot * 0.8 / count
        for i in range(len(chart.categories)):
            for s_index, values in enumerate(numbers):
                value = values[i]
                if value is None:
                    continue
                x = left + slot * i + slot * 0.1 + bar * s_index
                y1, y2 = sorted((y_of(0), y_of(value)))
                body.append(
                    f'<rect x="{x:.1f}" y="{y1:.1f}" width="{bar:.1f}" '
                    f'height="{y2 - y1:.1f}" {_fill(chart.id, s_index)}/>'
                )
                if count == 1:
                    body.append(
                        svg_text(
                            x + bar / 2,
                            y1 - 4,
                            formatted(chart.series[s_index].values[i], chart.unit),
                            9,
                            "middle",
                        )
                    )
    return body, height


def _horizontal(chart: Chart) -> tuple[list[str], float]:
    """One bar per category and series, in the order given (a breakdown)."""
    numbers = [[_number(v) for v in s.values] for s in chart.series]
    known = [v for n in numbers for v in n if v is not None] or [0]
    ticks = nice_axis(min(known), max(known), whole=chart.unit in WHOLE_UNITS)
    legend, legend_h = _legend(chart, 8)
    label_w = min(260, 16 + max([len(c) for c in chart.categories] + [4]) * CHAR)
    count = max(len(numbers), 1)
    bar_h, gap = 14, 8
    top = 10 + legend_h
    value_w = 90
    plot_w = WIDTH - label_w - value_w
    axis_low, axis_high = float(ticks[0]), float(ticks[-1])
    height = top + len(chart.categories) * (bar_h * count + gap) + 24

    def x_of(value: float) -> float:
        return label_w + plot_w * (value - axis_low) / (axis_high - axis_low)

    body = [_patterns(chart.id), *legend]
    bottom = height - 24
    for tick in ticks:
        x = x_of(float(tick))
        body.append(
            f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{top - 4}" y2="{bottom:.1f}" '
            f'stroke="{INK if tick == 0 else GRID}" stroke-width="1"/>'
        )
        body.append(svg_text(x, bottom + 14, tick_label(tick, chart.unit), 9, "middle"))
    for i, category in enumerate(chart.categories):
        y = top + i * (bar_h * count + gap)
        fits = int((label_w - 12) / CHAR)
        label = category if len(category) <= fits else category[: fits - 1] + "…"
        body.append(svg_text(label_w - 8, y + (bar_h * count) / 2 + 4, label, 10, "end"))
        for s_index, values in enumerate(numbers):
            value = values[i]
            if value is None:
                continue
            x1, x2 = sorted((x_of(0), x_of(value)))
            top_bar = y + bar_h * s_index
            body.append(
                f'<rect x="{x1:.1f}" y="{top_bar:.1f}" width="{x2 - x1:.1f}" height="{bar_h}" '
                f"{_fill(chart.id, s_index)}/>"
            )
            body.append(
                svg_text(
                    x2 + 5,
                    top_bar + bar_h - 3,
                    formatted(chart.series[s_index].values[i], chart.unit),
                    9,
                )
            )
    return body, height


def chart_svg(chart: Chart) -> SafeString:
    body, height = _horizontal(chart) if chart.kind == "hbars" else _vertical(chart)
    return svg_document(escape(chart.id), chart.title, description(chart), WIDTH, int(height), body)
