"""Small HTTP helpers and the security headers every response carries."""

from __future__ import annotations

from functools import lru_cache
from urllib.parse import urlsplit

from flask import Flask, Response, abort, current_app, request, send_file
from werkzeug.routing import IntegerConverter

from kopingreport.reports.photostore import PhotoStore

#: The largest id a database integer column holds (PostgreSQL ``integer``).
MAX_ID = 2**31 - 1


class IdConverter(IntegerConverter):
    """``<int:…>`` in URLs: a number the database can hold, else no match (404) instead of
    an overflow deep in a query (500)."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("max", MAX_ID)
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]


def wants_json() -> bool:
    """Whether the client prefers JSON over HTML."""
    accept = request.accept_mimetypes
    return accept["application/json"] > accept["text/html"]


def private_image(store: PhotoStore, sha256: str) -> Response:
    """Send a stored JPEG that only this visitor may see (never cached by proxies)."""
    if not store.exists(sha256):
        abort(404)
    response = send_file(store.path(sha256), mimetype="image/jpeg", max_age=0)
    response.headers["Cache-Control"] = "private, no-store"
    return response


def tile_origin(tile_url: str) -> str:
    """The origin (scheme://host[:port]) of the configured tile server, for the CSP."""
    parts = urlsplit(tile_url.replace("{s}", "a"))
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme in {"http", "https"} else ""


def content_security_policy() -> str:
    """A strict CSP: own scripts only, images also from the tile server."""
    return _policy_for(current_app.config["TILE_URL"])


@lru_cache(maxsize=8)
def _policy_for(tile_url: str) -> str:
    tiles = tile_origin(tile_url)
    return "; ".join([
        "default-src 'self'", "script-src 'self'", "style-src 'self'",
        f"img-src 'self' data: blob: {tiles}".strip(), "connect-src 'self'",
        "font-src 'self'", "object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'",
        "form-action 'self'", "manifest-src 'self'", "worker-src 'self'",
    ])


_SECURITY_HEADERS = (
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "strict-origin-when-cross-origin"),
    ("X-Frame-Options", "DENY"),
    ("Permissions-Policy", "camera=(self), geolocation=(self), microphone=()"),
    ("Cross-Origin-Opener-Policy", "same-origin"),
)
_HSTS = ("Strict-Transport-Security", "max-age=31536000; includeSubDomains")


def _security_headers(response: Response) -> Response:
    # What a view set itself is kept; the rest is appended (one pass over the headers).
    headers = response.headers
    present = {name.lower() for name in headers.keys()}
    wanted = [("Content-Security-Policy", content_security_policy()), *_SECURITY_HEADERS]
    if request.is_secure:
        wanted.append(_HSTS)
    for name, value in wanted:
        if name.lower() not in present:
            headers.add(name, value)
    return response


def init_app(app: Flask) -> None:
    """Add the security headers to every response; bound ``<int:…>`` URL parts (call this
    before the blueprints are registered)."""
    app.url_map.converters["int"] = IdConverter
    app.after_request(_security_headers)
