"""Headers, cookies, errors and the health check, as an operator would audit them."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient

from kopingreport import create_app
from tests.factories import csrf_token


def test_security_headers(client: FlaskClient) -> None:
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp and "base-uri 'none'" in csp
    assert "object-src 'none'" in csp and "https://tile.openstreetmap.org" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"


def test_hsts_only_over_https(client: FlaskClient) -> None:
    assert "Strict-Transport-Security" not in client.get("/").headers
    secure = client.get("/", base_url="https://localhost")
    assert "max-age=31536000" in secure.headers["Strict-Transport-Security"]


def test_session_cookie_is_secure_by_default(database_url: str) -> None:
    app = create_app({"DATABASE_URL": database_url, "SECRET_KEY": "x"})
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["SESSION_COOKIE_NAME"] == "__Host-session"
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"


def test_form_page_sets_httponly_lax_cookie(client: FlaskClient) -> None:
    cookie = client.get("/report").headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_secret_key_is_required(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app({"DATABASE_URL": "sqlite://"})


def test_health_check(client: FlaskClient) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200 and response.get_json()["database"] == "ok"


def test_health_check_reports_a_dead_database(tmp_path) -> None:
    app = create_app({"DATABASE_URL": "postgresql://nobody@127.0.0.1:1/none", "SECRET_KEY": "x"})
    response = app.test_client().get("/healthz")
    assert response.status_code == 503


def test_errors_never_show_a_stack_trace(app: Flask, client: FlaskClient) -> None:
    @app.get("/boom")
    def boom() -> str:
        raise RuntimeError("secret internals")

    app.config["PROPAGATE_EXCEPTIONS"] = False
    response = client.get("/boom")
    html = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "secret internals" not in html and "Traceback" not in html
    api = client.get("/api/v1/nothing-here")
    assert api.status_code == 404 and "errors" in api.get_json()


def test_not_found_page_is_friendly(client: FlaskClient) -> None:
    response = client.get("/no-such-page", headers={"Accept-Language": "en"})
    assert response.status_code == 404
    assert "We could not find that page" in response.get_data(as_text=True)


def test_static_files_are_versioned_and_cached(client: FlaskClient) -> None:
    html = client.get("/").get_data(as_text=True)
    assert "/static/css/app.css?v=" in html
    url = next(part.split('"')[0] for part in html.split('href="') if "app.css?v=" in part)
    response = client.get(url)
    assert response.status_code == 200
    assert "max-age=31536000" in response.headers["Cache-Control"]


def test_logout_is_post_only(client: FlaskClient) -> None:
    assert client.get("/logout").status_code == 405


PASSWORD = "correct horse battery"


def make_admin(app: Flask) -> None:
    result = app.test_cli_runner().invoke(args=["create-admin", "admin@koping.example"],
                                          input=f"{PASSWORD}\n{PASSWORD}\n")
    assert result.exit_code == 0, result.output


def log_in(client: FlaskClient, next_url: str) -> object:
    return client.post(f"/login?next={next_url}", data={
        "csrf_token": csrf_token(client, "/login"), "email": "admin@koping.example",
        "password": PASSWORD})


def test_login_does_not_reveal_which_emails_exist(app: Flask, client: FlaskClient) -> None:
    make_admin(app)
    token = csrf_token(client, "/login")
    wrong_password = client.post("/login", data={"csrf_token": token, "email":
                                                 "admin@koping.example", "password": "nope"})
    unknown = client.post("/login", data={"csrf_token": token, "email": "ghost@koping.example",
                                          "password": "nope"})
    assert wrong_password.status_code == unknown.status_code == 422
    def normalised(response, email: str) -> str:
        html = response.get_data(as_text=True).replace(email, "E")
        return re.sub(r'name="csrf_token" type="hidden" value="[^"]+"', "", html)

    assert normalised(wrong_password, "admin@koping.example") == normalised(
        unknown, "ghost@koping.example")


def test_staff_without_two_factor_must_set_it_up(app: Flask, client: FlaskClient) -> None:
    make_admin(app)
    response = log_in(client, "/admin/photos/999/full.jpg")
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/admin/photos/999/full.jpg")
    setup = client.get("/admin/photos/999/full.jpg")
    assert setup.status_code == 302 and setup.headers["Location"].endswith("/account/two-factor")


def test_login_redirect_refuses_other_sites(app: Flask, client: FlaskClient) -> None:
    make_admin(app)
    response = log_in(client, "https://evil.example/")
    assert response.headers["Location"] == "/account"
