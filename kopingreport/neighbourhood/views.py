"""Resident pages: what grannsamverkan is, applying, and the yearly confirmation.

Someone without an account applies and creates a resident account in the same step (one
form instead of register → confirm → log in → apply). The answer never reveals whether an
e-mail address already has an account: that address gets an e-mail asking the person to
log in and apply, and the page looks the same.
"""

from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required

from kopingreport.accounts.models import User
from kopingreport.accounts.registration import send_confirmation
from kopingreport.accounts.services import AccountError, check_password_rules, create_user
from kopingreport.accounts.services import find_user
from kopingreport.db import get_session
from kopingreport.extensions import limiter
from kopingreport.i18n import _
from kopingreport.mail import send_mail
from kopingreport.neighbourhood import services
from kopingreport.neighbourhood.forms import ApplyForm, ConfirmForm
from kopingreport.neighbourhood.mailing import read_confirm_token
from kopingreport.neighbourhood.models import NeighbourhoodContact
from kopingreport.reports.areas import active_areas
from kopingreport.security import Role

bp = Blueprint("neighbourhood", __name__, url_prefix="/neighbourhood-watch")
LIMIT = "5 per minute;30 per hour"


def _me() -> User:
    return get_session().get(User, current_user.id)


@bp.get("/")
def index() -> ResponseReturnValue:
    """What a kontaktombud does, and the visitor's own entry if they have one."""
    entry = services.live_entry(get_session(), current_user.id) \
        if current_user.is_authenticated else None
    return render_template("neighbourhood/index.html", entry=entry)


def _apply_form() -> ApplyForm:
    return ApplyForm(areas=active_areas(get_session()),
                     with_account=not current_user.is_authenticated)


def _apply_page(form: ApplyForm, status: int = 200) -> ResponseReturnValue:
    return render_template("neighbourhood/apply.html", form=form), status


@bp.get("/apply")
def apply_form() -> ResponseReturnValue:
    """The application form (with account fields for visitors who are not logged in)."""
    if current_user.is_authenticated and services.live_entry(get_session(), current_user.id):
        return redirect(url_for("neighbourhood.index"))
    form = _apply_form()
    if current_user.is_authenticated:
        form.name.data = current_user.name
    return _apply_page(form)


@bp.post("/apply")
@limiter.limit(LIMIT)
def apply() -> ResponseReturnValue:
    """Store the application (and the new account); errors keep what was typed."""
    form, session = _apply_form(), get_session()
    if form.validate_on_submit():
        try:
            if not current_user.is_authenticated:
                return _apply_with_account(form)
            services.apply(session, _me(), form.to_application())
        except (services.RegisterError, AccountError) as err:
            session.rollback()
            err.show_on(form)
        else:
            session.commit()
            return redirect(url_for("neighbourhood.index", applied=1), 303)
    return _apply_page(form, 422)


def _apply_with_account(form: ApplyForm) -> ResponseReturnValue:
    """Create an unconfirmed resident account with the application, or, for an address that
    already has an account, send it a notice and store nothing."""
    session, data = get_session(), form.to_application()
    check_password_rules(form.password.data)
    services.area_of(session, data)  # the same errors whether or not the address is known
    existing = find_user(session, form.email.data)
    if existing is not None:
        send_mail(existing.email, _("Your grannsamverkan application"), _(
            "Someone applied to become kontaktombud with this e-mail address. You already "
            "have an account: log in and apply here: %(url)s",
            url=url_for("neighbourhood.apply_form", _external=True)))
        return render_template("neighbourhood/check_email.html")
    user = create_user(session, None, form.email.data, form.password.data, Role.RESIDENT,
                       name=data.name, is_email_confirmed=False)
    services.apply(session, user, data)
    session.commit()
    send_confirmation(user)
    return render_template("neighbourhood/check_email.html")


@bp.post("/still-active")
@login_required
def still_active() -> ResponseReturnValue:
    """The logged-in kontaktombud confirms they are still active."""
    session = get_session()
    entry = services.live_entry(session, current_user.id) or abort(404)
    try:
        services.confirm_active(session, entry)
    except services.RegisterError:
        abort(409)
    session.commit()
    return redirect(url_for("neighbourhood.index", confirmed=1), 303)


@bp.post("/step-down")
@login_required
def step_down() -> ResponseReturnValue:
    """The logged-in kontaktombud (or applicant) leaves the register."""
    session = get_session()
    entry = services.live_entry(session, current_user.id) or abort(404)
    services.end(session, _me(), entry)
    session.commit()
    return redirect(url_for("neighbourhood.index", ended=1), 303)


def _token_entry(token: str) -> NeighbourhoodContact | None:
    return read_confirm_token(get_session(), token)


@bp.get("/confirm/<token>")
def confirm(token: str) -> ResponseReturnValue:
    """The page of the yearly reminder link: still active, or stop (a GET changes nothing,
    so mail scanners that open links cannot confirm for the person)."""
    entry = _token_entry(token)
    if entry is None:
        return render_template("neighbourhood/link_expired.html"), 400
    return render_template("neighbourhood/confirm.html", entry=entry, form=ConfirmForm())


@bp.post("/confirm/<token>")
@limiter.limit(LIMIT)
def confirm_submit(token: str) -> ResponseReturnValue:
    """Confirm the entry, or end it, from the reminder link."""
    session, entry = get_session(), _token_entry(token)
    if entry is None:
        return render_template("neighbourhood/link_expired.html"), 400
    form = ConfirmForm()
    if not form.validate_on_submit():
        return render_template("neighbourhood/confirm.html", entry=entry, form=form), 422
    if form.action.data == "stop":
        services.end(session, entry.user, entry)
    else:
        services.confirm_active(session, entry)
    session.commit()
    return render_template("neighbourhood/confirmed.html", entry=entry)
