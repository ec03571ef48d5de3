"""``/admin``: the back-office home and the administration of users and organisations."""

from __future__ import annotations

import secrets

import sqlalchemy as sa
from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from kopingreport.accounts.models import Organisation, User
from kopingreport.accounts.registration import send_invitation
from kopingreport.accounts.services import AccountError, create_user, save_organisation
from kopingreport.accounts.services import update_user
from kopingreport.admin.forms import OrganisationForm, UserForm
from kopingreport.admin.labels import KIND_LABELS, ROLE_LABELS
from kopingreport.db import get_session
from kopingreport.security import Permission, Role, can, require

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.app_context_processor
def _labels() -> dict[str, object]:
    return {"ROLE_LABELS": ROLE_LABELS, "KIND_LABELS": KIND_LABELS, "can": can,
            "Permission": Permission}


@bp.get("/")
@require(Permission.BACKOFFICE_ACCESS)
def index() -> ResponseReturnValue:
    """The back-office home: what this role can do."""
    return render_template("admin/index.html")


def _organisations() -> list[Organisation]:
    return list(get_session().scalars(sa.select(Organisation).order_by(Organisation.name)))


@bp.get("/users")
@require(Permission.USERS_MANAGE)
def users() -> ResponseReturnValue:
    """All accounts, optionally of one role."""
    query = sa.select(User).order_by(User.email)
    if request.args.get("role") in set(Role):
        query = query.where(User.role == request.args["role"])
    return render_template("admin/users.html", users=get_session().scalars(query).all())


def _user_form_page(form: UserForm, user: User | None, status: int = 200) -> ResponseReturnValue:
    return render_template("admin/user_form.html", form=form, user=user), status


@bp.route("/users/new", methods=["GET", "POST"])
@require(Permission.USERS_MANAGE)
def new_user() -> ResponseReturnValue:
    """Create an account; the person gets an e-mail link to choose a password."""
    form, session = UserForm(organisations=_organisations()), get_session()
    if form.validate_on_submit():
        try:
            user = create_user(session, current_user, form.email.data or "",
                               _random_password(), Role(form.role.data), name=form.name.data,
                               organisation=_chosen_organisation(form))
        except AccountError as err:
            err.show_on(form, fallback="email")
        else:
            session.commit()
            send_invitation(user)
            return redirect(url_for("admin.users"), 303)
    return _user_form_page(form, None, 422 if request.method == "POST" else 200)


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@require(Permission.USERS_MANAGE)
def edit_user(user_id: int) -> ResponseReturnValue:
    """Change an account's role, organisation, name or state."""
    session = get_session()
    user = session.get(User, user_id) or abort(404)
    form = UserForm(obj=user, organisations=_organisations())
    if request.method == "GET":
        form.organisation.data = str(user.organisation_id or "")
    if form.validate_on_submit():
        try:
            update_user(session, session.get(User, current_user.id), user,
                        role=Role(form.role.data), organisation=_chosen_organisation(form),
                        is_enabled=form.is_enabled.data, name=form.name.data or "")
        except AccountError as err:
            err.show_on(form)
        else:
            session.commit()
            return redirect(url_for("admin.users"), 303)
    return _user_form_page(form, user, 422 if request.method == "POST" else 200)


def _chosen_organisation(form: UserForm) -> Organisation | None:
    if not form.organisation.data:
        return None
    return get_session().get(Organisation, int(form.organisation.data))


def _random_password() -> str:
    return secrets.token_urlsafe(24)


@bp.get("/organisations")
@require(Permission.ORGANISATIONS_MANAGE)
def organisations() -> ResponseReturnValue:
    """All organisations."""
    return render_template("admin/organisations.html", organisations=_organisations())


@bp.route("/organisations/new", methods=["GET", "POST"])
@bp.route("/organisations/<int:organisation_id>", methods=["GET", "POST"])
@require(Permission.ORGANISATIONS_MANAGE)
def edit_organisation(organisation_id: int | None = None) -> ResponseReturnValue:
    """Create or change an organisation."""
    session = get_session()
    organisation = session.get(Organisation, organisation_id) if organisation_id else None
    if organisation_id and organisation is None:
        abort(404)
    form = OrganisationForm(obj=organisation)
    if form.validate_on_submit():
        try:
            save_organisation(session, current_user, organisation, name=form.name.data,
                              kind=form.kind_value(), is_active=form.is_active.data,
                              skips_moderation=form.skips_moderation.data)
        except AccountError as err:
            err.show_on(form, fallback="name")
        else:
            session.commit()
            return redirect(url_for("admin.organisations"), 303)
    status = 422 if request.method == "POST" else 200
    return render_template("admin/organisation_form.html", form=form,
                           organisation=organisation), status
