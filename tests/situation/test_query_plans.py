"""The dashboard's report queries use the covering index ``ix_reports_picture`` on both
databases: every statement the dashboard sends about reports is captured and EXPLAINed.

SQLite plans by rules: without care it takes a one-column index (area, state) for a filter
and reads every report of the area (pwa-perf-security.md §4). PostgreSQL plans by statistics,
so it first gets 60 000 reports over three years and ANALYZE.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from sqlalchemy.orm import Session

from kopingreport.db import get_session
from kopingreport.situation import picture
from kopingreport.situation.params import Choice
from tests.situation.helpers import TORGET, add_reports, local, many

INDEX = "ix_reports_picture"


def _three_years_of_reports(session: Session) -> None:
    if session.get_bind().dialect.name != "postgresql":
        return
    session.execute(sa.text("""
        INSERT INTO reports (reference, receipt_hash, payload_hash, category, description,
            occurred_at, created_at, updated_at, lat, lon, location_source, area_id,
            is_outside_municipality, reporter_kind, state, priority, locale, is_public)
        SELECT 'B' || g, md5(g::text), 'x', (ARRAY['graffiti','vandalism','lighting',
            'drugs','traffic'])[1 + g % 5], 'x', t, t, t, 59.51 + (g % 97) * 0.0003,
            15.99 + (g % 89) * 0.0006, 'gps', (SELECT min(id) FROM areas) + g % 20, false,
            'resident', 'accepted', 0, 'sv', false
        FROM generate_series(1, 60000) AS g,
             LATERAL (SELECT TIMESTAMPTZ '2026-03-15 00:00+00' - g * INTERVAL '26 minutes') AS x(t)
    """))
    session.execute(sa.text("ANALYZE reports"))


def _dashboard_statements(session: Session, choice: Choice) -> list[tuple[str, Any]]:
    """The statements about reports that building the picture sends (SQL, parameters)."""
    sent: list[tuple[str, Any]] = []

    def capture(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        if "FROM reports" in statement:
            sent.append((statement, parameters))

    engine = session.get_bind()
    picture.forget()
    sa.event.listen(engine, "before_cursor_execute", capture)
    try:
        picture.build(session, choice, use_cache=False)
    finally:
        sa.event.remove(engine, "before_cursor_execute", capture)
    return sent


def _plan(session: Session, statement: str, parameters: Any) -> str:
    connection = session.connection()
    if connection.dialect.name == "sqlite":
        rows = connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters)
        return " | ".join(str(r[-1]) for r in rows)
    rows = connection.exec_driver_sql(f"EXPLAIN {statement}", parameters)
    return " | ".join(r[0].strip() for r in rows)


@pytest.mark.parametrize("choice", [
    Choice(date(2026, 3, 1), date(2026, 3, 14)),
    Choice(date(2026, 3, 1), date(2026, 3, 14), areas=("centrum",), categories=("graffiti",)),
    Choice(date(2026, 3, 1), date(2026, 3, 14), kinds=("resident",), dark_only=True),
], ids=["default", "area-and-category", "kind-and-dark"])
def test_dashboard_queries_read_the_covering_index(app: Flask, choice: Choice) -> None:
    add_reports(app, many(3, created_at=local(2026, 3, 5, 21), category="graffiti",
                          lat=TORGET[0], lon=TORGET[1], place="Torget")
                # the previous period and the same days last year have reports too
                + many(1, created_at=local(2026, 2, 20, 21), lat=TORGET[0], lon=TORGET[1])
                + many(1, created_at=local(2025, 3, 5, 21), lat=TORGET[0], lon=TORGET[1]))
    with app.app_context():
        session = get_session()
        _three_years_of_reports(session)
        statements = _dashboard_statements(session, choice)
        # signature, area × category (3 periods), cells (2), hours, reporters (2), places
        assert len(statements) >= 10, [s for s, _p in statements]
        sqlite = session.get_bind().dialect.name == "sqlite"
        for statement, parameters in statements:
            plan = _plan(session, statement, parameters)
            assert INDEX in plan, (statement, plan)
            assert "Seq Scan on reports" not in plan and "SCAN reports" not in plan, plan
            for other in ("ix_reports_area_id", "ix_reports_state_", "ix_reports_organisation"):
                assert other not in plan, plan
            if sqlite and "place" not in statement:
                # Nothing but the index is read (the typed place is not in it).
                assert f"COVERING INDEX {INDEX}" in plan, (statement, plan)
        session.rollback()


def test_postgresql_reads_only_the_index_once_vacuumed(app: Flask) -> None:
    """After VACUUM (what autovacuum does) PostgreSQL answers the period counts from the
    index alone: an Index Only Scan."""
    with app.app_context():
        session = get_session()
        if session.get_bind().dialect.name != "postgresql":
            pytest.skip("PostgreSQL only")
        _three_years_of_reports(session)
        session.commit()
        with session.get_bind().connect().execution_options(
                isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("VACUUM ANALYZE reports")
        statements = _dashboard_statements(session, Choice(date(2026, 3, 1),
                                                            date(2026, 3, 14)))
        counts = [s for s in statements if "count" in s[0].lower() and "place" not in s[0]]
        assert counts
        for statement, parameters in counts:
            plan = _plan(session, statement, parameters)
            assert f"Index Only Scan using {INDEX}" in plan, (statement, plan)
