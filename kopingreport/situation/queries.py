"""Read-only aggregates of reports for the lägesbild: counts per area and category, grid
cells, hours, reporters, places. Every query is a GROUP BY in SQL over a ``created_at`` range,
so both databases answer from the covering index ``ix_reports_picture`` alone (it holds every
column these queries read except the typed place name); tests/situation/test_query_plans.py
asserts the plans.

Which reports count: every report received in the period except those closed as rejected
(spam, abuse) or as a duplicate of another report (the original is counted).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from kopingreport.reports.models import Report
from kopingreport.reports.states import ReportState
from kopingreport.situation import grid
from kopingreport.situation.models import SunDay
from kopingreport.situation.sql import grid_index, no_index, utc_date, utc_hour
from kopingreport.situation.sun import sun_day
from kopingreport.web.fields import LOCAL_TZ

#: States that do not count in the picture.
NOT_COUNTED = (ReportState.REJECTED, ReportState.DUPLICATE)


@dataclass(frozen=True)
class Filters:
    """Which reports the picture covers: received in [start, end) (UTC), narrowed by the
    optional lists (empty means all)."""

    start: datetime
    end: datetime
    area_ids: tuple[int, ...] = ()
    categories: tuple[str, ...] = ()
    reporter_kinds: tuple[str, ...] = ()
    organisation_ids: tuple[int, ...] = ()
    dark_only: bool = False

    def moved(self, start: datetime, end: datetime) -> Filters:
        """The same filters over another period."""
        return replace(self, start=start, end=end)


def _sun() -> Any:
    return SunDay.__table__.alias("sun")


def _dark(sun: Any) -> sa.ColumnElement[bool]:
    return sa.or_(Report.occurred_at < sun.c.dawn_at, Report.occurred_at >= sun.c.dusk_at)


def select_reports(f: Filters, *columns: Any, sun: Any = None) -> sa.Select[Any]:
    """SELECT ``columns`` FROM reports (joined to the sun's day when needed) WHERE filters.

    The optional filters use ``+column`` so that SQLite keeps the created_at range index.
    """
    query = sa.select(*columns).select_from(Report.__table__)
    if f.dark_only and sun is None:
        sun = _sun()
    if sun is not None:
        query = query.join(sun, sun.c.day == utc_date(Report.occurred_at), isouter=True)
    query = query.where(Report.created_at >= f.start, Report.created_at < f.end,
                        no_index(Report.state).not_in([str(s) for s in NOT_COUNTED]))
    if f.area_ids:
        query = query.where(no_index(Report.area_id).in_(f.area_ids))
    if f.categories:
        query = query.where(no_index(Report.category).in_(f.categories))
    if f.reporter_kinds:
        query = query.where(no_index(Report.reporter_kind).in_(f.reporter_kinds))
    if f.organisation_ids:
        query = query.where(no_index(Report.organisation_id).in_(f.organisation_ids))
    if f.dark_only:
        query = query.where(_dark(sun))
    return query


def period_signature(session: Session, f: Filters) -> tuple[int, Any]:
    """How many reports were received in the period and when one of them last changed: any
    new, changed (moderated, merged) or deleted report changes it. Reads the index only."""
    query = sa.select(sa.func.count(), sa.func.max(Report.updated_at)).where(
        Report.created_at >= f.start, Report.created_at < f.end)
    count, changed = session.execute(query).one()
    return int(count), changed


def local_midnight(day: date) -> datetime:
    """The start of a Swedish calendar day, in UTC."""
    return datetime.combine(day, time(0), LOCAL_TZ).astimezone(UTC)


#: Days per signature statement (SQLite allows 500 terms in a compound SELECT).
DAYS_PER_STATEMENT = 100


def day_signatures(session: Session, f: Filters) -> dict[date, tuple[int, Any]]:
    """:func:`period_signature` of every Swedish day of the period that has reports.

    One statement (per ``DAYS_PER_STATEMENT`` days): a count over each day's ``created_at``
    range, joined by UNION ALL, so each day is a range of the index, never sorted."""
    days, day = [], f.start.astimezone(LOCAL_TZ).date()
    while local_midnight(day) < f.end:
        days.append(day)
        day += timedelta(days=1)
    found: dict[date, tuple[int, Any]] = {}
    for chunk in range(0, len(days), DAYS_PER_STATEMENT):
        part = days[chunk:chunk + DAYS_PER_STATEMENT]
        params: dict[str, datetime] = {}
        for i, d in enumerate(part):
            params[f"s{i}"] = max(f.start, local_midnight(d))
            params[f"e{i}"] = min(f.end, local_midnight(d + timedelta(days=1)))
        for index, count, changed in session.execute(_day_signature_query(len(part)), params):
            if count:
                found[part[index]] = (int(count), changed)
    return found


_day_statements: dict[int, sa.Select[Any] | sa.CompoundSelect] = {}


def _day_signature_query(days: int) -> sa.Select[Any] | sa.CompoundSelect:
    """The UNION ALL of ``days`` ranges, built once per length (bound as ``s<i>``, ``e<i>``)."""
    if days not in _day_statements:
        moment = Report.created_at.type
        selects = [sa.select(sa.literal_column(str(i)).label("day"), sa.func.count().label("n"),
                             sa.func.max(Report.updated_at).label("changed"))
                   .where(Report.created_at >= sa.bindparam(f"s{i}", type_=moment),
                          Report.created_at < sa.bindparam(f"e{i}", type_=moment))
                   for i in range(days)]
        _day_statements[days] = selects[0] if days == 1 else sa.union_all(*selects)
    return _day_statements[days]


def area_category_counts(session: Session, f: Filters) -> dict[tuple[int | None, str], int]:
    """Reports per (area id, category) in the period."""
    count = sa.func.count()
    query = select_reports(f, Report.area_id, Report.category, count).group_by(
        Report.area_id, Report.category)
    return {(area, category): n for area, category, n in session.execute(query)}


def _cell_columns() -> tuple[Any, Any]:
    scale_x = grid.M_PER_DEG_LON / grid.CELL_M
    scale_y = grid.M_PER_DEG_LAT / grid.CELL_M
    return (grid_index((Report.lon - grid.ORIGIN_LON) * scale_x).label("x"),
            grid_index((Report.lat - grid.ORIGIN_LAT) * scale_y).label("y"))


def _in_grid(query: sa.Select[Any]) -> sa.Select[Any]:
    min_lon, min_lat, max_lon, max_lat = grid.MUNICIPALITY_BBOX
    return query.where(Report.lat.between(min_lat, max_lat), Report.lon.between(min_lon, max_lon))


def cell_counts(session: Session, f: Filters) -> dict[tuple[int, int], int]:
    """Reports with a point per 250 m cell: (x, y) → count."""
    x, y = _cell_columns()
    query = _in_grid(select_reports(f, x, y, sa.func.count())).group_by(x, y)
    return {(cx, cy): n for cx, cy, n in session.execute(query)}


def hour_counts(session: Session, f: Filters) -> list[tuple[str, bool, int]]:
    """Reports per UTC hour of occurrence (``YYYY-MM-DD HH``) and darkness; the caller turns
    the hours into Swedish weekdays and hours (UTC offsets are whole hours)."""
    sun = _sun()
    hour = utc_hour(Report.occurred_at).label("hour")
    dark = sa.case((_dark(sun), 1), else_=0).label("dark")
    query = select_reports(f, hour, dark, sa.func.count(), sun=sun).group_by(hour, dark)
    return [(h, bool(d), n) for h, d, n in session.execute(query)]


def reporter_counts(session: Session, f: Filters) -> dict[tuple[str, int | None], int]:
    """Reports per (reporter kind, organisation id)."""
    query = select_reports(f, Report.reporter_kind, Report.organisation_id, sa.func.count()).group_by(
        Report.reporter_kind, Report.organisation_id)
    return {(kind, org): n for kind, org, n in session.execute(query)}


def place_counts(session: Session, f: Filters,
                 limit: int | None = 10) -> list[tuple[str, int]]:
    """The place names reporters typed most often (trimmed, case-folded); every one when
    ``limit`` is None."""
    name = sa.func.lower(sa.func.trim(Report.place)).label("place")
    query = (select_reports(f, name, sa.func.count().label("n")).where(Report.place.is_not(None),
                                                                 Report.place != "")
             .group_by(name).order_by(sa.desc("n"), name).limit(limit))
    return [(p, n) for p, n in session.execute(query)]


def points(session: Session, f: Filters, limit: int) -> tuple[list[dict[str, Any]], int]:
    """The newest ``limit`` reports with a point (for the map), and how many there are."""
    sun = _sun()
    columns = (Report.id, Report.reference, Report.category, Report.lat, Report.lon,
               sa.case((_dark(sun), True), else_=False).label("dark"))
    base = _in_grid(select_reports(f, *columns, sun=sun))
    total = session.scalar(sa.select(sa.func.count()).select_from(base.subquery())) or 0
    rows = session.execute(base.order_by(Report.created_at.desc()).limit(limit))
    return [{"id": i, "reference": ref, "category": cat, "lat": lat, "lon": lon,
             "dark": bool(dark)} for i, ref, cat, lat, lon, dark in rows], total


def ensure_sun_days(session: Session, first: date, last: date) -> int:
    """Store dawn and dusk for every UTC day in [first, last] that is missing; returns how
    many were added. The table is a cache of :func:`sun.sun_day`, filled on first use."""
    wanted = (last - first).days + 1
    have = session.scalar(sa.select(sa.func.count()).where(
        SunDay.day >= first, SunDay.day <= last)) or 0
    if have >= wanted:
        return 0
    known = set(session.scalars(sa.select(SunDay.day).where(SunDay.day >= first,
                                                             SunDay.day <= last)))
    rows = []
    for offset in range(wanted):
        day = first + timedelta(days=offset)
        if day not in known:
            sun = sun_day(day)
            if sun.dawn is not None and sun.dusk is not None:
                rows.append({"day": day, "dawn_at": sun.dawn, "dusk_at": sun.dusk})
    if rows:
        insert = (postgresql.insert if session.get_bind().dialect.name == "postgresql"
                  else sqlite.insert)
        session.execute(insert(SunDay.__table__).on_conflict_do_nothing(), rows)
        session.flush()
    return len(rows)
