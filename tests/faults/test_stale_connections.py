"""A pooled connection the database server dropped while it lay idle (a restart, a
firewall's timeout) is found and replaced before a request uses it; one dropped while in
steady use fails one request with a clear 503, and the next request works (PostgreSQL)."""

from __future__ import annotations

import time
import uuid

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from kopingreport import create_app
from kopingreport.db import engine
from tests.factories import report_fields

SV = {"Accept-Language": "sv", "Accept": "application/json"}


@pytest.fixture
def pg_app(app_config: dict[str, object], database_url: str) -> dict[str, object]:
    if not database_url.startswith("postgresql"):
        pytest.skip("SQLite has no server that can drop a connection")
    return app_config


def drop_pooled_connection(app: Flask) -> None:
    """Make the app's one pooled connection, then have the server end it."""
    with app.app_context():
        bind = engine()
    with bind.connect() as conn:
        pid = conn.execute(sa.text("SELECT pg_backend_pid()")).scalar_one()
    admin = sa.create_engine(bind.url, isolation_level="AUTOCOMMIT", poolclass=sa.NullPool)
    with admin.connect() as conn:
        assert conn.execute(sa.text("SELECT pg_terminate_backend(:pid)"), {"pid": pid}).scalar()
    admin.dispose()
    time.sleep(0.2)  # the backend is gone


def send(client: FlaskClient):
    return client.post("/api/v1/reports", data=report_fields(), headers={
        "Idempotency-Key": str(uuid.uuid4()), **SV}, content_type="multipart/form-data")


def test_an_idle_connection_the_server_dropped_is_replaced_unseen(
        pg_app: dict[str, object], app: Flask) -> None:
    patient = create_app({**pg_app, "DATABASE_PING_AFTER_IDLE": 0.1})
    try:
        drop_pooled_connection(patient)
        time.sleep(0.2)  # idle longer than the limit: pinged before use, and replaced
        response = send(patient.test_client())
        assert response.status_code == 201, response.get_data(as_text=True)
    finally:
        with patient.app_context():
            engine().dispose()


def test_a_busy_connection_the_server_dropped_fails_one_request_then_works(
        pg_app: dict[str, object], app: Flask, client: FlaskClient) -> None:
    drop_pooled_connection(app)  # used a moment ago: not pinged (the default waits 10 s)
    refused = send(client)
    assert refused.status_code == 503 and refused.headers["Retry-After"]
    assert "Tjänsten är tillfälligt otillgänglig" in refused.get_json()["errors"]["_"][0]
    assert send(client).status_code == 201
