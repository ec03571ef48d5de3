"""The application class keeps Flask's behaviour while doing less per request."""

from __future__ import annotations

from flask import Flask, session


def _session_routes(app: Flask) -> None:
    @app.get("/_test/remember/<value>")
    def remember(value: str) -> str:
        session["value"] = value
        return "ok"

    @app.get("/_test/recall")
    def recall() -> str:
        return str(session.get("value"))


def test_a_new_secret_key_takes_effect_and_fallbacks_keep_old_sessions(app: Flask) -> None:
    _session_routes(app)
    client = app.test_client()
    client.get("/_test/remember/anna")
    assert client.get("/_test/recall").get_data(as_text=True) == "anna"

    # Key rotation: the old key as a fallback keeps existing sessions valid.
    old = app.secret_key
    app.secret_key = app.config["SECRET_KEY"] = "a-new-secret"
    app.config["SECRET_KEY_FALLBACKS"] = [old]
    assert client.get("/_test/recall").get_data(as_text=True) == "anna"
    client.get("/_test/remember/berit")  # now signed with the new key

    # Without the fallback, a cookie signed with the old key is worth nothing.
    app.secret_key = app.config["SECRET_KEY"] = old
    app.config["SECRET_KEY_FALLBACKS"] = []
    assert client.get("/_test/recall").get_data(as_text=True) == "None"


def test_hooks_and_views_still_run_once_each(app: Flask) -> None:
    calls: list[str] = []
    app.before_request(lambda: calls.append("before") and None)
    _session_routes(app)
    client = app.test_client()
    for _ in range(3):
        client.get("/_test/recall")
    assert calls == ["before"] * 3
