"""The åtgärdsplan of a lägesbild: åtgärder (the shared ``Action`` of walks/) linked to the
document, and follow-up entries that record what happened and move the status on."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from kopingreport.i18n import _l
from kopingreport.situation.errors import SituationError
from kopingreport.situation.models import ActionFollowUp, PlanAction, SituationDocument
from kopingreport.walks import actions as action_service
from kopingreport.walks.models import Action, ActionStatus
from kopingreport.walks.services import WalkError


def add_action(session: Session, actor: Any, document: SituationDocument,
               data: action_service.ActionInput, area_id: int | None = None) -> Action:
    """A new åtgärd in the document's plan."""
    try:
        action = action_service.save_action(session, actor, None, data)
    except WalkError as err:
        raise SituationError(err.message, err.field or "title") from err
    action.area_id = area_id
    session.add(PlanAction(document_id=document.id, action_id=action.id))
    session.flush()
    return action


def link_action(session: Session, document: SituationDocument, action_id: int) -> None:
    """Put an existing åtgärd (e.g. from a safety walk) in the plan."""
    action = session.get(Action, action_id)
    if action is None:
        raise SituationError(_l("Choose an åtgärd from the list."), "action")
    if session.scalar(sa.select(PlanAction.id).where(PlanAction.action_id == action_id)):
        raise SituationError(_l("This åtgärd is already in a plan."), "action")
    session.add(PlanAction(document_id=document.id, action_id=action_id))
    session.flush()


def unplanned_actions(session: Session) -> list[Action]:
    """Åtgärder not yet in any plan (to link)."""
    planned = sa.select(PlanAction.action_id)
    return list(session.scalars(sa.select(Action).where(Action.id.not_in(planned))
                                .order_by(Action.id.desc()).limit(200)))


def follow_up(session: Session, actor: Any, action: Action, note: str, status: str,
              public_reason: str = "") -> ActionFollowUp:
    """Record a follow-up of ``action`` and set its status (a declined one needs a reason
    residents can read)."""
    if not note.strip():
        raise SituationError(_l("Write what was done or found."), "note")
    if status not in set(ActionStatus):
        raise SituationError(_l("Choose a status from the list."), "status")
    data = action_service.ActionInput(
        title=action.title, description=action.description,
        owner_organisation_id=action.owner_organisation_id, owner_text=action.owner_text,
        due_on=action.due_on, status=ActionStatus(status),
        public_reason=public_reason or action.public_reason)
    try:
        action_service.save_action(session, actor, action, data)
    except WalkError as err:
        raise SituationError(err.message, err.field or "note") from err
    entry = ActionFollowUp(action_id=action.id, note=note.strip(), status=status,
                           created_by_id=getattr(actor, "id", None))
    session.add(entry)
    session.flush()
    return entry


def follow_ups(session: Session, action_ids: list[int]) -> dict[int, list[ActionFollowUp]]:
    """The follow-ups of each åtgärd, oldest first."""
    found: dict[int, list[ActionFollowUp]] = {i: [] for i in action_ids}
    if action_ids:
        for entry in session.scalars(sa.select(ActionFollowUp).where(
                ActionFollowUp.action_id.in_(action_ids)).order_by(ActionFollowUp.created_at,
                                                                   ActionFollowUp.id)):
            found[entry.action_id].append(entry)
    return found
