"""The configured areas: import, list and find the area of a point."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

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
    areas = {a.code: a for a in session.scalars(
        sa.select(Area).where(Area.is_active, Area.min_lon <= lon, Area.max_lon >= lon,
                              Area.min_lat <= lat, Area.max_lat >= lat))}
    found = geo.find_area([_shape(a) for a in areas.values()], lon, lat)
    return areas[found.code] if found else None


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
    return ImportSummary(added, updated, len(existing))


def ensure_default_areas(session: Session) -> ImportSummary | None:
    """Load the shipped Köping areas if no area exists yet."""
    if session.scalar(sa.select(sa.func.count()).select_from(Area)):
        return None
    return import_areas(session, geo.load_default_areas())
