"""``/admin/situation/promises``: the medborgarlöfte, its focus areas, activities and
follow-up notes (texts in Swedish, Finnish, English and Arabic)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from wtforms import SelectChoice

from kopingreport.db import get_session
from kopingreport.reports.areas import active_areas
from kopingreport.security import Permission, require
from kopingreport.situation import promises
from kopingreport.situation.errors import SituationError
from kopingreport.situation.forms import ActivityForm, FocusAreaForm, NoteForm, PromiseForm
from kopingreport.situation.models import FocusArea, Promise, PromiseActivity
from kopingreport.situation.params import today
from kopingreport.situation.labels import template_context

bp = Blueprint("situation_promises", __name__, url_prefix="/admin/situation")
bp.context_processor(template_context)


def _saved(form: Any, save: Any, target: Any) -> ResponseReturnValue | None:
    """Validate, save and redirect; None when the form must be shown again."""
    if not form.validate_on_submit():
        return None
    try:
        saved = save()
    except SituationError as err:
        getattr(form, err.field).errors.append(err.message)
        return None
    get_session().commit()
    return redirect(target(saved), 303)


def _status() -> int:
    return 422 if request.method == "POST" else 200


@bp.get("/promises/")
@require(Permission.SITUATION_MANAGE)
def index() -> ResponseReturnValue:
    """Every medborgarlöfte."""
    return render_template("situation/promises.html",
                           promises=promises.list_promises(get_session()))


@bp.route("/promises/new", methods=["GET", "POST"])
@bp.route("/promises/<int:promise_id>", methods=["GET", "POST"])
@require(Permission.SITUATION_MANAGE)
def edit(promise_id: int | None = None) -> ResponseReturnValue:
    """A promise's texts, period and publication, with its focus areas."""
    found = (promises.load(get_session(), promise_id) or abort(404)) if promise_id else None
    form = PromiseForm(obj=found)
    if found is not None and request.method == "GET":
        form.fill_texts("title", found.title)
        form.fill_texts("intro", found.intro)
    done = _saved(form, lambda: promises.save_promise(
        get_session(), current_user, found, title=form.texts("title"),
        intro=form.texts("intro"), starts_on=form.starts_on.data, ends_on=form.ends_on.data,
        is_published=bool(form.is_published.data)),
        lambda p: url_for("situation_promises.edit", promise_id=p.id))
    return done or (render_template("situation/promise_form.html", form=form, promise=found),
                    _status())


def _area_choices(form: Any) -> None:
    form.area_codes.choices = [SelectChoice(a.code, a.name) for a in active_areas(get_session())]


@bp.route("/promises/<int:promise_id>/focus/new", methods=["GET", "POST"])
@bp.route("/focus/<int:focus_id>", methods=["GET", "POST"])
@require(Permission.SITUATION_MANAGE)
def focus(promise_id: int | None = None, focus_id: int | None = None) -> ResponseReturnValue:
    """A focus area with its activities and notes."""
    session = get_session()
    found = (session.get(FocusArea, focus_id) or abort(404)) if focus_id else None
    promise = found.promise if found else (session.get(Promise, promise_id) or abort(404))
    form = FocusAreaForm(obj=found)
    _area_choices(form)
    if found is not None and request.method == "GET":
        form.fill_texts("title", found.title)
        form.fill_texts("description", found.description)
    done = _saved(form, lambda: promises.save_focus_area(
        session, promise, found, title=form.texts("title"),
        description=form.texts("description"), category_codes=form.category_codes.data or [],
        area_codes=form.area_codes.data or []),
        lambda f: url_for("situation_promises.focus", focus_id=f.id))
    return done or (render_template("situation/focus_form.html", form=form, focus=found,
                                    promise=promise, note_form=NoteForm(
                                        formdata=None, noted_on=today())), _status())


@bp.route("/focus/<int:focus_id>/activities/new", methods=["GET", "POST"])
@bp.route("/activities/<int:activity_id>", methods=["GET", "POST"])
@require(Permission.SITUATION_MANAGE)
def activity(focus_id: int | None = None, activity_id: int | None = None
             ) -> ResponseReturnValue:
    """An activity: what, who and how far it has come."""
    session = get_session()
    found = (session.get(PromiseActivity, activity_id) or abort(404)) if activity_id else None
    focus_area = (session.get(FocusArea, found.focus_area_id if found else focus_id)
                  or abort(404))
    form = ActivityForm(obj=found)
    if found is not None and request.method == "GET":
        form.fill_texts("title", found.title)
    done = _saved(form, lambda: promises.save_activity(
        session, focus_area, found, title=form.texts("title"), owner=form.owner.data or "",
        status=form.status.data or ""),
        lambda _a: url_for("situation_promises.focus", focus_id=focus_area.id))
    return done or (render_template("situation/activity_form.html", form=form,
                                    activity=found, focus=focus_area), _status())


@bp.post("/focus/<int:focus_id>/notes")
@require(Permission.SITUATION_MANAGE)
def add_note(focus_id: int) -> ResponseReturnValue:
    """A follow-up note, public unless unticked."""
    session = get_session()
    focus_area = session.get(FocusArea, focus_id) or abort(404)
    form = NoteForm()
    done = _saved(form, lambda: promises.add_note(
        session, current_user, focus_area, text=form.texts("text"), noted_on=form.noted_on.data,
        is_public=bool(form.is_public.data)),
        lambda _n: url_for("situation_promises.focus", focus_id=focus_area.id,
                           _anchor="notes"))
    if done:
        return done
    edit_form = FocusAreaForm(formdata=None, obj=focus_area)
    _area_choices(edit_form)
    edit_form.fill_texts("title", focus_area.title)
    edit_form.fill_texts("description", focus_area.description)
    return render_template("situation/focus_form.html", form=edit_form, focus=focus_area,
                           promise=focus_area.promise, note_form=form), 422
