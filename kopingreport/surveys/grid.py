"""Map answers in grid cells of about 250 m: the heat layer, its table and the GeoJSON
export. A cell is published only with at least 5 responses in it; exact points never are."""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from kopingreport.surveys.models import SurveyAnswer
from kopingreport.surveys.suppression import MIN_CELL

CELL_METRES = 250.0
#: Latitude of Köping, for the east–west size of a cell.
REFERENCE_LAT = 59.51
LAT_STEP = CELL_METRES / 111_320
LON_STEP = CELL_METRES / (111_320 * math.cos(math.radians(REFERENCE_LAT)))


@dataclass(frozen=True)
class GridCell:
    """A published cell: its south-west corner, responses and points in it."""

    row: int
    col: int
    responses: int
    points: int

    @property
    def bounds(self) -> tuple[float, float, float, float]:
        """(south, west, north, east) in degrees."""
        south, west = self.row * LAT_STEP, self.col * LON_STEP
        return round(south, 6), round(west, 6), round(south + LAT_STEP, 6), \
            round(west + LON_STEP, 6)

    @property
    def centre(self) -> tuple[float, float]:
        south, west, north, east = self.bounds
        return round((south + north) / 2, 5), round((west + east) / 2, 5)


@dataclass(frozen=True)
class Grid:
    """The published cells, and what was left out."""

    cells: list[GridCell]
    hidden_points: int
    #: Points given as an area without a map position: responses per area code.
    by_area: dict[str, int]

    @property
    def max_responses(self) -> int:
        return max((c.responses for c in self.cells), default=0)


def cell_of(lat: float, lon: float) -> tuple[int, int]:
    """The grid cell (row, column) a point lies in."""
    return math.floor(lat / LAT_STEP), math.floor(lon / LON_STEP)


def build_grid(session: Session, question_id: int, ids: sa.Select[tuple[int]]) -> Grid:
    """The map answers of one question among the responses ``ids``."""
    responses: dict[tuple[int, int], set[int]] = defaultdict(set)
    points: dict[tuple[int, int], int] = defaultdict(int)
    areas: dict[str, set[int]] = defaultdict(set)
    rows = session.execute(sa.select(SurveyAnswer.response_id, SurveyAnswer.lat,
                                     SurveyAnswer.lon, SurveyAnswer.value)
                           .where(SurveyAnswer.question_id == question_id,
                                  SurveyAnswer.response_id.in_(ids)))
    for response_id, lat, lon, area in rows:
        if lat is not None and lon is not None:
            key = cell_of(lat, lon)
            responses[key].add(response_id)
            points[key] += 1
        elif area:
            areas[area].add(response_id)
    shown = [GridCell(r, c, len(who), points[(r, c)]) for (r, c), who in responses.items()
             if len(who) >= MIN_CELL]
    hidden = sum(n for key, n in points.items() if len(responses[key]) < MIN_CELL)
    shown.sort(key=lambda cell: (-cell.responses, cell.row, cell.col))
    return Grid(shown, hidden, {code: len(who) for code, who in areas.items()})


def feature_collection(grid: Grid, properties: dict[str, Any] | None = None
                       ) -> dict[str, Any]:
    """The published cells as GeoJSON polygons with ``responses`` and ``points``."""
    features = []
    for cell in grid.cells:
        south, west, north, east = cell.bounds
        ring = [[west, south], [east, south], [east, north], [west, north], [west, south]]
        features.append({"type": "Feature",
                         "geometry": {"type": "Polygon", "coordinates": [ring]},
                         "properties": {**(properties or {}), "responses": cell.responses,
                                        "points": cell.points}})
    return {"type": "FeatureCollection", "features": features}
