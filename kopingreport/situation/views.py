"""``/admin/situation``: the dashboard, the map data, exports, the printable meeting report,
meeting snapshots and what partner organisations may see."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, abort, jsonify, redirect, render_template, request
from flask import url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from kopingreport.db import get_session
from kopingreport.security import Permission, require
from kopingreport.situation import exports, nightly, picture, sharing, snapshots
from kopingreport.situation.context import filter_options, for_level, parse_choice
from kopingreport.situation.errors import SituationError
from kopingreport.situation.forms import FreezeForm
from kopingreport.situation.models import ShareLevel
from kopingreport.situation.params import today
from kopingreport.situation.labels import template_context

bp = Blueprint("situation", __name__, url_prefix="/admin/situation")
bp.context_processor(template_context)
#: Every page's navigation asks whether to link the dashboard (partners included).
bp.add_app_template_global(sharing.sees_situation, "sees_situation")
#: ``flask --app wsgi situation refresh`` (nightly).
bp.cli.add_command(nightly.refresh_command)
#: Most report points sent to the map (the grid layer shows them all).
MAP_POINTS = 5000


def _choice_or_400(template: str, **context: Any) -> Any:
    """The parsed choice, or a rendered 400 page listing what was wrong."""
    parsed = parse_choice(get_session(), request.args)
    if parsed.choice is None:
        abort(Response(render_template(template, errors=parsed.errors, picture=None,
                                       options=filter_options(get_session()),
                                       args=request.args, **context), 400))
    return parsed.choice


def _page(template: str, **context: Any) -> ResponseReturnValue:
    session = get_session()
    choice = _choice_or_400(template, **context)
    shown = for_level(picture.build(session, choice), sharing.current_level())
    session.commit()  # dawn and dusk of new days are cached
    return render_template(template, picture=shown, choice=choice, errors={},
                           options=filter_options(session), args=request.args,
                           level=sharing.current_level(), **context)


@bp.get("/")
@sharing.require_view()
def dashboard() -> ResponseReturnValue:
    """The picture of the chosen period beside the previous one and last year's."""
    return _page("situation/dashboard.html", freeze_form=FreezeForm(
        formdata=None, meeting_on=today()))


@bp.get("/print")
@sharing.require_view()
def print_view() -> ResponseReturnValue:
    """The meeting report to print (or save as PDF from the browser)."""
    return _page("situation/print.html", snapshot=None)


@bp.get("/map.geojson")
@sharing.require_view(ShareLevel.FULL)
def map_data() -> ResponseReturnValue:
    """The filtered reports with a point, newest first (at most ``MAP_POINTS``)."""
    choice = _choice_or_400("situation/dashboard.html")
    codes, _areas = picture.area_lookup(get_session())
    return exports.map_layers(get_session(), choice.filters(codes), MAP_POINTS)


def csv_response(name: str, header: tuple[str, ...], rows: Any, excel: bool) -> Response:
    response = Response(exports.csv_lines(header, rows, excel=excel),
                        mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.get("/export.csv")
@bp.get("/export-excel.csv", endpoint="export_excel")
@sharing.require_view(ShareLevel.FULL)
def export_reports() -> ResponseReturnValue:
    """The period's reports, one a row (``export-excel.csv``: for Swedish Excel)."""
    choice = _choice_or_400("situation/dashboard.html")
    session = get_session()
    codes, _areas = picture.area_lookup(session)
    excel = request.path.endswith("-excel.csv")
    rows = exports.report_rows(session, choice.filters(codes), with_place=True)
    return csv_response(f"lagesbild-{choice.first}-{choice.last}.csv", exports.HEADER, rows, excel)


@bp.get("/export.geojson")
@sharing.require_view(ShareLevel.FULL)
def export_geojson() -> ResponseReturnValue:
    """The period's reports with a point, as a GeoJSON file."""
    choice = _choice_or_400("situation/dashboard.html")
    codes, _areas = picture.area_lookup(get_session())
    response = jsonify(exports.geojson(get_session(), choice.filters(codes)))
    response.headers["Content-Disposition"] = 'attachment; filename="lagesbild.geojson"'
    return response


@bp.get("/table.csv")
@sharing.require_view()
def export_table() -> ResponseReturnValue:
    """The area × category table of the picture."""
    choice = _choice_or_400("situation/dashboard.html")
    header, rows = exports.table_rows(picture.build(get_session(), choice))
    return csv_response(f"omraden-kategorier-{choice.first}-{choice.last}.csv", header, iter(rows),
                request.args.get("excel") == "1")


@bp.post("/snapshots")
@require(Permission.SITUATION_MANAGE)
def freeze() -> ResponseReturnValue:
    """Freeze the picture of the chosen filters for a meeting."""
    form, session = FreezeForm(), get_session()
    choice = _choice_or_400("situation/dashboard.html")
    if form.validate_on_submit():
        try:
            snapshot = snapshots.freeze(session, current_user, choice, form.meeting_on.data,
                                        form.title.data or "")
        except SituationError as err:
            getattr(form, err.field).errors.append(err.message)
        else:
            session.commit()
            return redirect(url_for("situation_snapshots.snapshot", snapshot_id=snapshot.id), 303)
    return _page("situation/dashboard.html", freeze_form=form), 422  # type: ignore[return-value]
