"""Small SQL expressions that SQLite and PostgreSQL spell differently.

Timestamps are stored in UTC: SQLite keeps them as ``YYYY-MM-DD HH:MM:SS.ffffff`` text, so
the UTC date and hour are prefixes of that text; PostgreSQL has ``timestamptz`` and is asked
for the UTC wall time explicitly (never the session's time zone).
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import ColumnElement, FunctionElement


class utc_date(FunctionElement[Any]):  # noqa: N801 (SQL function style)
    """The UTC calendar date of a timestamp (a DATE, comparable with ``sa.Date`` columns)."""

    type = sa.Date()
    inherit_cache = True


class utc_hour(FunctionElement[str]):  # noqa: N801
    """``YYYY-MM-DD HH`` of a timestamp in UTC: one group per hour."""

    type = sa.String()
    inherit_cache = True


class grid_index(FunctionElement[int]):  # noqa: N801
    """The integer part of a non-negative number (SQLite has no FLOOR by default)."""

    type = sa.Integer()
    inherit_cache = True


@compiles(utc_date, "sqlite")
def _utc_date_sqlite(element: utc_date, compiler: Any, **kw: Any) -> str:
    return f"substr({compiler.process(list(element.clauses)[0], **kw)}, 1, 10)"


@compiles(utc_date, "postgresql")
def _utc_date_pg(element: utc_date, compiler: Any, **kw: Any) -> str:
    return f"CAST(({compiler.process(list(element.clauses)[0], **kw)} AT TIME ZONE 'UTC') AS DATE)"


@compiles(utc_hour, "sqlite")
def _utc_hour_sqlite(element: utc_hour, compiler: Any, **kw: Any) -> str:
    return f"substr({compiler.process(list(element.clauses)[0], **kw)}, 1, 13)"


@compiles(utc_hour, "postgresql")
def _utc_hour_pg(element: utc_hour, compiler: Any, **kw: Any) -> str:
    column = compiler.process(list(element.clauses)[0], **kw)
    return f"to_char({column} AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24')"


@compiles(grid_index, "sqlite")
def _grid_index_sqlite(element: grid_index, compiler: Any, **kw: Any) -> str:
    return f"CAST({compiler.process(list(element.clauses)[0], **kw)} AS INTEGER)"


@compiles(grid_index, "postgresql")
def _grid_index_pg(element: grid_index, compiler: Any, **kw: Any) -> str:
    return f"CAST(FLOOR({compiler.process(list(element.clauses)[0], **kw)}) AS INTEGER)"


class no_index(FunctionElement[Any]):  # noqa: N801
    """``+column`` on SQLite: the same value, but the planner cannot use an index on it.

    SQLite otherwise may prefer a one-column index (``area_id``, ``state``) to the range
    index on ``created_at`` and read every report of the area (pwa-perf-security.md §4).
    PostgreSQL plans by statistics and gets the plain column.
    """

    inherit_cache = True

    def __init__(self, column: ColumnElement[Any]) -> None:
        super().__init__(column)
        self.type = column.type


@compiles(no_index, "sqlite")
def _no_index_sqlite(element: no_index, compiler: Any, **kw: Any) -> str:
    return f"+{compiler.process(list(element.clauses)[0], **kw)}"


@compiles(no_index, "postgresql")
def _no_index_pg(element: no_index, compiler: Any, **kw: Any) -> str:
    return compiler.process(list(element.clauses)[0], **kw)
