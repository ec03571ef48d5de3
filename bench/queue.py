"""Benchmark the moderation queue page (``GET /admin/reports``) at 100 000 reports.

Run from the repository root:

    .venv/bin/python bench/queue.py [--reports 100000] [--db sqlite|postgresql|both]
                                    [--runs 15] [--seed 1] [--sqlite-analyze]

For each database it builds a fresh one (SQLite: a temporary file; PostgreSQL: a fresh schema
``bench_queue`` in ``--pg-url``), migrates it, loads the Köping areas and bulk-inserts
``--reports`` synthetic reports spread over three years (all 20 categories, all areas, mostly
closed, ~4 % open, a quarter with photos, case rows with due dates). A moderator with
two-factor logs in through the real forms. Then, per scenario, after a warm-up, it times
``--runs`` requests with the Flask test client (server time = wall time of ``client.get``)
interleaved with the bare SQL the page needs (the same ``filtered(...)`` query with ORDER BY,
LIMIT/OFFSET, plus its COUNT, executed on a plain connection), and prints median and p95 of
both, the ratio page/SQL, the number of SQL statements one page sends, and PASS/MISS against
the target of at most 100 ms median per page. Finally it prints the query plans.

SQLite is measured as the app leaves it: without ``ANALYZE`` (the app never runs it);
``--sqlite-analyze`` measures it with planner statistics instead.

This is a benchmark, not a test: timings depend on the machine and on its other load.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import sqlalchemy as sa  # noqa: E402
from flask import Flask  # noqa: E402
from werkzeug.datastructures import MultiDict  # noqa: E402

from kopingreport import create_app  # noqa: E402
from kopingreport.moderation.models import ReportCase  # noqa: E402
from kopingreport.reports.models import Area, Photo, Report  # noqa: E402
from kopingreport.reports.categories import CATEGORIES  # noqa: E402
from kopingreport.reports.states import LocationSource, ReporterKind, ReportState  # noqa: E402

PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
PG_SCHEMA = "bench_queue"
TARGET_MS = 100.0
WARMUP = 3
BATCH = 5000
YEARS = 3
NOW = datetime.now(UTC).replace(microsecond=0)
CENTRE = (59.5137, 15.9906)

OPEN = (ReportState.NEW, ReportState.IN_REVIEW, ReportState.ACCEPTED, ReportState.FORWARDED)
OPEN_WEIGHTS = (50, 25, 15, 10)
CLOSED = (ReportState.RESOLVED, ReportState.DUPLICATE, ReportState.NOT_OURS,
          ReportState.NO_ACTION, ReportState.REJECTED)
CLOSED_WEIGHTS = (55, 10, 10, 15, 10)
KINDS = tuple(ReporterKind)
KIND_WEIGHTS = (70, 12, 8, 10)
SOURCES = tuple(LocationSource)
WORDS = ("gatlyktan", "cykeln", "busshållplatsen", "ungdomar", "klotter", "glas", "mopeder",
         "parken", "trappuppgången", "sent", "på", "kvällen", "vid", "skolan", "mörkt",
         "krossad", "ruta", "containern", "brann", "igår", "gångvägen", "buskarna")


# --- seeding --------------------------------------------------------------------------------

@dataclass
class Seeded:
    """What the seed produced (for the printout)."""

    reports: int
    open_reports: int
    photos: int
    cases: int
    seconds: float


def _ages(rnd: random.Random, count: int) -> list[float]:
    """Report ages in seconds, oldest first (ids grow with time, as in the app), a little
    denser towards now."""
    span = YEARS * 365 * 86400
    return sorted((rnd.random() ** 1.3 * span for _ in range(count)), reverse=True)


def _report_rows(rnd: random.Random, first_id: int, ages: list[float], area_ids: list[int],
                 area_weights: list[float]) -> Iterator[dict[str, Any]]:
    categories = [c.code for c in CATEGORIES]
    # Zipf-like popularity: a few categories carry most reports, every one appears.
    cat_weights = [1 / (i + 1) ** 0.8 for i in range(len(categories))]
    for report_id, age in enumerate(ages, start=first_id):
        created = NOW - timedelta(seconds=age)
        recent = age < 30 * 86400
        is_open = rnd.random() < (0.6 if recent else 0.025)
        state = (rnd.choices(OPEN, OPEN_WEIGHTS)[0] if is_open
                 else rnd.choices(CLOSED, CLOSED_WEIGHTS)[0])
        area = rnd.choices(area_ids, area_weights)[0] if rnd.random() > 0.02 else None
        has_point = rnd.random() < 0.7
        yield {
            "id": report_id,
            "reference": f"KPG-{created.year}-{report_id:07d}",
            "receipt_hash": hashlib.sha256(f"receipt-{report_id}".encode()).hexdigest(),
            "idempotency_key": None,
            "payload_hash": hashlib.sha256(f"payload-{report_id}".encode()).hexdigest(),
            "category": rnd.choices(categories, cat_weights)[0],
            "description": " ".join(rnd.choices(WORDS, k=rnd.randrange(6, 30))).capitalize(),
            "occurred_at": created - timedelta(minutes=rnd.randrange(0, 3000)),
            "created_at": created,
            "updated_at": created + timedelta(days=rnd.randrange(0, 20)),
            "lat": CENTRE[0] + rnd.gauss(0, 0.03) if has_point else None,
            "lon": CENTRE[1] + rnd.gauss(0, 0.06) if has_point else None,
            "accuracy_m": rnd.choice((5.0, 12.0, 30.0, 80.0)) if has_point else None,
            "location_source": rnd.choice(SOURCES),
            "place": None if has_point else "Vid " + rnd.choice(WORDS),
            "area_id": area,
            "is_outside_municipality": area is None,
            "reporter_kind": rnd.choices(KINDS, KIND_WEIGHTS)[0],
            "user_id": None,
            "organisation_id": None,
            "state": state,
            "priority": rnd.choice((0, 0, 0, 1, 2)),
            "locale": rnd.choice(("sv", "sv", "sv", "en", "fi", "ar")),
            "public_text": None,
            "public_reply": None,
            "is_public": state == ReportState.RESOLVED and rnd.random() < 0.3,
        }


def _extras(rnd: random.Random, row: dict[str, Any], photo_id: int, moderator_id: int
            ) -> tuple[list[dict[str, Any]], dict[str, Any] | None]:
    """Photo rows and the case row (or None) of one report."""
    photos = []
    if rnd.random() < 0.25:
        for position in range(rnd.choice((1, 1, 1, 2, 3))):
            digest = hashlib.sha256(f"photo-{photo_id + position}".encode()).hexdigest()
            photos.append({"id": photo_id + position, "report_id": row["id"],
                           "position": position, "sha256": digest,
                           "thumb_sha256": hashlib.sha256(digest.encode()).hexdigest(),
                           "width": 1600, "height": 1200,
                           "size_bytes": rnd.randrange(90_000, 400_000),
                           "created_at": row["created_at"]})
    is_open = row["state"] in OPEN
    case = None
    if (is_open and row["state"] != ReportState.NEW) or rnd.random() < (0.5 if is_open else 0.3):
        due = row["created_at"] + timedelta(days=rnd.choice((3, 7, 14, 30)))
        case = {"report_id": row["id"], "assignee_id": moderator_id if rnd.random() < 0.2
                else None, "organisation_id": None, "unit": None,
                "due_at": due if rnd.random() < 0.7 else None, "duplicate_of_id": None,
                "channel": None, "close_reason": None, "public_precision": "area",
                "locked_by_id": None, "locked_at": None}
    return photos, case


def seed(engine: sa.Engine, count: int, seed_value: int, moderator_id: int) -> Seeded:
    """Bulk-insert ``count`` reports (core executemany in batches) with photos and cases."""
    # The model tables, so that UTCDateTime converts the timestamps as the app does.
    reports, photos, cases, areas = (Report.__table__, Photo.__table__, ReportCase.__table__,
                                     Area.__table__)
    rnd = random.Random(seed_value)
    started = time.perf_counter()
    with engine.begin() as conn:
        area_ids = list(conn.scalars(sa.select(areas.c.id).order_by(areas.c.id)))
        # Town districts get more reports than the countryside.
        area_weights = [3.0 if i < 14 else 1.0 for i in range(len(area_ids))]
        totals = {"open": 0, "photos": 0, "cases": 0}
        ages = _ages(rnd, count)
        photo_id, next_id = 1, 1
        while next_id <= count:
            size = min(BATCH, count - next_id + 1)
            batch = list(_report_rows(rnd, next_id, ages[next_id - 1:next_id - 1 + size],
                                      area_ids, area_weights))
            photo_rows, case_rows = [], []
            for row in batch:
                extra_photos, case = _extras(rnd, row, photo_id, moderator_id)
                photo_rows += extra_photos
                photo_id += len(extra_photos)
                if case:
                    case_rows.append(case)
                totals["open"] += row["state"] in OPEN
            conn.execute(reports.insert(), batch)
            if photo_rows:
                conn.execute(photos.insert(), photo_rows)
            if case_rows:
                conn.execute(cases.insert(), case_rows)
            totals["photos"] += len(photo_rows)
            totals["cases"] += len(case_rows)
            next_id += size
        if conn.dialect.name == "postgresql":
            for table in ("reports", "photos"):
                conn.exec_driver_sql(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"(SELECT max(id) FROM {table}))")
    return Seeded(count, totals["open"], totals["photos"], totals["cases"],
                  time.perf_counter() - started)


# --- the databases --------------------------------------------------------------------------

def fresh_database(kind: str, workdir: Path, pg_url: str) -> str:
    """A URL of a new, empty database of ``kind``."""
    if kind == "sqlite":
        return f"sqlite:///{workdir / 'queue.sqlite'}"
    engine = sa.create_engine(pg_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.exec_driver_sql(f'DROP SCHEMA IF EXISTS "{PG_SCHEMA}" CASCADE')
        conn.exec_driver_sql(f'CREATE SCHEMA "{PG_SCHEMA}"')
    engine.dispose()
    return f"{pg_url}?options=-csearch_path%3D{PG_SCHEMA}"


def drop_pg_schema(pg_url: str) -> None:
    engine = sa.create_engine(pg_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.exec_driver_sql(f'DROP SCHEMA IF EXISTS "{PG_SCHEMA}" CASCADE')
    engine.dispose()


def settle(engine: sa.Engine, sqlite_analyze: bool) -> str:
    """Bring the database to its steady state after the bulk load; says what was run.

    PostgreSQL: VACUUM ANALYZE, as autovacuum would have done long before 100 000 reports
    (it also sets the visibility map that index-only scans need). SQLite: nothing, as the app
    never runs ANALYZE, unless asked.
    """
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("VACUUM ANALYZE")
        return "VACUUM ANALYZE"
    if sqlite_analyze:
        with engine.begin() as conn:
            conn.exec_driver_sql("ANALYZE")
        return "ANALYZE"
    return "no ANALYZE (as the app leaves SQLite)"


def build_app(url: str, workdir: Path) -> Flask:
    """The app on ``url``, migrated, with the default areas."""
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench", "TESTING": True,
                      "SERVER_NAME": "localhost", "SESSION_COOKIE_SECURE": False,
                      "REMEMBER_COOKIE_SECURE": False, "RATELIMIT_ENABLED": False,
                      "UPLOAD_DIR": str(workdir / "uploads"),
                      "INSTANCE_PATH": str(workdir / "instance")})
    with app.app_context():
        from kopingreport.cli import upgrade_database
        from kopingreport.db import get_session
        from kopingreport.reports.areas import ensure_default_areas

        upgrade_database()
        ensure_default_areas(get_session())
        get_session().commit()
    return app


# --- scenarios and timing -------------------------------------------------------------------

@dataclass(frozen=True)
class Scenario:
    name: str
    query: str  # the queue page's query string


def scenarios() -> list[Scenario]:
    year_ago = NOW.date() - timedelta(days=365)
    window = f"from={year_ago.isoformat()}&to={(year_ago + timedelta(days=30)).isoformat()}"
    return [
        Scenario("default (new+in_review, newest)", ""),
        Scenario("state+category+area (open)",
                 "state=new&state=in_review&state=accepted&state=forwarded"
                 "&category=vandalism&area=centrum"),
        Scenario("state+category+area (resolved)",
                 "state=resolved&category=graffiti&area=centrum"),
        Scenario("has photo", "photo=1"),
        Scenario("overdue", "overdue=1"),
        Scenario("date range (all states, 30 d)", f"state=&{window}"),
        Scenario("sorted by due", "sort=due"),
        Scenario("page 50", "page=50"),
        Scenario("all states, newest (extra)", "state="),
    ]


@dataclass
class Timing:
    page_ms: list[float]
    sql_ms: list[float]
    count_ms: list[float]
    page_db_ms: list[float]
    statements: int
    total: int


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


@dataclass
class DatabaseWork:
    """Statements sent through an engine and the time spent executing them."""

    statements: int = 0
    seconds: float = 0.0
    _started: float = 0.0


@contextmanager
def watching(engine: sa.Engine) -> Iterator[DatabaseWork]:
    """Count the statements ``engine`` executes meanwhile and time them (cursor execute to
    result fetched is not included: rows are fetched lazily; this is the execute part)."""
    work = DatabaseWork()

    def before(*_: Any) -> None:
        work.statements += 1
        work._started = time.perf_counter()

    def after(*_: Any) -> None:
        work.seconds += time.perf_counter() - work._started

    sa.event.listen(engine, "before_cursor_execute", before)
    sa.event.listen(engine, "after_cursor_execute", after)
    try:
        yield work
    finally:
        sa.event.remove(engine, "before_cursor_execute", before)
        sa.event.remove(engine, "after_cursor_execute", after)


def sql_statements(query: str, actor_id: int) -> tuple[sa.Select[Any], Callable[[int], Any]]:
    """The COUNT and (per total) the page query the queue page runs for ``query``."""
    from kopingreport.moderation.params import parse_filters
    from kopingreport.moderation.queries import PAGE_SIZE, SORTS, filtered

    args = MultiDict(parse_qsl(query, keep_blank_values=True))
    filters = parse_filters(args, actor_id)
    base = filtered(filters)
    count = sa.select(sa.func.count()).select_from(base.subquery())
    wanted = args.get("page", 1, type=int) or 1
    order = SORTS.get(filters.sort, SORTS["newest"])

    def rows(total: int) -> sa.Select[Any]:
        pages = max(1, -(-total // PAGE_SIZE))
        page = min(max(1, wanted), pages)
        return base.order_by(*order).limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)

    return count, rows


def run_sql(conn: sa.Connection, count: sa.Select[Any], rows: Callable[[int], Any],
            count_ms: list[float] | None = None) -> tuple[int, list[Any]]:
    started = time.perf_counter()
    total = conn.execute(count).scalar_one()
    if count_ms is not None:
        count_ms.append((time.perf_counter() - started) * 1000)
    return total, conn.execute(rows(total)).fetchall()


def time_scenario(app: Flask, client: Any, scenario: Scenario, actor_id: int, runs: int
                  ) -> Timing:
    from kopingreport.db import engine as app_engine

    url = "/admin/reports" + (f"?{scenario.query}" if scenario.query else "")
    count, rows = sql_statements(scenario.query, actor_id)
    with app.app_context():
        engine = app_engine()
    page_ms: list[float] = []
    sql_ms: list[float] = []
    count_ms: list[float] = []
    page_db_ms: list[float] = []
    with engine.connect() as conn:
        total, found = run_sql(conn, count, rows)
        response = client.get(url)
        html = response.get_data(as_text=True)
        assert response.status_code == 200, (response.status_code, html[:300])
        # The page and the bare SQL agree: same total, same first report.
        assert f"({total})" in html, f"total {total} not on the page"
        if found:
            assert found[0].reference in html, f"{found[0].reference} not on the page"
        for _ in range(WARMUP - 1):
            client.get(url)
            run_sql(conn, count, rows)
        for _ in range(runs):
            with watching(engine) as work:
                started = time.perf_counter()
                response = client.get(url)
                page_ms.append((time.perf_counter() - started) * 1000)
            page_db_ms.append(work.seconds * 1000)
            assert response.status_code == 200
            started = time.perf_counter()
            run_sql(conn, count, rows, count_ms)
            sql_ms.append((time.perf_counter() - started) * 1000)
    return Timing(page_ms, sql_ms, count_ms, page_db_ms, work.statements, total)


# --- plans ----------------------------------------------------------------------------------

def explain(conn: sa.Connection, statement: Any) -> list[str]:
    """The plan of ``statement`` as the database runs it with its real parameters."""
    plan: list[str] = []
    pg = conn.dialect.name == "postgresql"
    prefix = "EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) " if pg else "EXPLAIN QUERY PLAN "

    def capture(_conn: Any, cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        cursor.execute(prefix + statement, parameters)
        rows = cursor.fetchall()
        plan.extend(row[0] if pg else f"{'  ' * _depth(rows, row)}{row[3]}" for row in rows)

    sa.event.listen(conn, "before_cursor_execute", capture)
    try:
        conn.execute(statement).fetchall()
    finally:
        sa.event.remove(conn, "before_cursor_execute", capture)
    return plan


def _depth(rows: list[Any], row: Any) -> int:
    parents = {r[0]: r[1] for r in rows}
    depth, parent = 0, row[1]
    while parent in parents:
        depth, parent = depth + 1, parents[parent]
    return depth


def uses_index(plan: list[str]) -> str:
    """Which index the plan reads, if any."""
    import re

    names = re.findall(r"(?:USING (?:COVERING )?INDEX|Index (?:Only )?Scan(?: Backward)? using|Bitmap Index Scan on)"
                       r" (\w+)", "\n".join(plan))
    return ", ".join(dict.fromkeys(names)) or "no index (full scan)"


def print_plans(app: Flask, actor_id: int, names: list[str]) -> None:
    from kopingreport.db import engine as app_engine

    with app.app_context():
        engine = app_engine()
    by_name = {s.name: s for s in scenarios()}
    with engine.connect() as conn:
        for name in names:
            count, rows = sql_statements(by_name[name].query, actor_id)
            total = conn.execute(count).scalar_one()
            for label, statement in (("rows", rows(total)), ("count", count)):
                plan = explain(conn, statement)
                print(f"\n  plan of {name!r} ({label}) - index: {uses_index(plan)}")
                print("\n".join(f"    {line}" for line in plan))


# --- main -----------------------------------------------------------------------------------

def bench(kind: str, args: argparse.Namespace) -> list[tuple[str, Timing]]:
    from tests.factories import log_in, make_user

    print(f"\n=== {kind}: {args.reports:,} reports (load average {os.getloadavg()[0]:.1f} "
          f"on {os.cpu_count()} CPUs) ===")
    with tempfile.TemporaryDirectory(prefix="bench-queue-") as tmp:
        workdir = Path(tmp)
        url = fresh_database(kind, workdir, args.pg_url)
        app = build_app(url, workdir)
        if "/admin/reports" not in {r.rule for r in app.url_map.iter_rules()}:
            print("  /admin/reports does not exist yet: only the SQL half can be measured.")
        moderator = make_user(app, "moderator", "bench-moderator@koping.example")
        with app.app_context():
            from kopingreport.db import engine as app_engine

            engine = app_engine()
        seeded = seed(engine, args.reports, args.seed, moderator["id"])
        for ddl in args.extra_index:
            with engine.begin() as conn:
                conn.exec_driver_sql(ddl)
        upkeep = settle(engine, args.sqlite_analyze)
        print(f"  seeded in {seeded.seconds:.1f} s: {seeded.reports:,} reports "
              f"({seeded.open_reports:,} open), {seeded.photos:,} photos, "
              f"{seeded.cases:,} cases; then {upkeep}")
        for ddl in args.extra_index:
            print(f"  extra index (not in the app's schema): {ddl}")
        client = app.test_client()
        response = log_in(client, moderator)
        assert response.status_code == 303, response.get_data(as_text=True)[:300]
        results = []
        print(f"\n  {'scenario':34} {'rows':>7} {'page med':>9} {'p95':>7} {'SQL med':>8} "
              f"{'p95':>7} {'(count)':>7} {'page/SQL':>8} {'stmts':>5} {'page DB':>7}  target")
        for scenario in scenarios():
            timing = time_scenario(app, client, scenario, moderator["id"], args.runs)
            results.append((scenario.name, timing))
            page, sql = statistics.median(timing.page_ms), statistics.median(timing.sql_ms)
            verdict = "PASS" if page <= TARGET_MS else "MISS"
            print(f"  {scenario.name:34} {timing.total:>7,} {page:>7.1f}ms "
                  f"{percentile(timing.page_ms, 0.95):>5.1f}ms {sql:>6.1f}ms "
                  f"{percentile(timing.sql_ms, 0.95):>5.1f}ms "
                  f"{statistics.median(timing.count_ms):>5.1f}ms {page / sql:>7.1f}x "
                  f"{timing.statements:>5} {statistics.median(timing.page_db_ms):>5.1f}ms  "
                  f"{verdict} (<= {TARGET_MS:.0f} ms)")
        slowest = sorted(results, key=lambda r: statistics.median(r[1].sql_ms))[-2:]
        print_plans(app, moderator["id"], ["default (new+in_review, newest)",
                                           *(name for name, _ in slowest
                                             if name != "default (new+in_review, newest)")])
        with app.app_context():
            app_engine().dispose()
        if kind == "postgresql" and not args.keep:
            drop_pg_schema(args.pg_url)
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reports", type=int, default=100_000)
    parser.add_argument("--db", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--pg-url", default=PG_URL)
    parser.add_argument("--sqlite-analyze", action="store_true",
                        help="run ANALYZE on SQLite too (the app itself never does)")
    parser.add_argument("--extra-index", action="append", default=[], metavar="DDL",
                        help="a CREATE INDEX statement to try (repeatable; bench DB only)")
    parser.add_argument("--keep", action="store_true",
                        help=f"keep the PostgreSQL schema {PG_SCHEMA} afterwards")
    args = parser.parse_args(argv)
    kinds = ("sqlite", "postgresql") if args.db == "both" else (args.db,)
    misses = 0
    for kind in kinds:
        results = bench(kind, args)
        misses += sum(statistics.median(t.page_ms) > TARGET_MS for _, t in results)
    print(f"\n{'PASS' if not misses else 'MISS'}: {misses} scenario(s) over "
          f"{TARGET_MS:.0f} ms median.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
