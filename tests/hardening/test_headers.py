"""Every response carries the security headers: each URL rule of the app, error pages,
static files, the service worker, the JSON API and Open311 XML."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.routing import Rule
from werkzeug.routing.converters import NumberConverter

from tests.factories import log_in_as

#: A filler for each converter; unknown ids give 404s, which must carry the headers too.
FILLERS = {"integer": "1", "float": "1.0", "uuid": "00000000-0000-0000-0000-000000000000",
           "path": "x/y", "default": "x"}


def expected_headers(response, *, https: bool = False) -> list[str]:
    """What is wrong with the security headers of ``response`` (empty when nothing)."""
    h = response.headers
    problems = []
    csp = h.get("Content-Security-Policy", "")
    for directive in ("default-src 'self'", "script-src 'self'", "frame-ancestors 'none'",
                      "base-uri 'none'", "form-action 'self'", "object-src 'none'"):
        if directive not in csp:
            problems.append(f"CSP lacks {directive}")
    if "unsafe-inline" in csp or "unsafe-eval" in csp:
        problems.append("CSP allows inline script")
    wanted = {"X-Content-Type-Options": "nosniff",
              "Referrer-Policy": ("strict-origin-when-cross-origin", "no-referrer"),
              "Cross-Origin-Opener-Policy": "same-origin"}
    for name, values in wanted.items():
        if h.get(name) not in ((values,) if isinstance(values, str) else values):
            problems.append(f"{name}={h.get(name)!r}")
    policy = h.get("Permissions-Policy", "")
    if "geolocation=(self)" not in policy or "camera=(self)" not in policy:
        problems.append(f"Permissions-Policy={policy!r}")
    if https != ("Strict-Transport-Security" in h):
        problems.append(f"HSTS present={not https} over {'https' if https else 'http'}")
    return problems


#: Hostile path parameters: an id no database column holds, a long text with markup and an
#: RTL override.
HOSTILE_FILLERS = {"integer": "99999999999999999999", "default": "\u202e<x>%00" + "a" * 3000}


def _arguments(rule: Rule, fillers: dict[str, str]) -> dict[str, str]:
    values = {}
    for name, converter in rule._converters.items():  # noqa: SLF001 - only way to see them
        kind = "integer" if isinstance(converter, NumberConverter) and \
            converter.num_convert is int else type(converter).__name__.removesuffix(
                "Converter").lower()
        items = getattr(converter, "items", None)
        values[name] = sorted(items)[0] if items else fillers.get(kind, fillers["default"])
    return values


def _requests(app: Flask, fillers: dict[str, str]) -> Iterator[tuple[str, str]]:
    """(method, path) for every rule: GET where the rule has it, else its first method."""
    with app.test_request_context():
        for rule in app.url_map.iter_rules():
            methods = sorted((rule.methods or set()) - {"HEAD", "OPTIONS"})
            method = "GET" if "GET" in methods else methods[0]
            path = rule.build(_arguments(rule, fillers),  # type: ignore[index]
                              append_unknown=False)[1]
            yield method, path


def _walk(app: Flask, client: FlaskClient, https: bool, fillers: dict[str, str] = FILLERS
          ) -> dict[str, list[str]]:
    failures: dict[str, list[str]] = {}
    base = "https://localhost" if https else "http://localhost"
    for method, path in _requests(app, fillers):
        response = client.open(path, method=method, base_url=base)
        problems = expected_headers(response, https=https)
        if response.status_code >= 500 and response.status_code != 503:
            problems.append(f"status {response.status_code}")
        if problems:
            failures[f"{method} {path[:80]} -> {response.status_code}"] = problems
        response.close()
    return failures


def test_every_url_rule_answers_with_the_security_headers(app: Flask, client: FlaskClient
                                                          ) -> None:
    assert len(list(app.url_map.iter_rules())) > 50
    assert _walk(app, client, https=False) == {}


def test_every_url_rule_as_an_administrator_over_https(app: Flask, client: FlaskClient) -> None:
    log_in_as(app, client, "admin")
    assert _walk(app, client, https=True) == {}


def test_hostile_path_parameters_are_a_clean_404_not_a_crash(app: Flask, client: FlaskClient
                                                             ) -> None:
    log_in_as(app, client, "admin")
    assert _walk(app, client, https=False, fillers=HOSTILE_FILLERS) == {}
    assert client.get("/admin/reports/99999999999999999999").status_code == 404


@pytest.mark.parametrize(("method", "path", "headers", "status"), [
    ("GET", "/no-such-page", {}, 404),
    ("GET", "/api/v1/no-such-thing", {}, 404),
    ("DELETE", "/report", {}, 405),
    ("POST", "/report", {}, 400),  # no CSRF token
    ("GET", "/static/css/app.css", {}, 200),
    ("GET", "/sw.js", {}, 200),
    ("GET", "/api/v1/categories", {}, 200),
    ("GET", "/open311/v2/services.xml", {}, 200),
    ("GET", "/healthz", {}, 200),
])
def test_errors_static_files_and_apis_carry_the_headers(
        client: FlaskClient, method: str, path: str, headers: dict[str, str], status: int
) -> None:
    response = client.open(path, method=method, headers=headers)
    assert response.status_code == status
    assert expected_headers(response) == []


def test_too_large_request_carries_the_headers(app: Flask, client: FlaskClient) -> None:
    app.config["MAX_CONTENT_LENGTH"] = 1000
    too_large = client.post("/api/v1/reports", data={"description": "x" * 5000})
    assert too_large.status_code == 413 and expected_headers(too_large) == []


def test_server_error_carries_the_headers(app_config: dict) -> None:
    from kopingreport import create_app

    crashing = create_app({**app_config, "PROPAGATE_EXCEPTIONS": False})

    @crashing.get("/hardening-boom")
    def boom() -> str:
        raise RuntimeError("boom")

    crashed = crashing.test_client().get("/hardening-boom")
    assert crashed.status_code == 500 and expected_headers(crashed) == []


def test_cookies_are_secure_httponly_and_samesite(app_config: dict, database_url: str) -> None:
    from kopingreport import create_app

    production = create_app({**app_config, "SESSION_COOKIE_SECURE": True,
                             "REMEMBER_COOKIE_SECURE": True})
    client = production.test_client()
    response = client.get("/report?lang=fi", base_url="https://localhost")
    cookies = response.headers.getlist("Set-Cookie")
    assert any(c.startswith("__Host-session=") for c in cookies)
    for cookie in cookies:
        assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie, cookie
    assert production.config["REMEMBER_COOKIE_SAMESITE"] == "Lax"
