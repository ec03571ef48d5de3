"""Finding and merging duplicates: same category, within 50 m and 7 days."""

from __future__ import annotations

import math
from datetime import timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from kopingreport.accounts.models import User
from kopingreport.moderation import audit
from kopingreport.moderation.services import change_state
from kopingreport.reports.models import Report
from kopingreport.reports.states import ReportState

RADIUS_M = 50.0
WINDOW = timedelta(days=7)
EARTH_RADIUS_M = 6_371_000.0


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in metres (haversine)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(a))


def suggestions(session: Session, report: Report, limit: int = 10) -> list[tuple[Report, float]]:
    """Likely duplicates of ``report`` with their distance in metres, nearest first."""
    if report.lat is None or report.lon is None:
        return []
    dlat = RADIUS_M / 111_320
    dlon = dlat / max(0.1, math.cos(math.radians(report.lat)))
    candidates = session.scalars(sa.select(Report).where(
        Report.id != report.id, Report.category == report.category,
        Report.state != ReportState.DUPLICATE,
        Report.created_at.between(report.created_at - WINDOW, report.created_at + WINDOW),
        Report.lat.between(report.lat - dlat, report.lat + dlat),
        Report.lon.between(report.lon - dlon, report.lon + dlon)))
    found = [(c, distance_m(report.lat, report.lon, c.lat, c.lon)) for c in candidates
             if c.lat is not None and c.lon is not None]
    return sorted([f for f in found if f[1] <= RADIUS_M], key=lambda f: f[1])[:limit]


def merge(session: Session, actor: User, duplicate: Report, original: Report) -> None:
    """Close ``duplicate`` as a duplicate of ``original``; both audit trails record it and the
    duplicate's receipt shows the original's status from now on."""
    change_state(session, actor, duplicate, ReportState.DUPLICATE, duplicate_of=original)
    audit.record(session, actor, original, "merged", None, {"duplicate": duplicate.reference})
    session.flush()
