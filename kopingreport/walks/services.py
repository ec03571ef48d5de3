"""Safety walks: plan, let participants add stops, finish, edit and publish the protocol."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

from kopingreport.db import utcnow
from kopingreport.i18n import _l
from kopingreport.reports import areas as area_service
from kopingreport.reports.images import ProcessedPhoto
from kopingreport.reports.models import Area
from kopingreport.reports.photostore import PhotoStore
from kopingreport.walks.models import ParticipantGroup, SafetyWalk, WalkState, WalkStop
from kopingreport.walks.models import WalkStopPhoto
from kopingreport.web.fielderror import FieldError

CHECKLIST_RATINGS = ("ok", "problem", "na")


class WalkError(FieldError):
    """A change the walk refuses; ``field`` names the form field concerned."""


@dataclass(frozen=True)
class WalkInput:
    """What the organiser sets about a walk."""

    title: str
    held_at: datetime
    area_code: str
    meeting_point: str
    organiser_name: str
    participants: Mapping[str, int]
    participant_note: str = ""
    summary: str = ""


@dataclass(frozen=True)
class StopInput:
    """A stop as a participant (or the organiser) describes it."""

    lat: float | None = None
    lon: float | None = None
    accuracy_m: float | None = None
    place: str = ""
    area_code: str = ""
    checklist: Mapping[str, str] = field(default_factory=dict)
    problem: str = ""
    positive: str = ""
    proposal: str = ""
    group: ParticipantGroup | None = None
    photos: Sequence[ProcessedPhoto] = ()


def participant_token(secret: str, walk: SafetyWalk) -> str:
    """The secret part of the participants' link (derived, never stored)."""
    digest = hmac.new(secret.encode(), f"walk:{walk.id}:{walk.salt}".encode(),
                      hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest[:18]).decode()


def token_matches(secret: str, walk: SafetyWalk, token: str) -> bool:
    """Whether ``token`` is this walk's participant token (constant time)."""
    return hmac.compare_digest(participant_token(secret, walk), token)


def _area(session: Session, code: str) -> Area:
    area = session.scalar(sa.select(Area).where(Area.code == code, Area.is_active))
    if area is None:
        raise WalkError(_l("Choose an area from the list."), "area")
    return area


def _participants(counts: Mapping[str, int]) -> dict[str, int]:
    return {g.value: int(counts.get(g.value) or 0) for g in ParticipantGroup
            if int(counts.get(g.value) or 0) > 0}


def save_walk(session: Session, actor: Any, walk: SafetyWalk | None, data: WalkInput
              ) -> SafetyWalk:
    """Plan a new walk or change one."""
    area = _area(session, data.area_code)
    if walk is None:
        walk = SafetyWalk(salt=secrets.token_hex(16), organiser_id=getattr(actor, "id", None),
                          state=WalkState.OPEN)
        session.add(walk)
    walk.title, walk.held_at, walk.area = data.title.strip(), data.held_at, area
    walk.meeting_point, walk.organiser_name = data.meeting_point.strip(), \
        data.organiser_name.strip()
    walk.participants = _participants(data.participants)
    walk.participant_note, walk.summary = data.participant_note.strip(), data.summary.strip()
    session.flush()
    return walk


def _check_stop(data: StopInput) -> None:
    has_point = data.lat is not None and data.lon is not None
    if not (has_point or data.place.strip() or data.area_code):
        raise WalkError(_l("Say where: use your position, mark the map, write a place or "
                           "choose an area."), "place")
    noted = any(v in ("ok", "problem") for v in data.checklist.values())
    if not (noted or data.problem.strip() or data.proposal.strip() or data.positive.strip()
            or data.photos):
        raise WalkError(_l("Note something about the place: the checklist, a problem, a "
                           "proposal or a photo."), "problem")


def add_stop(session: Session, actor: Any, walk: SafetyWalk, data: StopInput, *,
             store: PhotoStore, idempotency_key: str | None = None) -> WalkStop:
    """Add a stop to an open walk; a repeated key returns the stop already added."""
    if idempotency_key:
        existing = session.scalar(sa.select(WalkStop).where(
            WalkStop.idempotency_key == idempotency_key, WalkStop.walk_id == walk.id))
        if existing is not None:
            return existing
    if walk.state != WalkState.OPEN:
        raise WalkError(_l("This walk is over: stops can no longer be added."))
    _check_stop(data)
    position = (session.scalar(sa.select(sa.func.max(WalkStop.position)).where(
        WalkStop.walk_id == walk.id)) or 0) + 1
    stop = WalkStop(walk_id=walk.id, position=position, idempotency_key=idempotency_key,
                    added_by_group=data.group, created_at=utcnow())
    _fill_stop(session, stop, data)
    for number, photo in enumerate(data.photos):
        store.save(photo.sha256, photo.jpeg)
        store.save(photo.thumb_sha256, photo.thumb)
        stop.photos.append(WalkStopPhoto(position=number, sha256=photo.sha256,
                                         thumb_sha256=photo.thumb_sha256, width=photo.width,
                                         height=photo.height))
    session.add(stop)
    session.flush()
    return stop


def _fill_stop(session: Session, stop: WalkStop, data: StopInput) -> None:
    has_point = data.lat is not None and data.lon is not None
    stop.lat, stop.lon = (data.lat, data.lon) if has_point else (None, None)
    stop.accuracy_m = data.accuracy_m if has_point else None
    stop.place = data.place.strip()
    area = _area(session, data.area_code) if data.area_code else None
    if has_point:
        area = area_service.area_for_point(session, data.lat, data.lon) or area  # type: ignore[arg-type]
    stop.area_id = area.id if area else None
    stop.checklist = {k: v for k, v in data.checklist.items() if v in CHECKLIST_RATINGS}
    stop.problem, stop.positive = data.problem.strip(), data.positive.strip()
    stop.proposal = data.proposal.strip()


def edit_stop(session: Session, actor: Any, stop: WalkStop, data: StopInput, *,
              priority: int | None, is_in_protocol: bool) -> None:
    """The organiser edits a stop for the protocol (until the protocol is published)."""
    if stop.walk.state == WalkState.PUBLISHED:
        raise WalkError(_l("The protocol is published. Make it a draft again to change it."))
    _check_stop(data)
    _fill_stop(session, stop, data)
    stop.priority, stop.is_in_protocol = priority, is_in_protocol
    session.flush()


def move_stop(session: Session, actor: Any, stop: WalkStop, step: int) -> None:
    """Move a stop one place earlier (-1) or later (+1) in the protocol."""
    stops = list(stop.walk.stops)
    index = stops.index(stop)
    if 0 <= index + step < len(stops):
        stops[index], stops[index + step] = stops[index + step], stops[index]
        for position, item in enumerate(stops, start=1):
            item.position = position
    session.flush()


def set_state(session: Session, actor: Any, walk: SafetyWalk, state: WalkState) -> None:
    """Finish the walk (no more stops), publish its protocol, or make it a draft again."""
    allowed = {WalkState.OPEN: {WalkState.FINISHED},
               WalkState.FINISHED: {WalkState.OPEN, WalkState.PUBLISHED},
               WalkState.PUBLISHED: {WalkState.FINISHED}}
    if state not in allowed[walk.state]:
        raise WalkError(_l("That is not possible in the walk's present state."))
    if state == WalkState.FINISHED and walk.finished_at is None:
        walk.finished_at = utcnow()
    if state == WalkState.PUBLISHED:
        walk.published_at = utcnow()
    walk.state = state
    session.flush()


def protocol_stops(walk: SafetyWalk) -> list[WalkStop]:
    """The stops that go into the protocol, in order."""
    return [s for s in walk.stops if s.is_in_protocol]


def load_walk(session: Session, walk_id: int) -> SafetyWalk | None:
    """A walk with its stops, photos and åtgärder."""
    return session.scalar(sa.select(SafetyWalk).where(SafetyWalk.id == walk_id).options(
        selectinload(SafetyWalk.stops).selectinload(WalkStop.photos),
        selectinload(SafetyWalk.stops).selectinload(WalkStop.actions)))


def all_walks(session: Session) -> list[SafetyWalk]:
    """Every walk, the latest first."""
    return list(session.scalars(sa.select(SafetyWalk).order_by(SafetyWalk.held_at.desc())))


def published_walks(session: Session, limit: int = 20) -> list[SafetyWalk]:
    """Walks whose protocol is public, the latest first."""
    return list(session.scalars(sa.select(SafetyWalk).where(
        SafetyWalk.state == WalkState.PUBLISHED).order_by(SafetyWalk.held_at.desc())
        .limit(limit)))
