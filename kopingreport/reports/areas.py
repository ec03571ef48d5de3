"""The configured areas: import, list and find the area of a point."""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Final
from weakref import WeakKeyDictionary

import sqlalchemy as sa
from sqlalchemy.orm import Session, make_transient_to_detached
from sqlalchemy.orm.util import identity_key

from kopingreport.reports import geo
from kopingreport.reports.models import Area

KIND_ORDER = {"district": 0, "locality": 1, "rural": 2}


@dataclass(frozen=True)
class ImportSummary:
    """What an import changed."""

    added: int
    updated: int
    deactivated: int


def active_areas(session: Session) -> list[Area]:
    """Active areas: town districts first, then localities and rural areas, by name."""
    areas = session.scalars(sa.select(Area).where(Area.is_active)).all()
    return sorted(areas, key=lambda a: (KIND_ORDER.get(a.kind, 9), a.name))


@dataclass(frozen=True)
class _Cached:
    """The active areas as the report form and the point lookup need them."""

    loaded: float
    choices: list[tuple[str, str]]
    shapes: list[geo.AreaShape]
    #: Column values of each area but its geometry, by code (see ``_attach``).
    rows: dict[str, dict[str, Any]]


#: Parsed areas per database (engine), so that a report does not read and parse every
#: outline again. ``import_areas`` clears it; another process's import is seen after this long.
CACHE_SECONDS: Final = 30.0
_ROW_COLUMNS: Final = tuple(c.key for c in sa.inspect(Area).column_attrs if c.key != "geometry")
_cache: WeakKeyDictionary[Any, _Cached] = WeakKeyDictionary()


def _cached(session: Session) -> _Cached:
    engine = session.get_bind()
    entry = _cache.get(engine)
    if entry is None or time.monotonic() - entry.loaded > CACHE_SECONDS:
        areas = active_areas(session)
        entry = _Cached(time.monotonic(), [(a.code, a.name) for a in areas],
                        [_shape(a) for a in areas],
                        {a.code: {name: getattr(a, name) for name in _ROW_COLUMNS} for a in areas})
        _cache[engine] = entry
    return entry


def forget_cached_areas(session: Session) -> None:
    """Make the next lookup read the areas from the database again."""
    _cache.pop(session.get_bind(), None)


def area_choices(session: Session) -> list[tuple[str, str]]:
    """(code, name) of the active areas, in the order of ``active_areas`` (cached)."""
    return _cached(session).choices


def feature_collection(areas: Sequence[Area]) -> dict[str, Any]:
    """The areas as a GeoJSON FeatureCollection with ``code``, ``name`` and ``kind``."""
    return {"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": a.geometry,
         "properties": {"code": a.code, "name": a.name, "kind": a.kind}} for a in areas]}


def _shape(area: Area) -> geo.AreaShape:
    feature = {"type": "Feature", "geometry": area.geometry,
               "properties": {"code": area.code, "name": area.name, "kind": area.kind}}
    return geo.parse_feature_collection({"type": "FeatureCollection", "features": [feature]})[0]


def area_for_point(session: Session, lat: float, lon: float) -> Area | None:
    """The smallest active area containing the point, or None (outside the municipality)."""
    entry = _cached(session)
    found = geo.find_area(entry.shapes, lon, lat)
    return _attach(session, entry.rows[found.code]) if found else None


def _attach(session: Session, row: dict[str, Any]) -> Area:
    """The area as a persistent object of ``session`` without a query: built from the cached
    columns (its geometry, left out, is read from the database if someone asks for it)."""
    known = session.identity_map.get(identity_key(Area, row["id"]))
    if isinstance(known, Area):
        return known
    area = Area(**row)
    make_transient_to_detached(area)
    session.add(area)
    return area


def import_areas(session: Session, shapes: Sequence[geo.AreaShape]) -> ImportSummary:
    """Replace the area set: add new codes, update existing ones, deactivate the rest.

    Areas are never deleted, so reports keep pointing at the area they were filed in.
    """
    existing = {a.code: a for a in session.scalars(sa.select(Area))}
    added = updated = 0
    for shape in shapes:
        area = existing.pop(shape.code, None)
        if area is None:
            area = Area(code=shape.code)
            session.add(area)
            added += 1
        else:
            updated += 1
        area.name, area.kind, area.is_active = shape.name, shape.kind, True
        area.geometry = geo.shape_to_geometry(shape)
        area.min_lon, area.min_lat, area.max_lon, area.max_lat = shape.bbox
    for area in existing.values():
        area.is_active = False
    session.flush()
    forget_cached_areas(session)
    return ImportSummary(added, updated, len(existing))


def ensure_default_areas(session: Session) -> ImportSummary | None:
    """Load the shipped Köping areas if no area exists yet."""
    if session.scalar(sa.select(sa.func.count()).select_from(Area)):
        return None
    return import_areas(session, geo.load_default_areas())
