"""Reports and accounts for the lägesbild tests, written straight to the database."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import Flask

from kopingreport.db import get_session
from kopingreport.moderation.models import ReportCase
from kopingreport.reports.models import Area, Report

LOCAL = ZoneInfo("Europe/Stockholm")
_numbers = itertools.count(1)
#: Points in Köping: the town centre (Stortorget) and Nygård.
TORGET = (59.5137, 15.9906)
NYGARD = (59.5230, 16.0200)


def local(*parts: int) -> datetime:
    """A Swedish wall-clock time as an aware datetime."""
    return datetime(*parts, tzinfo=LOCAL)  # type: ignore[misc]


def add_reports(app: Flask, rows: list[dict[str, Any]]) -> list[int]:
    """Insert reports; each row may set created_at (aware), category, area (code), lat, lon,
    state, reporter_kind, organisation_id, is_public, precision, occurred_at, place, text."""
    ids = []
    with app.app_context():
        session = get_session()
        areas = {a.code: a.id for a in session.scalars(sa.select(Area))}
        for row in rows:
            number = next(_numbers)
            created = row.get("created_at") or datetime.now(UTC)
            report = Report(
                reference=f"KPG-T-{number:06d}", receipt_hash=f"{number:064x}",
                payload_hash="x", category=row.get("category", "vandalism"),
                description=row.get("text", "Krossad ruta."), occurred_at=row.get(
                    "occurred_at", created), created_at=created, updated_at=created,
                lat=row.get("lat"), lon=row.get("lon"), location_source="gps",
                place=row.get("place"), area_id=areas.get(row.get("area", "centrum")),
                reporter_kind=row.get("reporter_kind", "resident"),
                organisation_id=row.get("organisation_id"), state=row.get("state", "accepted"),
                locale="sv", public_text=row.get("public_text"),
                is_public=row.get("is_public", False))
            session.add(report)
            session.flush()
            if "precision" in row:
                session.add(ReportCase(report_id=report.id, public_precision=row["precision"]))
            ids.append(report.id)
        session.commit()
    return ids


def many(count: int, **row: Any) -> list[dict[str, Any]]:
    """``count`` copies of one report row."""
    return [dict(row) for _ in range(count)]
