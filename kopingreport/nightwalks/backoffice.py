"""``/admin/nightwalks``: the coordinator's view of walks per area and ISO week."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from flask import Blueprint, abort, render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import format_decimal

from kopingreport.accounts.models import Organisation, OrganisationKind
from kopingreport.db import get_session, utcnow
from kopingreport.nightwalks import services
from kopingreport.nightwalks.forms import TALLY_ROWS, SummaryFilterForm
from kopingreport.nightwalks.models import Nightwalk
from kopingreport.security import Permission, require

bp = Blueprint("nightwalks_admin", __name__, url_prefix="/admin/nightwalks")


def _groups() -> list[Organisation]:
    return list(get_session().scalars(sa.select(Organisation).where(
        Organisation.kind == OrganisationKind.NIGHTWALKERS).order_by(Organisation.name)))


@bp.get("/")
@require(Permission.NIGHTWALKS_READ)
def summary() -> ResponseReturnValue:
    """Walks per area and ISO week with totals, and the latest walks."""
    session = get_session()
    form = SummaryFilterForm(request.args, groups=_groups())
    valid = form.validate()
    weeks = int(form.weeks.data) if valid else 12
    group_id = int(form.group.data) if valid and form.group.data else None
    since = utcnow() - timedelta(weeks=weeks)
    rows, total = services.weekly_summary(session, since, group_id)
    walks = services.recent_walks(session, since, group_id)
    return render_template("nightwalks/summary.html", form=form, rows=rows, total=total,
                           walks=walks, counts=services.report_counts(
                               session, [w.id for w in walks]),
                           tallies=TALLY_ROWS, decimal=format_decimal), 200 if valid else 400


@bp.get("/<int:walk_id>")
@require(Permission.NIGHTWALKS_READ)
def detail(walk_id: int) -> ResponseReturnValue:
    """One walk: who, where, when, the summary, the tallies and its reports."""
    session = get_session()
    walk = session.get(Nightwalk, walk_id) or abort(404)
    return render_template("nightwalks/detail.html", walk=walk,
                           reports=services.reports_on(session, walk),
                           tallies=TALLY_ROWS)
