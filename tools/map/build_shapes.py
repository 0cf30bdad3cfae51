"""Build static/map/countries.json, the country shapes the site draws its maps from.

Run once, when the shapes should change (the output is committed; the site never runs this):

    cd tools/map && npm install && cd ../.. && python tools/map/build_shapes.py

Input (npm packages installed by tools/map/package.json, build time only):
- ``world-atlas`` 2.0.2 (ISC): Natural Earth's 1:50m admin-0 countries (public domain) as
  TopoJSON, keyed by ISO 3166-1 numeric code;
- ``i18n-iso-countries`` (MIT): its table of ISO 3166-1 numeric and alpha-2 codes.

Output: shapes keyed by the ISO 3166-1 alpha-2 codes of fixtures/regions.json, projected
with the Equal Earth projection (equal-area, as a choropleth needs) into a 1000-wide
viewBox, as SVG path data at two levels of detail ("detail" for /coverage/, "compact" for
the search page). Arcs are simplified (Douglas–Peucker) before rings are assembled, so
neighbours keep sharing the same borders. Natural Earth shapes without an ISO code of
their own follow ISO 3166-1: Somaliland is drawn with Somalia (SO), Northern Cyprus with
Cyprus (CY); Kosovo, the Siachen Glacier and the Indian Ocean Territories (no code in
fixtures/regions.json) are drawn as background. Countries too small to see get a dot
(``dots``), so that they can still be pointed at and focused.
"""

import json
import math
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
ATLAS = HERE / "node_modules/world-atlas/countries-50m.json"
CODES = HERE / "node_modules/i18n-iso-countries/codes.json"
REGIONS = ROOT / "fixtures/regions.json"
OUTPUT = ROOT / "static/map/countries.json"

WIDTH = 1000
# Per level of detail: the tolerance of the simplification and the precision of the
# coordinates (units per viewBox unit: 10 is one decimal), in viewBox units.
LEVELS = {"detail": (0.6, 10), "compact": (2.5, 1)}
# A shape whose bounding box is smaller than this (in viewBox units) also gets a dot.
DOT_BELOW = 4.0
MERGED = {"Somaliland": "SO", "N. Cyprus": "CY"}

# Equal Earth projection (Šavrič, Patterson, Jenny 2018).
A1, A2, A3, A4 = 1.340264, -0.081106, 0.000893, 0.003796
M = math.sqrt(3) / 2
X_MAX = 2.7206287  # x at longitude 180°, latitude 0
Y_MAX = 1.3173627  # y at latitude 90°
SCALE = WIDTH / (2 * X_MAX)
HEIGHT = math.ceil(2 * Y_MAX * SCALE)


def project(lon: float, lat: float) -> tuple[float, float]:
    theta = math.asin(M * math.sin(math.radians(lat)))
    t2 = theta * theta
    t6 = t2 * t2 * t2
    x = 2 * math.sqrt(3) * math.radians(lon) * math.cos(theta)
    x /= 3 * (9 * A4 * t6 * t2 + 7 * A3 * t6 + 3 * A2 * t2 + A1)
    y = theta * (A1 + A2 * t2 + t6 * (A3 + A4 * t2))
    return (x + X_MAX) * SCALE, (Y_MAX - y) * SCALE


def decode_arcs(topology) -> list[list[tuple[float, float]]]:
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append(project(x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def simplify(points, tolerance):
    """Douglas–Peucker, keeping the ends (shared with the neighbouring arcs)."""
    if len(points) < 3:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        (x1, y1), (x2, y2) = points[first], points[last]
        dx, dy = x2 - x1, y2 - y1
        norm = math.hypot(dx, dy)
        worst, index = 0.0, 0
        for i in range(first + 1, last):
            px, py = points[i]
            if norm:
                distance = abs(dy * px - dx * py + x2 * y1 - y2 * x1) / norm
            else:
                distance = math.hypot(px - x1, py - y1)
            if distance > worst:
                worst, index = distance, i
        if worst > tolerance:
            keep[index] = True
            stack += [(first, index), (index, last)]
    return [p for p, kept in zip(points, keep, strict=True) if kept]


def ring_points(ring, arcs):
    points = []
    for index in ring:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        points.extend(arc if not points else arc[1:])
    return points


def path_data(polygons, arcs, precision) -> str:
    """SVG path data, relative moves, for a list of polygons (rings of arcs)."""
    parts = []
    for polygon in polygons:
        for ring in polygon:
            points = [
                (round(x * precision), round(y * precision)) for x, y in ring_points(ring, arcs)
            ]
            deduplicated = [points[0]]
            for point in points[1:]:
                if point != deduplicated[-1]:
                    deduplicated.append(point)
            if len(deduplicated) < 4:  # nothing left to draw at this level
                continue
            (x0, y0), steps = deduplicated[0], []
            previous = (x0, y0)
            for x, y in deduplicated[1:-1]:
                dx, dy = x - previous[0], y - previous[1]
                steps.append(f"{_num(dx, precision)} {_num(dy, precision)}")
                previous = (x, y)
            parts.append(f"M{_num(x0, precision)} {_num(y0, precision)}l" + " ".join(steps) + "z")
    return "".join(parts).replace(" -", "-")


def _num(units: int, precision: int) -> str:
    if precision == 1:
        return str(units)
    text = f"{units / precision:.1f}".removesuffix(".0")
    return text.replace("0.", ".", 1) if text.startswith(("0.", "-0.")) else text


def bounding_box(polygons, arcs):
    """Of the largest polygon: a country across the antimeridian (Kiribati) has no other."""
    rings = [ring_points(polygon[0], arcs) for polygon in polygons]
    xs, ys = zip(*max(rings, key=_area), strict=True)
    return min(xs), min(ys), max(xs), max(ys)


def _area(ring) -> float:
    return abs(sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(ring, ring[1:], strict=False)))


def main():
    topology = json.loads(ATLAS.read_text())
    raw_arcs = decode_arcs(topology)
    alpha2 = {numeric: code for code, _alpha3, numeric, *_rest in json.loads(CODES.read_text())}
    wanted = {country["code"] for country in json.loads(REGIONS.read_text())["countries"]}

    polygons: dict[str, list] = {}
    background: list = []
    for geometry in topology["objects"]["countries"]["geometries"]:
        shapes = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
        name = geometry["properties"]["name"]
        code = MERGED.get(name) or alpha2.get(geometry.get("id"))
        if code in wanted:
            polygons.setdefault(code, []).extend(shapes)
        else:
            background.extend(shapes)

    output = {
        "source": "Natural Earth 1:50m admin-0 countries (public domain), via world-atlas 2.0.2",
        "projection": "Equal Earth",
        "viewBox": f"0 0 {WIDTH} {HEIGHT}",
        "dots": {},
    }
    for level, (tolerance, precision) in LEVELS.items():
        arcs = [simplify(arc, tolerance) for arc in raw_arcs]
        output[level] = {
            code: path_data(polygons[code], arcs, precision) for code in sorted(polygons)
        }
        output[level][""] = path_data(background, arcs, precision)
    for code in sorted(polygons):
        left, top, right, bottom = bounding_box(polygons[code], raw_arcs)
        if max(right - left, bottom - top) < DOT_BELOW or not output["compact"][code]:
            output["dots"][code] = [round((left + right) / 2, 1), round((top + bottom) / 2, 1)]
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    OUTPUT.write_text(json.dumps(output, separators=(",", ":"), sort_keys=True) + "\n")
    sizes = {level: sum(map(len, output[level].values())) for level in LEVELS}
    print(f"{OUTPUT.relative_to(ROOT)}: {OUTPUT.stat().st_size:,} bytes; path data {sizes}")
    print(f"{len(polygons)} countries, {len(output['dots'])} with a dot; no shape for:")
    print(" ".join(sorted(wanted - set(polygons))))


if __name__ == "__main__":
    main()
