"""The disk for photos is full: a clear, translated 507, and nothing of the report is kept —
no row, no photo file, no temporary file. Once there is room, the retry stores it once."""

from __future__ import annotations

import errno
import io
import os
import uuid

import pytest
from flask import Flask
from flask.testing import FlaskClient

from kopingreport.reports import photostore
from tests.factories import CSRF_RE, SUBMISSION_RE, report_fields
from tests.faults.helpers import counts, referenced_files, stored_files, two_photos


def fill_disk_after(monkeypatch: pytest.MonkeyPatch, files: int) -> None:
    """Let ``files`` photo files be written, then fail as a full disk does (at fsync)."""
    real_fsync = os.fsync
    written = 0

    def fsync(fd: int) -> None:
        nonlocal written
        if os.path.isdir(os.readlink(f"/proc/self/fd/{fd}")):
            return real_fsync(fd)
        written += 1
        if written > files:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_fsync(fd)

    monkeypatch.setattr(photostore.os, "fsync", fsync)


def send(client: FlaskClient, key: str, language: str = "sv"):
    data = {**report_fields(), "photos": [(io.BytesIO(p), f"p{i}.jpg")
                                          for i, p in enumerate(two_photos())]}
    return client.post("/api/v1/reports", data=data, content_type="multipart/form-data",
                       headers={"Idempotency-Key": key, "Accept-Language": language})


def test_api_answers_507_and_keeps_nothing_then_the_retry_stores_it_once(
        app: Flask, client: FlaskClient, db_session, monkeypatch: pytest.MonkeyPatch) -> None:
    key = str(uuid.uuid4())
    with monkeypatch.context() as patch:
        fill_disk_after(patch, files=2)  # the first photo and its thumbnail fit, no more
        full = send(client, key)
        english = send(client, str(uuid.uuid4()), "en")
    assert full.status_code == 507 and int(full.headers["Retry-After"]) > 0
    assert full.get_json()["errors"]["_"][0] == (
        "Det finns inte plats att spara foton just nu, så din rapport har inte sparats. "
        "Försök igen senare.")
    assert "no room to store photos" in english.get_json()["errors"]["_"][0]
    assert counts(db_session) == (0, 0)
    assert stored_files(app.config["UPLOAD_DIR"]) == []

    stored = send(client, key)
    again = send(client, key)
    assert stored.status_code == 201 and again.status_code == 201
    assert again.get_json()["reference"] == stored.get_json()["reference"]
    assert counts(db_session) == (1, 2)
    files = {p.name for p in stored_files(app.config["UPLOAD_DIR"])}
    assert files == referenced_files(db_session) and len(files) == 4


def test_the_form_shows_a_507_page_and_stores_nothing(
        app: Flask, client: FlaskClient, db_session, monkeypatch: pytest.MonkeyPatch) -> None:
    page = client.get("/report").get_data(as_text=True)
    data = {"csrf_token": CSRF_RE.search(page).group(1),  # type: ignore[union-attr]
            "submission_id": SUBMISSION_RE.search(page).group(1),  # type: ignore[union-attr]
            **report_fields(),
            "photos": [(io.BytesIO(p), f"p{i}.jpg") for i, p in enumerate(two_photos())]}
    fill_disk_after(monkeypatch, files=3)
    full = client.post("/report", data=data, content_type="multipart/form-data",
                       headers={"Accept-Language": "fi"})
    html = full.get_data(as_text=True)
    assert full.status_code == 507 and full.mimetype == "text/html"
    assert "Kuville ei ole juuri nyt tallennustilaa" in html and "Traceback" not in html
    assert counts(db_session) == (0, 0)
    assert stored_files(app.config["UPLOAD_DIR"]) == []
