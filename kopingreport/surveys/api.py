"""``/api/v1/surveys``: survey answers for the phone's outbox.

Like the report API it has no CSRF token (an answer may wait offline for hours) and refuses
browser requests from other sites instead (``api.views._check_origin``). The device token
travels in the payload (``device``) because the outbox sends without cookies; the
``Idempotency-Key`` makes retries safe.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, jsonify, request, url_for
from flask.typing import ResponseReturnValue
from werkzeug.datastructures import MultiDict

from kopingreport.api.views import _check_origin, _errors
from kopingreport.db import get_session, utcnow
from kopingreport.extensions import csrf
from kopingreport.i18n import _, _l
from kopingreport.reports.views import KEY_RE
from kopingreport.surveys import flow, limits, queries
from kopingreport.surveys.models import SurveyState
from kopingreport.surveys.presenters import content_language
from kopingreport.surveys.responding import NotAccepted
from kopingreport.surveys.texts import tr

bp = Blueprint("surveys_api", __name__, url_prefix="/api/v1/surveys")
csrf.exempt(bp)


@bp.get("")
def list_open() -> ResponseReturnValue:
    """The open surveys in the request's language."""
    surveys = queries.open_surveys(get_session(), utcnow(), request.args.get("area"))
    return jsonify([{"id": s.id, "title": tr(s.title, content_language(s)),
                     "url": url_for("surveys.answer", survey_id=s.id, _external=True),
                     "closes_at": s.closes_at.isoformat() if s.closes_at else None}
                    for s in surveys])


def _payload() -> MultiDict[str, Any] | None:
    """The answers as form fields, from form data or a JSON object."""
    if request.mimetype in {"multipart/form-data", "application/x-www-form-urlencoded"}:
        return MultiDict(request.form)
    if request.mimetype == "application/json":
        data = request.get_json(silent=True)
        if not isinstance(data, dict):
            return None
        pairs = [(str(k), str(item)) for k, v in data.items()
                 for item in (v if isinstance(v, list) else [v]) if item is not None]
        return MultiDict(pairs)
    return None


#: Why a response was not stored → (status, field, message).
REFUSALS = {
    "already": (409, "_", _l("You have already answered this survey. Thank you!")),
    "closed": (409, "_", _l("This survey is closed.")),
    "login": (401, "_", _l("Log in to answer this survey.")),
    "code": (422, "code", _l("This code is not valid or has already been used.")),
    "code_needed": (422, "code", _l("Write the code from your letter or the meeting.")),
    "key_conflict": (422, "Idempotency-Key",
                     _l("This Idempotency-Key was already used for other answers.")),
}


@bp.post("/<int:survey_id>/responses")
@limits.answers
def create_response(survey_id: int) -> ResponseReturnValue:
    """Store one response (form data or JSON; fields as in the HTML form)."""
    _check_origin()
    key = request.headers.get("Idempotency-Key")
    if key is not None and not KEY_RE.match(key):
        return _errors({"Idempotency-Key": [_("The Idempotency-Key header is not valid.")]},
                       400)
    survey, data = queries.load_survey(get_session(), survey_id), _payload()
    if survey is None or survey.state == SurveyState.DRAFT:
        return _errors({"_": [_("We could not find that page. Check the link.")]}, 404)
    if data is None:
        return _errors({"_": [_("Send the answers as form data or JSON.")]}, 415)
    return _store(survey, data, key)


def _store(survey: Any, data: MultiDict[str, Any], key: str | None) -> ResponseReturnValue:
    """Check the shown questions and store the response once (201, or why not)."""
    attempt = flow.read(get_session(), survey, data, request.files)
    if not attempt.check():
        return _errors(attempt.errors)
    try:
        stored = flow.submit(get_session(), attempt, flow.delivery(
            survey, str(data.get("code") or "").strip()[:40], key, data))
    except NotAccepted as err:
        status, name, message = REFUSALS[err.reason]
        return _errors({name: [message]}, status)
    response = jsonify({"survey": survey.id, "received": True,
                        "thanks_url": url_for("surveys.thanks", survey_id=survey.id)})
    response.status_code = 201
    if not stored.created:
        response.headers["Idempotent-Replayed"] = "true"
    return response
