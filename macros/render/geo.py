"""Geography for the maps: land and country shapes decoded from the vendored Natural Earth
TopoJSON (vendor/world-atlas/), each country's centre computed from its shape, and the devices
counted by country. Plain data and geometry: charts.py draws it, chartdata.py publishes it."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from ..core.atlas import Atlas

LAND = Path(__file__).parent / "vendor" / "world-atlas" / "land-110m.json"


COUNTRY_SHAPES = LAND.with_name("countries-110m.json")
# Countries the map file names otherwise than the atlas does (macros/core/countries.py).
MAP_NAMES = {"US": "United States of America", "KR": "South Korea", "CZ": "Czechia", "SU": "Russia"}


@lru_cache(maxsize=1)
def land_rings() -> tuple:
    """Land polygons (lon, lat rings) decoded from the vendored TopoJSON."""
    rings = [_simplify(_whole(ring)) for _, polys in _topo_polygons(LAND, "land") for ring in polys]
    return tuple(r for r in rings if len(r) >= 4)


def _whole(ring: list) -> list:
    """A ring cut at 180° (eastern Siberia) made continuous, east of 180°: drawn whole, it no
    longer strokes a band across the map."""
    xs = [x for x, _ in ring]
    if min(xs) > -179.9 or max(xs) < 179.9:
        return ring
    return [(x + 360 if x < -90 else x, y) for x, y in ring]


@lru_cache(maxsize=1)
def country_centres() -> dict[str, tuple[float, float]]:
    """Each country's (lon, lat): the centroid of its largest polygon (mainland France, not
    Guiana), from the vendored country shapes. Geometry, computed, never typed."""
    from ..core.countries import COUNTRIES

    largest: dict[str, tuple] = {}
    for name, polys in _topo_polygons(COUNTRY_SHAPES, "countries"):
        for outer in polys:
            area, cx, cy = _centroid(_whole(outer))  # (Russia's is cut at 180°)
            cx = cx - 360 if cx > 180 else cx
            if abs(area) > largest.get(name, (0,))[0]:
                largest[name] = (abs(area), cx, cy)
    out = {}
    for code, names in COUNTRIES.items():
        found = largest.get(MAP_NAMES.get(code, names["en"]))
        if found:
            out[code] = (round(found[1], 2), round(found[2], 2))
    return out


def _centroid(ring) -> tuple[float, float, float]:
    """(signed area, centroid x, centroid y) of a closed ring (the shoelace formula)."""
    a = cx = cy = 0.0
    for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1]):
        cross = x0 * y1 - x1 * y0
        a += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    if not a:
        return 0.0, ring[0][0], ring[0][1]
    return a / 2, cx / (3 * a), cy / (3 * a)


def _topo_polygons(path: Path, object_name: str):
    """(name, [outer ring, ...]) of each geometry of a TopoJSON object (holes dropped)."""
    topo = json.loads(path.read_text(encoding="utf-8"))
    (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]
    arcs = []
    for arc in topo["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)

    def ring(indices):
        out = []
        for i in indices:
            pts = arcs[i] if i >= 0 else list(reversed(arcs[~i]))
            out.extend(pts if not out else pts[1:])
        return tuple(out)

    for geom in topo["objects"][object_name]["geometries"]:
        if geom.get("type") not in ("Polygon", "MultiPolygon"):
            continue
        polys = geom["arcs"] if geom["type"] == "MultiPolygon" else [geom["arcs"]]
        yield (geom.get("properties") or {}).get("name", ""), [ring(poly[0]) for poly in polys]


def _simplify(points, tolerance: float = 1.0) -> tuple:
    """Drop points closer than ``tolerance`` degrees to the last one kept."""
    kept = [points[0]]
    for x, y in points[1:]:
        if abs(x - kept[-1][0]) + abs(y - kept[-1][1]) >= tolerance:
            kept.append((x, y))
    return tuple(kept)


def countries_shown(atlas: Atlas, lang: str) -> tuple:
    """(country code, lon, lat, name, devices, operating) of each country with devices, most
    first; the Soviet Union's devices stand with Russia's. Devices of no one country (the EU's,
    international ones) are not placed: their number ends the tuple."""
    from ..core.countries import COUNTRIES

    centres = country_centres()
    counts: dict = {}
    unplaced = 0
    for d in atlas.all("devices"):
        code = "RU" if d.country == "SU" else d.country
        if code not in centres:
            unplaced += 1
            continue
        n, op = counts.get(code, (0, 0))
        counts[code] = (n + 1, op + (d.status == "operating"))
    rows = sorted(counts.items(), key=lambda kv: (-kv[1][0], kv[0]))
    shown = tuple((code, *centres[code], COUNTRIES[code][lang], n, op) for code, (n, op) in rows)
    return shown + (unplaced,)
