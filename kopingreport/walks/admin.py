"""``/admin/walks``: plan walks, share the participants' link, edit stops into a protocol,
print it, publish it."""

from __future__ import annotations

import segno
from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from kopingreport.db import get_session, utcnow
from kopingreport.reports import flow as report_flow
from kopingreport.reports.areas import active_areas
from kopingreport.surveys.access import MANAGE
from kopingreport.security import require
from kopingreport.walks import services
from kopingreport.walks.forms import StopEditForm, WalkForm
from kopingreport.walks.models import SafetyWalk, WalkState, WalkStop, WalkStopPhoto
from kopingreport.web.http import private_image

bp = Blueprint("walks_admin", __name__, url_prefix="/admin/walks")


def _walk(walk_id: int) -> SafetyWalk:
    return services.load_walk(get_session(), walk_id) or abort(404)


def _stop(stop_id: int) -> WalkStop:
    return get_session().get(WalkStop, stop_id) or abort(404)


@bp.get("/")
@require(MANAGE)
def index() -> ResponseReturnValue:
    """Every walk, the latest first."""
    return render_template("walks/admin/index.html", walks=services.all_walks(get_session()))


def _walk_form(walk: SafetyWalk | None) -> WalkForm:
    form = WalkForm(obj=walk, areas=active_areas(get_session()))
    if walk is not None and request.method == "GET":
        form.area.data = walk.area.code
        for group, field in form.counts.items():
            field.data = walk.participants.get(group.value)
    return form


def _save(walk: SafetyWalk | None) -> ResponseReturnValue:
    form, session = _walk_form(walk), get_session()
    if form.validate_on_submit():
        try:
            saved = services.save_walk(session, current_user, walk, form.to_input())
        except services.WalkError as err:
            err.show_on(form, fallback="title")
        else:
            session.commit()
            return redirect(url_for("walks_admin.detail", walk_id=saved.id), 303)
    status = 422 if request.method == "POST" else 200
    return render_template("walks/admin/walk_form.html", form=form, walk=walk), status


@bp.route("/new", methods=["GET", "POST"])
@require(MANAGE)
def new() -> ResponseReturnValue:
    """Plan a walk."""
    return _save(None)


@bp.route("/<int:walk_id>/edit", methods=["GET", "POST"])
@require(MANAGE)
def edit(walk_id: int) -> ResponseReturnValue:
    """Change the walk's facts, participants and closing summary."""
    return _save(_walk(walk_id))


def participant_link(walk: SafetyWalk) -> str:
    """The participants' secret link."""
    token = services.participant_token(current_app.config["SECRET_KEY"], walk)
    return url_for("walks.join", walk_id=walk.id, token=token, _external=True)


@bp.get("/<int:walk_id>")
@require(MANAGE)
def detail(walk_id: int) -> ResponseReturnValue:
    """The walk: the participants' link (and QR code), its stops and what to do next."""
    walk = _walk(walk_id)
    link = participant_link(walk)
    qr = segno.make(link, error="m").svg_inline(scale=4, dark="#0b2530", light="#ffffff")
    return render_template("walks/admin/detail.html", walk=walk, link=link, qr=qr)


@bp.post("/<int:walk_id>/state")
@require(MANAGE)
def change_state(walk_id: int) -> ResponseReturnValue:
    """Finish the walk, publish the protocol or take it back to editing."""
    walk, session = _walk(walk_id), get_session()
    try:
        services.set_state(session, current_user, walk, WalkState(request.form.get("state")))
    except (ValueError, services.WalkError):
        abort(409)
    session.commit()
    return redirect(url_for("walks_admin.detail", walk_id=walk.id), 303)


@bp.get("/<int:walk_id>/protocol")
@require(MANAGE)
def protocol(walk_id: int) -> ResponseReturnValue:
    """The printable protocol with photos, owners, due dates and statuses."""
    walk = _walk(walk_id)
    return render_template("walks/admin/protocol.html", walk=walk, printed_at=utcnow(),
                           stops=services.protocol_stops(walk))


def _stop_form(stop: WalkStop) -> StopEditForm:
    form = StopEditForm(obj=stop, areas=active_areas(get_session()),
                        photo_settings=report_flow.photo_settings())
    if request.method == "GET":
        form.area.data = stop.area.code if stop.area else ""
        form.priority.data = str(stop.priority or "")
        form.group.data = stop.added_by_group or ""
    return form


@bp.route("/stops/<int:stop_id>", methods=["GET", "POST"])
@require(MANAGE)
def edit_stop(stop_id: int) -> ResponseReturnValue:
    """Edit a stop for the protocol: texts, place, checklist, priority, included or not."""
    stop, session = _stop(stop_id), get_session()
    form = _stop_form(stop)
    if form.validate_on_submit():
        try:
            services.edit_stop(session, current_user, stop, form.to_input(),
                               priority=int(form.priority.data) if form.priority.data else None,
                               is_in_protocol=bool(form.is_in_protocol.data))
        except services.WalkError as err:
            err.show_on(form)
        else:
            session.commit()
            return redirect(url_for("walks_admin.detail", walk_id=stop.walk_id,
                                    _anchor=f"stop-{stop.id}"), 303)
    status = 422 if request.method == "POST" else 200
    return render_template("walks/admin/stop_form.html", form=form, stop=stop), status


@bp.post("/stops/<int:stop_id>/move")
@require(MANAGE)
def move_stop(stop_id: int) -> ResponseReturnValue:
    """Move a stop up or down in the protocol."""
    stop, session = _stop(stop_id), get_session()
    services.move_stop(session, current_user, stop, -1 if request.form.get("to") == "up" else 1)
    session.commit()
    return redirect(url_for("walks_admin.detail", walk_id=stop.walk_id,
                            _anchor=f"stop-{stop.id}"), 303)


@bp.get("/photos/<int:photo_id>/<any(full,thumb):variant>.jpg")
@require(MANAGE)
def photo(photo_id: int, variant: str) -> ResponseReturnValue:
    """A stop's photo, for the organiser."""
    found = get_session().get(WalkStopPhoto, photo_id) or abort(404)
    return private_image(report_flow.photo_store(),
                         found.thumb_sha256 if variant == "thumb" else found.sha256)

