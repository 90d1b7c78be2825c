"""Charts drawn on the server as SVG, so that the page and the PDF show the same picture.

Each chart comes with its data as a table (the accessible alternative); series
differ by fill *and* outline, never by colour alone.
"""

from dataclasses import dataclass

from django.utils.safestring import SafeString

from activity.bilans import CHART_GROUPS, PERSONS_CODE, SHORT_MONTHS, Bilan
from config.core.charts import BLUE, nice_max, svg_document, svg_text
from config.core.formats import MONTHS, french_number


@dataclass
class Chart:
    id: str
    title: str
    description: str
    svg: SafeString
    headers: list[str]
    rows: list[list[str]]


def evolution_chart(bilan: Bilan) -> Chart | None:
    """Persons met per month, this period against the same months of the previous year."""
    row = bilan.row(PERSONS_CODE)
    if row is None:
        return None
    months = bilan.period.months
    current = [v or 0 for v in row.months]
    previous = [bilan.previous_months.get(m) or 0 for m in months]
    year, last_year = bilan.period.year, bilan.period.year - 1
    width, height = 680, 280
    left, right, top, bottom = 48, 16, 40, 44
    plot_w, plot_h = width - left - right, height - top - bottom
    top_value = nice_max(max(current + previous + [1]))
    slot = plot_w / len(months)
    bar = slot * 0.36
    body = []
    for i in range(5):
        value = top_value * i / 4
        y = top + plot_h - plot_h * i / 4
        body.append(
            f'<line x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}" '
            f'stroke="#c8c8c8" stroke-width="1"/>'
        )
        body.append(svg_text(left - 6, y + 4, french_number(value), 10, "end"))
    for index, month in enumerate(months):
        x = left + slot * index + slot * 0.12
        for offset, value, style in (
            (0, previous[index], f'fill="#ffffff" stroke="{BLUE}" stroke-width="1.5"'),
            (bar, current[index], f'fill="{BLUE}"'),
        ):
            h = plot_h * value / top_value
            body.append(
                f'<rect x="{x + offset:.1f}" y="{top + plot_h - h:.1f}" width="{bar:.1f}" '
                f'height="{h:.1f}" {style}/>'
            )
        body.append(
            svg_text(
                x + bar * 1.5,
                top + plot_h - plot_h * current[index] / top_value - 4,
                str(current[index]),
                9,
                "middle",
            )
        )
        body.append(svg_text(x + bar, height - bottom + 16, SHORT_MONTHS[month - 1], 10, "middle"))
    body.append(
        f'<rect x="{left}" y="10" width="14" height="12" fill="{BLUE}"/>'
        + svg_text(left + 20, 20, str(year), 11)
        + f'<rect x="{left + 80}" y="10" width="14" height="12" fill="#ffffff" '
        f'stroke="{BLUE}" stroke-width="1.5"/>'
        + svg_text(left + 100, 20, f"{last_year} (même mois)", 11)
    )
    title = f"Personnes rencontrées par mois, {year} et {last_year}"
    description = "; ".join(
        f"{MONTHS[m - 1]} : {c} en {year}, {p} en {last_year}"
        for m, c, p in zip(months, current, previous, strict=True)
    )
    chart_id = "chart-evolution"
    return Chart(
        chart_id,
        title,
        description,
        svg_document(chart_id, title, description, width, height, body),
        ["Mois", str(year), str(last_year)],
        [
            [MONTHS[m - 1], str(c), str(p)]
            for m, c, p in zip(months, current, previous, strict=True)
        ],
    )


def breakdown_chart(bilan: Bilan, group_code: str) -> Chart | None:
    """One horizontal bar per line of a multiple-count group, largest first."""
    group = bilan.group(group_code)
    if group is None:
        return None
    items = sorted(
        ((row.indicator.label, row.total or 0) for row in group.rows),
        key=lambda item: item[1],
        reverse=True,
    )
    label_w, bar_h, gap, top = 250, 16, 6, 8
    width = 680
    height = top * 2 + len(items) * (bar_h + gap)
    plot_w = width - label_w - 60
    top_value = max([value for _, value in items] + [1])
    body = []
    for index, (label, value) in enumerate(items):
        y = top + index * (bar_h + gap)
        w = plot_w * value / top_value
        body.append(svg_text(label_w - 8, y + bar_h - 4, label, 10, "end"))
        body.append(f'<rect x="{label_w}" y="{y}" width="{w:.1f}" height="{bar_h}" fill="{BLUE}"/>')
        body.append(svg_text(label_w + w + 6, y + bar_h - 4, french_number(value), 10))
    title = f"{group.spec.label} — {bilan.period.label}"
    description = "; ".join(f"{label} : {value}" for label, value in items)
    chart_id = f"chart-{group_code}"
    return Chart(
        chart_id,
        title,
        description,
        svg_document(chart_id, title, description, width, height, body),
        [group.spec.label, "Total"],
        [[label, str(value)] for label, value in items],
    )


def bilan_charts(bilan: Bilan) -> list[Chart]:
    charts = [evolution_chart(bilan), *(breakdown_chart(bilan, code) for code in CHART_GROUPS)]
    return [chart for chart in charts if chart is not None]
