"""The per-survey device token (web layer): a random value the server signs and sets in a
long-lived HttpOnly cookie. Only HMAC(secret, survey salt + token) is ever stored.

The same token is also put in the survey form (field ``device``), so that an answer queued
in the phone's outbox — sent later without cookies — still counts for this device.
"""

from __future__ import annotations

import secrets
from typing import Any

from flask import Response, current_app, request
from itsdangerous import BadSignature, URLSafeSerializer

from kopingreport.surveys.models import Survey
from kopingreport.surveys.responding import device_hash

MAX_AGE = 2 * 365 * 24 * 3600
FIELD = "device"


def cookie_name(survey: Survey) -> str:
    """The cookie of one survey's device token."""
    return f"survey_{survey.id}"


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="survey-device")


def issue(survey: Survey) -> str:
    """A new signed token for this survey."""
    return _serializer().dumps([survey.id, secrets.token_urlsafe(16)])


def _valid(survey: Survey, token: object) -> str | None:
    if not isinstance(token, str) or not token or len(token) > 200:
        return None
    try:
        survey_id, _random = _serializer().loads(token)
    except (BadSignature, ValueError, TypeError):
        return None
    return token if survey_id == survey.id else None


def current_token(survey: Survey, data: Any = None) -> str | None:
    """The device's token: from its cookie, else from the posted data (the outbox)."""
    posted = (data if data is not None else request.form).get(FIELD)
    return _valid(survey, request.cookies.get(cookie_name(survey))) or _valid(survey, posted)


def token_for_page(survey: Survey) -> tuple[str, bool]:
    """The token to use on a page, and whether it is new (then it must be set)."""
    token = current_token(survey)
    return (token, False) if token else (issue(survey), True)


def current_hash(survey: Survey, data: Any = None) -> str | None:
    """The stored form of this device's token, or None without a token."""
    token = current_token(survey, data)
    return device_hash(current_app.config["SECRET_KEY"], survey, token) if token else None


def remember(response: Response, survey: Survey, token: str) -> Response:
    """Set the device cookie (HttpOnly, SameSite=Lax, two years)."""
    response.set_cookie(cookie_name(survey), token, max_age=MAX_AGE, httponly=True,
                        samesite="Lax", secure=current_app.config["SESSION_COOKIE_SECURE"])
    return response
