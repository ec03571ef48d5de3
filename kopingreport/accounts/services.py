"""Creating users and checking passwords."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from kopingreport.accounts.models import User
from kopingreport.db import utcnow
from kopingreport.security import Role

MIN_PASSWORD_LENGTH = 12
#: Hash checked when the e-mail is unknown, so both cases take the same time.
_DUMMY_HASH = generate_password_hash("not a real password", method="scrypt")


class AccountError(ValueError):
    """A user could not be created; the message says why."""


def normalise_email(email: str) -> str:
    """E-mail addresses compare case-insensitively and without surrounding spaces."""
    return email.strip().lower()


def create_user(session: Session, actor: object, email: str, password: str, role: Role,
                name: str = "") -> User:
    """Create an account; raises AccountError for a taken e-mail or a short password."""
    email = normalise_email(email)
    if "@" not in email:
        raise AccountError("not an e-mail address")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"the password must have at least {MIN_PASSWORD_LENGTH} characters")
    if session.scalar(sa.select(User.id).where(User.email == email)):
        raise AccountError("an account with that e-mail exists")
    user = User(email=email, name=name, role=role,
                password_hash=generate_password_hash(password, method="scrypt"))
    session.add(user)
    session.flush()
    return user


def authenticate(session: Session, email: str, password: str) -> User | None:
    """The enabled user with these credentials, or None (in constant-ish time)."""
    user = session.scalar(sa.select(User).where(User.email == normalise_email(email)))
    if user is None:
        check_password_hash(_DUMMY_HASH, password)
        return None
    if not check_password_hash(user.password_hash, password) or not user.is_enabled:
        return None
    user.last_login_at = utcnow()
    return user


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
