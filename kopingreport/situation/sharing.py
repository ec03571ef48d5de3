"""Who sees the lägesbild: moderators and the coordinator always; members of a partner
organisation as much as the administrator allows for their organisation."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

import sqlalchemy as sa
from flask import g
from flask_login import current_user
from sqlalchemy.orm import Session

from kopingreport.accounts.models import Organisation
from kopingreport.db import get_session
from kopingreport.security import Permission, Role, can, require, role_of
from kopingreport.situation.models import PartnerShare, ShareLevel

F = TypeVar("F", bound=Callable[..., Any])


def level_of(session: Session, user: Any) -> ShareLevel:
    """What ``user`` may see: FULL with the read permission, else their organisation's share."""
    if can(user, Permission.SITUATION_READ):
        return ShareLevel.FULL
    organisation_id = getattr(user, "organisation_id", None)
    if role_of(user) != Role.PARTNER or organisation_id is None:
        return ShareLevel.NONE
    share = session.get(PartnerShare, organisation_id)
    return ShareLevel(share.level) if share else ShareLevel.NONE


def sees_situation(user: Any) -> bool:
    """Whether ``user`` may open the dashboard (for the navigation: partners whose
    organisation is shared get the link too)."""
    if not getattr(user, "is_authenticated", False):
        return False
    return level_of(get_session(), user) != ShareLevel.NONE


def require_view(minimum: ShareLevel = ShareLevel.SUMMARY) -> Callable[[F], F]:
    """Like ``@require(SITUATION_READ)``, but a partner whose organisation is shared at least
    ``minimum`` gets in too; the level is left in ``g.situation_level`` for the view."""

    def decorator(view: F) -> F:
        guarded = require(Permission.SITUATION_READ)(view)

        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if current_user.is_authenticated and not can(current_user,
                                                         Permission.SITUATION_READ):
                level = level_of(get_session(), current_user)
                order = [ShareLevel.NONE, ShareLevel.SUMMARY, ShareLevel.FULL]
                if order.index(level) >= order.index(minimum):
                    g.situation_level = level
                    return view(*args, **kwargs)
            g.situation_level = ShareLevel.FULL
            return guarded(*args, **kwargs)

        return wrapped  # type: ignore[return-value]

    return decorator


def current_level() -> ShareLevel:
    """The level ``require_view`` granted for this request."""
    return ShareLevel(g.get("situation_level", ShareLevel.NONE))


def partner_shares(session: Session) -> list[tuple[Organisation, ShareLevel]]:
    """Every active organisation with what its members see."""
    shares = {s.organisation_id: ShareLevel(s.level) for s in session.scalars(
        sa.select(PartnerShare))}
    organisations = session.scalars(sa.select(Organisation).where(Organisation.is_active)
                                    .order_by(Organisation.name))
    return [(o, shares.get(o.id, ShareLevel.NONE)) for o in organisations]


def set_shares(session: Session, actor: Any, levels: dict[int, ShareLevel]) -> None:
    """Store the administrator's choice per organisation id."""
    known = {o.id for o in session.scalars(sa.select(Organisation))}
    for organisation_id, level in levels.items():
        if organisation_id not in known:
            continue
        share = session.get(PartnerShare, organisation_id)
        if share is None:
            share = PartnerShare(organisation_id=organisation_id)
            session.add(share)
        share.level, share.updated_by_id = level, getattr(actor, "id", None)
    session.flush()
