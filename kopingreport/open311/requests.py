"""Open311 service requests: reading them (filters, limits) and how a report looks as one.

Keyless reads see only published reports, and only their moderated text and the place at
the precision the moderator chose (exact; street level snapped to a 100 m grid; area only,
without a point). A partner's key also shows the reports its organisation sent, as sent.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from flask_babel import LazyString
from sqlalchemy.orm import Session

from kopingreport.db import utcnow
from kopingreport.i18n import _l
from kopingreport.moderation.models import PublicPrecision, ReportCase
from kopingreport.moderation.queries import OPEN_STATES
from kopingreport.moderation.services import PUBLISHABLE
from kopingreport.reports import categories
from kopingreport.reports.models import Report
from kopingreport.reports.presenters import category_name
from kopingreport.situation import grid

MAX_DAYS = 90
MAX_LIMIT = 1000
MAX_IDS = 100
AGENCY = "Köpings kommun"


class RequestError(ValueError):
    """A bad parameter: HTTP status and a translated description."""

    def __init__(self, status: int, description: LazyString | str) -> None:
        super().__init__(str(description))
        self.status, self.description = status, description


def parse_datetime(text: str, name: str) -> datetime:
    """A W3C date-time with a time zone (``2026-05-01T00:00:00Z``)."""
    try:
        value = datetime.fromisoformat(text.strip().replace("Z", "+00:00")) if len(text) <= 40 \
            else None
    except ValueError:
        value = None
    if value is None or value.tzinfo is None:
        raise RequestError(400, _l("%(name)s must be a date and time with a time zone, e.g. "
                                   "2026-05-01T00:00:00Z.", name=name))
    return value.astimezone(UTC)


@dataclass(frozen=True)
class RequestQuery:
    """What ``GET requests`` asked for."""

    references: tuple[str, ...] = ()
    codes: tuple[str, ...] = ()
    start: datetime | None = None
    end: datetime | None = None
    statuses: tuple[str, ...] = ()
    page: int = 1
    page_size: int = MAX_LIMIT


def _list(text: str | None) -> tuple[str, ...]:
    return tuple(dict.fromkeys(v.strip() for v in (text or "").split(",") if v.strip()))


def _int(text: str | None, name: str, default: int, maximum: int) -> int:
    if not text:
        return default
    if not text.isdigit() or not 1 <= int(text) <= maximum:
        raise RequestError(400, _l("%(name)s must be a whole number from 1 to %(max)d.",
                                   name=name, max=maximum))
    return int(text)


def parse_query(args: Any) -> RequestQuery:
    """The filters of ``GET requests``; an empty parameter counts as absent."""
    references = _list(args.get("service_request_id"))
    codes = _list(args.get("service_code"))
    statuses = _list(args.get("status"))
    if len(references) > MAX_IDS:
        raise RequestError(400, _l("Ask for at most %(max)d requests at once.", max=MAX_IDS))
    if any(c not in categories.BY_CODE for c in codes):
        raise RequestError(400, _l("service_code: unknown service."))
    if any(s not in ("open", "closed") for s in statuses):
        raise RequestError(400, _l("status must be open or closed."))
    start = parse_datetime(args["start_date"], "start_date") if args.get("start_date") else None
    end = parse_datetime(args["end_date"], "end_date") if args.get("end_date") else None
    if start and end and (end < start or end - start > timedelta(days=MAX_DAYS)):
        raise RequestError(400, _l("start_date and end_date may span at most %(days)d days.",
                                   days=MAX_DAYS))
    return RequestQuery(references, codes, start, end, statuses,
                        _int(args.get("page"), "page", 1, 100_000),
                        _int(args.get("page_size"), "page_size", MAX_LIMIT, MAX_LIMIT))


def visible(organisation_id: int | None) -> sa.ColumnElement[bool]:
    """Published reports, and with a key the reports of the key's organisation."""
    public = sa.and_(Report.is_public, Report.state.in_([str(s) for s in PUBLISHABLE]))
    if organisation_id is None:
        return public
    return sa.or_(public, Report.organisation_id == organisation_id)


def find(session: Session, q: RequestQuery, organisation_id: int | None
         ) -> list[tuple[Report, ReportCase | None]]:
    """The matching requests, newest first; ``service_request_id`` overrides the rest."""
    query = (sa.select(Report, ReportCase).outerjoin(ReportCase, ReportCase.report_id ==
                                                     Report.id)
             .where(visible(organisation_id)))
    if q.references:
        query = query.where(Report.reference.in_(q.references))
    else:
        end = q.end or utcnow()
        start = q.start or end - timedelta(days=MAX_DAYS)
        query = query.where(Report.created_at >= start, Report.created_at <= end)
        if q.codes:
            query = query.where(Report.category.in_(q.codes))
        open_states = [str(s) for s in OPEN_STATES]
        if q.statuses == ("open",):
            query = query.where(Report.state.in_(open_states))
        elif q.statuses == ("closed",):
            query = query.where(Report.state.not_in(open_states))
    query = query.order_by(Report.created_at.desc(), Report.id.desc())
    query = query.limit(q.page_size).offset((q.page - 1) * q.page_size)
    return [(r, c) for r, c in session.execute(query)]


def _location(report: Report, case: ReportCase | None, own: bool) -> dict[str, Any]:
    precision = PublicPrecision.EXACT if own else PublicPrecision(
        case.public_precision if case else PublicPrecision.AREA)
    lat, lon = report.lat, report.lon
    if lat is None or lon is None or precision == PublicPrecision.AREA:
        return {}
    if precision == PublicPrecision.STREET and grid.in_grid(lat, lon):
        lat, lon = grid.snap(lat, lon, 100)
    return {"lat": round(lat, 5), "long": round(lon, 5)}


def present(report: Report, case: ReportCase | None, organisation_id: int | None
            ) -> dict[str, Any]:
    """One report as an Open311 service request."""
    own = organisation_id is not None and report.organisation_id == organisation_id and not (
        report.is_public and report.state in PUBLISHABLE)
    closed = report.state not in OPEN_STATES
    agency = case.organisation.name if case and case.organisation else AGENCY
    body = {
        "service_request_id": report.reference, "status": "closed" if closed else "open",
        "status_notes": report.public_reply or "", "service_name": category_name(
            report.category), "service_code": report.category,
        "description": (report.description if own else report.public_text) or "",
        "agency_responsible": agency, "service_notice": "",
        "requested_datetime": _w3c(report.created_at),
        "updated_datetime": _w3c(report.updated_at), "expected_datetime": "",
        "address": ", ".join(p for p in ((report.area.name if report.area else ""), "Köping")
                             if p),
        "address_id": "", "zipcode": "", "media_url": ""}
    body.update(_location(report, case, own))
    return body


def _w3c(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
