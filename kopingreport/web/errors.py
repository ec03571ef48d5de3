"""Error pages (HTML) and error bodies (JSON): never a stack trace."""

from __future__ import annotations

import logging

import sqlalchemy as sa
from flask import Flask, current_app, jsonify, make_response, render_template, request
from flask.typing import ResponseReturnValue
from flask_wtf.csrf import CSRFError
from markupsafe import escape
from werkzeug.exceptions import HTTPException, InternalServerError

from kopingreport.i18n import _
from kopingreport.reports.photostore import PhotoStoreError
from kopingreport.web.http import wants_json

log = logging.getLogger(__name__)


def _messages() -> dict[int, str]:
    return {
        400: _("The request could not be understood. Go back and try again."),
        403: _("You do not have permission to see this page."),
        404: _("We could not find that page. Check the link."),
        405: _("That is not possible on this page."),
        413: _("What you sent is too large. Photos may be at most %(mb)d MB each; try fewer "
               "or smaller photos.", mb=current_app.config["MAX_PHOTO_BYTES"] // 2**20),
        422: _("Some of what you sent could not be accepted."),
        429: _("Too many attempts. Wait a minute and try again."),
        500: _("Something went wrong on our side. Your report was not lost if you got a "
               "receipt; otherwise try again in a while."),
        503: _("The service is temporarily unavailable. Try again in a while."),
    }


def _is_api() -> bool:
    return request.path.startswith(("/api/", "/open311/")) or wants_json()


def render_error(status: int, message: str | None = None) -> ResponseReturnValue:
    """The error page or JSON body for ``status``."""
    text = message or _messages().get(status) or _messages()[500]
    if _is_api():
        return jsonify({"errors": {"_": [text]}}), status
    return render_template("errors/error.html", status=status, message=text), status


#: Seconds a client should wait before retrying after a 503 or 507.
RETRY_AFTER = 30


def _temporary(status: int, message: str, detail: str | None = None) -> ResponseReturnValue:
    """A 503/507 with ``Retry-After``: the PWA's outbox keeps the report and retries (any 5xx
    is "try again" to it). The page must not need the database, so if rendering fails (e.g.
    a logged-in user cannot be loaded) a bare page with the same text is sent."""
    if _is_api():
        body = jsonify({"errors": {"_": [message, *([detail] if detail else [])]}})
    else:
        try:
            body = render_template("errors/error.html", status=status, message=message,
                                   detail=detail)
        except Exception:  # noqa: BLE001 - the database may be why the page cannot render
            body = (f"<!doctype html><title>{status}</title><h1>{escape(message)}</h1>"
                    f"<p>{escape(detail or '')}</p>")
    response = make_response(body, status)
    response.headers["Retry-After"] = str(RETRY_AFTER)
    response.headers["Cache-Control"] = "no-store"
    return response


def _not_saved() -> str | None:
    if request.method in {"GET", "HEAD"}:
        return None
    return _("What you sent has not been saved. Go back and send it again in a few minutes.")


def _database_unavailable(error: Exception) -> ResponseReturnValue:
    log.warning("database unavailable: %s", type(error).__name__)
    return _temporary(503, _messages()[503], _not_saved())


def _photo_store_failed(error: PhotoStoreError) -> ResponseReturnValue:
    log.error("photo store: %s (%s)", error, type(error.__cause__).__name__)
    if error.full:
        return _temporary(507, _("There is no room to store photos right now, so your report "
                                 "has not been saved. Try again later."), _not_saved())
    return _temporary(503, _messages()[503], _not_saved())


def _http_error(error: HTTPException) -> ResponseReturnValue:
    return render_error(error.code or 500)


def _csrf_error(_error: CSRFError) -> ResponseReturnValue:
    return render_error(400, _("The form had expired. Go back, reload the page and send it "
                               "again."))


def _unexpected(error: Exception) -> ResponseReturnValue:
    log.exception("unhandled error", exc_info=error)
    return render_error(500)


def init_app(app: Flask) -> None:
    """Register the handlers."""
    app.register_error_handler(CSRFError, _csrf_error)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(InternalServerError, _unexpected)
    app.register_error_handler(Exception, _unexpected)
    for error in (sa.exc.OperationalError, sa.exc.InterfaceError, sa.exc.TimeoutError):
        app.register_error_handler(error, _database_unavailable)
    app.register_error_handler(PhotoStoreError, _photo_store_failed)
