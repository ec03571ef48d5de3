"""Structured logs: one JSON object per line, a request id, and no secrets or personal data.

Every record becomes ``{"ts", "level", "logger", "message", …}``; records written while a
request is handled also carry ``request_id``, ``method`` and ``path``. gunicorn's access log
uses the same formatter (see ``gunicorn.conf.py``) and adds ``status``, ``duration_ms`` and
``bytes``. What is never logged: query strings (they may hold tokens), client addresses,
user agents, form data, and the secret part of receipt and invitation links — ``mask_path``
replaces it with ``***``.

The request id comes from a trusted proxy's ``X-Request-ID`` when it looks like one, else it
is made here; it is sent back in the ``X-Request-ID`` response header.
"""

from __future__ import annotations

import json
import logging
import re
import sys
import traceback
import uuid
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any, Final

from flask import Flask, Response, g, has_request_context, request

#: Path segments after these hold a secret (receipt, invitation, confirmation tokens).
TOKEN_PARENTS: Final = frozenset({"status", "join", "confirm", "kept", "reset", "invite"})
#: Any segment this long is taken for a token too (no route has a literal segment this long).
TOKEN_MIN_LENGTH: Final = 20
MASK: Final = "***"
#: File suffixes kept after a masked segment (anything else after a dot may be a signature).
_EXTENSION: Final = re.compile(r"\.(?:jpg|png|json|geojson|csv)$")
_REQUEST_ID_RE: Final = re.compile(r"[A-Za-z0-9._-]{8,64}")
_STANDARD_ATTRS: Final = frozenset(vars(logging.makeLogRecord({})))


def mask_path(path: str) -> str:
    """``path`` with every secret segment replaced by ``***`` (file suffixes are kept)."""
    parts = path.split("/")
    for i, part in enumerate(parts):
        extension = _EXTENSION.search(part)
        stem = part[:extension.start()] if extension else part
        after_parent = i > 0 and parts[i - 1] in TOKEN_PARENTS and part != ""
        if after_parent or len(stem) >= TOKEN_MIN_LENGTH:
            parts[i] = MASK + (extension.group() if extension else "")
    return "/".join(parts)


def _access_fields(atoms: Mapping[str, Any]) -> dict[str, Any]:
    """The fields of a gunicorn access-log record (its ``args`` are gunicorn's atoms)."""
    request_id = atoms.get("{x-request-id}o")
    sent = atoms.get("B")
    return {"request_id": request_id if request_id not in (None, "-") else None,
            "method": atoms.get("m"), "path": mask_path(str(atoms.get("U") or "")),
            "status": int(atoms["s"]) if str(atoms.get("s", "")).isdigit() else atoms.get("s"),
            "duration_ms": round(int(atoms.get("D") or 0) / 1000, 1),
            "bytes": sent if isinstance(sent, int) else None}


class JsonFormatter(logging.Formatter):
    """Format records as single-line JSON objects."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(), "logger": record.name}
        if record.name == "gunicorn.access" and isinstance(record.args, Mapping):
            entry["message"] = "request"
            entry.update(_access_fields(record.args))
        else:
            entry["message"] = record.getMessage()
            if has_request_context():
                entry.update(request_id=g.get("request_id"), method=request.method,
                             path=mask_path(request.path))
        for name, value in vars(record).items():
            if name not in _STANDARD_ATTRS and name not in entry and not name.startswith("_"):
                entry[name] = value
        if record.exc_info:
            entry["error"] = "".join(traceback.format_exception_only(*record.exc_info[:2])
                                     ).strip()
            entry["traceback"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


def json_handler(stream: Any = None) -> logging.Handler:
    """A stream handler (stdout by default) writing JSON lines."""
    handler = logging.StreamHandler(stream or sys.stdout)
    handler.setFormatter(JsonFormatter())
    return handler


def _start_request() -> None:
    given = request.headers.get("X-Request-ID", "")
    g.request_id = given if _REQUEST_ID_RE.fullmatch(given) else uuid.uuid4().hex


def _finish_request(response: Response) -> Response:
    if "request_id" in g:
        response.headers["X-Request-ID"] = g.request_id
    return response


def _json_enabled(app: Flask) -> bool:
    value = app.config.get("LOG_JSON")
    if value is None:
        return not (app.debug or app.testing)
    return value if isinstance(value, bool) else str(value).lower() in {"1", "true", "yes"}


def init_app(app: Flask) -> None:
    """Give every request an id; log the app's records as JSON unless debugging.

    ``KOPINGREPORT_LOG_JSON=true/false`` overrides the default (JSON when not in debug or
    testing mode). Under gunicorn with ``gunicorn.conf.py`` the root logger already writes
    JSON, and the app's records go there.
    """
    app.before_request(_start_request)
    app.after_request(_finish_request)
    if not _json_enabled(app):
        return
    root = logging.getLogger()
    if not any(isinstance(h.formatter, JsonFormatter) for h in root.handlers):
        package = logging.getLogger("kopingreport")  # also ``app.logger``
        package.handlers[:] = [json_handler()]
        package.propagate = False
    if logging.getLogger("kopingreport").level == logging.NOTSET:
        logging.getLogger("kopingreport").setLevel(logging.INFO)
