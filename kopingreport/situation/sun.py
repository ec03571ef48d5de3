"""Where the sun is over Köping: NOAA's solar-position equations, no dependency.

The equations are those of NOAA's solar calculator spreadsheet (after Meeus, *Astronomical
Algorithms*): good to about a minute for sunrise and sunset at Köping's latitude. A report
counts as made *in the dark* when the sun was more than 6° below the horizon (after civil
dusk, before civil dawn): street lighting is what people see by then.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache

#: Köping town centre (lat, lon).
KOPING = (59.5137, 15.9906)
#: Sun altitude at sunrise and sunset: refraction and the sun's radius (degrees).
SUNRISE_ALTITUDE = -0.833
#: Sun altitude at civil dawn and dusk: below this it counts as dark.
CIVIL_ALTITUDE = -6.0


def _century(moment: datetime) -> float:
    julian_day = moment.timestamp() / 86400.0 + 2440587.5
    return (julian_day - 2451545.0) / 36525.0


def _declination_and_equation(moment: datetime) -> tuple[float, float]:
    """The sun's declination (degrees) and the equation of time (minutes) at ``moment``."""
    t = _century(moment)
    mean_long = (280.46646 + t * (36000.76983 + t * 0.0003032)) % 360
    anomaly = math.radians(357.52911 + t * (35999.05029 - 0.0001537 * t))
    eccentricity = 0.016708634 - t * (0.000042037 + 0.0000001267 * t)
    centre = (math.sin(anomaly) * (1.914602 - t * (0.004817 + 0.000014 * t))
              + math.sin(2 * anomaly) * (0.019993 - 0.000101 * t)
              + math.sin(3 * anomaly) * 0.000289)
    omega = math.radians(125.04 - 1934.136 * t)
    apparent_long = math.radians(mean_long + centre - 0.00569 - 0.00478 * math.sin(omega))
    mean_obliquity = 23 + (26 + (21.448 - t * (46.815 + t * (0.00059 - t * 0.001813))) / 60) / 60
    obliquity = math.radians(mean_obliquity + 0.00256 * math.cos(omega))
    declination = math.asin(math.sin(obliquity) * math.sin(apparent_long))
    y = math.tan(obliquity / 2) ** 2
    l0 = math.radians(mean_long)
    equation = 4 * math.degrees(
        y * math.sin(2 * l0) - 2 * eccentricity * math.sin(anomaly)
        + 4 * eccentricity * y * math.sin(anomaly) * math.cos(2 * l0)
        - 0.5 * y * y * math.sin(4 * l0) - 1.25 * eccentricity ** 2 * math.sin(2 * anomaly))
    return math.degrees(declination), equation


def altitude(moment: datetime, lat: float = KOPING[0], lon: float = KOPING[1]) -> float:
    """The sun's altitude above the horizon in degrees (no refraction) at ``moment``."""
    moment = moment.astimezone(UTC)
    declination, equation = _declination_and_equation(moment)
    minutes = moment.hour * 60 + moment.minute + moment.second / 60
    solar_time = (minutes + equation + 4 * lon) % 1440
    hour_angle = math.radians(solar_time / 4 - 180)
    phi, delta = math.radians(lat), math.radians(declination)
    cos_zenith = (math.sin(phi) * math.sin(delta)
                  + math.cos(phi) * math.cos(delta) * math.cos(hour_angle))
    return 90 - math.degrees(math.acos(max(-1.0, min(1.0, cos_zenith))))


def is_dark(moment: datetime, lat: float = KOPING[0], lon: float = KOPING[1]) -> bool:
    """Whether it was dark (sun below civil twilight) at ``moment``."""
    return altitude(moment, lat, lon) < CIVIL_ALTITUDE


def _crossing(day: date, lat: float, lon: float, target: float, rising: bool
              ) -> datetime | None:
    """When on ``day`` (UTC date) the sun passes ``target`` altitude; None if it does not."""
    guess = datetime.combine(day, time(12), UTC)
    for _ in range(3):  # refine with the sun's position at the previous estimate
        declination, equation = _declination_and_equation(guess)
        phi, delta = math.radians(lat), math.radians(declination)
        cos_h = ((math.sin(math.radians(target)) - math.sin(phi) * math.sin(delta))
                 / (math.cos(phi) * math.cos(delta)))
        if not -1.0 <= cos_h <= 1.0:
            return None
        hour_angle = math.degrees(math.acos(cos_h))
        noon = 720 - 4 * lon - equation
        minutes = noon - 4 * hour_angle if rising else noon + 4 * hour_angle
        guess = datetime.combine(day, time(0), UTC) + timedelta(minutes=minutes)
    return guess


@dataclass(frozen=True)
class SunDay:
    """One UTC day's sunrise, sunset and civil dawn and dusk (UTC; None if they do not
    happen, which at Köping's latitude is never the case for sunrise and sunset)."""

    day: date
    dawn: datetime | None
    sunrise: datetime | None
    sunset: datetime | None
    dusk: datetime | None


@lru_cache(maxsize=4096)
def sun_day(day: date, lat: float = KOPING[0], lon: float = KOPING[1]) -> SunDay:
    """Sunrise, sunset, dawn and dusk on the UTC date ``day``."""
    return SunDay(day, _crossing(day, lat, lon, CIVIL_ALTITUDE, True),
                  _crossing(day, lat, lon, SUNRISE_ALTITUDE, True),
                  _crossing(day, lat, lon, SUNRISE_ALTITUDE, False),
                  _crossing(day, lat, lon, CIVIL_ALTITUDE, False))
