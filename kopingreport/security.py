"""Who may do what: one permission vocabulary, roles mapped to permissions, one decorator."""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from functools import wraps
from typing import Any, TypeVar

from flask import abort, redirect, url_for
from flask_login import current_user

F = TypeVar("F", bound=Callable[..., Any])


class Permission(StrEnum):
    """Named permissions, ``scope:resource:action``."""

    BACKOFFICE_ACCESS = "backoffice:home:read"
    REPORTS_READ = "backoffice:reports:read"
    REPORTS_MODERATE = "backoffice:reports:moderate"
    CONTACTS_READ = "backoffice:contacts:read"
    NEIGHBOURHOOD_MANAGE = "backoffice:grannsamverkan:manage"
    SURVEYS_MANAGE = "backoffice:surveys:manage"
    NIGHTWALKS_READ = "backoffice:nightwalks:read"
    NIGHTWALK_LOG = "field:nightwalks:log"
    PARTNER_REPORT = "field:reports:partner"
    AREAS_MANAGE = "admin:areas:manage"
    USERS_MANAGE = "admin:users:manage"
    ORGANISATIONS_MANAGE = "admin:organisations:manage"
    SITUATION_READ = "backoffice:situation:read"
    SITUATION_MANAGE = "backoffice:situation:manage"
    SITUATION_SHARE = "admin:situation:share"
    OPEN311_KEYS_MANAGE = "admin:open311:manage"


class Role(StrEnum):
    """Roles of people with an account."""

    RESIDENT = "resident"
    GRANNSAMVERKAN = "grannsamverkan"
    NATTVANDRARE = "nattvandrare"
    PARTNER = "partner"
    MODERATOR = "moderator"
    ANALYST = "analyst"
    ADMIN = "admin"


_STAFF = {Permission.BACKOFFICE_ACCESS, Permission.REPORTS_READ}

ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.RESIDENT: frozenset(),
    Role.GRANNSAMVERKAN: frozenset(),
    Role.NATTVANDRARE: frozenset({Permission.NIGHTWALK_LOG}),
    Role.PARTNER: frozenset({Permission.PARTNER_REPORT}),
    Role.MODERATOR: frozenset(_STAFF | {Permission.REPORTS_MODERATE, Permission.CONTACTS_READ,
                                        Permission.SITUATION_READ}),
    Role.ANALYST: frozenset(_STAFF | {Permission.NEIGHBOURHOOD_MANAGE, Permission.SURVEYS_MANAGE,
                                      Permission.NIGHTWALKS_READ, Permission.SITUATION_READ,
                                      Permission.SITUATION_MANAGE}),
    Role.ADMIN: frozenset(Permission),
}

#: Roles that must use a second factor (TOTP) before they reach the back office.
TWO_FACTOR_ROLES = frozenset({Role.MODERATOR, Role.ANALYST, Role.ADMIN})


def role_of(user: Any) -> Role | None:
    """The role of a logged-in user, or None for visitors."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    try:
        return Role(getattr(user, "role", None))
    except ValueError:
        return None


def can(user: Any, permission: Permission) -> bool:
    """Whether ``user`` (possibly anonymous or None) holds ``permission``."""
    role = role_of(user)
    return role is not None and permission in ROLE_PERMISSIONS[role]


def needs_two_factor_setup(user: Any) -> bool:
    """A staff member who has not yet turned on two-factor authentication."""
    return role_of(user) in TWO_FACTOR_ROLES and not getattr(user, "totp_secret", None)


def require(permission: Permission) -> Callable[[F], F]:
    """View decorator: visitors go to login, staff without 2FA to its set-up, the wrong
    role gets 403."""

    def decorator(view: F) -> F:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            from kopingreport.extensions import login_manager

            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if not can(current_user, permission):
                abort(403)
            if needs_two_factor_setup(current_user):
                return redirect(url_for("accounts.two_factor_setup"))
            return view(*args, **kwargs)

        return wrapped  # type: ignore[return-value]

    return decorator
