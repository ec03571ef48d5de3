"""Residents' and account holders' rights: download or delete their personal data.

A report is reached through its secret receipt link (``/status/<token>/…``); an account
through its login. Deleting always takes a confirmation step (CSRF-protected POST).
"""

from __future__ import annotations

import json

from flask import Blueprint, Response, abort, redirect, render_template, session, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required, logout_user

from kopingreport.accounts.models import User
from kopingreport.accounts.services import authenticate
from kopingreport.db import get_session
from kopingreport.extensions import limiter
from kopingreport.i18n import _
from kopingreport.privacy import erasure, export, photofiles
from kopingreport.privacy.forms import ConfirmDeleteForm, DeleteAccountForm
from kopingreport.reports.flow import photo_store
from kopingreport.reports.models import Report
from kopingreport.reports.services import find_by_token

bp = Blueprint("rights", __name__)


@bp.app_template_global()
def personal_data_erased_at(report: Report):  # type: ignore[no-untyped-def]
    """For the receipt page: when the sender deleted their data from the report."""
    return erasure.erased_at(get_session(), report)


def _private(response: Response, filename: str | None = None) -> Response:
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    if filename:
        response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _report(token: str) -> Report:
    return find_by_token(get_session(), token) or abort(404)


@bp.get("/status/<token>/data")
def report_data_page(token: str) -> ResponseReturnValue:
    """Everything the report holds, readable, with download and delete links."""
    report = _report(token)
    data = export.report_data(get_session(), report, token)
    return _private(Response(render_template("privacy/report_data.html", report=report,
                                             data=data, token=token)))


@bp.get("/status/<token>/data.json")
def report_data_json(token: str) -> ResponseReturnValue:
    """The same as JSON."""
    report = _report(token)
    body = json.dumps(export.report_data(get_session(), report, token), ensure_ascii=False,
                      indent=2)
    return _private(Response(body, mimetype="application/json"), f"{report.reference}.json")


@bp.get("/status/<token>/data.zip")
def report_data_zip(token: str) -> ResponseReturnValue:
    """The JSON and the photos as sent, in one zip file."""
    report = _report(token)
    data = export.report_data(get_session(), report, token)
    return _private(Response(export.report_zip(data, report, photo_store()),
                             mimetype="application/zip"), f"{report.reference}.zip")


def _delete_page(report: Report, token: str, form: ConfirmDeleteForm, status: int = 200
                 ) -> ResponseReturnValue:
    page = render_template("privacy/report_delete.html", report=report, token=token, form=form)
    return _private(Response(page, status=status))


@bp.get("/status/<token>/delete")
def report_delete(token: str) -> ResponseReturnValue:
    """What deleting removes and what the municipality must keep, and the confirmation."""
    return _delete_page(_report(token), token, ConfirmDeleteForm())


@bp.post("/status/<token>/delete")
def report_delete_submit(token: str) -> ResponseReturnValue:
    """Delete the sender's personal data from the report; the receipt then says so."""
    report, form = _report(token), ConfirmDeleteForm()
    if not form.validate_on_submit():
        return _delete_page(report, token, form, 422)
    released = erasure.erase_report(get_session(), report)
    get_session().commit()
    photofiles.remove(photo_store(), released)
    return redirect(url_for("reports.status", token=token), 303)


@bp.get("/account/data.json")
@login_required
def account_data_json() -> ResponseReturnValue:
    """The account, its reports and registrations as JSON."""
    user = get_session().get(User, current_user.id)
    body = json.dumps(export.account_data(get_session(), user), ensure_ascii=False, indent=2)
    return _private(Response(body, mimetype="application/json"), "account.json")


def _account_page(form: DeleteAccountForm, refusal: object = None, status: int = 200
                  ) -> ResponseReturnValue:
    return _private(Response(render_template("privacy/account_delete.html", form=form,
                                             refusal=refusal), status=status))


@bp.get("/account/delete")
@login_required
def account_delete() -> ResponseReturnValue:
    """What deleting the account does, or why it cannot be done yet."""
    try:
        erasure.check_account_erasable(get_session(), current_user)
    except erasure.ErasureRefused as err:
        return _account_page(DeleteAccountForm(), err.message)
    return _account_page(DeleteAccountForm())


@bp.post("/account/delete")
@login_required
@limiter.limit("5 per minute;30 per hour")
def account_delete_submit() -> ResponseReturnValue:
    """Anonymise the account after the password and the confirmation, then log out."""
    form, db = DeleteAccountForm(), get_session()
    if not form.validate_on_submit():
        return _account_page(form, status=422)
    if authenticate(db, current_user.email, form.password.data) is None:
        form.password.errors = [_("The password is wrong.")]
        return _account_page(form, status=422)
    try:
        released = erasure.erase_account(db, db.get(User, current_user.id))
    except erasure.ErasureRefused as err:
        return _account_page(form, err.message, 409)
    db.commit()
    photofiles.remove(photo_store(), released)
    logout_user()
    session.clear()
    return _private(Response(render_template("privacy/account_deleted.html")))
