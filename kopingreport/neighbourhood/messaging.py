"""Messages to kontaktombud in chosen areas, and who is due for the yearly reminder."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from kopingreport.accounts.models import User
from kopingreport.db import utcnow
from kopingreport.i18n import _l
from kopingreport.neighbourhood.models import LAPSED_AFTER, REMIND_AFTER, ContactState
from kopingreport.neighbourhood.models import NeighbourhoodContact, NeighbourhoodMessage
from kopingreport.neighbourhood.services import RegisterError
from kopingreport.reports.models import Area

#: At most one reminder a month.
REMIND_EVERY = timedelta(days=28)


def _active(now: datetime) -> sa.ColumnElement[bool]:
    """Approved, not lapsed, and reachable (enabled account, confirmed e-mail)."""
    entry = NeighbourhoodContact
    return sa.and_(entry.state == ContactState.APPROVED,
                   entry.last_confirmed_at >= now - LAPSED_AFTER, User.is_enabled,
                   User.is_email_confirmed)


def active_contacts(session: Session, area_ids: Sequence[int]) -> list[NeighbourhoodContact]:
    """The active kontaktombud of these areas."""
    query = sa.select(NeighbourhoodContact).join(NeighbourhoodContact.user).where(
        _active(utcnow()), NeighbourhoodContact.area_id.in_(list(area_ids)))
    return list(session.scalars(query))


def active_counts(session: Session) -> dict[int, int]:
    """How many active kontaktombud each area has (area id → count)."""
    query = sa.select(NeighbourhoodContact.area_id, sa.func.count()).join(
        NeighbourhoodContact.user).where(_active(utcnow())).group_by(
        NeighbourhoodContact.area_id)
    return {area_id: number for area_id, number in session.execute(query)}


def record_message(session: Session, actor: User, *, subject: str, body: str,
                   area_codes: Sequence[str]) -> tuple[NeighbourhoodMessage, list[str]]:
    """Store a message to the active kontaktombud of the chosen areas; returns it with the
    recipients' e-mail addresses (each once). The caller sends the e-mails after commit."""
    areas = list(session.scalars(sa.select(Area).where(Area.code.in_(list(area_codes)),
                                                       Area.is_active)))
    if not areas or len(areas) != len(set(area_codes)):
        raise RegisterError(_l("Choose one or more areas from the list."), "areas")
    emails = sorted({c.user.email for c in active_contacts(session, [a.id for a in areas])})
    if not emails:
        raise RegisterError(_l("There are no active contacts in the chosen areas."), "areas")
    message = NeighbourhoodMessage(subject=subject.strip(), body=body.strip(), areas=areas,
                                   sent_by_id=actor.id, sent_at=utcnow(),
                                   recipient_count=len(emails))
    session.add(message)
    session.flush()
    return message, emails


def due_for_reminder(session: Session, now: datetime | None = None
                     ) -> list[NeighbourhoodContact]:
    """Approved entries near or past their yearly confirmation (but not yet lapsed) that
    have not had a reminder this month."""
    now, entry = now or utcnow(), NeighbourhoodContact
    query = sa.select(entry).join(entry.user).where(
        _active(now), entry.last_confirmed_at < now - REMIND_AFTER,
        sa.or_(entry.reminded_at.is_(None), entry.reminded_at < now - REMIND_EVERY))
    return list(session.scalars(query.order_by(entry.id)))
