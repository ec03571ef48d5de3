"""Åtgärder: each proposed measure gets an owner, a due date and a status; a declined one
gets a reason that residents can read."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from kopingreport.accounts.models import Organisation
from kopingreport.db import utcnow
from kopingreport.i18n import _l
from kopingreport.walks.models import Action, ActionStatus, WalkStop
from kopingreport.walks.services import WalkError

#: Statuses that still need work.
OPEN_STATUSES = (ActionStatus.PROPOSED, ActionStatus.PLANNED, ActionStatus.IN_PROGRESS)


@dataclass(frozen=True)
class ActionInput:
    """What the åtgärd form sets."""

    title: str
    description: str = ""
    owner_organisation_id: int | None = None
    owner_text: str = ""
    due_on: date | None = None
    status: ActionStatus = ActionStatus.PROPOSED
    public_reason: str = ""


def _check(session: Session, data: ActionInput) -> None:
    if not data.title.strip():
        raise WalkError(_l("Describe the åtgärd."), "title")
    if data.owner_organisation_id is not None and session.get(
            Organisation, data.owner_organisation_id) is None:
        raise WalkError(_l("Choose an organisation from the list."), "owner_organisation")
    if data.status == ActionStatus.DECLINED and not data.public_reason.strip():
        raise WalkError(_l("Say why the åtgärd is declined. Residents can read the reason."),
                        "public_reason")


def save_action(session: Session, actor: Any, action: Action | None, data: ActionInput,
                stop: WalkStop | None = None) -> Action:
    """Create an åtgärd (from a walk stop's proposal, or on its own) or change one."""
    _check(session, data)
    if action is None:
        action = Action(created_by_id=getattr(actor, "id", None), walk_stop=stop,
                        area_id=stop.area_id if stop else None)
        session.add(action)
    action.title, action.description = data.title.strip(), data.description.strip()
    action.owner_organisation_id = data.owner_organisation_id
    action.owner_text = data.owner_text.strip()
    action.due_on = data.due_on
    if data.status == ActionStatus.DONE and action.status != ActionStatus.DONE:
        action.completed_at = utcnow()
    elif data.status != ActionStatus.DONE:
        action.completed_at = None
    action.status = data.status
    action.public_reason = data.public_reason.strip() \
        if data.status == ActionStatus.DECLINED else ""
    session.flush()
    return action


def list_actions(session: Session, status: ActionStatus | None = None,
                 overdue_on: date | None = None) -> list[Action]:
    """Åtgärder, the soonest due first; ``overdue_on`` keeps open ones due before that day."""
    query = sa.select(Action)
    if status is not None:
        query = query.where(Action.status == status)
    if overdue_on is not None:
        query = query.where(Action.status.in_(OPEN_STATUSES), Action.due_on < overdue_on)
    return list(session.scalars(query.order_by(Action.due_on.is_(None), Action.due_on,
                                               Action.id)))


def is_overdue(action: Action, today: date) -> bool:
    """Open and past its due date."""
    return action.status in OPEN_STATUSES and action.due_on is not None and action.due_on < today
