"""One report in the back office: details and every moderation action on it."""

from __future__ import annotations

from collections.abc import Callable

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from flask_wtf import FlaskForm

from kopingreport.accounts.models import Organisation, User
from kopingreport.db import get_session
from kopingreport.i18n import _
from kopingreport.mail import send_mail
from kopingreport.moderation import duplicates, services
from kopingreport.moderation.context import detail_context, latest_redactions
from kopingreport.moderation.forms import AssignForm, PrecisionForm, PublishForm, RedactForm
from kopingreport.moderation.forms import StateForm, TextForm
from kopingreport.moderation.params import end_of_day, filter_args, parse_filters
from kopingreport.moderation.photos import redact_photo
from kopingreport.moderation.queries import neighbours
from kopingreport.moderation.redaction import RedactionMode, parse_regions
from kopingreport.reports.flow import photo_store
from kopingreport.reports.models import Photo, Report
from kopingreport.security import Permission, require
from kopingreport.web.http import private_image

bp = Blueprint("casework", __name__, url_prefix="/admin/reports/<int:report_id>")


def _load(report_id: int) -> tuple[Report, User]:
    session = get_session()
    report = session.get(Report, report_id) or abort(404)
    return report, session.get(User, current_user.id)


def _back(report: Report) -> ResponseReturnValue:
    return redirect(url_for("casework.detail", report_id=report.id, **filter_args(
        request.args)), 303)


@bp.get("")
@require(Permission.REPORTS_READ)
def detail(report_id: int) -> ResponseReturnValue:
    """The report with photos, map, workflow, notes, duplicates and its audit trail."""
    session = get_session()
    report, actor = _load(report_id)
    case = services.case_of(session, report)
    other = services.held_by_other(case, actor)
    if not other:
        services.lock(session, actor, report)
    session.commit()
    newer, older = neighbours(session, parse_filters(request.args, actor.id), report)
    return render_template("moderation/detail.html", held_by_other=other, newer=newer,
                           older=older, args=filter_args(request.args),
                           **detail_context(session, actor, report, case))


def _run(report: Report, actor: User, form: FlaskForm,
         action: Callable[[Report, User], object]) -> bool:
    """Validate ``form``, run ``action`` and commit; a refusal is flashed and changes
    nothing."""
    if not form.validate_on_submit():
        flash(_("The form could not be accepted: %(errors)s", errors="; ".join(
            f"{k}: {', '.join(map(str, v))}" for k, v in form.errors.items())), "error")
        return False
    try:
        action(report, actor)
    except services.ModerationError as err:
        get_session().rollback()
        flash(str(err.message), "error")
        return False
    get_session().commit()
    return True


def _act(report_id: int, form: FlaskForm, action: Callable[[Report, User], object]
         ) -> ResponseReturnValue:
    report, actor = _load(report_id)
    _run(report, actor, form, action)
    return _back(report)


@bp.post("/state")
@require(Permission.REPORTS_MODERATE)
def change_state(report_id: int) -> ResponseReturnValue:
    """Move along the workflow; then go on to the next report in the queue if asked."""
    report, actor = _load(report_id)
    form = StateForm(current=report.state)
    done = _run(report, actor, form, lambda r, a: services.change_state(
        get_session(), a, r, form.state.data, duplicate_of=_by_reference(form.original.data),
        channel=form.channel.data or "", reason=form.reason.data or ""))
    following = request.form.get("go_next", type=int)
    if done and following:
        return redirect(url_for("casework.detail", report_id=following,
                                **filter_args(request.args)), 303)
    return _back(report)


def _by_reference(reference: str | None) -> Report | None:
    if not reference:
        return None
    return get_session().scalar(sa.select(Report).where(Report.reference ==
                                                        reference.strip().upper()))


@bp.post("/assign")
@require(Permission.REPORTS_MODERATE)
def assign(report_id: int) -> ResponseReturnValue:
    """Hand the report to an organisation/unit and a moderator with a due date."""
    session = get_session()
    form = AssignForm(organisations=session.scalars(sa.select(Organisation)).all(),
                      moderators=session.scalars(sa.select(User)).all())
    return _act(report_id, form, lambda r, a: services.assign(
        session, a, r, organisation=session.get(Organisation, int(form.organisation.data))
        if form.organisation.data else None, unit=form.unit.data or "",
        assignee=session.get(User, int(form.assignee.data)) if form.assignee.data else None,
        due_at=end_of_day(form.due_at.data)))


@bp.post("/notes")
@require(Permission.REPORTS_MODERATE)
def add_note(report_id: int) -> ResponseReturnValue:
    """An internal note."""
    form = TextForm()
    return _act(report_id, form, lambda r, a: services.add_note(get_session(), a, r,
                                                                form.text.data or ""))


@bp.post("/reply")
@require(Permission.REPORTS_MODERATE)
def reply(report_id: int) -> ResponseReturnValue:
    """The public reply; the reporter gets a short e-mail notice if they left an address."""
    form = TextForm()

    def act(report: Report, actor: User) -> None:
        email = services.reply(get_session(), actor, report, form.text.data or "")
        if email and report.public_reply:
            send_mail(email, _("News about your report %(ref)s", ref=report.reference), _(
                "The municipality has replied to your report %(ref)s. Open the private link "
                "you got when you sent it to read the reply.", ref=report.reference))

    return _act(report_id, form, act)


@bp.post("/public-text")
@require(Permission.REPORTS_MODERATE)
def public_text(report_id: int) -> ResponseReturnValue:
    """The redacted text the public may see."""
    form = TextForm()
    return _act(report_id, form, lambda r, a: services.set_public_text(get_session(), a, r,
                                                                       form.text.data or ""))


@bp.post("/precision")
@require(Permission.REPORTS_MODERATE)
def precision(report_id: int) -> ResponseReturnValue:
    """The public location precision."""
    form = PrecisionForm()
    return _act(report_id, form, lambda r, a: services.set_precision(get_session(), a, r,
                                                                     form.precision.data))


@bp.post("/publish")
@require(Permission.REPORTS_MODERATE)
def publish(report_id: int) -> ResponseReturnValue:
    """Show or hide the report on the public map."""
    form = PublishForm()
    return _act(report_id, form, lambda r, a: services.publish(get_session(), a, r,
                                                               bool(form.is_public.data)))


@bp.post("/merge/<int:original_id>")
@require(Permission.REPORTS_MODERATE)
def merge(report_id: int, original_id: int) -> ResponseReturnValue:
    """Close this report as a duplicate of a suggested original."""
    original = get_session().get(Report, original_id) or abort(404)
    return _act(report_id, FlaskForm(), lambda r, a: duplicates.merge(get_session(), a, r,
                                                                      original))


@bp.post("/lock")
@require(Permission.REPORTS_MODERATE)
def take_over(report_id: int) -> ResponseReturnValue:
    """Take over a report another moderator has open."""
    return _act(report_id, FlaskForm(), lambda r, a: services.lock(get_session(), a, r,
                                                                   take_over=True))


@bp.post("/contact")
@require(Permission.CONTACTS_READ)
def contact(report_id: int) -> ResponseReturnValue:
    """Show the contact details once (the look is audited)."""
    report, actor = _load(report_id)
    if not FlaskForm().validate_on_submit():
        abort(400)
    details = services.view_contact(get_session(), actor, report)
    get_session().commit()
    return render_template("moderation/contact.html", report=report, contact=details)


@bp.post("/photos/<int:photo_id>/redact")
@require(Permission.REPORTS_MODERATE)
def redact(report_id: int, photo_id: int) -> ResponseReturnValue:
    """Blur or black out regions of a photo."""
    form, session = RedactForm(), get_session()
    photo = session.get(Photo, photo_id)
    if photo is None or photo.report_id != report_id:
        abort(404)
    try:
        regions = parse_regions([v for v in request.form.getlist("regions") if v.strip()])
    except ValueError:
        regions = []
    if not regions:
        form.regions.errors = [_("Mark at least one region.")]

    def act(report: Report, actor: User) -> None:
        if not regions:
            raise services.ModerationError(_("Mark at least one region."), "regions")
        base = latest_redactions(session, [photo]).get(photo.id)
        redact_photo(session, actor, photo, regions, RedactionMode(form.mode.data),
                     photo_store(), base)

    return _act(report_id, form, act)


@bp.get("/photos/<int:photo_id>/<any(full,thumb,public):variant>.jpg")
@require(Permission.REPORTS_READ)
def photo(report_id: int, photo_id: int, variant: str) -> ResponseReturnValue:
    """A photo as sent, or its public (redacted) version."""
    session = get_session()
    item = session.get(Photo, photo_id)
    if item is None or item.report_id != report_id:
        abort(404)
    redaction = latest_redactions(session, [item]).get(item.id)
    sha = {"full": item.sha256, "thumb": item.thumb_sha256,
           "public": redaction.sha256 if redaction else item.sha256}[variant]
    return private_image(photo_store(), sha)
