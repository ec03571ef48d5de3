"""Database: the declarative base, the engine and one session per request.

Services receive a ``Session`` and only flush; the web layer commits once per request
(``get_session().commit()``) and the teardown rolls back whatever was not committed.
"""

from __future__ import annotations

import fcntl
import os
import threading
import time
from contextlib import contextmanager
from functools import partial
from datetime import UTC, datetime
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

import sqlalchemy as sa
from flask import Flask, current_app, g
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker

T = TypeVar("T")

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Base class of every model."""

    metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)


class UTCDateTime(sa.types.TypeDecorator[datetime]):
    """A timezone-aware UTC timestamp on every database (SQLite stores naive values)."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def utcnow() -> datetime:
    """Now, timezone-aware in UTC."""
    return datetime.now(UTC)


def _tune_sqlite(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.execute("PRAGMA foreign_keys=ON")
    # Aggregates over a million reports: 64 MB page cache per connection, read through a
    # memory map (fewer read() calls), sorts for GROUP BY in memory.
    cursor.execute("PRAGMA cache_size=-65536")
    cursor.execute("PRAGMA mmap_size=268435456")
    cursor.execute("PRAGMA temp_store=MEMORY")
    cursor.close()


def make_engine(url: str, echo: bool = False, ping_after_idle: float = 10) -> Engine:
    """An engine for ``url``; SQLite gets WAL, a busy timeout and foreign keys. Bound
    parameters (what people typed) never appear in error messages or logs. On a database
    server, a pooled connection idle for more than ``ping_after_idle`` seconds is pinged
    before use (see ``_ping_if_idle``)."""
    if url.startswith("sqlite"):
        engine = sa.create_engine(url, echo=echo, connect_args={"timeout": 5},
                                  hide_parameters=True)
        sa.event.listen(engine, "connect", _tune_sqlite)
        return engine
    engine = sa.create_engine(url, echo=echo, pool_size=5, max_overflow=5,
                              hide_parameters=True)
    sa.event.listen(engine, "checkin", _note_checkin)
    sa.event.listen(engine, "checkout", partial(_ping_if_idle, engine.dialect, ping_after_idle))
    return engine


_IDLE_SINCE = "kopingreport_idle_since"


def _note_checkin(_dbapi_connection: Any, record: Any) -> None:
    record.info[_IDLE_SINCE] = time.monotonic()


def _ping_if_idle(dialect: sa.Dialect, after: float, dbapi_connection: Any, record: Any,
                  _proxy: Any) -> None:
    """Before a pooled connection is used: if it lay idle longer than ``after`` seconds (the
    server may have restarted or a firewall dropped it meanwhile), ping it; a dead one is
    replaced by a new connection. ``pool_pre_ping`` would ping on every use — under load,
    a round trip per request for connections used a moment ago. A connection that died
    while busy makes its request fail (503, the client retries) and the pool drops every
    connection that was made before."""
    since = record.info.get(_IDLE_SINCE)
    if since is None or time.monotonic() - since <= after:
        return
    try:
        dialect.do_ping(dbapi_connection)
    except dialect.loaded_dbapi.Error as err:
        raise sa.exc.DisconnectionError("a pooled connection was dead") from err


def init_app(app: Flask) -> None:
    """Create the engine and session factory and close the session after each request."""
    url = app.config["DATABASE_URL"]
    if url.startswith("sqlite:///"):
        from pathlib import Path

        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    engine = make_engine(url, app.config["SQLALCHEMY_ECHO"],
                         app.config["DATABASE_PING_AFTER_IDLE"])
    app.extensions["kopingreport.db"] = sessionmaker(bind=engine, expire_on_commit=False)
    app.teardown_appcontext(_close_session)


def engine() -> Engine:
    """The current app's engine."""
    factory: sessionmaker[Session] = current_app.extensions["kopingreport.db"]
    bind = factory.kw["bind"]
    assert isinstance(bind, Engine)
    return bind


def get_session() -> Session:
    """The session of the current app context (created on first use)."""
    if "db_session" not in g:
        g.db_session = current_app.extensions["kopingreport.db"]()
    session: Session = g.db_session
    return session


def _close_session(_exc: BaseException | None) -> None:
    session: Session | None = g.pop("db_session", None)
    if session is not None:
        session.close()  # rolls back whatever was not committed


_writer_locks: dict[tuple[str, int], tuple[threading.Lock, int]] = {}
_writer_locks_guard = threading.Lock()


@contextmanager
def sqlite_writer(session: Session) -> Iterator[None]:
    """Let one request at a time write to an SQLite database (a no-op on other databases).

    SQLite has one writer at a time; the others wait in its busy handler, which sleeps in
    steps of up to 100 ms and leaves the lock idle when it is freed. A thread lock plus an
    ``flock`` on ``<database>-writer.lock`` queue writers of all threads and processes
    instead, and the next one starts the moment the lock is released.
    """
    url = session.get_bind().url
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        yield
        return
    key = (url.database, os.getpid())  # a forked process opens its own file
    with _writer_locks_guard:
        if key not in _writer_locks:
            fd = os.open(f"{url.database}-writer.lock", os.O_RDWR | os.O_CREAT, 0o600)
            _writer_locks[key] = (threading.Lock(), fd)
        lock, fd = _writer_locks[key]
    with lock:
        fcntl.flock(fd, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)


def commit_with_retry(session: Session, work: Callable[[], T], attempts: int = 3) -> T:
    """Run ``work`` and commit; on a lost race (unique key taken by a concurrent request,
    SQLite busy, PostgreSQL serialization failure) roll back and run it again.

    ``work`` must be safe to repeat: it is expected to find what the other request stored.
    """
    for attempt in range(1, attempts + 1):
        try:
            result = work()
            session.commit()
            return result
        except (IntegrityError, OperationalError):
            session.rollback()
            if attempt == attempts:
                raise
    raise AssertionError("unreachable")
