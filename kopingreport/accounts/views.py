"""Log in (with a second factor for staff), log out, and set up two-factor codes."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, current_app, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required, login_user, logout_user

from kopingreport.accounts import totp
from kopingreport.accounts.forms import CodeForm, LoginForm
from kopingreport.accounts.models import User
from kopingreport.accounts.services import authenticate, load_user, normalise_email
from kopingreport.accounts.services import record_login
from kopingreport.db import get_session
from kopingreport.extensions import limiter, login_manager
from kopingreport.i18n import _, _l

bp = Blueprint("accounts", __name__)
login_manager.login_view = "accounts.login"
login_manager.login_message = _l("Log in to see this page.")
PENDING = "pending_login"


@login_manager.user_loader
def _load_user(user_id: str) -> User | None:
    return load_user(get_session(), user_id)


def _safe_next(target: str | None) -> str:
    parts = urlsplit(target or "")
    if target and not parts.scheme and not parts.netloc and target.startswith("/") \
            and not target.startswith("//"):
        return target
    return url_for("registration.home")


def _account_key() -> str:
    return "login:" + normalise_email(request.form.get("email", ""))[:254]


def _login_limits() -> str:
    return str(current_app.config["LOGIN_LIMITS"])


def _account_limits() -> str:
    return str(current_app.config["LOGIN_ACCOUNT_LIMITS"])


def finish_login(user: User, next_url: str | None) -> ResponseReturnValue:
    """Log the user in for real and go on."""
    session.pop(PENDING, None)
    record_login(user)
    get_session().commit()
    login_user(user)
    session.permanent = True
    return redirect(_safe_next(next_url), 303)


@bp.get("/login")
def login() -> ResponseReturnValue:
    """The login form."""
    return render_template("accounts/login.html", form=LoginForm())


@bp.post("/login")
@limiter.limit(_login_limits)
@limiter.limit(_account_limits, key_func=_account_key)
def login_submit() -> ResponseReturnValue:
    """Check the credentials; the same answer whether the e-mail exists or not."""
    form = LoginForm()
    if form.validate_on_submit():
        user = authenticate(get_session(), form.email.data, form.password.data)
        if user is not None and user.totp_secret:
            session[PENDING] = {"id": user.id, "v": user.session_version,
                                "next": request.args.get("next")}
            return redirect(url_for("accounts.two_factor"), 303)
        if user is not None:
            return finish_login(user, request.args.get("next"))
        form.form_errors.append(_("The e-mail or password is wrong."))
    return render_template("accounts/login.html", form=form), 422


def _pending_user() -> User | None:
    pending = session.get(PENDING) or {}
    user = get_session().get(User, pending.get("id") or 0)
    return user if user is not None and user.session_version == pending.get("v") else None


@bp.get("/login/code")
def two_factor() -> ResponseReturnValue:
    """Ask for the code of the authenticator app."""
    if _pending_user() is None:
        return redirect(url_for("accounts.login"))
    return render_template("accounts/two_factor.html", form=CodeForm())


@bp.post("/login/code")
@limiter.limit(_login_limits)
def two_factor_submit() -> ResponseReturnValue:
    """Check the code and finish the login."""
    user, form = _pending_user(), CodeForm()
    if user is None:
        return redirect(url_for("accounts.login"), 303)
    if form.validate_on_submit() and totp.verify_user_code(user, form.code.data):
        return finish_login(user, session.get(PENDING, {}).get("next"))
    form.code.errors = [_("The code is wrong or too old. Try the newest code.")]
    return render_template("accounts/two_factor.html", form=form), 422


@bp.post("/logout")
def logout() -> ResponseReturnValue:
    """Log out (POST with CSRF token, never GET)."""
    logout_user()
    session.clear()
    return redirect(url_for("pages.index"), 303)


def _setup_page(form: CodeForm) -> str:
    secret = session.setdefault("totp_setup", totp.new_secret())
    uri = totp.provisioning_uri(secret, current_user.email, current_app.config["TOTP_ISSUER"])
    return render_template("accounts/two_factor_setup.html", form=form, secret=secret,
                           qr=totp.qr_svg(uri))


@bp.get("/account/two-factor")
@login_required
def two_factor_setup() -> ResponseReturnValue:
    """Show a new secret as a QR code; it is saved only once a code from it works."""
    return _setup_page(CodeForm())


@bp.post("/account/two-factor")
@login_required
def two_factor_setup_submit() -> ResponseReturnValue:
    """Turn on two-factor authentication when the first code matches."""
    form, secret = CodeForm(), session.get("totp_setup")
    if secret and form.validate_on_submit() and totp.verify_code(secret, form.code.data):
        user = get_session().get(User, current_user.id)
        user.totp_secret = secret
        totp.verify_user_code(user, form.code.data)
        get_session().commit()
        session.pop("totp_setup", None)
        return redirect(url_for("registration.home"), 303)
    form.code.errors = [_("The code is wrong or too old. Try the newest code.")]
    return _setup_page(form), 422
