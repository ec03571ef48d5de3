"""Resident pages: the report form, the receipt/status page and photos."""

from __future__ import annotations

import re
import uuid

from flask import Blueprint, Response, abort, jsonify, redirect, render_template, request
from flask.typing import ResponseReturnValue
from flask_wtf.csrf import generate_csrf

from kopingreport.db import get_session, utcnow
from kopingreport.extensions import configured_limit, limiter
from kopingreport.moderation.context import latest_redactions
from kopingreport.moderation.services import original_of
from kopingreport.i18n import _
from kopingreport.reports import areas as area_service
from kopingreport.reports import categories, flow
from kopingreport.reports.forms import ReportForm
from kopingreport.reports.models import Photo
from kopingreport.reports.presenters import category_name, public_status, state_label
from kopingreport.reports.services import IdempotencyConflict, SubmissionInvalid, find_by_token
from kopingreport.security import Permission, require
from kopingreport.web.fields import local_input_value
from kopingreport.web.http import private_image, wants_json
from kopingreport.web.pagecache import shared_page

bp = Blueprint("reports", __name__)
bp.add_app_template_global(state_label)
bp.add_app_template_global(category_name)
KEY_RE = re.compile(r"^[A-Za-z0-9_-]{8,100}$")


def _render_form(form: ReportForm, status: int = 200, notice: str | None = None
                 ) -> ResponseReturnValue:
    kept = flow.stash_photos(form) if request.method == "POST" else []
    hints = {c.code: c.help for c in categories.CATEGORIES}
    return render_template("reports/new.html", form=form, kept=kept, notice=notice,
                           category_hints=hints), status


@bp.get("/report")
def new() -> ResponseReturnValue:
    """The empty report form (one rendering per language shared by anonymous visitors, with
    this request's CSRF token, submission id and time filled in)."""
    session = get_session()
    now = utcnow().replace(second=0, microsecond=0)
    values = {"csrf": generate_csrf(), "submission": str(uuid.uuid4()),
              "occurred": local_input_value(now)}

    def render() -> str:
        form = flow.build_form(session)
        form.submission_id.data = values["submission"]
        form.occurred_at.data = now
        return str(_render_form(form)[0])

    return shared_page("reports.new", render, values,
                       version=area_service.area_choices(session))


#: One count per client address for the HTML form and the API together.
REPORT_LIMIT = limiter.shared_limit(configured_limit("LIMIT_REPORTS"), scope="reports")


@bp.post("/report")
@REPORT_LIMIT
def create() -> ResponseReturnValue:
    """Submit the form (works without JavaScript); errors keep everything typed."""
    session = get_session()
    form = flow.build_form(session)
    notice = None
    if form.validate_on_submit():
        key = form.submission_id.data if KEY_RE.match(form.submission_id.data or "") else None
        try:
            result = flow.submit(session, form, key)
            return redirect(flow.status_url(result.receipt_token, sent=1), 303)
        except SubmissionInvalid as err:
            form.add_errors(err.errors)
        except IdempotencyConflict as err:
            form.submission_id.data = str(uuid.uuid4())
            notice = _("This form was already sent as %(ref)s. Press “Send report” again to "
                       "send it as a new report.", ref=err.report.reference)
    return _render_form(form, 422, notice)


@bp.get("/status/<token>")
def status(token: str) -> ResponseReturnValue:
    """The receipt and status page (HTML, or JSON for ``Accept: application/json``)."""
    report = find_by_token(get_session(), token) or abort(404)
    original = original_of(get_session(), report)
    if wants_json():
        response = jsonify(public_status(report, token, original))
    else:
        response = Response(render_template("reports/status.html", report=report, token=token,
                                            original=original,
                                            is_new=request.args.get("sent") == "1"))
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


@bp.get("/status/<token>/photos/<int:position>/<any(full,thumb):variant>.jpg")
def receipt_photo(token: str, position: int, variant: str) -> ResponseReturnValue:
    """A photo of the report, for the holder of its receipt."""
    report = find_by_token(get_session(), token) or abort(404)
    photo = next((p for p in report.photos if p.position == position), None) or abort(404)
    shown = latest_redactions(get_session(), [photo]).get(photo.id) or photo
    return private_image(flow.photo_store(), shown.thumb_sha256 if variant == "thumb"
                         else shown.sha256)


@bp.get("/report/kept/<token>.jpg")
def kept_photo(token: str) -> ResponseReturnValue:
    """The thumbnail of a photo kept from an earlier attempt of the form."""
    named = flow.read_kept_token(token) or abort(404)
    return private_image(flow.photo_store(), named[1])


@bp.get("/admin/photos/<int:photo_id>/<any(full,thumb):variant>.jpg")
@require(Permission.REPORTS_READ)
def staff_photo(photo_id: int, variant: str) -> ResponseReturnValue:
    """Any report's photo, for staff."""
    photo = get_session().get(Photo, photo_id) or abort(404)
    return private_image(flow.photo_store(), photo.thumb_sha256 if variant == "thumb"
                         else photo.sha256)
