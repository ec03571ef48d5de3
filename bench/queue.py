"""Benchmark the moderation queue page (``GET /admin/reports``) at 100 000 reports.

Run from the repository root:

    .venv/bin/python bench/queue.py [--reports 100000] [--db sqlite|postgresql|both]
        [--runs 15] [--seed 1] [--sqlite-analyze] [--extra-index "CREATE INDEX ..."] [--keep]

For each database it builds a fresh one (SQLite: a temporary file; PostgreSQL: a fresh schema
``bench_queue`` in ``--pg-url``), migrates it with ``upgrade_database``, loads the Köping areas
and bulk-inserts ``--reports`` synthetic reports over three years (ids growing with time; all
20 categories, all areas, mostly closed with ~4-6 % open, a quarter with photos, case rows with
due dates). A moderator with two-factor logs in through the real forms. Then, per scenario, it
checks that the page and the bare SQL agree (same total, same first report), warms up, and
times ``--runs`` requests with the Flask test client, alternating with the bare SQL:

* page med / p95: server time, the wall time of ``client.get`` (the target: median <= 100 ms);
* app CPU: the CPU time of this process during the request (Python; with SQLite also the
  database work). On a busy machine the wall time swings, this much less;
* DB / stmts: time inside ``cursor.execute`` during the request, and how many statements
  the page sends;
* SQL med / p95 / COUNT: the bare SQL: the same ``filtered(...)`` query with ORDER BY, LIMIT
  and OFFSET plus its COUNT, on a plain connection, all rows fetched; COUNT alone;
* page/SQL: how much the page costs on top of its queries.

It ends with the query plans: the indexes each scenario uses, and in full the plans of the
default queue and of every scenario whose bare SQL is slow (PostgreSQL with EXPLAIN ANALYZE).

PostgreSQL gets VACUUM ANALYZE after the load (what autovacuum would long have done). SQLite
is measured as the app leaves it, without ANALYZE (``--sqlite-analyze`` to compare).
``--extra-index`` tries an index that the app's schema does not have (bench database only).

This is a benchmark, not a test: timings depend on the machine and on its other load.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

_HERE = Path(__file__).resolve().parent
# This file is called queue.py: keep its folder off the import path, or it would shadow the
# standard library's queue module (psycopg imports it).
sys.path[:] = [entry for entry in sys.path if Path(entry or ".").resolve() != _HERE]
sys.path.insert(0, str(_HERE.parent))

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
#: Bare SQL slower than this (median) gets its full plan printed.
SLOW_SQL_MS = 20.0
MAX_FULL_PLANS = 3
QUEUE_URL = "/admin/reports"
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
    """The measurements of one scenario (milliseconds)."""

    total: int
    sql_ms: list[float]
    count_ms: list[float]
    page_ms: list[float] = field(default_factory=list)
    page_cpu_ms: list[float] = field(default_factory=list)
    page_db_ms: list[float] = field(default_factory=list)
    statements: int = 0


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


@dataclass
class DatabaseWork:
    """Statements sent through an engine and the time spent executing them."""

    statements: int = 0
    seconds: float = 0.0
    started: float = 0.0


@contextmanager
def watching(engine: sa.Engine) -> Iterator[DatabaseWork]:
    """Count the statements ``engine`` executes meanwhile and time their execution (from
    cursor.execute() until it returns; fetching rows is not included)."""
    work = DatabaseWork()

    def before(*_: Any) -> None:
        work.statements += 1
        work.started = time.perf_counter()

    def after(*_: Any) -> None:
        work.seconds += time.perf_counter() - work.started

    sa.event.listen(engine, "before_cursor_execute", before)
    sa.event.listen(engine, "after_cursor_execute", after)
    try:
        yield work
    finally:
        sa.event.remove(engine, "before_cursor_execute", before)
        sa.event.remove(engine, "after_cursor_execute", after)


def sql_statements(query: str, actor_id: int) -> tuple[sa.Select[Any], Callable[[int], Any]]:
    """The COUNT, and (given the total) the rows query, that the queue page runs for
    ``query``: the filters parsed by the page's own parser, the same ``filtered(...)``,
    ORDER BY, LIMIT and OFFSET as ``queue_page``."""
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
    """Run the COUNT and the rows query on a plain connection; all rows are fetched."""
    started = time.perf_counter()
    total = conn.execute(count).scalar_one()
    if count_ms is not None:
        count_ms.append((time.perf_counter() - started) * 1000)
    return total, conn.execute(rows(total)).fetchall()


def has_queue_page(app: Flask) -> bool:
    return QUEUE_URL in {rule.rule for rule in app.url_map.iter_rules()}


def check_page(client: Any, url: str, total: int, found: list[Any]) -> None:
    """The page answers and agrees with the bare SQL: same total, same first report."""
    response = client.get(url)
    html = response.get_data(as_text=True)
    assert response.status_code == 200, (url, response.status_code, html[:300])
    # The total in any locale's grouping: 4624, 4,624, 4 624 (thin or no-break space) ...
    grouped = r"[\s,.\u00a0\u202f]?".join(str(total))
    assert re.search(rf"(?<![\d,.]){grouped}(?![\d,.])", html), f"{url}: total {total} missing"
    if found:
        assert found[0].reference in html, f"{url}: {found[0].reference} not on the page"


def time_scenario(engine: sa.Engine, client: Any | None, scenario: Scenario, actor_id: int,
                  runs: int) -> Timing:
    """Warm up, then time page and bare SQL alternately ``runs`` times (page skipped when
    ``client`` is None)."""
    url = QUEUE_URL + (f"?{scenario.query}" if scenario.query else "")
    count, rows = sql_statements(scenario.query, actor_id)
    with engine.connect() as conn:
        total, found = run_sql(conn, count, rows)
        timing = Timing(total, [], [])
        if client is not None:
            check_page(client, url, total, found)
        for _ in range(WARMUP):
            run_sql(conn, count, rows)
            if client is not None:
                client.get(url)
        for _ in range(runs):
            if client is not None:
                with watching(engine) as work:
                    started, cpu = time.perf_counter(), time.process_time()
                    response = client.get(url)
                    timing.page_ms.append((time.perf_counter() - started) * 1000)
                    timing.page_cpu_ms.append((time.process_time() - cpu) * 1000)
                assert response.status_code == 200
                timing.page_db_ms.append(work.seconds * 1000)
                timing.statements = work.statements
            started = time.perf_counter()
            run_sql(conn, count, rows, timing.count_ms)
            timing.sql_ms.append((time.perf_counter() - started) * 1000)
    return timing


# --- plans ----------------------------------------------------------------------------------

def explain(conn: sa.Connection, statement: Any) -> list[str]:
    """The plan of ``statement`` as the database runs it, with its real parameters
    (PostgreSQL: EXPLAIN ANALYZE, so with actual times and buffers)."""
    plan: list[str] = []
    pg = conn.dialect.name == "postgresql"
    prefix = "EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) " if pg else "EXPLAIN QUERY PLAN "

    def capture(_conn: Any, cursor: Any, sql: str, parameters: Any, *_: Any) -> None:
        # Runs on the same cursor just before the statement itself, with the bound values.
        cursor.execute(prefix + sql, parameters)
        found = cursor.fetchall()
        plan.extend(row[0] if pg else f"{'  ' * _depth(found, row)}{row[3]}" for row in found)

    sa.event.listen(conn, "before_cursor_execute", capture)
    try:
        conn.execute(statement).fetchall()
    finally:
        sa.event.remove(conn, "before_cursor_execute", capture)
    return plan


def _depth(rows: list[Any], row: Any) -> int:
    """Nesting depth of an EXPLAIN QUERY PLAN row (id, parent, notused, detail)."""
    parents = {r[0]: r[1] for r in rows}
    depth, parent = 0, row[1]
    while parent in parents:
        depth, parent = depth + 1, parents[parent]
    return depth


_INDEX_RE = re.compile(r"(?:USING (?:COVERING )?INDEX|Index (?:Only )?Scan(?: Backward)? using|"
                       r"Bitmap Index Scan on) (\w+)")
_FULL_SCAN_RE = re.compile(r"^\s*(?:SCAN (\w+)$|(?:->  )?Seq Scan on (\w+))", re.MULTILINE)


def index_summary(plan: list[str]) -> str:
    """The indexes a plan reads and the tables it scans in full."""
    text = "\n".join(plan)
    names = list(dict.fromkeys(_INDEX_RE.findall(text)))
    scans = list(dict.fromkeys(a or b for a, b in _FULL_SCAN_RE.findall(text)))
    parts = [f"index {', '.join(names)}"] if names else ["no index"]
    if scans:
        parts.append(f"full scan of {', '.join(scans)}")
    return "; ".join(parts)


def print_plans(engine: sa.Engine, actor_id: int, results: list[tuple[Scenario, Timing]]
                ) -> None:
    """One line per scenario (indexes used), then the full plans of the default query and of
    the (at most three) slowest scenarios whose bare SQL is slow."""
    print("\n  Query plans (rows query / COUNT):")
    full = []
    with engine.connect() as conn:
        for scenario, timing in results:
            count, rows = sql_statements(scenario.query, actor_id)
            plans = (explain(conn, rows(timing.total)), explain(conn, count))
            print(f"  {scenario.name:34} rows: {index_summary(plans[0])}\n"
                  f"  {'':34} count: {index_summary(plans[1])}")
            full.append((scenario, plans, statistics.median(timing.sql_ms)))
    slowest = sorted((f for f in full[1:] if f[2] > SLOW_SQL_MS), key=lambda f: -f[2])
    full = [full[0], *slowest[:MAX_FULL_PLANS]]
    for scenario, plans, _ in full:
        for label, plan in zip(("rows query", "COUNT"), plans, strict=True):
            print(f"\n  Plan of {scenario.name!r}, {label}:")
            print("\n".join(f"    {line}" for line in plan))


# --- report ---------------------------------------------------------------------------------

def print_header(with_page: bool) -> None:
    page = f"{'page med':>9} {'p95':>7} {'app CPU':>7} {'DB':>6} {'stmts':>5} " if with_page \
        else ""
    print(f"\n  {'scenario':34} {'matches':>7} {page}{'SQL med':>8} {'p95':>7} {'COUNT':>6}"
          f"{' page/SQL  target' if with_page else ''}")


def print_row(scenario: Scenario, timing: Timing) -> None:
    sql = statistics.median(timing.sql_ms)
    line = f"  {scenario.name:34} {timing.total:>7,} "
    if timing.page_ms:
        page = statistics.median(timing.page_ms)
        line += (f"{page:>7.1f}ms {percentile(timing.page_ms, 0.95):>5.1f}ms "
                 f"{statistics.median(timing.page_cpu_ms):>5.1f}ms "
                 f"{statistics.median(timing.page_db_ms):>4.1f}ms {timing.statements:>5} ")
    line += (f"{sql:>6.1f}ms {percentile(timing.sql_ms, 0.95):>5.1f}ms "
             f"{statistics.median(timing.count_ms):>4.1f}ms")
    if timing.page_ms:
        verdict = "PASS" if page <= TARGET_MS else "MISS"
        line += f" {page / sql:>7.1f}x  {verdict}"
    print(line)


# --- main -----------------------------------------------------------------------------------

def bench(kind: str, args: argparse.Namespace) -> list[tuple[Scenario, Timing]]:
    """Build, seed and measure one database; returns the timings."""
    from kopingreport.db import engine as app_engine
    from tests.factories import log_in, make_user

    print(f"\n=== {kind}: {args.reports:,} reports (load average {os.getloadavg()[0]:.1f} "
          f"on {os.cpu_count()} CPUs) ===")
    with tempfile.TemporaryDirectory(prefix="bench-queue-") as tmp:
        workdir = Path(tmp)
        app = build_app(fresh_database(kind, workdir, args.pg_url), workdir)
        with app.app_context():
            engine = app_engine()
        moderator = make_user(app, "moderator", "bench-moderator@koping.example")
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
        client = None
        if has_queue_page(app):
            client = app.test_client()
            response = log_in(client, moderator)
            assert response.status_code == 303, response.get_data(as_text=True)[:300]
        else:
            print(f"  {QUEUE_URL} does not exist (yet): timing the bare SQL only.")
        print_header(client is not None)
        results = []
        for scenario in scenarios():
            timing = time_scenario(engine, client, scenario, moderator["id"], args.runs)
            results.append((scenario, timing))
            print_row(scenario, timing)
        print_plans(engine, moderator["id"], results)
        engine.dispose()
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
    misses, measured = [], 0
    for kind in ("sqlite", "postgresql") if args.db == "both" else (args.db,):
        for scenario, timing in bench(kind, args):
            if timing.page_ms:
                measured += 1
                if statistics.median(timing.page_ms) > TARGET_MS:
                    misses.append(f"{kind}: {scenario.name}")
    if not measured:
        print(f"\nNo page timings: {QUEUE_URL} is not there yet.")
    else:
        print(f"\n{'PASS' if not misses else 'MISS'}: {len(misses)} of {measured} page "
              f"medians over {TARGET_MS:.0f} ms" + (f" ({'; '.join(misses)})." if misses
                                                     else "."))
    return 0


if __name__ == "__main__":
    sys.exit(main())
