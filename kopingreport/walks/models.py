"""Safety walks (trygghetsvandringar), their stops and photos, and åtgärder (actions)."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from kopingreport.accounts.models import Organisation
from kopingreport.db import Base, UTCDateTime, utcnow
from kopingreport.reports.models import Area


class WalkState(StrEnum):
    """Open: participants add stops. Finished: the organiser edits the protocol.
    Published: the protocol is public."""

    OPEN = "open"
    FINISHED = "finished"
    PUBLISHED = "published"


class ParticipantGroup(StrEnum):
    """Who takes part in a walk."""

    RESIDENTS = "residents"
    MUNICIPALITY = "kommun"
    POLICE = "polis"
    HOUSING = "kbab"
    POLITICIANS = "politicians"
    OTHER = "other"


class ActionStatus(StrEnum):
    """Where an åtgärd stands; a declined one carries a public reason."""

    PROPOSED = "proposed"
    PLANNED = "planned"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    DECLINED = "declined"


class SafetyWalk(Base):
    """A trygghetsvandring: when, where, who organised it and who took part."""

    __tablename__ = "safety_walks"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(sa.String(150))
    held_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    area_id: Mapped[int] = mapped_column(sa.ForeignKey("areas.id"))
    meeting_point: Mapped[str] = mapped_column(sa.String(200), default="")
    #: The organisation or person named as organiser in the protocol.
    organiser_name: Mapped[str] = mapped_column(sa.String(150))
    organiser_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"))
    #: How many took part, per :class:`ParticipantGroup` value.
    participants: Mapped[dict[str, int]] = mapped_column(sa.JSON, default=dict)
    #: Organisations and roles that took part (no residents' names).
    participant_note: Mapped[str] = mapped_column(sa.Text, default="")
    #: What the closing meeting concluded.
    summary: Mapped[str] = mapped_column(sa.Text, default="")
    state: Mapped[WalkState] = mapped_column(sa.String(20), default=WalkState.OPEN)
    #: Random salt of the participants' link (the link itself is never stored).
    salt: Mapped[str] = mapped_column(sa.String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    area: Mapped[Area] = relationship(lazy="joined")
    stops: Mapped[list[WalkStop]] = relationship(
        back_populates="walk", order_by="WalkStop.position",
        cascade="all, delete-orphan")

    @property
    def participant_total(self) -> int:
        return sum(self.participants.values())


class WalkStop(Base):
    """A place the walk stopped at: point or place, photos, checklist, problem, proposal."""

    __tablename__ = "walk_stops"

    id: Mapped[int] = mapped_column(primary_key=True)
    walk_id: Mapped[int] = mapped_column(sa.ForeignKey("safety_walks.id", ondelete="CASCADE"),
                                         index=True)
    position: Mapped[int]
    lat: Mapped[float | None]
    lon: Mapped[float | None]
    accuracy_m: Mapped[float | None]
    place: Mapped[str] = mapped_column(sa.String(200), default="")
    area_id: Mapped[int | None] = mapped_column(sa.ForeignKey("areas.id"))
    #: Checklist item key → "ok", "problem" or "na".
    checklist: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    problem: Mapped[str] = mapped_column(sa.Text, default="")
    #: What feels safe here.
    positive: Mapped[str] = mapped_column(sa.Text, default="")
    proposal: Mapped[str] = mapped_column(sa.Text, default="")
    added_by_group: Mapped[ParticipantGroup | None] = mapped_column(sa.String(20))
    #: 1 high, 2 medium, 3 low (set by the organiser).
    priority: Mapped[int | None]
    is_in_protocol: Mapped[bool] = mapped_column(default=True)
    idempotency_key: Mapped[str | None] = mapped_column(sa.String(100), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    walk: Mapped[SafetyWalk] = relationship(back_populates="stops")
    area: Mapped[Area | None] = relationship(lazy="joined")
    photos: Mapped[list[WalkStopPhoto]] = relationship(order_by="WalkStopPhoto.position",
                                                       cascade="all, delete-orphan")
    actions: Mapped[list[Action]] = relationship(back_populates="walk_stop",
                                                 order_by="Action.id")


class WalkStopPhoto(Base):
    """A processed, metadata-free photo of a stop (files in the photo store by hash)."""

    __tablename__ = "walk_stop_photos"

    id: Mapped[int] = mapped_column(primary_key=True)
    stop_id: Mapped[int] = mapped_column(sa.ForeignKey("walk_stops.id", ondelete="CASCADE"),
                                         index=True)
    position: Mapped[int]
    sha256: Mapped[str] = mapped_column(sa.String(64))
    thumb_sha256: Mapped[str] = mapped_column(sa.String(64))
    width: Mapped[int]
    height: Mapped[int]


class Action(Base):
    """An åtgärd: a measure with an owner, a due date and a status. Its source is a walk
    stop for now; other sources (the lägesbild's åtgärdsplan) add their own nullable link."""

    __tablename__ = "actions"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(sa.String(300))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    owner_organisation_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("organisations.id", ondelete="SET NULL"))
    #: An owner without an account here (Trafikverket, a property owner …).
    owner_text: Mapped[str] = mapped_column(sa.String(150), default="")
    due_on: Mapped[date | None] = mapped_column(sa.Date)
    status: Mapped[ActionStatus] = mapped_column(sa.String(20), default=ActionStatus.PROPOSED,
                                                 index=True)
    #: Why it was declined, told to residents.
    public_reason: Mapped[str] = mapped_column(sa.Text, default="")
    area_id: Mapped[int | None] = mapped_column(sa.ForeignKey("areas.id"))
    walk_stop_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("walk_stops.id", ondelete="SET NULL"), index=True)
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    owner_organisation: Mapped[Organisation | None] = relationship(lazy="joined")
    area: Mapped[Area | None] = relationship(lazy="joined")
    walk_stop: Mapped[WalkStop | None] = relationship(back_populates="actions")

    @property
    def owner_label(self) -> str:
        """The owner as shown: the organisation's name, else the free text."""
        return self.owner_organisation.name if self.owner_organisation else self.owner_text
