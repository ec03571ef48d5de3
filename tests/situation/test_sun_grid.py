"""The sun's position over Köping and the 250 m grid: pure functions, checked against
published sunrise and sunset tables."""

from __future__ import annotations

import math
from datetime import UTC, date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from kopingreport.situation import grid, sun

SWEDEN = ZoneInfo("Europe/Stockholm")
CET = timezone(timedelta(hours=1))


def _hm(moment: datetime | None, tz: object) -> int:
    assert moment is not None
    local = moment.astimezone(tz)  # type: ignore[arg-type]
    return local.hour * 60 + local.minute + round(local.second / 60)


@pytest.mark.parametrize("place,lat,lon,rise,set_", [
    # newsworthy.se, "På lördag är solen uppe till klockan 17 i Sala", Saturday 2026-02-21:
    # the table lists Köping, Västerås, Stockholm and Kiruna for the same day.
    ("Köping", *sun.KOPING, "07:16", "17:04"),
    ("Västerås", 59.6099, 16.5448, "07:14", "17:02"),
    ("Stockholm", 59.3293, 18.0686, "07:08", "16:56"),
    ("Kiruna", 67.8558, 20.2253, "07:31", "16:15"),
])
def test_sunrise_and_sunset_match_the_published_table(place: str, lat: float, lon: float,
                                                      rise: str, set_: str) -> None:
    day = sun.sun_day(date(2026, 2, 21), lat, lon)
    for found, expected in ((day.sunrise, rise), (day.sunset, set_)):
        hours, minutes = map(int, expected.split(":"))
        assert abs(_hm(found, SWEDEN) - (hours * 60 + minutes)) <= 1, (place, found, expected)


@pytest.mark.parametrize("day,rise,set_", [(date(2001, 1, 1), "09:18", "14:31"),
                                          (date(2001, 1, 15), "08:59", "15:02")])
def test_sundsvall_almanac(day: date, rise: str, set_: str) -> None:
    """stjarnhimlen.se, Upp/nedgångar 2001 i Sundsvall (62.392 N, 17.290 E), Swedish winter
    time."""
    found = sun.sun_day(day, 62.392, 17.290)
    for moment, expected in ((found.sunrise, rise), (found.sunset, set_)):
        hours, minutes = map(int, expected.split(":"))
        assert abs(_hm(moment, CET) - (hours * 60 + minutes)) <= 1


def test_darkness_follows_the_season() -> None:
    assert sun.is_dark(datetime(2026, 1, 15, 17, 30, tzinfo=SWEDEN))
    assert not sun.is_dark(datetime(2026, 1, 15, 12, 0, tzinfo=SWEDEN))
    # Midsummer: still civil twilight at 23:00, dark only around half past midnight.
    assert not sun.is_dark(datetime(2026, 6, 21, 23, 0, tzinfo=SWEDEN))
    assert sun.is_dark(datetime(2026, 6, 22, 0, 40, tzinfo=SWEDEN))
    day = sun.sun_day(date(2026, 1, 15))
    assert day.dawn and day.sunrise and day.dawn < day.sunrise
    assert sun.altitude(day.sunrise) == pytest.approx(sun.SUNRISE_ALTITUDE, abs=0.05)


def _metres(a: tuple[float, float], b: tuple[float, float]) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = (math.sin((lat2 - lat1) / 2) ** 2
         + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2)
    return 2 * 6371008.8 * math.asin(math.sqrt(h))


def test_cells_are_250_metres_and_contain_their_points() -> None:
    point = (59.5137, 15.9906)
    cell = grid.cell_of(*point)
    assert _metres(point, cell.centre) <= 250 / math.sqrt(2) + 1
    east, north = grid.Cell(cell.x + 1, cell.y), grid.Cell(cell.x, cell.y + 1)
    assert _metres(cell.centre, east.centre) == pytest.approx(250, abs=1)
    assert _metres(cell.centre, north.centre) == pytest.approx(250, abs=1)
    ring = cell.ring()
    assert ring[0] == ring[-1] and len(ring) == 5
    assert grid.parse_cell(cell.id) == cell
    assert grid.parse_cell("1-2; DROP TABLE reports") is None
    assert grid.cell_of(*grid.snap(*point, 100), 100) == grid.cell_of(*point, 100)
    assert not grid.in_grid(57.7, 11.97) and not grid.in_grid(None, 15.9)
