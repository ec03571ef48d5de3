"""What a report or an account holds about a person, as plain data (JSON, HTML, zip)."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from kopingreport.accounts.models import User
from kopingreport.neighbourhood.models import NeighbourhoodContact
from kopingreport.privacy.erasure import erased_at
from kopingreport.reports.models import Report
from kopingreport.reports.photostore import PhotoStore
from kopingreport.reports.presenters import category_name, receipt_photo_url, state_label
from kopingreport.reports.states import REPORTER_KIND_LABELS, ReporterKind
from kopingreport.surveys.models import Survey, SurveyResponse


def _time(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def report_data(session: Session, report: Report, token: str | None = None
                ) -> dict[str, Any]:
    """The report as its sender made it, its status and replies, and their details."""
    contact = report.contact
    return {
        "reference": report.reference,
        "received_at": _time(report.created_at),
        "occurred_at": _time(report.occurred_at),
        "category": report.category, "category_name": category_name(report.category),
        "description": report.description,
        "place": report.place,
        "area": report.area.name if report.area else None,
        "position": None if report.lat is None else {
            "lat": report.lat, "lon": report.lon, "accuracy_m": report.accuracy_m,
            "source": report.location_source},
        "reporter_kind": report.reporter_kind,
        "reporter_kind_name": str(REPORTER_KIND_LABELS[ReporterKind(report.reporter_kind)]),
        "language": report.locale,
        "state": report.state, "state_label": state_label(report.state),
        "public_reply": report.public_reply,
        "public_text": report.public_text if report.is_public else None,
        "contact": None if contact is None else {"email": contact.email,
                                                 "phone": contact.phone},
        "photos": [receipt_photo_url(token, p) for p in report.photos] if token else
                  [{"width": p.width, "height": p.height} for p in report.photos],
        "personal_data_deleted_at": _time(erased_at(session, report)),
    }


def report_zip(data: dict[str, Any], report: Report, store: PhotoStore) -> bytes:
    """``report.json`` and the photos as sent (``photo-1.jpg`` …) in one zip file."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("report.json", json.dumps(data, ensure_ascii=False, indent=2))
        for number, photo in enumerate(report.photos, start=1):
            if store.exists(photo.sha256):
                archive.writestr(f"photo-{number}.jpg", store.read(photo.sha256),
                                 compress_type=zipfile.ZIP_STORED)
    return buffer.getvalue()


def account_data(session: Session, user: User) -> dict[str, Any]:
    """Everything the system holds about an account holder (never secrets or hashes)."""
    reports = session.scalars(sa.select(Report).where(Report.user_id == user.id)
                              .order_by(Report.created_at))
    entries = session.scalars(sa.select(NeighbourhoodContact)
                              .where(NeighbourhoodContact.user_id == user.id))
    responses = session.execute(
        sa.select(SurveyResponse.created_at, Survey.title).join(Survey)
        .where(SurveyResponse.user_id == user.id).order_by(SurveyResponse.created_at))
    return {
        "account": {
            "email": user.email, "name": user.name, "role": user.role,
            "organisation": user.organisation.name if user.organisation else None,
            "created_at": _time(user.created_at), "last_login_at": _time(user.last_login_at),
            "two_factor": user.totp_secret is not None,
            "email_confirmed": user.is_email_confirmed,
        },
        "reports": [report_data(session, report) for report in reports],
        "grannsamverkan": [{
            "street": e.street, "area": e.area.name, "households": e.households,
            "phone": e.phone, "state": e.state, "applied_at": _time(e.created_at),
            "consent_at": _time(e.consent_at), "consent_version": e.consent_version,
            "last_confirmed_at": _time(e.last_confirmed_at), "ended_at": _time(e.ended_at),
        } for e in entries],
        "survey_responses": [{"survey": title, "answered_at": _time(created)}
                             for created, title in responses],
    }
