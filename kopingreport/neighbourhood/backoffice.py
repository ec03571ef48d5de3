"""``/admin/neighbourhood-watch``: the coordinator's register, map, export and messages."""

from __future__ import annotations

import click
import sqlalchemy as sa
from flask import Blueprint, Response, abort, current_app, flash, jsonify, redirect
from flask import render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from kopingreport.db import get_session, utcnow
from kopingreport.i18n import _
from kopingreport.neighbourhood import export, mailing, messaging, services
from kopingreport.neighbourhood.forms import DecisionForm, MessageForm, RegisterFilterForm
from kopingreport.neighbourhood.forms import SignForm
from kopingreport.neighbourhood.labels import LABELS
from kopingreport.neighbourhood.models import NeighbourhoodContact, NeighbourhoodMessage
from kopingreport.neighbourhood.models import SignStatus
from kopingreport.reports.areas import active_areas
from kopingreport.security import Permission, require

bp = Blueprint("neighbourhood_admin", __name__, url_prefix="/admin/neighbourhood-watch",
               cli_group="grannsamverkan")


@bp.app_context_processor
def _labels() -> dict[str, object]:
    return {"NEIGHBOURHOOD_LABELS": LABELS}


def _filtered() -> tuple[RegisterFilterForm, list[NeighbourhoodContact] | None]:
    """The filter form of this request and the matching entries (None if it is invalid)."""
    form = RegisterFilterForm(request.args, areas=active_areas(get_session()))
    if not form.validate():
        return form, None
    filters = services.RegisterFilter(state=form.state.data or "", area_code=form.area.data
                                      or "", sign_status=form.signs.data or "",
                                      text=(form.q.data or "").strip())
    return form, services.find_entries(get_session(), filters)


@bp.get("/")
@require(Permission.NEIGHBOURHOOD_MANAGE)
def register() -> ResponseReturnValue:
    """The register as a table, with filters."""
    form, entries = _filtered()
    due = len(messaging.due_for_reminder(get_session()))
    return render_template("neighbourhood/register.html", form=form, entries=entries or [],
                           due=due, now=utcnow()), 200 if entries is not None else 400


def _filtered_or_400() -> list[NeighbourhoodContact]:
    """The entries of a valid filter (downloads have no page to show errors on)."""
    _form, entries = _filtered()
    return entries if entries is not None else abort(400)


def _private(response: Response) -> Response:
    """Personal data: never kept by a browser cache or a proxy."""
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.get("/export.csv")
@require(Permission.NEIGHBOURHOOD_MANAGE)
def export_csv() -> ResponseReturnValue:
    """The filtered register as CSV."""
    response = Response(export.register_csv(_filtered_or_400(), LABELS), mimetype="text/csv")
    name = f"grannsamverkan-{utcnow():%Y-%m-%d}.csv"
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return _private(response)


@bp.get("/map")
@require(Permission.NEIGHBOURHOOD_MANAGE)
def register_map() -> ResponseReturnValue:
    """The filtered register on a map (entries without a point are counted)."""
    form, entries = _filtered()
    without_point = sum(1 for e in entries or [] if e.lat is None)
    return render_template("neighbourhood/map.html", form=form, entries=entries or [],
                           without_point=without_point), 200 if entries is not None else 400


@bp.get("/map.geojson")
@require(Permission.NEIGHBOURHOOD_MANAGE)
def map_data() -> ResponseReturnValue:
    """The filtered entries that have a point, as GeoJSON."""
    return _private(jsonify(export.register_geojson(_filtered_or_400(), LABELS, lambda e: url_for(
        "neighbourhood_admin.entry", entry_id=e.id))))


def _entry(entry_id: int) -> NeighbourhoodContact:
    return get_session().get(NeighbourhoodContact, entry_id) or abort(404)


def _entry_page(entry: NeighbourhoodContact, decision: DecisionForm, signs: SignForm,
                status: int = 200) -> ResponseReturnValue:
    return render_template("neighbourhood/entry.html", entry=entry, decision=decision,
                           signs=signs), status


@bp.get("/<int:entry_id>")
@require(Permission.NEIGHBOURHOOD_MANAGE)
def entry(entry_id: int) -> ResponseReturnValue:
    """One entry: the application, the decision and the signs."""
    contact = _entry(entry_id)
    return _entry_page(contact, DecisionForm(), SignForm(sign_status=contact.sign_status))


@bp.post("/<int:entry_id>/decision")
@require(Permission.NEIGHBOURHOOD_MANAGE)
def decide(entry_id: int) -> ResponseReturnValue:
    """Approve, decline or end an entry; the applicant is told by e-mail."""
    entry, form, session = _entry(entry_id), DecisionForm(), get_session()
    if form.validate_on_submit():
        action = {"approve": services.approve, "decline": services.decline,
                  "end": services.end}[form.action.data]
        try:
            action(session, current_user, entry, form.note.data)
        except services.RegisterError as err:
            err.show_on(form)
        else:
            session.commit()
            if form.action.data != "end":
                mailing.notify_decision(entry)
            return redirect(url_for("neighbourhood_admin.entry", entry_id=entry.id), 303)
    return _entry_page(entry, form, SignForm(sign_status=entry.sign_status), 422)


@bp.post("/<int:entry_id>/signs")
@require(Permission.NEIGHBOURHOOD_MANAGE)
def record_signs(entry_id: int) -> ResponseReturnValue:
    """Record the state of the area's signs."""
    entry, form, session = _entry(entry_id), SignForm(), get_session()
    if form.validate_on_submit():
        services.record_signs(session, current_user, entry, SignStatus(form.sign_status.data))
        session.commit()
        return redirect(url_for("neighbourhood_admin.entry", entry_id=entry.id), 303)
    return _entry_page(entry, DecisionForm(), form, 422)


@bp.post("/reminders")
@require(Permission.NEIGHBOURHOOD_MANAGE)
def send_reminders() -> ResponseReturnValue:
    """E-mail the yearly confirmation link to every contact who is due."""
    sent = mailing.send_reminders(get_session())
    flash(_("Reminders sent: %(n)d.", n=sent))
    return redirect(url_for("neighbourhood_admin.register"), 303)


@bp.cli.command("remind")
@click.option("--base-url", help="The site's address for the links, e.g. "
              "https://trygg.koping.se (needed unless SERVER_NAME is configured).")
def remind_command(base_url: str | None) -> None:
    """E-mail the yearly confirmation link to every kontaktombud who is due (run daily)."""
    if not base_url and not current_app.config.get("SERVER_NAME"):
        raise click.UsageError("Give --base-url (the address residents open the site at).")
    with current_app.test_request_context(base_url=base_url or "/"):
        sent = mailing.send_reminders(get_session())
    click.echo(f"Reminders sent: {sent}.")


@bp.get("/messages")
@require(Permission.NEIGHBOURHOOD_MANAGE)
def messages() -> ResponseReturnValue:
    """Messages sent to kontaktombud, newest first."""
    sent = get_session().scalars(sa.select(NeighbourhoodMessage).order_by(
        NeighbourhoodMessage.sent_at.desc()).limit(200))
    return render_template("neighbourhood/messages.html", messages=list(sent))


@bp.route("/messages/new", methods=["GET", "POST"])
@require(Permission.NEIGHBOURHOOD_MANAGE)
def new_message() -> ResponseReturnValue:
    """Write a message to every active kontaktombud in the chosen areas."""
    session = get_session()
    form = MessageForm(areas=active_areas(session), counts=messaging.active_counts(session))
    if form.validate_on_submit():
        try:
            message, emails = messaging.record_message(
                session, current_user, subject=form.subject.data, body=form.body.data,
                area_codes=form.areas.data)
        except services.RegisterError as err:
            err.show_on(form, fallback="areas")
        else:
            session.commit()
            mailing.deliver_message(message, emails)
            return redirect(url_for("neighbourhood_admin.message", message_id=message.id), 303)
    status = 422 if request.method == "POST" else 200
    return render_template("neighbourhood/message_form.html", form=form), status


@bp.get("/messages/<int:message_id>")
@require(Permission.NEIGHBOURHOOD_MANAGE)
def message(message_id: int) -> ResponseReturnValue:
    """One sent message, with its areas and how many received it."""
    sent = get_session().get(NeighbourhoodMessage, message_id) or abort(404)
    return render_template("neighbourhood/message.html", message=sent)
