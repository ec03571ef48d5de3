"""The moderation queue: list, map and bulk actions (``/admin/reports``)."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, flash, jsonify, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from kopingreport.accounts.models import Organisation, User
from kopingreport.db import get_session, utcnow
from kopingreport.i18n import _
from kopingreport.moderation import services
from kopingreport.moderation.forms import BulkForm
from kopingreport.moderation.params import filter_args, parse_filters
from kopingreport.moderation.queries import filtered, queue_page
from kopingreport.reports import categories
from kopingreport.reports.areas import active_areas
from kopingreport.reports.models import Report
from kopingreport.reports.states import REPORTER_KIND_LABELS, STATE_LABELS
from kopingreport.security import Permission, require

bp = Blueprint("moderation", __name__, url_prefix="/admin/reports")
bp.add_app_template_global(utcnow, "now")
MAP_LIMIT = 5000


def _choices() -> dict[str, object]:
    session = get_session()
    return {"categories": categories.CATEGORIES, "areas": active_areas(session),
            "kinds": REPORTER_KIND_LABELS, "states": STATE_LABELS,
            "organisations": session.scalars(sa.select(Organisation).order_by(
                Organisation.name)).all()}


@bp.get("")
@require(Permission.REPORTS_READ)
def queue() -> ResponseReturnValue:
    """The queue with filters, sorting and paging."""
    filters = parse_filters(request.args, current_user.id)
    page = queue_page(get_session(), filters, request.args.get("page", 1, type=int))
    return render_template("moderation/queue.html", page=page, filters=filters,
                           args=filter_args(request.args), bulk=BulkForm(), **_choices())


@bp.get("/map")
@require(Permission.REPORTS_READ)
def map_view() -> ResponseReturnValue:
    """The same filter on a map."""
    filters = parse_filters(request.args, current_user.id)
    return render_template("moderation/map.html", filters=filters,
                           args=filter_args(request.args), **_choices())


@bp.get("/map.geojson")
@require(Permission.REPORTS_READ)
def map_data() -> ResponseReturnValue:
    """The filtered reports with a position, as GeoJSON points (at most 5000)."""
    filters = parse_filters(request.args, current_user.id)
    query = filtered(filters).where(Report.lat.is_not(None)).order_by(
        Report.created_at.desc()).limit(MAP_LIMIT)
    features = [{"type": "Feature", "geometry": {"type": "Point", "coordinates": [r.lon, r.lat]},
                 "properties": {"id": r.id, "reference": r.reference, "state": r.state,
                                "url": url_for("casework.detail", report_id=r.id)}}
                for r in get_session().scalars(query)]
    return jsonify({"type": "FeatureCollection", "features": features})


@bp.post("/bulk")
@require(Permission.REPORTS_MODERATE)
def bulk() -> ResponseReturnValue:
    """Apply one action to the selected reports; reports where it is not allowed are
    skipped and counted."""
    form, session = BulkForm(), get_session()
    back = url_for("moderation.queue", **filter_args(request.args))
    if not form.validate_on_submit():
        return redirect(back, 303)
    ids = [int(i) for i in form.ids.data if i.isdigit()][:500]
    done, skipped = 0, 0
    actor = session.get(User, current_user.id)
    for report in session.scalars(sa.select(Report).where(Report.id.in_(ids))):
        try:
            services.change_state(session, actor, report, form.action.data,
                                  reason=form.reason.data or "")
            done += 1
        except services.ModerationError:
            skipped += 1
    session.commit()
    flash(_("%(done)d reports changed, %(skipped)d skipped (not allowed from their state).",
            done=done, skipped=skipped))
    return redirect(back, 303)
