"""The database is unavailable for a while: clear 503s that keep the report queued, then the
retry stores it exactly once (on SQLite and PostgreSQL)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from flask import Flask
from flask.testing import FlaskClient

from kopingreport.db import engine
from tests.factories import CSRF_RE, SUBMISSION_RE, report_fields
from tests.faults.helpers import counts

SV = {"Accept-Language": "sv"}


@contextmanager
def database_down(app: Flask, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Every new connection is refused, as when the server is down or restarting."""
    with app.app_context():
        bind = engine()
    bind.dispose()  # drop pooled connections, as a restarted server would

    def refuse(*_args: object, **_kwargs: object) -> None:
        raise bind.dialect.loaded_dbapi.OperationalError("connection refused")

    with monkeypatch.context() as patch:
        patch.setattr(bind.dialect, "connect", refuse)
        yield
    bind.dispose()


def api_post(client: FlaskClient, key: str, headers: dict[str, str] | None = None):
    return client.post("/api/v1/reports", data=report_fields(),
                       headers={"Idempotency-Key": key, "Accept": "application/json",
                                **(headers or SV)}, content_type="multipart/form-data")


def test_api_says_503_with_retry_after_and_the_retry_stores_the_report_once(
        app: Flask, client: FlaskClient, db_session, monkeypatch: pytest.MonkeyPatch) -> None:
    key = str(uuid.uuid4())
    with database_down(app, monkeypatch):
        refused = api_post(client, key)
        english = api_post(client, key, {"Accept-Language": "en"})
        health = client.get("/healthz")
    assert refused.status_code == 503
    assert int(refused.headers["Retry-After"]) > 0
    message = refused.get_json()["errors"]["_"]
    assert message[0] == "Tjänsten är tillfälligt otillgänglig. Försök igen om en stund."
    assert message != english.get_json()["errors"]["_"]
    assert "saved" in english.get_json()["errors"]["_"][1]
    assert health.status_code == 503 and health.get_json()["database"] == "unavailable"
    assert counts(db_session) == (0, 0)

    stored = api_post(client, key)
    again = api_post(client, key)
    assert stored.status_code == 201 and again.status_code == 201
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.get_json()["reference"] == stored.get_json()["reference"]
    assert client.get("/healthz").status_code == 200
    assert counts(db_session) == (1, 0)


def test_pages_show_a_translated_503_page_not_a_stack_trace(
        app: Flask, client: FlaskClient, db_session, monkeypatch: pytest.MonkeyPatch) -> None:
    form = client.get("/report", headers=SV).get_data(as_text=True)
    fields = {"csrf_token": CSRF_RE.search(form).group(1),  # type: ignore[union-attr]
              "submission_id": SUBMISSION_RE.search(form).group(1),  # type: ignore[union-attr]
              **report_fields()}
    with database_down(app, monkeypatch):
        receipt = client.get("/status/" + "x" * 32, headers=SV)
        sent = client.post("/report", data=fields, headers=SV,
                           content_type="multipart/form-data")
    for page in (receipt, sent):
        html = page.get_data(as_text=True)
        assert page.status_code == 503 and page.mimetype == "text/html"
        assert "Tjänsten är tillfälligt otillgänglig" in html
        assert "Traceback" not in html and "OperationalError" not in html
        assert page.headers["Retry-After"]
    assert "har inte sparats" in sent.get_data(as_text=True)
    assert counts(db_session) == (0, 0)

    retried = client.post("/report", data=fields, headers=SV, content_type="multipart/form-data")
    assert retried.status_code == 303 and "/status/" in retried.headers["Location"]
    assert counts(db_session) == (1, 0)
