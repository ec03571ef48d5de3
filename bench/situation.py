"""Benchmark the lägesbild on 1 000 000 reports: the 14-day dashboard and a 24-month report.

Run from the repository root (it takes a few minutes; most of it is loading):

    .venv/bin/python bench/situation.py [--reports 1000000] [--db sqlite|postgresql|both]
        [--runs 5] [--pg-url URL] [--reuse]

For each database it builds a fresh one (SQLite: a temporary file; PostgreSQL: the schema
``bench_situation``), migrates it, loads the Köping areas and ``--reports`` synthetic reports
over three years (``bench/situation_data.py``: executemany on SQLite, COPY on PostgreSQL;
every category, area, reporter kind, hot places, evenings and seasons). With ``--reuse`` the
databases are kept (SQLite: ``bench/out/situation-<N>.sqlite``, gitignored; PostgreSQL: the
schema ``bench_situation_<N>``) and a later run with the same ``--reports`` only migrates them (new indexes are
built) and skips the load; the month sums and dawn/dusk table are emptied first, so "first"
figures stay comparable. Then it times:

* the dashboard, ``GET /admin/situation/`` for the default 14 days, as an analyst through the
  Flask test client: the first request (it also stores dawn and dusk of ~750 days), the
  median of ``--runs`` requests with nothing stored (no picture, no period counts; with the
  app's CPU time, which the machine's other load disturbs less), the median after a new
  report arrived (the current period is counted again, the previous period and last year
  are reused while their reports are unchanged), with nothing changed, and one request
  from the 60-second cache. Beside it: the bare SQL of the same numbers (the area ×
  category GROUP BY of the three periods, cells, hours, reporters), on a plain cursor;
* the nightly ``situation refresh`` on a database without sums (dawn and dusk a year
  ahead, every month summed, the day counts of the last 400 days) and run again (nothing
  to do);
* the dashboard in a fresh process after the nightly refresh (the realistic first request
  of a worker: nothing reused in the process, the past days' counts stored), the dashboard
  figure held against the target; the "nothing stored" figure above is kept beside it;
* a 24-month lägesbild, ``documents.figures`` for the 24 whole months before this one:
  without sums (each month counted, what the page did before the nightly command), the
  median from the nightly sums, and ``GET /admin/situation/lagesbild/<id>``. Beside it: the
  bare SQL GROUP BY of area × category × month over the 24 months (one statement, no sums);
* the query plans of the 14-day queries.

Targets: 14-day dashboard <= 150 ms, 24-month report <= 1.5 s, on both databases. The figures
depend on the machine and its other load (the load average is printed). A benchmark, not a
test.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

_HERE = Path(__file__).resolve().parent
# bench/queue.py would shadow the standard library's queue module (psycopg imports it).
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]
sys.path.insert(0, str(_HERE.parent))

import sqlalchemy as sa  # noqa: E402
from flask import Flask  # noqa: E402


PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
PG_SCHEMA = "bench_situation"
TARGET_DASHBOARD_MS, TARGET_REPORT_MS = 150.0, 1500.0


def _sibling(name: str) -> Any:
    """A module of this folder, loaded by path (the folder itself stays off sys.path)."""
    spec = importlib.util.spec_from_file_location(f"bench_{name}", _HERE / f"{name}.py")
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    sys.modules[spec.name] = module  # type: ignore[union-attr] (dataclasses look it up)
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


data = _sibling("situation_data")
#: The queue benchmark's set-up is reused: a fresh database (SQLite file or PostgreSQL
#: schema, here ``bench_situation``) and the migrated app with the Köping areas.
_queue = _sibling("queue")
_queue.PG_SCHEMA = PG_SCHEMA
build_app, fresh_url = _queue.build_app, _queue.fresh_database


def timed(work: Callable[[], Any]) -> tuple[float, Any]:
    """Milliseconds of wall time and the result."""
    started = time.perf_counter()
    result = work()
    return (time.perf_counter() - started) * 1000, result


def bare_sql(engine: sa.Engine, statements: list[tuple[str, dict[str, Any]]]) -> float:
    """Milliseconds to run ``statements`` on a plain DB-API cursor, fetching every row."""
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        started = time.perf_counter()
        for sql, params in statements:
            cursor.execute(sql, params)
            cursor.fetchall()
        return (time.perf_counter() - started) * 1000
    finally:
        raw.close()


def compiled(engine: sa.Engine, query: sa.Select[Any]) -> tuple[str, dict[str, Any]]:
    """The SQL and parameters the app sends for ``query`` (DB-API style)."""
    statement = query.compile(engine, compile_kwargs={"render_postcompile": True})
    params = statement.construct_params()
    processors = statement._bind_processors  # noqa: SLF001 (the same values the app binds)
    values = {k: processors[k](v) if k in processors else v for k, v in params.items()}
    if engine.dialect.name == "sqlite":
        names = statement.positiontup or []
        return str(statement), tuple(values[n] for n in names)  # type: ignore[return-value]
    return str(statement), values


def dashboard_statements(engine: sa.Engine, app: Flask) -> list[tuple[str, dict[str, Any]]]:
    """The dashboard's report queries (three periods, cells, hours, reporters, places)."""
    from kopingreport.db import get_session
    from kopingreport.situation import picture, queries
    from kopingreport.situation.params import Choice, today

    with app.app_context():
        choice = Choice(today() - timedelta(days=13), today())
        codes = picture.area_lookup(get_session())[0]
        now, before = choice.filters(codes), choice.filters(codes, *choice.previous())
        year = choice.filters(codes, *choice.last_year())
        r = queries.Report
        x, y = queries._cell_columns()  # noqa: SLF001
        sun = queries._sun()  # noqa: SLF001
        hour = queries.utc_hour(r.occurred_at)
        dark = sa.case((queries._dark(sun), 1), else_=0)  # noqa: SLF001
        selects = [queries.select_reports(f, r.area_id, r.category, sa.func.count())
                   .group_by(r.area_id, r.category) for f in (now, before, year)]
        selects += [queries.select_reports(f, x, y, sa.func.count()).group_by(x, y)
                    .where(r.lat.is_not(None)) for f in (now, before)]
        selects.append(queries.select_reports(now, hour, dark, sa.func.count(), sun=sun)
                       .group_by(hour, dark))
        selects += [queries.select_reports(f, r.reporter_kind, r.organisation_id,
                                           sa.func.count())
                    .group_by(r.reporter_kind, r.organisation_id) for f in (now, before)]
        return [compiled(engine, s) for s in selects]


def report_statement(engine: sa.Engine, first: Any, last: Any) -> tuple[str, dict[str, Any]]:
    """One GROUP BY of area × category × month over the span (UTC months, no sums)."""
    from kopingreport.situation import queries
    from kopingreport.situation.params import local_midnight

    r = queries.Report
    month = sa.func.substr(r.created_at, 1, 7) if engine.dialect.name == "sqlite" else \
        sa.func.to_char(r.created_at, "YYYY-MM")
    f = queries.Filters(local_midnight(first), local_midnight(last + timedelta(days=1)))
    return compiled(engine, queries.select_reports(f, month, r.area_id, r.category,
                                                   sa.func.count())
                    .group_by(month, r.area_id, r.category))


def plans(engine: sa.Engine, statements: list[tuple[str, Any]]) -> list[str]:
    """The plan of each statement, one line each."""
    lines = []
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        for sql, params in statements:
            if engine.dialect.name == "sqlite":
                cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
                lines.append(" | ".join(row[-1] for row in cursor.fetchall()))
            else:
                cursor.execute("EXPLAIN " + sql, params)
                lines.append(" | ".join(row[0].strip() for row in cursor.fetchall()
                                        if "Scan" in row[0] or "Index" in row[0]))
    finally:
        raw.close()
    return lines


KEPT_DIR = _HERE / "out"


def _kept_url(kind: str, count: int, pg_url: str) -> str:
    """The URL of the database kept by ``--reuse``."""
    if kind == "sqlite":
        KEPT_DIR.mkdir(exist_ok=True)
        return f"sqlite:///{KEPT_DIR / f'situation-{count}.sqlite'}"
    schema = f"{PG_SCHEMA}_{count}"
    engine = sa.create_engine(pg_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.exec_driver_sql(f'CREATE SCHEMA IF NOT EXISTS "{schema}"')
    engine.dispose()
    return f"{pg_url}?options=-csearch_path%3D{schema}"


def _loaded(engine: sa.Engine, count: int) -> bool:
    """Whether the kept database already holds the ``count`` bench reports."""
    with engine.connect() as conn:
        return conn.scalar(sa.text("SELECT count(*) FROM reports")) == count


def _forget_caches(engine: sa.Engine) -> None:
    """Empty the month sums, the day counts and the dawn/dusk table (a reused database starts
    like a new one)."""
    with engine.begin() as conn:
        for table in ("situation_month_counts", "situation_rollup_months",
                      "situation_day_counts", "situation_sun_days"):
            conn.exec_driver_sql(f"DELETE FROM {table}")


def _add_report(app: Flask) -> int:
    """A report received now (in the current period), as the app stores it."""
    from kopingreport.db import get_session
    from kopingreport.reports.models import Report

    with app.app_context():
        session = get_session()
        number = time.time_ns()
        report = Report(reference=f"B-{number % 10**15}", receipt_hash=f"{number:064x}",
                        payload_hash="x", category="graffiti", description="Bench.",
                        occurred_at=datetime.now(UTC), lat=59.5137, lon=15.9906,
                        location_source="gps", reporter_kind="resident", state="new",
                        locale="sv")
        session.add(report)
        session.commit()
        return report.id


def _remove_reports(engine: sa.Engine, ids: list[int]) -> None:
    """Delete the reports the bench added (the kept database keeps its count)."""
    if ids:
        with engine.begin() as conn:
            conn.execute(sa.text("DELETE FROM reports WHERE id IN :ids").bindparams(
                sa.bindparam("ids", expanding=True)), {"ids": ids})


def _forget_sums(engine: sa.Engine) -> None:
    with engine.begin() as conn:
        conn.exec_driver_sql("DELETE FROM situation_month_counts")
        conn.exec_driver_sql("DELETE FROM situation_rollup_months")


def run(kind: str, count: int, runs: int, pg_url: str, workdir: Path,
        reuse: bool = False) -> dict[str, float]:
    from kopingreport.db import engine as app_engine, get_session
    from kopingreport.situation import documents, nightly, picture
    from tests.factories import log_in_as

    url = _kept_url(kind, count, pg_url) if reuse else fresh_url(kind, workdir, pg_url)
    started = time.perf_counter()
    app = build_app(url, workdir)
    with app.app_context():
        engine = app_engine()
        if reuse and _loaded(engine, count):
            print(f"\n== {kind}: reusing {count:,} reports ({url.split('?')[0]}; migrated in "
                  f"{time.perf_counter() - started:.1f} s)", flush=True)
            _forget_caches(engine)
            data.settle(engine)
        else:
            if reuse:  # a kept database with other data: start it again
                engine.dispose()
                if kind == "sqlite":
                    Path(url.removeprefix("sqlite:///")).unlink(missing_ok=True)
                if kind == "postgresql":
                    _queue.PG_SCHEMA = f"{PG_SCHEMA}_{count}"
                    url = fresh_url(kind, workdir, pg_url)
                    _queue.PG_SCHEMA = PG_SCHEMA
                app = build_app(url, workdir)
            with app.app_context():
                engine = app_engine()
            print(f"\n== {kind}: loading {count:,} reports …", flush=True)
            seconds = data.load(engine, count, 1983, datetime.now(UTC))
            data.settle(engine)
            print(f"   loaded in {seconds:.1f} s")
    client = app.test_client()
    log_in_as(app, client, "analyst", email=f"analyst-{time.time_ns()}@koping.example")

    def dashboard(forget: bool = True) -> Any:
        if forget:
            picture.forget()  # time the work: no stored picture, no stored period counts
        else:
            picture._cache.clear()  # noqa: SLF001 (period counts stay, checked per period)
        response = client.get("/admin/situation/")
        assert response.status_code == 200
        return response

    def cpu(work: Callable[[], Any]) -> float:
        started = time.process_time()
        work()
        return (time.process_time() - started) * 1000

    first, _ = timed(dashboard)
    dash = [timed(dashboard)[0] for _ in range(runs)]
    dash_cpu = [cpu(dashboard) for _ in range(runs)]
    added: list[int] = []

    def new_report() -> Any:
        added.append(_add_report(app))
        return dashboard(forget=False)

    fresh = [timed(new_report)[0] for _ in range(runs)]
    unchanged = [timed(lambda: dashboard(forget=False))[0] for _ in range(runs)]
    cached, _ = timed(lambda: client.get("/admin/situation/"))
    _remove_reports(engine, added)
    statements = dashboard_statements(engine, app)
    sql = [bare_sql(engine, statements) for _ in range(runs)]
    core = [bare_sql(engine, statements[:1]) for _ in range(runs)]
    with app.app_context():
        session = get_session()
        span = documents.default_span()
        cold, found = timed(lambda: documents.figures(session, *span))  # counts 24 months
        session.rollback()
        _forget_sums(engine)
        nightly_ms, done = timed(lambda: nightly.refresh(session))
        session.commit()
        again_ms, _ = timed(lambda: nightly.refresh(session))
        session.commit()
        warm = [timed(lambda: documents.figures(session, *span))[0] for _ in range(runs)]
    # A fresh process after the nightly refresh: nothing reused in the process, the past days'
    # counts stored (the realistic first request of a worker).
    nightly_dash = [timed(dashboard)[0] for _ in range(runs)]
    nightly_cpu = [cpu(dashboard) for _ in range(runs)]
    with app.app_context():
        session = get_session()
        doc = documents.create(session, None, "Bench", *span)
        session.commit()
        doc_id = doc.id
    page = [timed(lambda: client.get(f"/admin/situation/lagesbild/{doc_id}"))[0]
            for _ in range(runs)]
    report_sql = [bare_sql(engine, [report_statement(engine, *span)]) for _ in range(runs)]
    med = statistics.median
    print(f"   14-day dashboard page, fresh process after the nightly refresh (day counts "
          f"stored, nothing reused in the process): median {med(nightly_dash):.0f} ms "
          f"(target <= {TARGET_DASHBOARD_MS:.0f}; app CPU {med(nightly_cpu):.0f} ms)")
    print(f"   14-day dashboard page with nothing stored at all: first {first:.0f} ms "
          f"(dawn/dusk of ~750 days stored), median {med(dash):.0f} ms "
          f"(app CPU {med(dash_cpu):.0f} ms)")
    print(f"     after a new report (the current period counted again, the past ones "
          f"reused): median {med(fresh):.0f} ms; nothing changed: {med(unchanged):.0f} ms; "
          f"the 60-second cache: {cached:.0f} ms")
    print(f"     bare SQL of the same numbers ({len(statements)} statements): median "
          f"{med(sql):.0f} ms; area × category alone {med(core):.0f} ms; page/SQL "
          f"{med(dash) / med(sql):.1f}")
    print(f"   nightly `situation refresh`: {nightly_ms / 1000:.1f} s ({done.sun_days} days "
          f"of dawn/dusk, {len(done.months)} months summed, {len(done.days)} days counted); "
          f"run again: {again_ms:.0f} ms")
    print(f"   24-month lägesbild ({span[0]} – {span[1]}, {found['total']:,} reports): "
          f"without sums {cold:.0f} ms, from the nightly sums median {med(warm):.0f} ms "
          f"(target <= {TARGET_REPORT_MS:.0f}); page median {med(page):.0f} ms")
    print(f"     bare SQL GROUP BY area × category × month: median {med(report_sql):.0f} ms")
    for line in plans(engine, statements[:1] + statements[3:4]):
        print(f"   plan: {line}")
    engine.dispose()
    return {"dashboard": med(nightly_dash), "bare": med(dash), "fresh": med(fresh),
            "report": med(warm)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--reports", type=int, default=1_000_000)
    parser.add_argument("--db", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--pg-url", default=PG_URL)
    parser.add_argument("--reuse", action="store_true",
                        help="keep the databases and reuse them when they hold --reports")
    args = parser.parse_args()
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        for kind in (("sqlite", "postgresql") if args.db == "both" else (args.db,)):
            results[kind] = run(kind, args.reports, args.runs, args.pg_url, Path(tmp),
                                args.reuse)
    print(f"\nload average {os.getloadavg()[0]:.1f}")
    def verdict(ms: float, target: float) -> str:
        return "within" if ms <= target else "OUTSIDE"

    for kind, found in results.items():
        print(f"{kind}: dashboard {found['dashboard']:.0f} ms in a fresh process after the "
              f"nightly refresh ({verdict(found['dashboard'], TARGET_DASHBOARD_MS)}), "
              f"{found['bare']:.0f} ms with nothing stored at all "
              f"({verdict(found['bare'], TARGET_DASHBOARD_MS)}), "
              f"{found['fresh']:.0f} ms after a new report "
              f"({verdict(found['fresh'], TARGET_DASHBOARD_MS)}); 24-month report "
              f"{found['report']:.0f} ms ({verdict(found['report'], TARGET_REPORT_MS)}) "
              f"the targets")


if __name__ == "__main__":
    main()
