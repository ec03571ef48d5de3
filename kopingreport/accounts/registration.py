"""Residents' optional accounts, forgotten passwords and the account page.

No answer here reveals whether an e-mail address has an account.
"""

from __future__ import annotations

from flask import Blueprint, current_app, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required, logout_user

from kopingreport.accounts import tokens
from kopingreport.accounts.forms import ChangePasswordForm, EmailForm, NewPasswordForm
from kopingreport.accounts.forms import RegisterForm
from kopingreport.accounts.models import User
from kopingreport.accounts.services import AccountError, authenticate, create_user, find_user
from kopingreport.accounts.services import set_password
from kopingreport.db import get_session
from kopingreport.extensions import limiter
from kopingreport.i18n import _
from kopingreport.mail import send_mail
from kopingreport.reports.services import reports_of
from kopingreport.security import Permission, Role, can

bp = Blueprint("registration", __name__)
LIMIT = "5 per minute;30 per hour"


def _link(endpoint: str, purpose: str, user: User) -> str:
    token = tokens.make_token(current_app.config["SECRET_KEY"], purpose, user)
    extra = {"purpose": purpose} if endpoint == "registration.reset" else {}
    return url_for(endpoint, token=token, _external=True, **extra)


def send_invitation(user: User) -> None:
    """E-mail a new staff or partner account a link to choose its password."""
    send_mail(user.email, _("Your account at Köping safety reports"), _(
        "An account has been created for you. Open this link within a week to choose your "
        "password: %(url)s", url=_link("registration.reset", "invite", user)))


def send_confirmation(user: User) -> None:
    """E-mail a new resident account the link that confirms its address."""
    send_mail(user.email, _("Confirm your e-mail address"), _(
        "Open this link to confirm your account: %(url)s",
        url=_link("registration.confirm", "confirm", user)))


def _sent_page() -> ResponseReturnValue:
    return render_template("accounts/check_email.html")


@bp.get("/register")
def register() -> ResponseReturnValue:
    """The optional account for residents."""
    return render_template("accounts/register.html", form=RegisterForm())


@bp.post("/register")
@limiter.limit(LIMIT)
def register_submit() -> ResponseReturnValue:
    """Create an unconfirmed account and e-mail a link; an existing address gets a notice
    instead, and the page looks the same either way."""
    form, session = RegisterForm(), get_session()
    if form.validate_on_submit():
        existing = find_user(session, form.email.data)
        if existing is not None:
            send_mail(existing.email, _("Your account at Köping safety reports"), _(
                "Someone tried to create an account with this address. You already have one: "
                "log in, or choose a new password here: %(url)s",
                url=url_for("registration.forgot", _external=True)))
            return _sent_page()
        try:
            user = create_user(session, None, form.email.data, form.password.data,
                               Role.RESIDENT, name=form.name.data or "", is_email_confirmed=False)
        except AccountError as err:
            err.show_on(form)
        else:
            session.commit()
            send_confirmation(user)
            return _sent_page()
    return render_template("accounts/register.html", form=form), 422


@bp.get("/register/confirm/<token>")
def confirm(token: str) -> ResponseReturnValue:
    """Confirm the e-mail address of a new account."""
    session = get_session()
    user = tokens.read_token(session, current_app.config["SECRET_KEY"], "confirm", token,
                             max_age=7 * 24 * 3600)
    if user is None:
        return render_template("accounts/link_expired.html"), 400
    user.is_email_confirmed = True
    session.commit()
    return redirect(url_for("accounts.login"), 303)


@bp.get("/password/forgot")
def forgot() -> ResponseReturnValue:
    """Ask for a reset link."""
    return render_template("accounts/forgot.html", form=EmailForm())


@bp.post("/password/forgot")
@limiter.limit(LIMIT)
def forgot_submit() -> ResponseReturnValue:
    """Send a reset link if the address has an account; say the same in every case."""
    form = EmailForm()
    if not form.validate_on_submit():
        return render_template("accounts/forgot.html", form=form), 422
    user = find_user(get_session(), form.email.data)
    if user is not None and user.is_enabled:
        send_mail(user.email, _("Choose a new password"), _(
            "Open this link within an hour to choose a new password: %(url)s",
            url=_link("registration.reset", "reset", user)))
    return _sent_page()


#: Link purposes that lead to the new-password form, with how long they last.
PASSWORD_LINKS = {"reset": "PASSWORD_RESET_MAX_AGE", "invite": "INVITATION_MAX_AGE"}


def _reset_user(token: str, purpose: str) -> User | None:
    max_age = current_app.config[PASSWORD_LINKS[purpose]]
    return tokens.read_token(get_session(), current_app.config["SECRET_KEY"], purpose, token,
                             max_age=max_age)


@bp.get("/password/<any(reset,invite):purpose>/<token>")
def reset(purpose: str, token: str) -> ResponseReturnValue:
    """The new-password form of a reset or invitation link."""
    if _reset_user(token, purpose) is None:
        return render_template("accounts/link_expired.html"), 400
    return render_template("accounts/reset.html", form=NewPasswordForm())


@bp.post("/password/<any(reset,invite):purpose>/<token>")
@limiter.limit(LIMIT)
def reset_submit(purpose: str, token: str) -> ResponseReturnValue:
    """Set the new password; the link and all sessions stop working."""
    user, form = _reset_user(token, purpose), NewPasswordForm()
    if user is None:
        return render_template("accounts/link_expired.html"), 400
    if form.validate_on_submit():
        try:
            set_password(get_session(), user, form.password.data)
        except AccountError as err:
            err.show_on(form, fallback="password")
        else:
            user.is_email_confirmed = True
            get_session().commit()
            return redirect(url_for("accounts.login"), 303)
    return render_template("accounts/reset.html", form=form), 422


@bp.get("/account")
@login_required
def home() -> ResponseReturnValue:
    """The account page: role, organisation, links to what the role may do."""
    return _home_page(ChangePasswordForm())


def _home_page(form: ChangePasswordForm) -> str:
    return render_template("accounts/home.html", form=form,
                           reports=reports_of(get_session(), current_user.id),
                           backoffice=can(current_user, Permission.BACKOFFICE_ACCESS))


@bp.post("/account/password")
@login_required
@limiter.limit(LIMIT)
def change_password() -> ResponseReturnValue:
    """Change the password; every session (this one too) must log in again."""
    form, session = ChangePasswordForm(), get_session()
    if form.validate_on_submit():
        if authenticate(session, current_user.email, form.current.data) is None:
            form.current.errors = [_("The current password is wrong.")]
        else:
            try:
                set_password(session, session.get(User, current_user.id), form.password.data)
            except AccountError as err:
                err.show_on(form, fallback="password")
            else:
                session.commit()
                logout_user()
                return redirect(url_for("accounts.login"), 303)
    return _home_page(form), 422
