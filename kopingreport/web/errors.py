"""Error pages (HTML) and error bodies (JSON): never a stack trace."""

from __future__ import annotations

import logging

from flask import Flask, current_app, jsonify, render_template, request
from flask.typing import ResponseReturnValue
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

from kopingreport.i18n import _
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
