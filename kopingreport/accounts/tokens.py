"""Signed, expiring tokens for e-mail links (password reset, e-mail confirmation).

A token names the user and the user's ``session_version``; changing the password bumps the
version, so a reset link works once.
"""

from __future__ import annotations

from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy.orm import Session

from kopingreport.accounts.models import User


def _serializer(secret: str, purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret, salt=f"account-{purpose}")


def make_token(secret: str, purpose: str, user: User) -> str:
    """A token for ``purpose`` ("reset" or "confirm") bound to the user's current version."""
    return _serializer(secret, purpose).dumps({"id": user.id, "v": user.session_version})


def read_token(session: Session, secret: str, purpose: str, token: str, max_age: int
               ) -> User | None:
    """The user a token names, if it is genuine, fresh and still current."""
    try:
        data = _serializer(secret, purpose).loads(token, max_age=max_age)
        user = session.get(User, int(data["id"]))
    except (BadSignature, KeyError, TypeError, ValueError):
        return None
    if user is None or user.session_version != data.get("v") or not user.is_enabled:
        return None
    return user
