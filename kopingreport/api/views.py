"""``/api/v1``: categories, areas and report submission for the PWA.

The API has no CSRF token: a report may wait in a phone's outbox for hours, longer than any
session. It refuses instead any browser request whose ``Origin`` (or ``Sec-Fetch-Site``)
says another site sent it; the ``Idempotency-Key`` makes retries safe.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, current_app, jsonify, request
from flask.typing import ResponseReturnValue

from kopingreport.db import get_session
from kopingreport.extensions import configured_limit, csrf, limiter
from kopingreport.i18n import _
from kopingreport.reports import categories, flow
from kopingreport.reports import areas as area_service
from kopingreport.reports.presenters import public_status
from kopingreport.reports.services import IdempotencyConflict, SubmissionInvalid
from kopingreport.reports.views import KEY_RE, REPORT_LIMIT

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)
# Report submissions count against LIMIT_REPORTS (stricter, shared with the HTML form), not
# here too: every limit is one more counter (one more Redis round trip) per report.
limiter.shared_limit(configured_limit("LIMIT_API"), scope="api",
                     exempt_when=lambda: request.endpoint == "api.create_report")(bp)


def _errors(errors: dict[str, list[Any]], status: int = 422) -> ResponseReturnValue:
    body = {(name or "_"): [str(m) for m in messages] for name, messages in errors.items()}
    return jsonify({"errors": body}), status


def _check_origin() -> None:
    """Refuse requests that a browser says came from another site."""
    allowed = {request.host_url.rstrip("/"), *current_app.config.get("ALLOWED_ORIGINS", ())}
    origin = request.headers.get("Origin")
    if origin is not None and origin not in allowed:
        abort(403)
    if request.headers.get("Sec-Fetch-Site") == "cross-site":
        abort(403)


@bp.get("/categories")
def list_categories() -> ResponseReturnValue:
    """The categories in the request's language."""
    return jsonify([{"code": c.code, "name": str(c.name), "help": str(c.help)}
                    for c in categories.CATEGORIES])


@bp.get("/areas")
def list_areas() -> ResponseReturnValue:
    """The active areas as a GeoJSON FeatureCollection."""
    return jsonify(area_service.feature_collection(area_service.active_areas(get_session())))


@bp.post("/reports")
@REPORT_LIMIT
def create_report() -> ResponseReturnValue:
    """Submit a report (multipart form data); see DESIGN.md §5."""
    _check_origin()
    key = request.headers.get("Idempotency-Key")
    if key is not None and not KEY_RE.match(key):
        return _errors({"Idempotency-Key": [_("The Idempotency-Key header is not valid.")]},
                       400)
    if request.mimetype not in {"multipart/form-data", "application/x-www-form-urlencoded"}:
        return _errors({"_": [_("Send the report as form data.")]}, 415)
    session = get_session()
    form = flow.build_form(session, csrf=False)
    if not form.validate():
        return _errors(form.errors)
    try:
        result = flow.submit(session, form, key)
    except SubmissionInvalid as err:
        return _errors(err.errors)
    except IdempotencyConflict:
        return _errors({"Idempotency-Key": [_(
            "This Idempotency-Key was already used for another report.")]})
    body = public_status(result.report, result.receipt_token)
    response = jsonify(body)
    response.status_code = 201
    response.headers["Location"] = body["status_url"]
    if not result.created:
        response.headers["Idempotent-Replayed"] = "true"
    return response
