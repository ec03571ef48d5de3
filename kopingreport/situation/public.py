"""What the public map and the open-data feed show: published reports counted per 250 m cell
(reports shown at the exact or street level) or per area (reports shown only by area).

A count below five is never published. A report in a cell below five is counted in its area
instead, so nothing small can be worked out by taking one count from another.
"""

from __future__ import annotations

import time
from collections import Counter
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from kopingreport.db import utcnow
from kopingreport.moderation.models import PublicPrecision, ReportCase
from kopingreport.moderation.services import PUBLISHABLE
from kopingreport.reports.models import Report
from kopingreport.situation import grid
from kopingreport.situation.picture import area_lookup, hotspots
from kopingreport.surveys.suppression import MIN_CELL

#: How far back the public map looks.
PUBLIC_DAYS = 365
CACHE_SECONDS = 300
_cache: dict[tuple[Any, ...], tuple[float, dict[str, Any]]] = {}


def published(since: datetime) -> sa.Select[Any]:
    """Published reports since ``since``: id, category, area, point and public precision."""
    precision = sa.func.coalesce(ReportCase.public_precision, PublicPrecision.AREA.value)
    return (sa.select(Report.category, Report.area_id, Report.lat, Report.lon,
                      precision.label("precision"))
            .outerjoin(ReportCase, ReportCase.report_id == Report.id)
            .where(Report.is_public, Report.state.in_([str(s) for s in PUBLISHABLE]),
                   Report.created_at >= since))


def counts(session: Session, category: str | None = None, now: datetime | None = None
           ) -> tuple[dict[grid.Cell, Counter[str]], dict[int, Counter[str]]]:
    """Published reports per cell and per area (per category), small cells moved to areas."""
    query = published((now or utcnow()) - timedelta(days=PUBLIC_DAYS))
    if category:
        query = query.where(Report.category == category)
    rows = session.execute(query).all()
    fine = [grid.cell_of(lat, lon) if precision != PublicPrecision.AREA
            and grid.in_grid(lat, lon) else None for _c, _a, lat, lon, precision in rows]
    cells: dict[grid.Cell, Counter[str]] = {}
    for (cat, *_rest), cell in zip(rows, fine):
        if cell is not None:
            cells.setdefault(cell, Counter())[cat] += 1
    small = {c for c, n in cells.items() if sum(n.values()) < MIN_CELL}
    areas: dict[int, Counter[str]] = {}
    for (cat, area_id, *_rest), cell in zip(rows, fine):
        if area_id is not None and (cell is None or cell in small):
            areas.setdefault(area_id, Counter())[cat] += 1
    return ({c: n for c, n in cells.items() if c not in small},
            {a: n for a, n in areas.items() if sum(n.values()) >= MIN_CELL})


def _categories(counter: Counter[str]) -> dict[str, int]:
    """Categories with at least five reports (the rest are only in the total)."""
    return {c: n for c, n in counter.most_common() if n >= MIN_CELL}


def feature_collection(session: Session, category: str | None = None,
                       now: datetime | None = None) -> dict[str, Any]:
    """The public map as GeoJSON: cell polygons and area polygons with their counts (the
    same answer is reused for five minutes: anyone may ask, as often as they like)."""
    key = (str(session.get_bind().url), category, now)
    hit = _cache.get(key)
    if hit and hit[0] > time.monotonic():
        return hit[1]
    found = _features(session, category, now)
    if len(_cache) > 100:
        _cache.clear()
    _cache[key] = (time.monotonic() + CACHE_SECONDS, found)
    return found


def _features(session: Session, category: str | None, now: datetime | None
              ) -> dict[str, Any]:
    cells, areas = counts(session, category, now)
    _codes, every_area = area_lookup(session)
    names = {a: every_area[a] for a in areas if a in every_area}
    near = {h["cell"]: h["area"] for h in hotspots(
        {(c.x, c.y): sum(n.values()) for c, n in cells.items()}, {}, every_area,
        limit=len(cells))}
    features = [{"type": "Feature", "geometry": {"type": "Polygon", "coordinates": [c.ring()]},
                 "properties": {"kind": "cell", "cell": c.id, "count": sum(n.values()),
                                "area": near.get(c.id, ""), "categories": _categories(n)}}
                for c, n in sorted(cells.items(), key=lambda item: -sum(item[1].values()))]
    features += [{"type": "Feature", "geometry": names[a].geometry,
                  "properties": {"kind": "area", "area": names[a].code, "name": names[a].name,
                                 "count": sum(n.values()), "categories": _categories(n)}}
                 for a, n in sorted(areas.items()) if a in names]
    return {"type": "FeatureCollection", "features": features,
            "properties": {"days": PUBLIC_DAYS, "min_count": MIN_CELL,
                           "cell_size_m": grid.CELL_M}}
