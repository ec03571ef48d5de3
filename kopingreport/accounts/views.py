"""Log in and out."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import login_user, logout_user

from kopingreport.accounts.forms import LoginForm
from kopingreport.accounts.models import User
from kopingreport.accounts.services import authenticate, load_user
from kopingreport.db import get_session
from kopingreport.extensions import login_manager
from kopingreport.i18n import _, _l

bp = Blueprint("accounts", __name__)
login_manager.login_view = "accounts.login"
login_manager.login_message = _l("Log in to see this page.")


@login_manager.user_loader
def _load_user(user_id: str) -> User | None:
    return load_user(get_session(), user_id)


def _safe_next(target: str | None) -> str:
    parts = urlsplit(target or "")
    if target and not parts.scheme and not parts.netloc and target.startswith("/"):
        return target
    return url_for("pages.index")


@bp.get("/login")
def login() -> ResponseReturnValue:
    """The login form."""
    return render_template("accounts/login.html", form=LoginForm())


@bp.post("/login")
def login_submit() -> ResponseReturnValue:
    """Check the credentials; the same message whether the e-mail exists or not."""
    form = LoginForm()
    if form.validate_on_submit():
        session = get_session()
        user = authenticate(session, form.email.data, form.password.data)
        if user is not None:
            session.commit()
            login_user(user)
            return redirect(_safe_next(request.args.get("next")), 303)
        form.form_errors.append(_("The e-mail or password is wrong."))
    return render_template("accounts/login.html", form=form), 422


@bp.post("/logout")
def logout() -> ResponseReturnValue:
    """Log out (POST with CSRF token, never GET)."""
    logout_user()
    return redirect(url_for("pages.index"), 303)
