"""Pure tests of kopingreport.reports.geo and the bundled Köping areas (no app needed)."""

from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Iterator

import pytest

from kopingreport.reports import geo
from kopingreport.reports.geo import AreaImportError, AreaShape

# --- helpers ----------------------------------------------------------------------------


def square(x0: float, y0: float, x1: float, y1: float) -> list[list[float]]:
    """A closed counter-clockwise rectangle ring."""
    return [[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]


def feature(code: str = "a", name: str = "A", geometry: dict | None = None,
            **props: object) -> dict:
    return {"type": "Feature",
            "properties": {"code": code, "name": name, **props},
            "geometry": geometry or {"type": "Polygon", "coordinates": [square(0, 0, 1, 1)]}}


def collection(*features: dict) -> dict:
    return {"type": "FeatureCollection", "features": list(features)}


def shape(*polygons: list[list[list[float]]], code: str = "s") -> AreaShape:
    return AreaShape.from_polygons(code, code.upper(), "district", polygons)


def errors_of(data: object) -> list[str]:
    with pytest.raises(AreaImportError) as info:
        geo.parse_feature_collection(data)  # type: ignore[arg-type]
    assert isinstance(info.value, ValueError)
    assert info.value.messages, "an import error must say what is wrong"
    return info.value.messages


def near_boundary(area: AreaShape, lon: float, lat: float, tol: float = 1e-7) -> bool:
    """Whether the point is within ``tol`` degrees of one of the area's edges."""
    for poly in area.polygons:
        for ring in poly:
            for (ax, ay), (bx, by) in zip(ring, ring[1:]):
                dx, dy = bx - ax, by - ay
                t = max(0.0, min(1.0, ((lon - ax) * dx + (lat - ay) * dy) / (dx * dx + dy * dy)))
                if math.hypot(lon - (ax + t * dx), lat - (ay + t * dy)) <= tol:
                    return True
    return False


def grid(box: tuple[float, float, float, float], step: float) -> Iterator[tuple[float, float]]:
    """Points over ``(min_lon, min_lat, max_lon, max_lat)``, offset half a step from the edges."""
    min_lon, min_lat, max_lon, max_lat = box
    nx = int((max_lon - min_lon) / step)
    ny = int((max_lat - min_lat) / step)
    for i in range(nx):
        for j in range(ny):
            yield min_lon + (i + 0.5) * step, min_lat + (j + 0.5) * step


# --- the bundled Köping areas -----------------------------------------------------------

AREAS = geo.load_default_areas()
BY_CODE = {a.code: a for a in AREAS}
DISTRICTS = [a for a in AREAS if a.kind == "district"]
LOCALITIES = [a for a in AREAS if a.kind == "locality"]
RURAL = [a for a in AREAS if a.kind == "rural"]
TOWN_BOX = (15.94, 59.488, 16.05, 59.542)


def test_bundled_file_parses_with_unique_codes_and_all_kinds() -> None:
    codes = [a.code for a in AREAS]
    assert len(codes) == len(set(codes))
    assert 12 <= len(DISTRICTS) <= 16
    assert {a.code for a in LOCALITIES} == {"kolsva", "munktorp"}
    assert len(RURAL) >= 5
    assert {"centrum", "inre-hamnen", "nygard-skogsbrynet", "ullvi", "karlberg", "ostanas",
            "tunadal", "skogsborg", "byjorden", "karlsdal"} <= set(codes)
    assert {"himmeta", "bro", "odensvi", "malma", "vastra-skedvi"} <= set(codes)


def test_bundled_file_follows_rfc_7946_and_the_house_rules() -> None:
    raw = json.loads(geo.DEFAULT_AREAS_PATH.read_text(encoding="utf-8"))
    assert raw["type"] == "FeatureCollection"
    for feat in raw["features"]:
        props = feat["properties"]
        assert props["kind"] in geo.KINDS
        assert props["note"].startswith("approximate")
        assert feat["geometry"]["type"] in ("Polygon", "MultiPolygon")
    for area in AREAS:
        for poly in area.polygons:
            exterior = poly[0]
            assert 5 <= len(exterior) <= 31, area.code  # 4-30 corners plus the closing one
            assert exterior[0] == exterior[-1]
            assert geo._signed_area(exterior) > 0, f"{area.code} is not counter-clockwise"
        min_lon, min_lat, max_lon, max_lat = area.bbox
        assert geo.in_municipality_bbox(min_lon, min_lat), area.code
        assert geo.in_municipality_bbox(max_lon, max_lat), area.code


def test_load_default_areas_returns_a_fresh_list() -> None:
    first = geo.load_default_areas()
    first.clear()
    assert geo.load_default_areas() == AREAS


@pytest.mark.parametrize(("place", "lat", "lon", "code"), [
    ("town centre / Köpings kyrka", 59.5137, 15.9906, "centrum"),
    ("Köping railway station", 59.5062, 16.0066, "inre-hamnen"),
    ("Västra Sömsta, NE outskirts", 59.5300, 16.0220, "byjorden"),
    ("Kolsva centre", 59.596, 15.848, "kolsva"),
    ("Munktorp village", 59.540, 16.133, "munktorp"),
    ("Munktorp railway point", 59.5332, 16.1341, "munktorp"),
    ("Näverkärret", 59.6653, 15.5272, "vastra-skedvi"),
    ("Västra Skedvi church", 59.576, 15.691, "vastra-skedvi"),
    ("Himmeta, 10 km west of Köping", 59.52, 15.82, "himmeta"),
    ("Kölsta in Odensvi", 59.6186, 16.0397, "odensvi"),
    ("countryside just north of the town", 59.55, 15.98, "koping-landsbygd"),
    ("countryside east of Köping", 59.58, 16.15, "munktorp-landsbygd"),
])
def test_named_places_resolve(place: str, lat: float, lon: float, code: str) -> None:
    found = geo.find_area(AREAS, lon, lat)
    assert found is not None, place
    assert found.code == code, place


def test_a_rural_point_resolves_to_a_rural_area() -> None:
    found = geo.find_area(AREAS, 15.75, 59.65)
    assert found is not None and found.kind == "rural"


@pytest.mark.parametrize(("place", "lat", "lon"), [
    ("Västerås centre", 59.6099, 16.5448),
    ("Arboga centre", 59.3939, 15.8388),
    ("Stockholm", 59.3293, 18.0686),
    ("null island", 0.0, 0.0),
    # Neighbouring towns just outside the border (approximate coordinates).
    ("Kolbäck (Hallstahammar)", 59.5643, 16.2334),
    ("Hallstahammar", 59.6147, 16.2202),
    ("Surahammar", 59.7066, 16.2196),
    ("Strömsholm (Hallstahammar)", 59.5010, 16.2677),
    ("Valskog (Kungsör)", 59.4436, 15.9513),
    ("Kungsör", 59.4278, 16.1031),
    ("Spannarboda", 59.5763, 15.5075),
])
def test_places_outside_the_municipality_resolve_to_none(place: str, lat: float,
                                                         lon: float) -> None:
    assert geo.find_area(AREAS, lon, lat) is None, place


def test_every_district_and_locality_resolves_at_its_own_middle() -> None:
    for area in DISTRICTS + LOCALITIES:
        ring = area.polygons[0][0][:-1]
        lon = sum(p[0] for p in ring) / len(ring)
        lat = sum(p[1] for p in ring) / len(ring)
        found = geo.find_area(AREAS, lon, lat)
        assert found is not None and found.code == area.code, area.code


def test_no_two_districts_overlap() -> None:
    for lon, lat in grid(TOWN_BOX, 0.0005):
        inside = [d.code for d in DISTRICTS
                  if d.contains(lon, lat) and not near_boundary(d, lon, lat)]
        assert len(inside) <= 1, (lon, lat, inside)


def test_districts_cover_the_town_core_without_gaps() -> None:
    for lon, lat in grid((15.946, 59.5035, 16.029, 59.535), 0.0005):
        assert any(d.contains(lon, lat) for d in DISTRICTS), (lon, lat)


def test_localities_do_not_touch_districts_or_each_other() -> None:
    for loc in LOCALITIES:
        min_lon, min_lat, max_lon, max_lat = loc.bbox
        step = (max_lon - min_lon) / 40
        for lon, lat in grid(loc.bbox, step):
            if not loc.contains(lon, lat):
                continue
            others = [a.code for a in DISTRICTS + LOCALITIES
                      if a is not loc and a.contains(lon, lat)]
            assert not others, (loc.code, lon, lat, others)


def test_rural_areas_tile_the_municipality() -> None:
    """Rural areas do not overlap, and every district and locality lies inside one."""
    counts: Counter[int] = Counter()
    for lon, lat in grid((15.50, 59.44, 16.25, 59.72), 0.004):
        inside = [r.code for r in RURAL
                  if r.contains(lon, lat) and not near_boundary(r, lon, lat)]
        assert len(inside) <= 1, (lon, lat, inside)
        counts[len(inside)] += 1
    assert counts[1] > 0
    for area in DISTRICTS + LOCALITIES:
        for lon, lat in grid(area.bbox, (area.bbox[2] - area.bbox[0]) / 10):
            if area.contains(lon, lat):
                assert any(r.contains(lon, lat) for r in RURAL), (area.code, lon, lat)


def test_the_municipality_is_about_the_right_size() -> None:
    """The rural union should be roughly Köping's 645 km² (water in Köpingsviken included)."""
    km2 = 0.0
    for area in RURAL:
        lat0 = (area.bbox[1] + area.bbox[3]) / 2
        km2 += area.approx_area * 111.32 * math.cos(math.radians(lat0)) * 110.57
    assert 550 < km2 < 850


def test_in_municipality_bbox() -> None:
    lat, lon = geo.MUNICIPALITY_CENTER
    assert geo.in_municipality_bbox(lon, lat)
    assert geo.in_municipality_bbox(15.49, 59.43) and geo.in_municipality_bbox(16.26, 59.73)
    assert not geo.in_municipality_bbox(16.5448, 59.6099)  # Västerås
    assert not geo.in_municipality_bbox(15.8388, 59.3939)  # Arboga
    assert not geo.in_municipality_bbox(float("nan"), 59.5)
    assert not geo.in_municipality_bbox(15.99, float("inf"))
    assert geo.MUNICIPALITY_CENTER == (59.5137, 15.9906)


# --- contains(), approx_area, find_area -------------------------------------------------

def test_contains_square() -> None:
    sq = shape([square(0, 0, 2, 2)])
    assert sq.bbox == (0.0, 0.0, 2.0, 2.0)
    assert sq.contains(1, 1)
    assert not sq.contains(3, 1) and not sq.contains(1, -0.1) and not sq.contains(100, 100)
    assert sq.contains(0, 1) and sq.contains(2, 1.5) and sq.contains(1, 2)  # on edges
    assert sq.contains(0, 0) and sq.contains(2, 2)  # on vertices
    assert not sq.contains(float("nan"), 1) and not sq.contains(1, float("inf"))
    assert sq.approx_area == pytest.approx(4.0)


def test_contains_does_not_depend_on_winding_order() -> None:
    clockwise = shape([list(reversed(square(0, 0, 2, 2)))])
    assert clockwise.contains(1, 1) and not clockwise.contains(3, 1)
    assert clockwise.approx_area == pytest.approx(4.0)


def test_contains_concave_l_shape() -> None:
    ell = shape([[[0, 0], [3, 0], [3, 1], [1, 1], [1, 3], [0, 3], [0, 0]]])
    assert ell.contains(0.5, 2.5) and ell.contains(2.5, 0.5) and ell.contains(0.5, 0.5)
    assert not ell.contains(2, 2)  # in the notch, inside the bounding box
    assert not ell.contains(2.5, 1.5)
    assert ell.contains(2, 1) and ell.contains(1, 2) and ell.contains(1, 1)  # inner edges
    # Horizontal rays through the reflex vertex (1, 1) and the corner (3, 1).
    assert ell.contains(0.5, 1) and not ell.contains(-0.5, 1) and not ell.contains(3.5, 1)
    assert ell.approx_area == pytest.approx(5.0)


def test_contains_polygon_with_hole() -> None:
    ring = shape([square(0, 0, 4, 4), list(reversed(square(1, 1, 3, 3)))])
    assert ring.contains(0.5, 0.5) and ring.contains(3.5, 2)
    assert not ring.contains(2, 2)  # in the hole
    assert ring.contains(1, 2) and ring.contains(3, 3)  # on the hole's edge and corner
    assert ring.approx_area == pytest.approx(12.0)


def test_contains_multipolygon() -> None:
    multi = shape([square(0, 0, 1, 1)], [square(5, 5, 6, 7)])
    assert multi.bbox == (0.0, 0.0, 6.0, 7.0)
    assert multi.contains(0.5, 0.5) and multi.contains(5.5, 6.5)
    assert not multi.contains(3, 3)  # between the parts
    assert multi.approx_area == pytest.approx(3.0)


def test_find_area_picks_the_smallest_containing_shape() -> None:
    big = shape([square(0, 0, 10, 10)], code="big")
    small = shape([square(1, 1, 3, 3)], code="small")
    other = shape([square(20, 20, 21, 21)], code="other")
    assert geo.find_area([big, small, other], 2, 2) is small
    assert geo.find_area([small, big], 5, 5) is big
    assert geo.find_area([big, small], 30, 30) is None
    assert geo.find_area([], 2, 2) is None
    assert geo.find_area([big], float("nan"), 2) is None
    twin = shape([square(0, 0, 10, 10)], code="twin")
    assert geo.find_area([big, twin], 5, 5) is big  # equal areas: first listed wins


# --- parsing ----------------------------------------------------------------------------

def test_parse_valid_polygon_and_multipolygon() -> None:
    with_hole = [square(2, 2, 3, 3), square(2.2, 2.2, 2.4, 2.4)]
    multi = {"type": "MultiPolygon", "coordinates": [[square(0, 0, 1, 1)], with_hole]}
    shapes = geo.parse_feature_collection(collection(
        feature("one", "  Ett  ", kind="rural"),
        feature("two-2", "Två", multi),
        feature("three", "Tre", kind=None),
    ))
    assert [s.code for s in shapes] == ["one", "two-2", "three"]
    assert shapes[0].name == "Ett" and shapes[0].kind == "rural"
    assert shapes[1].kind == "district" and shapes[2].kind == "district"
    assert len(shapes[1].polygons) == 2 and len(shapes[1].polygons[1]) == 2
    assert not shapes[1].contains(2.3, 2.3) and shapes[1].contains(2.1, 2.1)


def test_parse_accepts_json_text_bytes_bom_and_altitude() -> None:
    data = collection(feature(geometry={"type": "Polygon", "coordinates": [
        [[0, 0, 10], [1, 0, 10], [1, 1, 12], [0, 1], [0, 0, 10]]]}))
    text = json.dumps(data)
    for raw in (text, text.encode(), b"\xef\xbb\xbf" + text.encode()):
        (parsed,) = geo.parse_feature_collection(raw)
        ring = ((0.0, 0.0), (1.0, 0.0), (1.0, 1.0), (0.0, 1.0), (0.0, 0.0))
        assert parsed.polygons == ((ring,),)


def test_polygon_round_trips_through_shape_to_geometry() -> None:
    ring = [[15.98, 59.50], [16.01, 59.50], [16.0, 59.52], [15.98, 59.50]]
    hole = [[15.99, 59.505], [15.995, 59.505], [15.992, 59.51], [15.99, 59.505]]
    (original,) = geo.parse_feature_collection(collection(feature(
        "x", "X", {"type": "Polygon", "coordinates": [ring, hole]}, kind="locality")))
    geometry = geo.shape_to_geometry(original)
    assert geometry == {"type": "MultiPolygon", "coordinates": [[ring, hole]]}
    json.dumps(geometry)  # plain JSON types only
    (again,) = geo.parse_feature_collection(collection(
        feature("x", "X", geometry, kind="locality")))
    assert again == original


def test_bundled_areas_round_trip() -> None:
    features = [feature(a.code, a.name, geo.shape_to_geometry(a), kind=a.kind) for a in AREAS]
    assert geo.parse_feature_collection(collection(*features)) == AREAS


@pytest.mark.parametrize("raw", [b"{not json", "", "[1, 2", b"\xff\xfe\x00garbage"])
def test_rejects_text_that_is_not_json(raw: str | bytes) -> None:
    (message,) = errors_of(raw)
    assert "JSON" in message or "UTF-8" in message


@pytest.mark.parametrize("data", [
    [], "[]", "42", "null", {"type": "Feature", "features": []},
    {"type": "FeatureCollection"}, {"type": "FeatureCollection", "features": {}},
])
def test_rejects_wrong_top_level_type(data: object) -> None:
    messages = errors_of(data)
    assert any("FeatureCollection" in m or "features" in m or "object" in m
               for m in messages)


def test_rejects_an_empty_collection() -> None:
    assert any("no features" in m for m in errors_of(collection()))


def test_rejects_missing_code_and_name() -> None:
    messages = errors_of(collection(
        {"type": "Feature", "properties": {"name": "A"},
         "geometry": {"type": "Polygon", "coordinates": [square(0, 0, 1, 1)]}},
        {"type": "Feature", "properties": {"code": "b"},
         "geometry": {"type": "Polygon", "coordinates": [square(0, 0, 1, 1)]}},
        {"type": "Feature", "geometry": {"type": "Polygon", "coordinates": [square(0, 0, 1, 1)]}},
    ))
    assert any(m.startswith("Feature 0:") and '"code" is missing' in m for m in messages)
    assert any(m.startswith("Feature 1:") and '"name" is missing' in m for m in messages)
    assert any(m.startswith("Feature 2:") and "properties" in m for m in messages)


@pytest.mark.parametrize("props", [
    {"code": "Centrum"}, {"code": "a b"}, {"code": "å"}, {"code": ""}, {"code": "x" * 41},
    {"code": "ok\n"}, {"code": 7}, {"name": ""}, {"name": "   "}, {"name": "x" * 101},
    {"name": 5}, {"kind": "city"}, {"kind": 1},
])
def test_rejects_bad_properties(props: dict) -> None:
    base = {"code": "ok", "name": "OK", **props}
    messages = errors_of(collection({"type": "Feature", "properties": base,
                                     "geometry": {"type": "Polygon",
                                                  "coordinates": [square(0, 0, 1, 1)]}}))
    assert all(m.startswith("Feature 0:") for m in messages)


def test_accepts_boundary_lengths_of_code_and_name() -> None:
    (parsed,) = geo.parse_feature_collection(collection(feature("x" * 40, "n" * 100)))
    assert len(parsed.code) == 40 and len(parsed.name) == 100


def test_rejects_duplicate_codes_naming_both_features() -> None:
    (message,) = errors_of(collection(feature("a"), feature("b"), feature("a")))
    assert message.startswith("Feature 2:") and '"a"' in message and "feature 0" in message


@pytest.mark.parametrize("position", [
    ["15.9", 59.5], [15.9, "59.5"], [float("nan"), 59.5], [15.9, float("inf")],
    [15.9, 200], [15.9, -91], [181, 59.5], [-180.5, 0], [True, 59.5], [None, 59.5],
    [15.9], [15.9, 59.5, 1, 2], "15.9,59.5", {"lon": 15.9},
])
def test_rejects_bad_coordinates(position: object) -> None:
    ring = [[15.8, 59.4], position, [15.9, 59.6], [15.8, 59.6], [15.8, 59.4]]
    messages = errors_of(collection(feature("ok", geometry={"type": "Polygon",
                                                             "coordinates": [ring]})))
    assert len(messages) == 1 and messages[0].startswith("Feature 0:")
    assert "position 1" in messages[0]


def test_rejects_nan_in_json_text() -> None:
    text = ('{"type": "FeatureCollection", "features": [{"type": "Feature", '
            '"properties": {"code": "a", "name": "A"}, "geometry": {"type": "Polygon", '
            '"coordinates": [[[0, 0], [NaN, 0], [1, 1], [0, 0]]]}}]}')
    (message,) = errors_of(text)
    assert message.startswith("Feature 0:") and "finite" in message


@pytest.mark.parametrize(("ring", "words"), [
    ([[0, 0], [1, 0], [1, 1], [0, 1]], "not closed"),
    ([[0, 0], [1, 0], [1, 1], [0, 1], [0, 0.5]], "not closed"),
    ([[0, 0], [1, 1]], "at least 4"),
    ([[0, 0], [1, 0], [0, 0]], "at least 4"),
    ([[0, 0], [1, 1], [0, 0], [0, 0]], "distinct"),
    ([], "at least 4"),
])
def test_rejects_unclosed_and_degenerate_rings(ring: list, words: str) -> None:
    (message,) = errors_of(collection(feature(geometry={"type": "Polygon",
                                                        "coordinates": [ring]})))
    assert message.startswith("Feature 0:") and words in message


def test_rejects_a_bad_hole_naming_it() -> None:
    (message,) = errors_of(collection(feature(geometry={"type": "Polygon", "coordinates": [
        square(0, 0, 4, 4), [[1, 1], [2, 1], [2, 2]]]})))
    assert message.startswith("Feature 0:") and "hole 1" in message


@pytest.mark.parametrize("geometry", [
    None, {}, {"type": "Point", "coordinates": [15.9, 59.5]},
    {"type": "LineString", "coordinates": [[0, 0], [1, 1]]},
    {"type": "Polygon"}, {"type": "Polygon", "coordinates": []},
    {"type": "Polygon", "coordinates": "x"}, {"type": "MultiPolygon", "coordinates": []},
    {"type": "MultiPolygon", "coordinates": [[square(0, 0, 1, 1)], "x"]},
    {"type": "GeometryCollection", "geometries": []},
])
def test_rejects_unsupported_or_broken_geometry(geometry: dict | None) -> None:
    feat = {"type": "Feature", "properties": {"code": "a", "name": "A"}, "geometry": geometry}
    messages = errors_of(collection(feat))
    assert messages and all(m.startswith("Feature 0:") for m in messages)


def test_rejects_non_object_features_and_wrong_feature_type() -> None:
    wrong_type = feature("b")
    wrong_type["type"] = "Polygon"
    messages = errors_of(collection(feature("a"), "nope", wrong_type))
    assert messages[0].startswith("Feature 1:")
    assert any(m.startswith("Feature 2:") and '"Feature"' in m for m in messages)


def test_lists_all_problems_with_their_feature_index() -> None:
    bad_ring = {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1]]]}
    messages = errors_of(collection(
        feature("good"), feature("BAD"), feature("ok-2", "", bad_ring), feature("good")))
    indexes = {m.split(":")[0] for m in messages}
    assert indexes == {"Feature 1", "Feature 2", "Feature 3"}
    assert len(messages) == 4  # bad code; empty name and short ring; duplicate code


def test_caps_the_number_of_messages() -> None:
    messages = errors_of(collection(*[feature(f"BAD{i}") for i in range(200)]))
    assert len(messages) == geo.MAX_MESSAGES + 1
    assert "150 more" in messages[-1]


def test_rejects_too_many_features() -> None:
    assert len(geo.parse_feature_collection(
        collection(*[feature(f"f{i}") for i in range(geo.MAX_FEATURES)]))) == geo.MAX_FEATURES
    messages = errors_of(collection(*[feature(f"f{i}") for i in range(geo.MAX_FEATURES + 1)]))
    assert any("501 features" in m and "500" in m for m in messages)


def test_rejects_too_many_positions() -> None:
    n = geo.MAX_POSITIONS + 1
    ring = [[math.cos(2 * math.pi * i / (n - 1)), math.sin(2 * math.pi * i / (n - 1))]
            for i in range(n - 1)] + [[1.0, 0.0]]
    messages = errors_of(collection(feature(geometry={"type": "Polygon",
                                                      "coordinates": [ring]})))
    assert any(str(geo.MAX_POSITIONS) in m and "positions" in m for m in messages)


def test_rejects_too_many_positions_across_features() -> None:
    per = geo.MAX_POSITIONS // 4 + 1
    ring = [[i / per, (i % 2) / per] for i in range(per - 1)] + [[0.0, 0.0]]
    ring[1] = [1.0, 1.0]  # keep the ring non-degenerate
    feats = [feature(f"f{i}", geometry={"type": "Polygon", "coordinates": [ring]})
             for i in range(4)]
    messages = errors_of(collection(*feats))
    assert any("positions in total" in m for m in messages)


def test_rejects_deeply_nested_json() -> None:
    (message,) = errors_of("[" * 100_000 + "]" * 100_000)
    assert "JSON" in message or "nested" in message


def test_rejects_oversized_text() -> None:
    (message,) = errors_of(b" " * (geo.MAX_INPUT_BYTES + 1))
    assert "larger" in message
