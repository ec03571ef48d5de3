"""Who may do what: one permission vocabulary, roles mapped to permissions, one decorator."""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from functools import wraps
from typing import Any, Protocol, TypeVar

from flask import abort
from flask_login import current_user

F = TypeVar("F", bound=Callable[..., Any])


class Permission(StrEnum):
    """Named permissions, ``scope:resource:action``."""

    REPORTS_READ = "backoffice:reports:read"
    REPORTS_MODERATE = "backoffice:reports:moderate"
    CONTACTS_READ = "backoffice:contacts:read"
    AREAS_MANAGE = "admin:areas:manage"
    USERS_MANAGE = "admin:users:manage"


class Role(StrEnum):
    """Roles of people with an account."""

    PARTNER = "partner"
    MODERATOR = "moderator"
    ANALYST = "analyst"
    ADMIN = "admin"


ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.PARTNER: frozenset(),
    Role.MODERATOR: frozenset({Permission.REPORTS_READ, Permission.REPORTS_MODERATE,
                               Permission.CONTACTS_READ}),
    Role.ANALYST: frozenset({Permission.REPORTS_READ}),
    Role.ADMIN: frozenset(Permission),
}


class Actor(Protocol):
    """Anything with a role (a User) — or an anonymous visitor without one."""

    is_authenticated: bool


def can(user: Any, permission: Permission) -> bool:
    """Whether ``user`` (possibly anonymous or None) holds ``permission``."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    role = getattr(user, "role", None)
    try:
        return permission in ROLE_PERMISSIONS[Role(role)]
    except ValueError:
        return False


def require(permission: Permission) -> Callable[[F], F]:
    """View decorator: anonymous visitors go to login, the wrong role gets 403."""

    def decorator(view: F) -> F:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            from kopingreport.extensions import login_manager

            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if not can(current_user, permission):
                abort(403)
            return view(*args, **kwargs)

        return wrapped  # type: ignore[return-value]

    return decorator
