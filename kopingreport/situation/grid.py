"""A metre grid over Köping: points → 250 m cells, cells → their centre and corners.

An equirectangular projection around the middle of the municipality is exact to well under
a metre per kilometre here, which is all a 250 m (or 100 m) cell needs. The origin is the
south-west corner of the padded municipality box, so every cell index inside the box is
non-negative: SQL can then take the integer part instead of a floor, which SQLite lacks.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from kopingreport.reports.geo import MUNICIPALITY_BBOX

#: South-west corner of the grid (lon, lat).
ORIGIN_LON, ORIGIN_LAT = MUNICIPALITY_BBOX[0], MUNICIPALITY_BBOX[1]
_MID_LAT = math.radians((MUNICIPALITY_BBOX[1] + MUNICIPALITY_BBOX[3]) / 2)
#: Metres per degree of latitude and of longitude around the middle of the municipality.
M_PER_DEG_LAT = 111132.92 - 559.82 * math.cos(2 * _MID_LAT) + 1.175 * math.cos(4 * _MID_LAT)
M_PER_DEG_LON = 111412.84 * math.cos(_MID_LAT) - 93.5 * math.cos(3 * _MID_LAT)
#: The hot-spot cell size in metres.
CELL_M = 250
_CELL_ID = re.compile(r"(\d{1,5})-(\d{1,5})")


@dataclass(frozen=True)
class Cell:
    """One grid cell: column ``x`` (eastwards) and row ``y`` (northwards) of ``size`` metres."""

    x: int
    y: int
    size: int = CELL_M

    @property
    def id(self) -> str:
        """A stable text id, e.g. ``"112-38"``."""
        return f"{self.x}-{self.y}"

    @property
    def centre(self) -> tuple[float, float]:
        """The cell's centre as (lat, lon)."""
        return (ORIGIN_LAT + (self.y + 0.5) * self.size / M_PER_DEG_LAT,
                ORIGIN_LON + (self.x + 0.5) * self.size / M_PER_DEG_LON)

    def ring(self) -> list[list[float]]:
        """The cell as a closed GeoJSON ring of [lon, lat] positions (counter-clockwise)."""
        south = ORIGIN_LAT + self.y * self.size / M_PER_DEG_LAT
        north = ORIGIN_LAT + (self.y + 1) * self.size / M_PER_DEG_LAT
        west = ORIGIN_LON + self.x * self.size / M_PER_DEG_LON
        east = ORIGIN_LON + (self.x + 1) * self.size / M_PER_DEG_LON
        return [[round(west, 6), round(south, 6)], [round(east, 6), round(south, 6)],
                [round(east, 6), round(north, 6)], [round(west, 6), round(north, 6)],
                [round(west, 6), round(south, 6)]]


def in_grid(lat: float | None, lon: float | None) -> bool:
    """Whether the point lies inside the padded municipality box the grid covers."""
    if lat is None or lon is None or not (math.isfinite(lat) and math.isfinite(lon)):
        return False
    min_lon, min_lat, max_lon, max_lat = MUNICIPALITY_BBOX
    return min_lon <= lon <= max_lon and min_lat <= lat <= max_lat


def cell_of(lat: float, lon: float, size: int = CELL_M) -> Cell:
    """The cell of a point inside the grid (see :func:`in_grid`)."""
    return Cell(int((lon - ORIGIN_LON) * M_PER_DEG_LON / size),
                int((lat - ORIGIN_LAT) * M_PER_DEG_LAT / size), size)


def parse_cell(text: str, size: int = CELL_M) -> Cell | None:
    """The cell of an id written by :attr:`Cell.id`, or None."""
    match = _CELL_ID.fullmatch(text or "")
    return Cell(int(match.group(1)), int(match.group(2)), size) if match else None


def snap(lat: float, lon: float, size: int) -> tuple[float, float]:
    """The point moved to the centre of its ``size``-metre cell (coarsens a location)."""
    return cell_of(lat, lon, size).centre
