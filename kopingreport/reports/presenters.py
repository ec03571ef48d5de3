"""How a report looks to the person holding its receipt (HTML and JSON alike)."""

from __future__ import annotations

from typing import Any

from flask import url_for

from kopingreport.reports import categories
from kopingreport.reports.models import Photo, Report
from kopingreport.reports.states import STATE_LABELS, ReportState


def category_name(code: str) -> str:
    """The translated name of a category code."""
    category = categories.get(code)
    return str(category.name) if category else code


def state_label(state: str) -> str:
    """The plain-language, translated label of a state."""
    return str(STATE_LABELS.get(ReportState(state), state))


def receipt_photo_url(token: str, photo: Photo, variant: str = "full") -> str:
    """The URL of a photo for the holder of the receipt."""
    return url_for("reports.receipt_photo", token=token, position=photo.position,
                   variant=variant, _external=True)


def public_status(report: Report, token: str, original: Report | None = None
                  ) -> dict[str, Any]:
    """The status a reporter may see: never contact details or internal notes. A duplicate
    shows the status of the original report too."""
    return {
        "original": None if original is None else {
            "reference": original.reference, "state": original.state,
            "state_label": state_label(original.state), "public_reply": original.public_reply},
        "reference": report.reference,
        "state": report.state,
        "state_label": state_label(report.state),
        "category": report.category,
        "category_name": category_name(report.category),
        "area": report.area.name if report.area else None,
        "created_at": report.created_at.isoformat(),
        "occurred_at": report.occurred_at.isoformat(),
        "public_reply": report.public_reply,
        "status_url": url_for("reports.status", token=token, _external=True),
        "photos": [receipt_photo_url(token, p) for p in report.photos],
    }
