"""``/admin/open311/keys``: the administrator issues and revokes partner organisations' API
keys. A new key is shown once, on the page that created it, and never again."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import SelectChoice

from kopingreport.accounts.models import Organisation
from kopingreport.db import get_session
from kopingreport.open311 import keys
from kopingreport.open311.models import ApiKey
from kopingreport.security import Permission, require
from kopingreport.situation.errors import SituationError
from kopingreport.situation.forms import KeyForm

bp = Blueprint("open311_keys", __name__, url_prefix="/admin/open311")


def _form(fresh: bool = False) -> KeyForm:
    """The new-key form: empty (``fresh``) or as posted."""
    form = KeyForm(formdata=None) if fresh else KeyForm()
    form.organisation.choices = [SelectChoice(str(o.id), o.name) for o in get_session().scalars(
        sa.select(Organisation).where(Organisation.is_active).order_by(Organisation.name))]
    return form


def _page(form: KeyForm, new_key: str | None = None, status: int = 200) -> ResponseReturnValue:
    response = render_template("open311/keys.html", form=form, new_key=new_key,
                               keys=keys.list_keys(get_session()), revoke_form=FlaskForm())
    return response, status, {"Cache-Control": "no-store"}


@bp.get("/keys")
@require(Permission.OPEN311_KEYS_MANAGE)
def index() -> ResponseReturnValue:
    """The keys and a form for a new one."""
    return _page(_form(fresh=True))


@bp.post("/keys")
@require(Permission.OPEN311_KEYS_MANAGE)
def issue() -> ResponseReturnValue:
    """Make a key and show it this once."""
    form, session = _form(), get_session()
    if form.validate_on_submit():
        organisation = form.organisation.data or ""
        try:
            _row, key = keys.issue(session, current_user,
                                   int(organisation) if organisation.isdigit() else 0,
                                   form.label.data or "")
        except SituationError as err:
            getattr(form, err.field).errors.append(err.message)
        else:
            session.commit()
            return _page(_form(fresh=True), new_key=key, status=201)
    return _page(form, status=422)


@bp.post("/keys/<int:key_id>/revoke")
@require(Permission.OPEN311_KEYS_MANAGE)
def revoke(key_id: int) -> ResponseReturnValue:
    """Stop a key from working."""
    session = get_session()
    found = session.get(ApiKey, key_id) or abort(404)
    if not FlaskForm().validate_on_submit():
        abort(400)
    keys.revoke(session, found)
    session.commit()
    return redirect(url_for("open311_keys.index"), 303)
