"""gunicorn with the production config logs JSON lines: one per request with its id, method,
path, status and duration — never a receipt token, a query string or a client address."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request

from tests.faults.conftest import Server

TOKEN = "s3cretReceiptToken_0123456789abcdef"


def test_access_log_is_json_with_request_id_and_masked_tokens(gunicorn: Server) -> None:
    request = urllib.request.Request(f"{gunicorn.url}/status/{TOKEN}?lang=sv&t={TOKEN}",
                                     headers={"X-Forwarded-For": "203.0.113.7"})
    try:
        urllib.request.urlopen(request, timeout=10)
    except urllib.error.HTTPError as err:
        assert err.code == 404
        request_id = err.headers["X-Request-ID"]
    assert request_id
    time.sleep(0.3)  # let the worker write its line
    out = gunicorn.stdout.read_text()
    lines = [json.loads(line) for line in out.splitlines()]  # every line is JSON
    [entry] = [e for e in lines if e.get("request_id") == request_id]
    assert entry["method"] == "GET" and entry["path"] == "/status/***"
    assert entry["status"] == 404 and entry["duration_ms"] >= 0
    everything = out + gunicorn.stderr.read_text()
    assert TOKEN not in everything and "203.0.113.7" not in everything
    assert all(json.loads(line)["level"] for line in gunicorn.stderr.read_text().splitlines())
