"""Log lines never carry the secret part of a link; records during a request carry its id."""

from __future__ import annotations

import io
import json
import logging

import pytest
from flask import Flask

from kopingreport.web.logging import json_handler, mask_path


@pytest.mark.parametrize(("path", "logged"), [
    ("/status/AbC_d-123", "/status/***"),
    ("/status/AbC_d-123/photos/0/thumb.jpg", "/status/***/photos/0/thumb.jpg"),
    ("/report/kept/eyJhbGciOi.abc.def.jpg", "/report/kept/***.jpg"),
    ("/password/reset/ImFiYyI.Zx9.abc", "/password/reset/***"),
    ("/walks/3/join/tok3n", "/walks/3/join/***"),
    ("/register/confirm/abc", "/register/confirm/***"),
    ("/unknown/" + "x" * 40, "/unknown/***"),
    ("/admin/reports/42", "/admin/reports/42"),
    ("/open-data/reports.geojson", "/open-data/reports.geojson"),
    ("/", "/"),
])
def test_secret_path_segments_are_masked(path: str, logged: str) -> None:
    assert mask_path(path) == logged


def test_app_records_carry_the_request_id_and_masked_path(app: Flask) -> None:
    stream = io.StringIO()
    handler = json_handler(stream)
    logger = logging.getLogger("kopingreport.test")
    logger.addHandler(handler)

    @app.get("/status/<token>/boom")
    def boom(token: str) -> str:
        logger.warning("something odd")
        return "ok"

    try:
        response = app.test_client().get("/status/very-secret-token/boom?x=1",
                                         headers={"X-Request-ID": "req-12345678"})
    finally:
        logger.removeHandler(handler)
    entry = json.loads(stream.getvalue())
    assert response.headers["X-Request-ID"] == "req-12345678"
    assert entry["request_id"] == "req-12345678" and entry["message"] == "something odd"
    assert entry["path"] == "/status/***/boom" and entry["level"] == "warning"
    assert "very-secret-token" not in stream.getvalue()
