"""A live server for the Open311 tests: the ``georeport`` client speaks real HTTP."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from flask import Flask
from werkzeug.serving import make_server


@pytest.fixture
def live_url(app: Flask) -> Iterator[str]:
    """The app served on a free local port; yields its Open311 root URL."""
    app.config["SERVER_NAME"] = None
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/open311/v2"
    server.shutdown()
    thread.join(5)


@pytest.fixture
def client(app: Flask):  # type: ignore[no-untyped-def]
    """The test client, asking for English (the error texts are checked in English)."""
    test_client = app.test_client()
    test_client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    return test_client
