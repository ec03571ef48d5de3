"""Static files with content-hashed URLs, so they can be cached for a year."""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

from flask import Flask, current_app, request, url_for
from flask.wrappers import Response

YEAR = 365 * 24 * 3600


@lru_cache(maxsize=256)
def _digest(path: str, mtime_ns: int) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:12]


def asset_url(filename: str) -> str:
    """``/static/<filename>?v=<content hash>``."""
    path = Path(current_app.static_folder or "") / filename
    version = _digest(str(path), path.stat().st_mtime_ns) if path.exists() else "missing"
    return url_for("static", filename=filename, v=version)


def _cache_static(response: Response) -> Response:
    if request.endpoint == "static" and request.args.get("v") and response.status_code == 200:
        response.cache_control.max_age = YEAR
        response.cache_control.public = True
        response.cache_control.immutable = True
    return response


def init_app(app: Flask) -> None:
    """Expose ``asset_url`` to templates and cache versioned static files for a year."""
    app.jinja_env.globals["asset_url"] = asset_url
    app.after_request(_cache_static)
