"""``/admin/walks/actions``: åtgärder with owner, due date and status, and creating one from a
walk stop's proposal."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from kopingreport.accounts.models import Organisation
from kopingreport.db import get_session, utcnow
from kopingreport.security import require
from kopingreport.surveys.access import MANAGE
from kopingreport.walks import actions
from kopingreport.walks.forms import ActionForm
from kopingreport.walks.models import Action, ActionStatus, WalkStop
from kopingreport.walks.services import WalkError
from kopingreport.web.fields import LOCAL_TZ

bp = Blueprint("walk_actions", __name__, url_prefix="/admin/walks/actions")


def _organisations() -> list[Organisation]:
    return list(get_session().scalars(sa.select(Organisation).where(Organisation.is_active)
                                      .order_by(Organisation.name)))


def today() -> object:
    """Today in Swedish time."""
    return utcnow().astimezone(LOCAL_TZ).date()


@bp.get("/")
@require(MANAGE)
def index() -> ResponseReturnValue:
    """Åtgärder, the soonest due first, optionally of one status or only overdue ones."""
    wanted = request.args.get("status", "")
    status = ActionStatus(wanted) if wanted in set(ActionStatus) else None
    overdue = request.args.get("overdue") == "1"
    found = actions.list_actions(get_session(), status, today() if overdue else None)
    return render_template("walks/admin/actions.html", actions=found, status=wanted,
                           overdue=overdue, today=today(), is_overdue=actions.is_overdue)


def _form(action: Action | None, stop: WalkStop | None) -> ActionForm:
    form = ActionForm(obj=action, organisations=_organisations())
    if request.method == "GET" and action is not None:
        form.owner_organisation.data = str(action.owner_organisation_id or "")
    elif request.method == "GET" and stop is not None:
        form.title.data = stop.proposal[:300]
    return form


def _save(action: Action | None, stop: WalkStop | None) -> ResponseReturnValue:
    form, session = _form(action, stop), get_session()
    if form.validate_on_submit():
        try:
            actions.save_action(session, current_user, action, form.to_input(), stop)
        except WalkError as err:
            err.show_on(form, fallback="title")
        else:
            session.commit()
            source = stop or (action.walk_stop if action else None)
            return redirect(url_for("walks_admin.detail", walk_id=source.walk_id,
                                    _anchor=f"stop-{source.id}") if source
                            else url_for("walk_actions.index"), 303)
    status = 422 if request.method == "POST" else 200
    return render_template("walks/admin/action_form.html", form=form, action=action,
                           stop=stop or (action.walk_stop if action else None)), status


@bp.route("/new/<int:stop_id>", methods=["GET", "POST"])
@require(MANAGE)
def new(stop_id: int) -> ResponseReturnValue:
    """Turn a stop's proposal into an åtgärd."""
    return _save(None, get_session().get(WalkStop, stop_id) or abort(404))


@bp.route("/<int:action_id>", methods=["GET", "POST"])
@require(MANAGE)
def edit(action_id: int) -> ResponseReturnValue:
    """Change an åtgärd's owner, due date, status or public reason."""
    return _save(get_session().get(Action, action_id) or abort(404), None)
