"""Gzip for text responses: HTML, CSS, JavaScript, JSON, SVG, the manifest and GeoJSON.

Our own ~70 lines rather than flask-compress: no extra dependency, and it can do two things
this app needs. Static files (sent with ``direct_passthrough``) are compressed once at the
highest level and kept in memory, keyed by path, size and modification time, instead of on
every request. And it never compresses what an attacker could use to guess a secret from the
compressed length (BREACH): responses to anything but GET/HEAD (the form re-rendered with what
was typed and a CSRF token) and responses marked ``no-store`` (receipt pages with the secret
status link). Images are already compressed and are never touched.
"""

from __future__ import annotations

import gzip
import os
from functools import lru_cache

from flask import Flask, current_app, request
from flask.wrappers import Response
from werkzeug.security import safe_join

COMPRESSIBLE = frozenset({
    "text/html", "text/css", "text/javascript", "application/javascript", "text/plain",
    "application/json", "application/geo+json", "application/manifest+json",
    "image/svg+xml", "application/xml", "text/xml",
})
#: Below this the gzip header and the extra header line cost more than they save.
MIN_BYTES = 500
DYNAMIC_LEVEL = 6


@lru_cache(maxsize=256)
def _gzip_file(path: str, size: int, mtime_ns: int) -> bytes:
    with open(path, "rb") as handle:
        return gzip.compress(handle.read(), compresslevel=9, mtime=0)


def _static_gzip() -> bytes | None:
    """The cached gzip of the static file this request names (None if it cannot be found)."""
    filename = (request.view_args or {}).get("filename")
    path = safe_join(current_app.static_folder or "", filename) if filename else None
    if not path or not os.path.isfile(path):
        return None
    stat = os.stat(path)
    return _gzip_file(path, stat.st_size, stat.st_mtime_ns)


def _should_compress(response: Response) -> bool:
    return (request.method in {"GET", "HEAD"}
            and request.accept_encodings["gzip"] > 0
            and response.status_code not in {204, 206, 304} and response.status_code >= 200
            and "Content-Encoding" not in response.headers
            and "no-store" not in (response.headers.get("Cache-Control") or "")
            and (response.content_length is None or response.content_length >= MIN_BYTES)
            and not (response.is_streamed and not response.direct_passthrough))


def compress(response: Response) -> Response:
    """Gzip the body of a text response when the client accepts it (an ``after_request``)."""
    if response.mimetype not in COMPRESSIBLE:
        return response
    response.vary.add("Accept-Encoding")
    if not _should_compress(response):
        return response
    if response.direct_passthrough:
        body = _static_gzip() if request.endpoint == "static" else None
        response.direct_passthrough = False
        if body is None:
            body = gzip.compress(response.get_data(), DYNAMIC_LEVEL, mtime=0)
        else:
            response.close()
    else:
        data = response.get_data()
        if len(data) < MIN_BYTES:
            return response
        body = gzip.compress(data, DYNAMIC_LEVEL, mtime=0)
    response.set_data(body)
    response.headers["Content-Encoding"] = "gzip"
    etag, weak = response.get_etag()
    if etag and not weak:
        # Same content, other bytes: a weak validator keeps If-None-Match → 304 working.
        response.set_etag(etag, weak=True)
    return response


def init_app(app: Flask) -> None:
    """Compress responses; register this first so that it runs after every other hook."""
    app.after_request(compress)
