"""The start page and the health check."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, jsonify, render_template
from flask.typing import ResponseReturnValue

from kopingreport.db import get_session
from kopingreport.web.pagecache import shared_page

bp = Blueprint("pages", __name__)


@bp.get("/")
def index() -> ResponseReturnValue:
    """What this is, the safety box and the big Report button."""
    return shared_page("pages.index", lambda: render_template("pages/index.html"))


@bp.get("/healthz")
def healthz() -> ResponseReturnValue:
    """200 when the app and its database answer, 503 otherwise."""
    try:
        get_session().execute(sa.text("SELECT 1"))
    except sa.exc.SQLAlchemyError:
        return jsonify({"status": "error", "database": "unavailable"}), 503
    return jsonify({"status": "ok", "database": "ok"})
