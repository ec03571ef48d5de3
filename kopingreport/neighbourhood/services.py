"""The kontaktombud register: apply, decide, keep current, end."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from kopingreport.accounts.models import User
from kopingreport.db import utcnow
from kopingreport.i18n import _l
from kopingreport.neighbourhood.models import CONFIRM_EVERY, CONSENT_VERSION, LAPSED_AFTER
from kopingreport.neighbourhood.models import ContactState
from kopingreport.neighbourhood.models import NeighbourhoodContact, SignStatus
from kopingreport.reports.areas import area_for_point
from kopingreport.reports.models import Area
from kopingreport.security import Role
from kopingreport.web.fielderror import FieldError

#: States in which a person has a live entry (one at a time).
LIVE_STATES = (ContactState.PENDING, ContactState.APPROVED)


class RegisterError(FieldError):
    """A register change was refused; ``field`` names the form field it concerns (empty:
    the form as a whole)."""

    default_field = ""


@dataclass(frozen=True)
class Application:
    """What a resident applies with (validated by the form)."""

    name: str
    street: str
    households: int
    signs_up: bool
    area_code: str | None = None
    lat: float | None = None
    lon: float | None = None
    phone: str | None = None


def live_entry(session: Session, user_id: int) -> NeighbourhoodContact | None:
    """The person's pending or approved entry, if any."""
    return session.scalar(sa.select(NeighbourhoodContact).where(
        NeighbourhoodContact.user_id == user_id, NeighbourhoodContact.state.in_(LIVE_STATES))
        .order_by(NeighbourhoodContact.created_at.desc()).limit(1))


def area_of(session: Session, data: Application) -> Area:
    """The area of an application: from its point, else from the chosen area."""
    if data.lat is not None and data.lon is not None:
        found = area_for_point(session, data.lat, data.lon)
        if found is None:
            raise RegisterError(_l("This place is outside Köping municipality. Mark a place "
                                   "in the municipality or choose an area from the list."),
                                "area")
        return found
    area = session.scalar(sa.select(Area).where(Area.code == (data.area_code or ""),
                                                Area.is_active))
    if area is None:
        raise RegisterError(_l("Choose an area from the list or mark the place on the map."),
                            "area")
    return area


def apply(session: Session, actor: User, data: Application) -> NeighbourhoodContact:
    """Record an application with the applicant's consent given now."""
    if live_entry(session, actor.id) is not None:
        raise RegisterError(_l("You have already applied. The coordinator will contact you."))
    area = area_of(session, data)
    if data.name.strip():
        actor.name = data.name.strip()
    now = utcnow()
    has_point = data.lat is not None and data.lon is not None
    entry = NeighbourhoodContact(
        user=actor, street=data.street.strip(), area=area, households=data.households,
        lat=data.lat if has_point else None, lon=data.lon if has_point else None,
        phone=data.phone or None, state=ContactState.PENDING, created_at=now,
        sign_status=SignStatus.OK if data.signs_up else SignStatus.MISSING,
        sign_status_at=now, consent_at=now, consent_version=CONSENT_VERSION)
    session.add(entry)
    session.flush()
    return entry


def _decide(entry: NeighbourhoodContact, actor: User, state: ContactState,
            note: str | None) -> None:
    entry.state, entry.decided_at, entry.decided_by_id = state, utcnow(), actor.id
    entry.decision_note = (note or "").strip() or None


def approve(session: Session, actor: User, entry: NeighbourhoodContact,
            note: str | None = None) -> None:
    """Put a pending application in the register; a resident becomes kontaktombud (staff
    and other roles keep theirs)."""
    if entry.state != ContactState.PENDING:
        raise RegisterError(_l("Only a pending application can be approved."))
    if not entry.user.is_email_confirmed:
        raise RegisterError(_l("The applicant has not confirmed the e-mail address yet."))
    _decide(entry, actor, ContactState.APPROVED, note)
    entry.last_confirmed_at = entry.decided_at
    if entry.user.role == Role.RESIDENT:
        entry.user.role = Role.GRANNSAMVERKAN
    session.flush()


def decline(session: Session, actor: User, entry: NeighbourhoodContact,
            note: str | None = None) -> None:
    """Refuse a pending application."""
    if entry.state != ContactState.PENDING:
        raise RegisterError(_l("Only a pending application can be declined."))
    _decide(entry, actor, ContactState.DECLINED, note)
    session.flush()


def end(session: Session, actor: User, entry: NeighbourhoodContact,
        note: str | None = None) -> None:
    """Take an entry out of the register (the contact stepped down, or the coordinator
    removed it); the person goes back to being a resident if it was their only entry."""
    if entry.state not in LIVE_STATES:
        raise RegisterError(_l("This entry is no longer in the register."))
    _decide(entry, actor, ContactState.ENDED, note)
    entry.ended_at = entry.decided_at
    session.flush()
    if entry.user.role == Role.GRANNSAMVERKAN and live_entry(session, entry.user_id) is None:
        entry.user.role = Role.RESIDENT
    session.flush()


def confirm_active(session: Session, entry: NeighbourhoodContact) -> None:
    """The contact confirms they are still active: the yearly clock starts again."""
    if entry.state != ContactState.APPROVED:
        raise RegisterError(_l("This entry is no longer in the register."))
    entry.last_confirmed_at, entry.reminded_at = utcnow(), None
    session.flush()


def record_signs(session: Session, actor: User, entry: NeighbourhoodContact,
                 status: SignStatus) -> None:
    """Record the state of the area's signs."""
    entry.sign_status, entry.sign_status_at = status, utcnow()
    session.flush()


@dataclass(frozen=True)
class RegisterFilter:
    """What the coordinator filters the register by (all optional)."""

    state: str = ""
    area_code: str = ""
    sign_status: str = ""
    text: str = ""


def register_query(filters: RegisterFilter, now: datetime | None = None
                   ) -> sa.Select[tuple[NeighbourhoodContact]]:
    """Entries matching the state, area and sign filters, by area and street. The state
    filter also takes ``due`` and ``lapsed`` (approved entries whose confirmation is late)."""
    entry, now = NeighbourhoodContact, now or utcnow()
    query = sa.select(entry).join(entry.area)
    late = entry.last_confirmed_at < now - LAPSED_AFTER
    if filters.state == "lapsed":
        query = query.where(entry.state == ContactState.APPROVED, late)
    elif filters.state == "due":
        query = query.where(entry.state == ContactState.APPROVED,
                            entry.last_confirmed_at < now - CONFIRM_EVERY, sa.not_(late))
    elif filters.state:
        query = query.where(entry.state == filters.state)
    if filters.area_code:
        query = query.where(Area.code == filters.area_code)
    if filters.sign_status:
        query = query.where(entry.sign_status == filters.sign_status)
    return query.order_by(Area.name, entry.street, entry.id)


def find_entries(session: Session, filters: RegisterFilter) -> list[NeighbourhoodContact]:
    """The register filtered; the text search runs here rather than in SQL because SQLite
    compares only ASCII letters case-insensitively (Å, Ä, Ö are common in street names)."""
    entries = session.scalars(register_query(filters)).unique()
    needle = filters.text.casefold()
    return [e for e in entries if not needle or any(
        needle in (text or "").casefold() for text in (e.street, e.user.name, e.user.email))]
