"""Participants' pages (phones, no account needed: the walk's secret link) and the public
protocol of a walk."""

from __future__ import annotations

import uuid

from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from kopingreport.db import get_session
from kopingreport.reports import flow as report_flow
from kopingreport.reports.areas import active_areas
from kopingreport.reports.views import KEY_RE
from kopingreport.surveys import limits
from kopingreport.walks import services
from kopingreport.walks.forms import StopForm
from kopingreport.walks.labels import GROUP_LABELS, PRIORITY_LABELS, STATUS_LABELS
from kopingreport.walks.labels import WALK_STATE_LABELS
from kopingreport.walks.models import SafetyWalk, WalkState, WalkStopPhoto
from kopingreport.web.http import private_image

bp = Blueprint("walks", __name__, url_prefix="/walks")


for _name, _labels in (("GROUP_LABELS", GROUP_LABELS), ("PRIORITY_LABELS", PRIORITY_LABELS),
                       ("STATUS_LABELS", STATUS_LABELS), ("WALK_STATE_LABELS", WALK_STATE_LABELS)):
    bp.add_app_template_global(_labels, _name)


def _joined(walk_id: int, token: str) -> SafetyWalk:
    """The walk whose participant link this is (404 for a wrong link: nothing to probe)."""
    walk = services.load_walk(get_session(), walk_id)
    if walk is None or not services.token_matches(current_app.config["SECRET_KEY"], walk,
                                                  token):
        abort(404)
    return walk


def stop_form() -> StopForm:
    """The stop form bound to this request, with photos kept from an earlier attempt."""
    kept = report_flow.restore_kept_photos(report_flow.photo_store()) \
        if request.method == "POST" else []
    return StopForm(areas=active_areas(get_session()), kept=kept,
                    photo_settings=report_flow.photo_settings())


def _page(walk: SafetyWalk, token: str, form: StopForm, status: int = 200
          ) -> ResponseReturnValue:
    kept = report_flow.stash_photos(form) if request.method == "POST" else []
    if not form.submission_id.data:
        form.submission_id.data = str(uuid.uuid4())
    response = render_template("walks/join.html", walk=walk, token=token, form=form,
                               kept=kept, added=request.args.get("added"))
    return response, status, {"Cache-Control": "private, no-store",
                              "Referrer-Policy": "no-referrer"}


@bp.get("/<int:walk_id>/join/<token>")
def join(walk_id: int, token: str) -> ResponseReturnValue:
    """The participant's page: the walk, its stops so far and "Add a stop"."""
    walk = _joined(walk_id, token)
    return _page(walk, token, stop_form())


@bp.post("/<int:walk_id>/join/<token>")
@limits.stops
def add_stop(walk_id: int, token: str) -> ResponseReturnValue:
    """Add a stop (works without JavaScript); errors keep everything typed."""
    walk, form, session = _joined(walk_id, token), stop_form(), get_session()
    if form.validate_on_submit():
        key = form.submission_id.data if KEY_RE.match(form.submission_id.data or "") else None
        actor = current_user if current_user.is_authenticated else None
        try:
            stop = services.add_stop(session, actor, walk, form.to_input(),
                                     store=report_flow.photo_store(), idempotency_key=key)
        except services.WalkError as err:
            err.show_on(form)
        else:
            session.commit()
            return redirect(url_for("walks.join", walk_id=walk.id, token=token,
                                    added=stop.position, _anchor="added"), 303)
    return _page(walk, token, form, 422)


@bp.get("/<int:walk_id>/join/<token>/photos/<int:photo_id>.jpg")
def participant_photo(walk_id: int, token: str, photo_id: int) -> ResponseReturnValue:
    """A thumbnail of one of the walk's photos, for its participants."""
    walk = _joined(walk_id, token)
    photo = get_session().get(WalkStopPhoto, photo_id)
    if photo is None or photo.stop_id not in {s.id for s in walk.stops}:
        abort(404)
    return private_image(report_flow.photo_store(), photo.thumb_sha256)


@bp.get("/<int:walk_id>/protocol")
def protocol(walk_id: int) -> ResponseReturnValue:
    """The published protocol: places, problems, proposals and what is being done."""
    walk = services.load_walk(get_session(), walk_id)
    if walk is None or walk.state != WalkState.PUBLISHED:
        abort(404)
    return render_template("walks/protocol_public.html", walk=walk,
                           stops=services.protocol_stops(walk))
