"""Build static/steering/france-departements.svg, the map of the steering pages, once.

Source: pygal_maps_fr 1.1.0 (Kozea, LGPL-3.0-or-later), ``fr.departments.svg``: the
96 metropolitan départements, an inset of Paris and its petite couronne (75, 92, 93,
94 drawn twice) and the overseas ones as insets. Saint-Pierre-et-Miquelon (975) is a
collectivité, not a département: dropped. Every path is rewritten in absolute
coordinates rounded to one decimal (a relative path rounded would drift), its curves
as their end points and simplified (Douglas-Peucker, under a pixel as shown): the
file goes from 600 to about 110 Ko and every shape stays.

    python config/devtools/build_france_map.py /tmp/mapdl/pyg/pygal_maps_fr/fr.departments.svg

The output has one ``<path data-code="79">`` per département, ``class="inset"`` for the
second drawing of the petite couronne, and a ``<rect class="inset-frame">`` around each
inset; config/steering/maps.py reads it.
"""

import re
import sys
from pathlib import Path

OUTPUT = Path(__file__).resolve().parents[2] / "static" / "steering" / "france-departements.svg"
TOKEN = re.compile(r"[MmCcLlZzHhVv]|-?(?:\d+\.?\d*|\.\d+)(?:e-?\d+)?")
ARGUMENTS = {"m": 2, "l": 2, "c": 6, "h": 1, "v": 1, "z": 0}
DROPPED = {"975"}
# The insets as drawn by the source (in its coordinates, after the main group's translation).
PETITE_COURONNE = {"75", "92", "93", "94"}
# In the source's units (the map is 2000 wide, shown about 600 px wide): under a pixel.
TOLERANCE = 0.8


def subpaths(d: str, dx: float, dy: float) -> list[list[tuple[float, float]]]:
    """The rings of the path ``d`` as points, translated by (dx, dy). A curve keeps its end
    point only: the source traces borders with many short curves, each nearly straight."""
    tokens = TOKEN.findall(d)
    rings, ring, x, y, start, i, command = [], [], 0.0, 0.0, (0.0, 0.0), 0, None
    while i < len(tokens):
        if tokens[i].isalpha():
            command = tokens[i]
            i += 1
            if command in "Zz":
                x, y = start
                rings.append(ring)
                ring = []
                continue
        lower = command.lower()
        values = [float(t) for t in tokens[i : i + ARGUMENTS[lower]]]
        i += ARGUMENTS[lower]
        relative = command.islower()
        if lower in ("m", "l", "c"):
            ex, ey = values[-2:]
            x, y = (x + ex, y + ey) if relative else (ex, ey)
            if lower == "m":
                if ring:
                    rings.append(ring)
                ring, start = [], (x, y)
                # Pairs after a moveto are linetos.
                command = "l" if relative else "L"
        elif lower == "h":
            x = x + values[0] if relative else values[0]
        elif lower == "v":
            y = y + values[0] if relative else values[0]
        ring.append((x + dx, y + dy))
    if ring:
        rings.append(ring)
    return rings


def simplified(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Ramer-Douglas-Peucker: drop the points closer than TOLERANCE to the line kept."""
    if len(points) < 3:
        return points
    (ax, ay), (bx, by) = points[0], points[-1]
    length = ((bx - ax) ** 2 + (by - ay) ** 2) ** 0.5
    far, index = 0.0, 0
    for k, (px, py) in enumerate(points[1:-1], start=1):
        if length:
            distance = abs((bx - ax) * (ay - py) - (ax - px) * (by - ay)) / length
        else:
            distance = ((px - ax) ** 2 + (py - ay) ** 2) ** 0.5
        if distance > far:
            far, index = distance, k
    if far <= TOLERANCE:
        return [points[0], points[-1]]
    return simplified(points[: index + 1])[:-1] + simplified(points[index:])


def path(rings: list[list[tuple[float, float]]]) -> str:
    parts = []
    for ring in rings:
        kept = simplified(ring)
        if len(kept) < 3:
            continue
        parts.append("M" + "L".join(_pt(x, y) for x, y in kept) + "Z")
    return "".join(parts)


def _pt(x: float, y: float) -> str:
    return f"{x:.1f},{y:.1f}".replace(".0,", ",").removesuffix(".0")


def build(source: Path) -> str:
    text = source.read_text()
    main_end = text.index('<g id="paris-petite-couronne">')
    translate = re.search(r"translate\(([-\d.]+),([-\d.]+)\)", text[:main_end])
    dx, dy = float(translate[1]), float(translate[2])
    shapes = []
    group = re.compile(r'<g class="z(\w+) departement[^"]*">\s*<path d="([^"]+)"', re.S)
    for match in group.finditer(text):
        code, d = match[1], match[2]
        if code in DROPPED:
            continue
        inset = match.start() > main_end and code in PETITE_COURONNE
        offset = (dx, dy) if match.start() < main_end else (0.0, 0.0)
        shapes.append((code, inset, path(subpaths(d, *offset))))
    codes = {code for code, _, _ in shapes}
    assert len(codes) == 101, len(codes)
    lines = [
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 2000 1898">',
        "<!-- Fond de carte : pygal_maps_fr 1.1.0, Kozea, LGPL-3.0-or-later"
        " (voir LICENCE-carte.md). -->",
    ]
    for code, inset, d in shapes:
        css = ' class="inset"' if inset else ""
        lines.append(f'<path data-code="{code}"{css} d="{d}"/>')
    lines.append("</svg>")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    OUTPUT.write_text(build(Path(sys.argv[1])))
    print(f"{OUTPUT}: {OUTPUT.stat().st_size // 1024} Ko")
