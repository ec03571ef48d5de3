"""``/admin/situation/snapshots`` (frozen meeting pictures) and ``/admin/situation/sharing``
(what partner organisations see)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from flask_wtf import FlaskForm

from kopingreport.db import get_session
from kopingreport.i18n import _
from kopingreport.security import Permission, require
from kopingreport.situation import exports, sharing, snapshots
from kopingreport.situation.labels import template_context
from kopingreport.situation.models import ShareLevel, Snapshot
from kopingreport.situation.context import for_level
from kopingreport.situation.views import csv_response

bp = Blueprint("situation_snapshots", __name__, url_prefix="/admin/situation")
bp.context_processor(template_context)


def _snapshot(snapshot_id: int) -> Snapshot:
    return get_session().get(Snapshot, snapshot_id) or abort(404)


@bp.get("/snapshots")
@sharing.require_view()
def index() -> ResponseReturnValue:
    """Past snapshots, the latest meeting first."""
    return render_template("situation/snapshots.html",
                           snapshots=snapshots.list_snapshots(get_session()))


@bp.get("/snapshots/<int:snapshot_id>")
@sharing.require_view()
def snapshot(snapshot_id: int) -> ResponseReturnValue:
    """A frozen picture, shown as the dashboard showed it."""
    found = _snapshot(snapshot_id)
    return render_template("situation/snapshot.html", snapshot=found,
                           picture=for_level(found.data, sharing.current_level()),
                           level=sharing.current_level())


@bp.get("/snapshots/<int:snapshot_id>/print")
@sharing.require_view()
def print_snapshot(snapshot_id: int) -> ResponseReturnValue:
    """The frozen meeting report to print."""
    found = _snapshot(snapshot_id)
    return render_template("situation/print.html", snapshot=found, choice=None,
                           picture=for_level(found.data, sharing.current_level()),
                           level=sharing.current_level())


@bp.get("/snapshots/<int:snapshot_id>/table.csv")
@sharing.require_view()
def snapshot_table(snapshot_id: int) -> ResponseReturnValue:
    """The frozen area × category table."""
    found = _snapshot(snapshot_id)
    header, rows = exports.table_rows(found.data)
    return csv_response(f"snapshot-{found.meeting_on}.csv", header, iter(rows),
                request.args.get("excel") == "1")


@bp.route("/sharing", methods=["GET", "POST"])
@require(Permission.SITUATION_SHARE)
def share() -> ResponseReturnValue:
    """Choose per organisation what its partners see of the lägesbild."""
    session, form = get_session(), FlaskForm()
    if form.validate_on_submit():
        levels = {int(key.removeprefix("level-")): ShareLevel(value)
                  for key, value in request.form.items()
                  if key.startswith("level-") and key[6:].isdigit() and value in set(ShareLevel)}
        sharing.set_shares(session, current_user, levels)
        session.commit()
        flash(_("Saved."), "success")
        return redirect(url_for("situation_snapshots.share"), 303)
    return render_template("situation/sharing.html", form=form,
                           shares=sharing.partner_shares(session))
