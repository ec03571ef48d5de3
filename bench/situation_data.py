"""Synthetic reports for ``bench/situation.py``: 1 000 000 over three years, loaded fast.

SQLite gets ``executemany`` on the raw connection with timestamps already in SQLAlchemy's
storage format; PostgreSQL gets ``COPY``. Reports cluster around a few dozen places (so there
are hot spots), follow the evening and the seasons, and cover every category, area, reporter
kind and a handful of partner organisations.
"""

from __future__ import annotations

import io
import random
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa

from kopingreport.reports.categories import CATEGORIES
from kopingreport.reports.states import ReporterKind, ReportState

YEARS = 3
CENTRE = (59.5137, 15.9906)
COLUMNS = ("id", "reference", "receipt_hash", "payload_hash", "category", "description",
           "occurred_at", "created_at", "updated_at", "lat", "lon", "accuracy_m",
           "location_source", "place", "area_id", "is_outside_municipality", "reporter_kind",
           "organisation_id", "state", "priority", "locale", "public_text", "is_public")
STATES = (ReportState.RESOLVED, ReportState.ACCEPTED, ReportState.FORWARDED,
          ReportState.NO_ACTION, ReportState.NOT_OURS, ReportState.DUPLICATE,
          ReportState.REJECTED, ReportState.NEW, ReportState.IN_REVIEW)
STATE_WEIGHTS = (45, 12, 8, 12, 6, 6, 4, 4, 3)
KINDS = tuple(ReporterKind)
KIND_WEIGHTS = (70, 12, 8, 10)
#: Hour-of-day weights (local time): quiet mornings, busy evenings.
HOURS = [2, 1.5, 1, .6, .4, .4, .6, 1, 1.4, 1.6, 1.8, 2, 2.2, 2.3, 2.5, 2.8, 3.2, 3.6, 4.2, 4.8,
         5.2, 5, 4, 3]


def _places(rnd: random.Random, n: int = 40) -> list[tuple[float, float, float]]:
    """Hot places: (lat, lon, weight) around the town centre and in Kolsva and Munktorp."""
    towns = [(CENTRE, 0.012, 0.022, 30), ((59.596, 15.848), 0.004, 0.008, 6),
             ((59.54, 16.15), 0.003, 0.006, 4)]
    places = []
    for _ in range(n):
        (lat, lon), dlat, dlon, weight = rnd.choices(towns, [t[3] for t in towns])[0]
        places.append((lat + rnd.gauss(0, dlat), lon + rnd.gauss(0, dlon), rnd.paretovariate(1.2)))
    return places


def _cumulative(weights: list[float]) -> list[float]:
    total, out = 0.0, []
    for weight in weights:
        total += weight
        out.append(total)
    return out


def rows(count: int, seed: int, now: datetime, area_ids: list[int], org_ids: list[int]
         ) -> Iterator[tuple[Any, ...]]:
    """``count`` report rows, oldest first (ids grow with time as in the app)."""
    rnd = random.Random(seed)
    categories = [c.code for c in CATEGORIES]
    cat_cum = _cumulative([1 / (i + 1) ** 0.7 for i in range(len(categories))])
    places = _places(rnd)
    place_cum = _cumulative([p[2] for p in places])
    hour_cum, state_cum = _cumulative(HOURS), _cumulative(list(STATE_WEIGHTS))
    kind_cum = _cumulative(list(KIND_WEIGHTS))
    states, kinds = [str(s) for s in STATES], [str(k) for k in KINDS]
    span = YEARS * 365 * 86400
    step = span / count
    start = now.timestamp() - span
    choices, gauss, uniform = rnd.choices, rnd.gauss, rnd.random
    for number in range(1, count + 1):
        created_ts = start + (number + uniform()) * step
        hour = choices(range(24), cum_weights=hour_cum)[0]
        occurred_ts = min(created_ts, created_ts - created_ts % 86400 + (hour - 1.5 + uniform())
                          * 3600)
        created = datetime.fromtimestamp(created_ts, UTC)
        if uniform() < 0.75:
            lat, lon, _w = choices(places, cum_weights=place_cum)[0]
            lat, lon = lat + gauss(0, 0.0015), lon + gauss(0, 0.003)
        else:
            lat, lon = CENTRE[0] + gauss(0, 0.05), CENTRE[1] + gauss(0, 0.1)
        has_point = uniform() < 0.85
        state = choices(states, cum_weights=state_cum)[0]
        kind = choices(kinds, cum_weights=kind_cum)[0]
        resolved = state == "resolved"
        yield (number, f"KPG-{created.year}-{number:07d}", f"{number:064x}", f"{number:032x}",
               choices(categories, cum_weights=cat_cum)[0], "Syntetisk rapport.",
               datetime.fromtimestamp(occurred_ts, UTC), created, created,
               lat if has_point else None, lon if has_point else None,
               10.0 if has_point else None, "gps" if has_point else "area",
               None if has_point else "Torget",
               area_ids[int(abs(lat - CENTRE[0]) * 997 + abs(lon - CENTRE[1]) * 1999)
                        % len(area_ids)],
               False, kind, org_ids[number % len(org_ids)] if kind == "partner" else None,
               state, 0, "sv", "Publicerad text." if resolved else None,
               resolved and uniform() < 0.3)


def _sqlite_value(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.replace(tzinfo=None).isoformat(" ", "microseconds")
    return int(value) if isinstance(value, bool) else value


def _copy_value(value: Any) -> str:
    if value is None:
        return "\\N"
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, bool):
        return "t" if value else "f"
    return str(value)


def load(engine: sa.Engine, count: int, seed: int, now: datetime) -> float:
    """Bulk-insert ``count`` reports; returns the seconds it took."""
    started = time.perf_counter()
    with engine.begin() as conn:
        area_ids = list(conn.scalars(sa.text("SELECT id FROM areas ORDER BY id")))
        org_ids = []
        for name, kind in (("Polisen Västra Mälardalen", "polis"), ("RTMD", "rtmd"),
                           ("Securitas", "vaktare"), ("KBAB", "kbab"), ("Köpings kommun", "kommun")):
            org_ids.append(conn.execute(sa.text(
                "INSERT INTO organisations (name, kind, skips_moderation, is_active, created_at) "
                "VALUES (:n, :k, false, true, :t) RETURNING id"),
                {"n": name, "k": kind, "t": _sqlite_value(now) if conn.dialect.name == "sqlite"
                 else now}).scalar_one())
    indexes = _secondary_indexes(engine)
    with engine.begin() as conn:
        for index in indexes:
            conn.exec_driver_sql(f"DROP INDEX IF EXISTS {index.name}")
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        if engine.dialect.name == "sqlite":
            cursor.execute("PRAGMA cache_size=-1000000")
        data = rows(count, seed, now, area_ids, org_ids)
        if engine.dialect.name == "sqlite":
            sql = (f"INSERT INTO reports ({', '.join(COLUMNS)}) "
                   f"VALUES ({', '.join('?' for _ in COLUMNS)})")
            batch: list[tuple[Any, ...]] = []
            for row in data:
                batch.append(tuple(_sqlite_value(v) for v in row))
                if len(batch) == 50_000:
                    cursor.executemany(sql, batch)
                    batch = []
            cursor.executemany(sql, batch)
        else:
            with cursor.copy(f"COPY reports ({', '.join(COLUMNS)}) FROM STDIN") as copy:
                buffer = io.StringIO()
                for number, row in enumerate(data, start=1):
                    buffer.write("\t".join(_copy_value(v) for v in row) + "\n")
                    if number % 50_000 == 0:
                        copy.write(buffer.getvalue())
                        buffer = io.StringIO()
                copy.write(buffer.getvalue())
            cursor.execute("SELECT setval(pg_get_serial_sequence('reports', 'id'), "
                           "(SELECT max(id) FROM reports))")
        raw.commit()
    finally:
        raw.close()
    with engine.begin() as conn:
        for index in indexes:
            index.create(conn)
    return time.perf_counter() - started


def _secondary_indexes(engine: sa.Engine) -> list[sa.Index]:
    """The reports table's non-unique indexes that exist in the database (dropped during
    the load and built again after it, which is many times faster than updating them)."""
    from kopingreport import models  # noqa: F401  (every model's indexes, e.g. the queue's)
    from kopingreport.reports.models import Report

    existing = {i["name"] for i in sa.inspect(engine).get_indexes("reports")}
    return [i for i in Report.__table__.indexes if i.name in existing and not i.unique]


def settle(engine: sa.Engine) -> None:
    """PostgreSQL: VACUUM ANALYZE (what autovacuum does after a load). SQLite: nothing, as the
    app never runs ANALYZE."""
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("VACUUM ANALYZE")

