"""Reading queue filters from the query string (tolerant: a bad value is ignored)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from werkzeug.datastructures import MultiDict

from kopingreport.moderation.queries import SORTS, QueueFilters
from kopingreport.reports import categories
from kopingreport.reports.states import ReporterKind, ReportState
from kopingreport.web.fields import LOCAL_TZ

FILTER_KEYS = ("state", "category", "area", "kind", "org", "from", "to", "photo", "overdue",
               "mine", "sort")


def _day(text: str | None, *, end: bool = False) -> datetime | None:
    try:
        day = date.fromisoformat(text or "")
    except ValueError:
        return None
    moment = datetime.combine(day + timedelta(days=1 if end else 0), time(), tzinfo=LOCAL_TZ)
    return moment.astimezone(UTC)


def end_of_day(day: date | None) -> datetime | None:
    """The end of a local calendar day, in UTC (a due date means "by the end of that day")."""
    if day is None:
        return None
    return datetime.combine(day + timedelta(days=1), time(), tzinfo=LOCAL_TZ).astimezone(UTC)


def _int(text: str | None) -> int | None:
    return int(text) if text and text.isdigit() and len(text) < 10 else None


def parse_filters(args: MultiDict[str, str], actor_id: int) -> QueueFilters:
    """Queue filters from ``args``; unknown values fall back to "any"."""
    states = tuple(s for s in args.getlist("state") if s in set(ReportState))
    if "state" not in args:
        states = (ReportState.NEW, ReportState.IN_REVIEW)
    category = args.get("category", "")
    kind = args.get("kind", "")
    return QueueFilters(
        states=states, category=category if categories.get(category) else "",
        area=args.get("area", "")[:40], reporter_kind=kind if kind in set(ReporterKind) else "",
        organisation_id=_int(args.get("org")), date_from=_day(args.get("from")),
        date_to=_day(args.get("to"), end=True), has_photo=args.get("photo") == "1",
        overdue=args.get("overdue") == "1", assignee_id=actor_id if args.get("mine") == "1"
        else None, sort=args.get("sort") if args.get("sort") in SORTS else "newest")


def filter_args(args: MultiDict[str, str]) -> dict[str, Any]:
    """The filter part of the query string, to carry it over to other links."""
    return {key: args.getlist(key) for key in FILTER_KEYS if key in args}
