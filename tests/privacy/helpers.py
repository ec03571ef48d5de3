"""Building reports, accounts and old data for the privacy tests."""

from __future__ import annotations

import io
import re
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from kopingreport.db import utcnow
from kopingreport.moderation.models import AuditEvent
from kopingreport.reports.models import Report
from tests.factories import CENTRE, jpeg_with_gps, post_form

STATUS_RE = re.compile(r"/status/([^/?]+)")


def send_report(client: FlaskClient, *, photo: bool = True, contact: bool = True,
                **fields: Any) -> str:
    """Send a report through the real form (GPS point, photo, contact); its receipt token."""
    extra: dict[str, Any] = {"area": "", "lat": str(CENTRE[0]), "lon": str(CENTRE[1]),
                             "accuracy": "8", "location_source": "gps"}
    if photo:
        extra["photos"] = [(io.BytesIO(jpeg_with_gps()), "IMG_1.jpg")]
    if contact:
        extra.update(contact_email="anna@example.se", contact_phone="070-123 45 67")
    extra.update(fields)
    response = post_form(client, **extra)
    assert response.status_code == 303, response.get_data(as_text=True)[:400]
    return STATUS_RE.search(response.headers["Location"]).group(1)  # type: ignore[union-attr]


def report_by_token(db_session: sa.orm.Session, token: str) -> Report:
    from kopingreport.reports.receipts import hash_token

    db_session.expire_all()
    return db_session.scalar(sa.select(Report).where(Report.receipt_hash == hash_token(token)))


def close_report(db_session: sa.orm.Session, report: Report, state: str, days_ago: float
                 ) -> None:
    """Put the report in ``state`` as if a moderator had done it ``days_ago`` days ago."""
    when = utcnow() - timedelta(days=days_ago)
    report.state = state
    db_session.add(AuditEvent(report_id=report.id, action="state", before={"state": "new"},
                              after={"state": state}, created_at=when))
    db_session.commit()


def ago(days: float) -> datetime:
    return utcnow() - timedelta(days=days)


def photo_files(app: Flask) -> set[str]:
    """The hashes of every stored photo file."""
    root = Path(app.config["UPLOAD_DIR"]) / "photos"
    return {p.stem for p in root.glob("??/??/*.jpg")}


def run(app: Flask, *args: str):  # type: ignore[no-untyped-def]
    return app.test_cli_runner().invoke(args=list(args))


def counts(output: str) -> dict[str, int]:
    """``kind: removed N`` lines of the purge output."""
    return {m.group(1): int(m.group(2))
            for m in re.finditer(r"^(\w+): (?:would remove|removed) (\d+)$", output, re.M)}
