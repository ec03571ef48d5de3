"""Fixtures: the app on SQLite and on PostgreSQL, a client, and factories.

Every test that uses ``app`` (directly or through ``client``) runs twice: on SQLite and on
PostgreSQL. PostgreSQL tests are skipped with a reason when no server answers, except in CI
(``CI=true``), where that is an error.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from jinja2 import FileSystemBytecodeCache

from kopingreport import create_app
from kopingreport.db import Base, get_session

PG_URL = os.environ.get("TEST_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def _worker() -> str:
    return os.environ.get("PYTEST_XDIST_WORKER", "main")


def _pg_schema_url() -> str:
    # One schema per test process, so that parallel runs on one server never collide.
    schema = f"kr_test_{_worker()}_{os.getpid()}"
    engine = sa.create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            conn.execute(sa.text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
            conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    except sa.exc.OperationalError as err:
        if IN_CI:
            raise RuntimeError(f"PostgreSQL must be reachable in CI at {PG_URL}") from err
        pytest.skip(f"PostgreSQL is not reachable at {PG_URL} (outside CI these tests skip)")
    finally:
        engine.dispose()
    return f"{PG_URL}?options=-csearch_path%3D{schema}"


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
                 ) -> Iterator[str]:
    """A migrated, empty database of each kind (one per xdist worker)."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite'}"
    else:
        url = _pg_schema_url()
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "test", "TESTING": True})
    with app.app_context():
        from kopingreport.cli import upgrade_database

        upgrade_database()
        from kopingreport.db import engine

        engine().dispose()
    yield url
    if request.param == "postgresql":
        _drop_schema(url)


def _drop_schema(url: str) -> None:
    schema = url.rsplit("%3D", 1)[1]
    engine = sa.create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(sa.text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    engine.dispose()


def _empty_tables(app: Flask) -> None:
    with app.app_context():
        session = get_session()
        tables = [t.name for t in reversed(Base.metadata.sorted_tables)]
        # DELETE, not TRUNCATE: on a few rows it is much cheaper on PostgreSQL.
        for table in tables:
            session.execute(sa.text(f"DELETE FROM {table}"))
        session.commit()


@pytest.fixture
def app_config(database_url: str, tmp_path: Path) -> dict[str, object]:
    """The configuration of the app under test; tests may change it before using ``app``."""
    return {"DATABASE_URL": database_url, "SECRET_KEY": "test-secret", "TESTING": True,
            "UPLOAD_DIR": str(tmp_path / "uploads"), "INSTANCE_PATH": str(tmp_path / "instance"),
            "SESSION_COOKIE_SECURE": False, "REMEMBER_COOKIE_SECURE": False,
            "SERVER_NAME": "localhost"}


@pytest.fixture(scope="session")
def template_bytecode(tmp_path_factory: pytest.TempPathFactory) -> FileSystemBytecodeCache:
    """Compiled templates shared by every test's app (compiling them is the slow part)."""
    return FileSystemBytecodeCache(str(tmp_path_factory.mktemp("jinja")))


@pytest.fixture
def app(app_config: dict[str, object], template_bytecode: FileSystemBytecodeCache
        ) -> Iterator[Flask]:
    """The application with the default Köping areas loaded and nothing else."""
    application = create_app(app_config)
    application.jinja_env.bytecode_cache = template_bytecode
    _empty_tables(application)
    with application.app_context():
        from kopingreport.reports.areas import ensure_default_areas

        ensure_default_areas(get_session())
        get_session().commit()
    yield application
    with application.app_context():
        from kopingreport.db import engine

        engine().dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def db_session(app: Flask) -> Iterator[sa.orm.Session]:
    """A session of its own (outside any app context) for looking at what the app stored.

    It must not share the app context: requests in a test would then reuse one ``g`` (and
    one database session and one locale) instead of getting their own.
    """
    from kopingreport.db import make_engine

    engine = make_engine(app.config["DATABASE_URL"])
    session = sa.orm.Session(engine, expire_on_commit=False)
    yield session
    session.close()
    engine.dispose()
