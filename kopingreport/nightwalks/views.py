"""Walker pages (phone first): start a walk, the page during the walk, end the walk."""

from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from kopingreport.db import get_session
from kopingreport.nightwalks import services
from kopingreport.nightwalks.forms import TALLY_ROWS, EndWalkForm, StartWalkForm
from kopingreport.nightwalks.models import TALLIES, Nightwalk
from kopingreport.reports.areas import active_areas
from kopingreport.security import Permission, require

bp = Blueprint("nightwalks", __name__, url_prefix="/nightwalks")


def _start_form() -> StartWalkForm:
    session = get_session()
    return StartWalkForm(groups=services.walker_groups(session, current_user),
                         areas=active_areas(session))


def _own_walk(walk_id: int) -> Nightwalk:
    walk = get_session().get(Nightwalk, walk_id) or abort(404)
    if not services.may_log(current_user, walk):
        abort(403)
    return walk


@bp.get("/")
@require(Permission.NIGHTWALK_LOG)
def index() -> ResponseReturnValue:
    """The walker's start page: walks under way, or the form to start one."""
    session = get_session()
    return render_template("nightwalks/index.html", form=_start_form(),
                           running=services.running_walks(session, current_user))


@bp.post("/")
@require(Permission.NIGHTWALK_LOG)
def start() -> ResponseReturnValue:
    """Start a walk and go to its page."""
    form, session = _start_form(), get_session()
    if form.validate_on_submit():
        try:
            walk = services.start_walk(session, current_user, group_id=int(form.group.data),
                                       area_code=form.area.data, walkers=form.walkers.data)
        except services.WalkError as err:
            err.show_on(form)
        else:
            session.commit()
            return redirect(url_for("nightwalks.during", walk_id=walk.id), 303)
    return render_template("nightwalks/index.html", form=form,
                           running=services.running_walks(session, current_user)), 422


@bp.get("/<int:walk_id>")
@require(Permission.NIGHTWALK_LOG)
def during(walk_id: int) -> ResponseReturnValue:
    """During the walk: a big "Report" button and the way to end the walk."""
    walk = _own_walk(walk_id)
    return render_template("nightwalks/walk.html", walk=walk,
                           reports=services.reports_on(get_session(), walk),
                           tallies=TALLY_ROWS)


def _end_page(walk: Nightwalk, form: EndWalkForm, status: int = 200) -> ResponseReturnValue:
    return render_template("nightwalks/end.html", walk=walk, form=form,
                           tallies=[getattr(form, name) for name in TALLIES]), status


@bp.get("/<int:walk_id>/end")
@require(Permission.NIGHTWALK_LOG)
def end_form(walk_id: int) -> ResponseReturnValue:
    """The summary and tallies form."""
    walk = _own_walk(walk_id)
    if walk.is_ended:
        return redirect(url_for("nightwalks.during", walk_id=walk.id))
    return _end_page(walk, EndWalkForm())


@bp.post("/<int:walk_id>/end")
@require(Permission.NIGHTWALK_LOG)
def end(walk_id: int) -> ResponseReturnValue:
    """End the walk with its summary and tallies."""
    walk, form, session = _own_walk(walk_id), EndWalkForm(), get_session()
    if form.validate_on_submit():
        try:
            services.end_walk(session, current_user, walk, summary=form.summary.data or "",
                              tallies=form.tallies())
        except services.WalkError as err:
            err.show_on(form, fallback="summary")
        else:
            session.commit()
            return redirect(url_for("nightwalks.during", walk_id=walk.id, ended=1), 303)
    return _end_page(walk, form, 422)
