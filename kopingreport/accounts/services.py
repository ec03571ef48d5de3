"""Accounts: create, authenticate, change passwords, manage roles and organisations."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from kopingreport.accounts.models import Organisation, OrganisationKind, User
from kopingreport.db import utcnow
from kopingreport.i18n import _l
from kopingreport.security import Role
from kopingreport.web.fielderror import FieldError

MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 200
#: Hash checked when the e-mail is unknown, so both cases take the same time.
_DUMMY_HASH = generate_password_hash("not a real password", method="scrypt")


class AccountError(FieldError):
    """An account change was refused; ``field`` names the form field it concerns."""

    default_field = "email"


def normalise_email(email: str) -> str:
    """E-mail addresses compare case-insensitively and without surrounding spaces."""
    return email.strip().lower()


def check_password_rules(password: str) -> None:
    """Length rules only (no composition rules, per OWASP ASVS 6.2)."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(_l("The password must have at least %(n)d characters.",
                               n=MIN_PASSWORD_LENGTH), "password")
    if len(password) > MAX_PASSWORD_LENGTH:
        raise AccountError(_l("The password is too long."), "password")


def find_user(session: Session, email: str) -> User | None:
    """The user with this e-mail, if any."""
    return session.scalar(sa.select(User).where(User.email == normalise_email(email)))


def create_user(session: Session, actor: object, email: str, password: str, role: Role,
                name: str = "", organisation: Organisation | None = None,
                is_email_confirmed: bool = True) -> User:
    """Create an account; raises AccountError for a taken e-mail or a bad password."""
    email = normalise_email(email)
    if "@" not in email or len(email) > 254:
        raise AccountError(_l("Give an e-mail address like name@example.se."))
    check_password_rules(password)
    if find_user(session, email) is not None:
        raise AccountError(_l("An account with that e-mail already exists."))
    user = User(email=email, name=name.strip(), role=role, organisation=organisation,
                is_email_confirmed=is_email_confirmed,
                password_hash=generate_password_hash(password, method="scrypt"))
    session.add(user)
    session.flush()
    return user


def authenticate(session: Session, email: str, password: str) -> User | None:
    """The enabled, confirmed user with these credentials, or None (in constant-ish time)."""
    user = find_user(session, email)
    if user is None:
        check_password_hash(_DUMMY_HASH, password[:MAX_PASSWORD_LENGTH])
        return None
    if not check_password_hash(user.password_hash, password[:MAX_PASSWORD_LENGTH]):
        return None
    if not user.is_enabled or not user.is_email_confirmed:
        return None
    return user


def record_login(user: User) -> None:
    """Note a completed login."""
    user.last_login_at = utcnow()


def set_password(session: Session, user: User, password: str) -> None:
    """Change the password; every other session and every reset link stops working."""
    check_password_rules(password)
    user.password_hash = generate_password_hash(password, method="scrypt")
    user.session_version += 1
    session.flush()


def load_user(session: Session, user_id: str) -> User | None:
    """The user of a session cookie (``id:session_version``), if still valid."""
    try:
        raw_id, version = user_id.split(":")
        user = session.get(User, int(raw_id))
    except ValueError:
        return None
    if user is None or str(user.session_version) != version:
        return None
    return user


def update_user(session: Session, actor: User, user: User, *, role: Role,
                organisation: Organisation | None, is_enabled: bool, name: str) -> None:
    """Change role, organisation, name or enabled state (administrators only, checked by the
    caller). Disabling or demoting ends the person's sessions."""
    if user.id == actor.id and (role != Role.ADMIN or not is_enabled):
        raise AccountError(_l("You cannot remove your own administrator access."), "role")
    if user.role != role or (user.is_enabled and not is_enabled):
        user.session_version += 1
    user.role, user.organisation, user.is_enabled, user.name = (role, organisation,
                                                                is_enabled, name.strip())
    session.flush()


def save_organisation(session: Session, actor: User, organisation: Organisation | None, *,
                      name: str, kind: OrganisationKind, skips_moderation: bool,
                      is_active: bool) -> Organisation:
    """Create or update an organisation; names are unique."""
    name = name.strip()
    clash = session.scalar(sa.select(Organisation).where(Organisation.name == name))
    if clash is not None and clash is not organisation:
        raise AccountError(_l("An organisation with that name already exists."), "name")
    if organisation is None:
        organisation = Organisation(name=name, kind=kind)
        session.add(organisation)
    organisation.name, organisation.kind = name, kind
    organisation.skips_moderation, organisation.is_active = skips_moderation, is_active
    session.flush()
    return organisation
