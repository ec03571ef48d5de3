"""Residents' pages: the medborgarlöfte and its progress, the public map of published reports
(250 m cells and areas, small counts hidden) and the same data as open GeoJSON."""

from __future__ import annotations

from flask import Blueprint, jsonify, render_template, request
from flask.typing import ResponseReturnValue

from kopingreport.db import get_session
from kopingreport.i18n import current_locale
from kopingreport.reports import categories
from kopingreport.situation import promises, public
from kopingreport.situation.labels import template_context
from kopingreport.situation.params import today
from kopingreport.surveys.suppression import MIN_CELL
from kopingreport.surveys.texts import tr

bp = Blueprint("situation_public", __name__)
bp.context_processor(template_context)


@bp.get("/medborgarlofte")
def promise() -> ResponseReturnValue:
    """The promise in force, its focus areas, activities and what has been done."""
    session = get_session()
    found = promises.current_promise(session, today())
    progress = {f.id: promises.progress(session, f, today())
                for f in (found.focus_areas if found else [])}
    return render_template("public/promise.html", promise=found, progress=progress,
                           tr=tr, lang=current_locale(),
                           min_count=MIN_CELL)


def _category() -> str | None:
    code = request.args.get("category") or None
    return code if code is None or categories.get(code) else ""


@bp.get("/map")
def public_map() -> ResponseReturnValue:
    """The public map (the same counts are listed as a table below it)."""
    category = _category()
    data = public.feature_collection(get_session(), category or None)
    return render_template("public/map.html", data=data, category=category,
                           categories=categories.CATEGORIES, min_count=MIN_CELL,
                           days=public.PUBLIC_DAYS), 400 if category == "" else 200


@bp.get("/open-data/reports.geojson")
def open_data() -> ResponseReturnValue:
    """Published reports per 250 m cell and area, counts below five left out."""
    category = _category()
    if category == "":
        return jsonify({"errors": {"category": ["unknown category"]}}), 400
    response = jsonify(public.feature_collection(get_session(), category))
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Cache-Control"] = "public, max-age=300"
    return response
