"""Area polygons: parse GeoJSON, test points, find the area a report's point lies in.

Pure functions, no Flask and no database. Coordinates are GeoJSON order, ``(lon, lat)``,
in WGS 84 degrees. Geometry is planar in degrees, which is plenty for municipality-sized
polygons: it is only used to decide which area contains a point and which area is smaller.

Import rules (:func:`parse_feature_collection`):

* the input is a GeoJSON ``FeatureCollection`` (a dict, or JSON text as ``str``/``bytes``);
* every feature has a ``Polygon`` or ``MultiPolygon`` geometry and the properties
  ``code`` (a slug, ``[a-z0-9-]{1,40}``, unique in the file), ``name`` (1-100 characters
  after trimming) and optionally ``kind`` (``district``, ``locality`` or ``rural``;
  missing or ``null`` means ``district``); other properties are ignored;
* a position is ``[lon, lat]`` or ``[lon, lat, altitude]`` (the altitude is ignored), with
  finite numbers, ``-180 <= lon <= 180`` and ``-90 <= lat <= 90``;
* every ring has at least 4 positions, at least 3 of them distinct, and must be *closed*
  (its last position equals its first). Unclosed rings are rejected rather than closed
  silently, as RFC 7946 requires closed rings and a missing position usually means a
  truncated or hand-edited file;
* ring orientation is not checked (RFC 7946 asks parsers not to reject on winding order);
  a point's membership uses the even-odd rule, so either orientation works;
* hostile input limits: at most :data:`MAX_FEATURES` features, :data:`MAX_POSITIONS`
  positions in total and :data:`MAX_INPUT_BYTES` bytes of JSON text.

All problems found are reported together in one :class:`AreaImportError`.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

Position = tuple[float, float]
Ring = tuple[Position, ...]
PolygonRings = tuple[Ring, ...]
MultiPolygonRings = tuple[PolygonRings, ...]

#: The three kinds of area, from the smallest to the largest.
KINDS: tuple[str, ...] = ("district", "locality", "rural")
#: Most features accepted in one file.
MAX_FEATURES = 500
#: Most positions (all rings of all features together) accepted in one file.
MAX_POSITIONS = 200_000
#: Most bytes of JSON text accepted (a file at the position limit is well below this).
MAX_INPUT_BYTES = 20_000_000
#: Most problems listed in an :class:`AreaImportError`; the rest are counted.
MAX_MESSAGES = 50

#: Köping town centre as ``(lat, lon)``: where maps open.
MUNICIPALITY_CENTER: tuple[float, float] = (59.5137, 15.9906)
#: The municipality's bounding box, padded by about 0.02°:
#: ``(min_lon, min_lat, max_lon, max_lat)``.
MUNICIPALITY_BBOX: tuple[float, float, float, float] = (15.49, 59.43, 16.26, 59.73)

DEFAULT_AREAS_PATH = Path(__file__).resolve().parent / "data" / "koping_areas.geojson"

_CODE_RE = re.compile(r"[a-z0-9-]{1,40}")
_NAME_MAX = 100
# A point closer than this to an edge (in degrees, about 0.1 mm) counts as on the edge.
_EDGE_EPS = 1e-9


class AreaImportError(ValueError):
    """An area file was rejected.

    ``messages`` lists every problem found, in plain English, naming the feature index
    (counting from 0) where there is one.
    """

    def __init__(self, messages: Sequence[str]) -> None:
        self.messages: list[str] = list(messages) or ["The area file is not valid."]
        super().__init__("; ".join(self.messages))


@dataclass(frozen=True)
class AreaShape:
    """One named area: a MultiPolygon with its bounding box.

    ``polygons`` holds polygons, each a tuple of rings (the exterior first, then holes),
    each ring a closed tuple of ``(lon, lat)`` positions. ``bbox`` is
    ``(min_lon, min_lat, max_lon, max_lat)`` over the exterior rings.
    """

    code: str
    name: str
    kind: str
    polygons: MultiPolygonRings
    bbox: tuple[float, float, float, float]

    @classmethod
    def from_polygons(cls, code: str, name: str, kind: str,
                      polygons: Sequence[Sequence[Sequence[Sequence[float]]]]) -> AreaShape:
        """Build a shape from nested sequences, computing the bounding box.

        No validation beyond conversion: use :func:`parse_feature_collection` for input
        that is not already trusted.
        """
        polys = tuple(tuple(tuple((float(p[0]), float(p[1])) for p in ring) for ring in poly)
                      for poly in polygons)
        return cls(code, name, kind, polys, _bbox(polys))

    def contains(self, lon: float, lat: float) -> bool:
        """Whether the point is inside the area; a point on an edge or vertex counts.

        Uses a bounding-box check first, then the even-odd rule per polygon over its
        exterior ring and holes together, so a point in a hole is outside (unless it lies
        on the hole's edge, which is the polygon's boundary).
        """
        if not (math.isfinite(lon) and math.isfinite(lat)):
            return False
        min_lon, min_lat, max_lon, max_lat = self.bbox
        if not (min_lon <= lon <= max_lon and min_lat <= lat <= max_lat):
            return False
        return any(_polygon_contains(poly, lon, lat) for poly in self.polygons)

    @property
    def approx_area(self) -> float:
        """Planar area in square degrees (exteriors minus holes), to rank areas by size."""
        total = 0.0
        for poly in self.polygons:
            if not poly:
                continue
            total += abs(_signed_area(poly[0])) - sum(abs(_signed_area(h)) for h in poly[1:])
        return total


def parse_feature_collection(data: dict[str, Any] | str | bytes) -> list[AreaShape]:
    """Validate a GeoJSON FeatureCollection and return its areas, in file order.

    Accepts a decoded dict or JSON text. Raises :class:`AreaImportError` listing every
    problem (see the module docstring for the rules).
    """
    if isinstance(data, (str, bytes, bytearray)):
        data = _decode_json(data)
    errors: list[str] = []
    if not isinstance(data, dict):
        raise AreaImportError(["The file must contain a JSON object (a GeoJSON "
                               "FeatureCollection), not " + _describe(data) + "."])
    if data.get("type") != "FeatureCollection":
        errors.append('The top-level "type" must be "FeatureCollection".')
    features = data.get("features")
    if not isinstance(features, (list, tuple)):
        errors.append('The top-level "features" must be a list.')
        raise AreaImportError(errors)
    if len(features) > MAX_FEATURES:
        errors.append(f"The file has {len(features)} features; at most {MAX_FEATURES} "
                      "are allowed.")
        raise AreaImportError(errors)
    if not features:
        errors.append("The file has no features.")

    budget = _Budget(MAX_POSITIONS)
    shapes: list[AreaShape] = []
    first_index: dict[str, int] = {}
    for index, feature in enumerate(features):
        shape = _parse_feature(index, feature, errors, budget)
        if budget.exceeded:
            errors.append(f"The file has more than {MAX_POSITIONS} positions in total.")
            break
        if shape is None:
            continue
        if shape.code in first_index:
            errors.append(f'Feature {index}: code "{shape.code}" is already used by '
                          f"feature {first_index[shape.code]}.")
            continue
        first_index[shape.code] = index
        shapes.append(shape)
    if errors:
        raise AreaImportError(_capped(errors))
    return shapes


def find_area(shapes: Sequence[AreaShape], lon: float, lat: float) -> AreaShape | None:
    """The smallest shape (by :attr:`AreaShape.approx_area`) containing the point.

    Returns None when no shape contains it (outside the municipality). On equal areas the
    shape listed first wins.
    """
    best: AreaShape | None = None
    best_area = math.inf
    for shape in shapes:
        if shape.contains(lon, lat):
            area = shape.approx_area
            if area < best_area:
                best, best_area = shape, area
    return best


def load_default_areas() -> list[AreaShape]:
    """The bundled Köping areas (``data/koping_areas.geojson``), parsed and validated."""
    return list(_default_areas())


@lru_cache(maxsize=1)
def _default_areas() -> tuple[AreaShape, ...]:
    return tuple(parse_feature_collection(DEFAULT_AREAS_PATH.read_bytes()))


def shape_to_geometry(shape: AreaShape) -> dict[str, Any]:
    """The shape as a GeoJSON MultiPolygon geometry dict (lists, ``[lon, lat]`` order)."""
    return {"type": "MultiPolygon",
            "coordinates": [[[[lon, lat] for lon, lat in ring] for ring in poly]
                            for poly in shape.polygons]}


def in_municipality_bbox(lon: float, lat: float) -> bool:
    """Whether the point is inside the padded municipality box :data:`MUNICIPALITY_BBOX`."""
    if not (math.isfinite(lon) and math.isfinite(lat)):
        return False
    min_lon, min_lat, max_lon, max_lat = MUNICIPALITY_BBOX
    return min_lon <= lon <= max_lon and min_lat <= lat <= max_lat


# --- geometry helpers -------------------------------------------------------------------

def _signed_area(ring: Ring) -> float:
    """Shoelace area; positive for counter-clockwise rings. Works for closed rings."""
    total = 0.0
    for (x1, y1), (x2, y2) in zip(ring, ring[1:]):
        total += x1 * y2 - x2 * y1
    return total / 2.0


def _on_segment(lon: float, lat: float, a: Position, b: Position) -> bool:
    (ax, ay), (bx, by) = a, b
    if not (min(ax, bx) - _EDGE_EPS <= lon <= max(ax, bx) + _EDGE_EPS
            and min(ay, by) - _EDGE_EPS <= lat <= max(ay, by) + _EDGE_EPS):
        return False
    dx, dy = bx - ax, by - ay
    length = math.hypot(dx, dy)
    if length == 0.0:
        return math.hypot(lon - ax, lat - ay) <= _EDGE_EPS
    cross = dx * (lat - ay) - dy * (lon - ax)
    return abs(cross) <= _EDGE_EPS * length


def _polygon_contains(poly: PolygonRings, lon: float, lat: float) -> bool:
    inside = False
    for ring in poly:
        for a, b in zip(ring, ring[1:]):
            if _on_segment(lon, lat, a, b):
                return True
            (ax, ay), (bx, by) = a, b
            if (ay > lat) != (by > lat):
                x_cross = ax + (lat - ay) * (bx - ax) / (by - ay)
                if lon < x_cross:
                    inside = not inside
    return inside


def _bbox(polygons: MultiPolygonRings) -> tuple[float, float, float, float]:
    lons = [p[0] for poly in polygons for p in (poly[0] if poly else ())]
    lats = [p[1] for poly in polygons for p in (poly[0] if poly else ())]
    if not lons:
        return (0.0, 0.0, 0.0, 0.0)
    return (min(lons), min(lats), max(lons), max(lats))


# --- parsing helpers --------------------------------------------------------------------

class _Budget:
    """Counts positions so a hostile file is abandoned as soon as it is too big."""

    def __init__(self, limit: int) -> None:
        self.left = limit
        self.exceeded = False

    def take(self, count: int) -> bool:
        self.left -= count
        if self.left < 0:
            self.exceeded = True
        return not self.exceeded


def _decode_json(data: str | bytes | bytearray) -> Any:
    if len(data) > MAX_INPUT_BYTES:
        raise AreaImportError([f"The file is larger than {MAX_INPUT_BYTES} bytes."])
    if isinstance(data, (bytes, bytearray)):
        try:
            data = bytes(data).decode("utf-8-sig")
        except UnicodeDecodeError:
            raise AreaImportError(["The file is not UTF-8 text."]) from None
    try:
        return json.loads(data)
    except RecursionError:
        raise AreaImportError(["The file is nested too deeply to be GeoJSON."]) from None
    except ValueError as err:
        raise AreaImportError([f"The file is not valid JSON: {err}."]) from None


def _describe(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, (list, tuple)):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


def _capped(errors: list[str]) -> list[str]:
    if len(errors) <= MAX_MESSAGES:
        return errors
    return errors[:MAX_MESSAGES] + [f"... and {len(errors) - MAX_MESSAGES} more problems."]


def _parse_feature(index: int, feature: Any, errors: list[str],
                   budget: _Budget) -> AreaShape | None:
    where = f"Feature {index}"
    if not isinstance(feature, dict):
        errors.append(f"{where}: must be an object, not {_describe(feature)}.")
        return None
    before = len(errors)
    if feature.get("type") != "Feature":
        errors.append(f'{where}: "type" must be "Feature".')

    code = name = kind = None
    props = feature.get("properties")
    if not isinstance(props, dict):
        errors.append(f'{where}: "properties" must be an object with "code" and "name".')
    else:
        code = _parse_code(where, props.get("code"), errors)
        name = _parse_name(where, props.get("name"), errors)
        kind = _parse_kind(where, props.get("kind"), errors)

    polygons = _parse_geometry(where, feature.get("geometry"), errors, budget)
    if len(errors) > before or code is None or name is None or kind is None or not polygons:
        return None
    return AreaShape(code, name, kind, polygons, _bbox(polygons))


def _parse_code(where: str, code: Any, errors: list[str]) -> str | None:
    if code is None:
        errors.append(f'{where}: property "code" is missing.')
    elif not isinstance(code, str) or not _CODE_RE.fullmatch(code):
        errors.append(f'{where}: property "code" must be 1-40 characters of lowercase '
                      "letters a-z, digits and hyphens.")
    else:
        return code
    return None


def _parse_name(where: str, name: Any, errors: list[str]) -> str | None:
    if name is None:
        errors.append(f'{where}: property "name" is missing.')
    elif not isinstance(name, str) or not name.strip():
        errors.append(f'{where}: property "name" must be a non-empty text.')
    elif len(name.strip()) > _NAME_MAX:
        errors.append(f'{where}: property "name" must be at most {_NAME_MAX} characters.')
    else:
        return name.strip()
    return None


def _parse_kind(where: str, kind: Any, errors: list[str]) -> str | None:
    if kind is None:
        return "district"
    if isinstance(kind, str) and kind in KINDS:
        return kind
    errors.append(f'{where}: property "kind" must be one of {", ".join(KINDS)}.')
    return None


def _parse_geometry(where: str, geometry: Any, errors: list[str],
                    budget: _Budget) -> MultiPolygonRings | None:
    if not isinstance(geometry, dict):
        errors.append(f'{where}: "geometry" must be a Polygon or MultiPolygon object.')
        return None
    gtype = geometry.get("type")
    coords = geometry.get("coordinates")
    if gtype == "Polygon":
        poly = _parse_polygon(f"{where}: polygon", coords, errors, budget)
        return (poly,) if poly is not None else None
    if gtype == "MultiPolygon":
        if not isinstance(coords, (list, tuple)) or not coords:
            errors.append(f'{where}: MultiPolygon "coordinates" must be a non-empty list '
                          "of polygons.")
            return None
        polys = []
        for number, poly_coords in enumerate(coords):
            poly = _parse_polygon(f"{where}: polygon {number}", poly_coords, errors, budget)
            if budget.exceeded:
                return None
            if poly is not None:
                polys.append(poly)
        return tuple(polys) if len(polys) == len(coords) else None
    errors.append(f'{where}: geometry "type" must be "Polygon" or "MultiPolygon", not '
                  f"{json.dumps(gtype, ensure_ascii=False)[:40]}.")
    return None


def _parse_polygon(where: str, coords: Any, errors: list[str],
                   budget: _Budget) -> PolygonRings | None:
    if not isinstance(coords, (list, tuple)) or not coords:
        errors.append(f"{where}: coordinates must be a non-empty list of rings.")
        return None
    rings = []
    for number, ring_coords in enumerate(coords):
        label = f"{where}, {'exterior ring' if number == 0 else f'hole {number}'}"
        ring = _parse_ring(label, ring_coords, errors, budget)
        if budget.exceeded:
            return None
        if ring is not None:
            rings.append(ring)
    return tuple(rings) if len(rings) == len(coords) else None


def _parse_ring(where: str, coords: Any, errors: list[str], budget: _Budget) -> Ring | None:
    if not isinstance(coords, (list, tuple)):
        errors.append(f"{where}: must be a list of positions.")
        return None
    if not budget.take(len(coords)):
        return None
    if len(coords) < 4:
        errors.append(f"{where}: has {len(coords)} positions; a ring needs at least 4 "
                      "(first and last equal).")
        return None
    positions = []
    for number, pos in enumerate(coords):
        problem = _position_problem(pos)
        if problem:
            errors.append(f"{where}, position {number}: {problem}.")
            return None
        positions.append((float(pos[0]), float(pos[1])))
    if positions[0] != positions[-1]:
        errors.append(f"{where}: is not closed (the last position must equal the first).")
        return None
    if len(set(positions)) < 3:
        errors.append(f"{where}: needs at least 3 distinct positions.")
        return None
    return tuple(positions)


def _position_problem(pos: Any) -> str | None:
    if not isinstance(pos, (list, tuple)) or not 2 <= len(pos) <= 3:
        return "must be [longitude, latitude]"
    for value in pos:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return "coordinates must be numbers"
        if not math.isfinite(value):
            return "coordinates must be finite numbers"
    lon, lat = pos[0], pos[1]
    if not -180 <= lon <= 180:
        return f"longitude {lon} is outside -180..180"
    if not -90 <= lat <= 90:
        return f"latitude {lat} is outside -90..90"
    return None
