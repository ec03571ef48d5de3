"""``POST requests``: a partner organisation's system files a report with its API key.

The key acts as a partner of its organisation, so the report is attributed exactly like one
sent by a logged-in partner (and skips moderation if the organisation is trusted). Names are
not stored; e-mail and phone go to the separate contact record that is purged on schedule.
Remote ``media_url`` is never fetched.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from flask_babel import LazyString
from sqlalchemy.orm import Session

from kopingreport.accounts.models import Organisation
from kopingreport.i18n import _l
from kopingreport.open311.requests import RequestError, parse_datetime
from kopingreport.reports import categories
from kopingreport.reports.photostore import PhotoStore
from kopingreport.reports.services import ReportInput, SubmitResult, submit_report
from kopingreport.reports.states import LocationSource, ReporterKind
from kopingreport.security import Role


@dataclass(frozen=True)
class KeyActor:
    """An API key acting as a partner of its organisation."""

    organisation: Organisation
    id: None = None
    is_authenticated: bool = True
    role: str = field(default=Role.PARTNER)


def _number(form: Any, name: str, low: float, high: float) -> float | None:
    text = (form.get(name) or "").strip()
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not low <= value <= high:  # also refuses NaN
        raise RequestError(400, _l("%(name)s must be a number from %(low)s to %(high)s.",
                                   name=name, low=low, high=high))
    return value


def _text(form: Any, name: str, limit: int) -> str | None:
    value = (form.get(name) or "").strip()
    if len(value) > limit or any(ord(c) < 32 and c not in "\r\n\t" for c in value):
        raise RequestError(400, _l("%(name)s is too long or contains characters that are "
                                   "not allowed.", name=name))
    return value or None


def build_input(form: Any, locale: str, description_limit: int) -> ReportInput:
    """The report the POST describes; ``RequestError`` (400) for anything wrong."""
    code = (form.get("service_code") or "").strip()
    if categories.get(code) is None:
        raise RequestError(400, _l("service_code: unknown service."))
    lat, lon = _number(form, "lat", -90, 90), _number(form, "long", -180, 180)
    if (lat is None) != (lon is None):
        raise RequestError(400, _l("Give both lat and long."))
    place = _text(form, "address_string", 200) or _text(form, "attribute[place]", 200)
    area_code = _text(form, "address_id", 40)
    if lat is None and not place and not area_code:
        raise RequestError(400, _l("Give the place: lat and long, address_string or "
                                   "address_id."))
    when = form.get("attribute[occurred_at]")
    email = _text(form, "email", 254)
    if email and "@" not in email:
        raise RequestError(400, _l("email is not an e-mail address."))
    return ReportInput(
        category=code, description=_text(form, "description", description_limit) or "",
        reporter_kind=ReporterKind.PARTNER, locale=locale,
        occurred_at=parse_datetime(when, "attribute[occurred_at]") if when else None,
        lat=lat, lon=lon, location_source=LocationSource.MAP if lat is not None else None,
        place=place, area_code=area_code, contact_email=email,
        contact_phone=_text(form, "phone", 40))


def file_report(session: Session, organisation: Organisation, data: ReportInput, *,
                store: PhotoStore, secret: str, idempotency_key: str | None,
                max_age_days: int) -> SubmitResult:
    """Store the report as sent by ``organisation``."""
    return submit_report(session, KeyActor(organisation), data, store=store, secret=secret,
                         idempotency_key=idempotency_key, max_age_days=max_age_days)


def first_error(errors: dict[str, list[Any]]) -> LazyString | str:
    """One message out of ``SubmissionInvalid.errors`` for the Open311 error body."""
    for name, messages in errors.items():
        if messages:
            return f"{name}: {messages[0]}"
    return _l("The request is not valid.")
