"""The grannsamverkan register: kontaktombud entries and the messages sent to them."""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from kopingreport.accounts.models import User
from kopingreport.db import Base, UTCDateTime, utcnow
from kopingreport.reports.models import Area


class ContactState(StrEnum):
    """Where an entry is: applied, in the register, refused, or ended (stepped down or
    removed). "Lapsed" is not a state: it is computed from the last yearly confirmation."""

    PENDING = "pending"
    APPROVED = "approved"
    DECLINED = "declined"
    ENDED = "ended"


class SignStatus(StrEnum):
    """The grannsamverkan signs of the area, as last recorded."""

    OK = "ok"
    MISSING = "missing"
    DAMAGED = "damaged"
    ORDERED = "ordered"


class Confirmation(StrEnum):
    """How current an approved entry's yearly confirmation is."""

    CURRENT = "current"
    DUE = "due"
    LAPSED = "lapsed"


#: A reminder goes out a month before the year is up; after a year the confirmation is
#: due, and after a further month's grace the entry counts as lapsed.
REMIND_AFTER = timedelta(days=335)
CONFIRM_EVERY = timedelta(days=365)
LAPSED_AFTER = CONFIRM_EVERY + timedelta(days=30)
HOUSEHOLDS_MAX = 2000
#: The version of the consent text the applicant agreed to (change it with the text).
CONSENT_VERSION = "2026-1"


class NeighbourhoodContact(Base):
    """A kontaktombud: the application and, once approved, the register entry."""

    __tablename__ = "neighbourhood_contacts"
    __table_args__ = (
        sa.CheckConstraint(f"households BETWEEN 1 AND {HOUSEHOLDS_MAX}",
                           name="households_range"),
        sa.Index("ix_neighbourhood_contacts_state_area_id", "state", "area_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"),
                                         index=True)
    #: Street or local name of the grannsamverkan area, as the contact calls it.
    street: Mapped[str] = mapped_column(sa.String(120))
    area_id: Mapped[int] = mapped_column(sa.ForeignKey("areas.id"))
    lat: Mapped[float | None]
    lon: Mapped[float | None]
    households: Mapped[int]
    phone: Mapped[str | None] = mapped_column(sa.String(40))
    sign_status: Mapped[SignStatus] = mapped_column(sa.String(10))
    sign_status_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    state: Mapped[ContactState] = mapped_column(sa.String(10), default=ContactState.PENDING)
    consent_at: Mapped[datetime] = mapped_column(UTCDateTime)
    consent_version: Mapped[str] = mapped_column(sa.String(20))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"))
    decision_note: Mapped[str | None] = mapped_column(sa.String(500))
    #: Set on approval and on every yearly "still active" confirmation.
    last_confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship(foreign_keys=[user_id], lazy="joined")
    area: Mapped[Area] = relationship(lazy="joined")
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])

    def confirmation(self, now: datetime | None = None) -> Confirmation | None:
        """For approved entries: current, due (over a year) or lapsed (past the grace)."""
        if self.state != ContactState.APPROVED or self.last_confirmed_at is None:
            return None
        age = (now or utcnow()) - self.last_confirmed_at
        if age > LAPSED_AFTER:
            return Confirmation.LAPSED
        return Confirmation.DUE if age > CONFIRM_EVERY else Confirmation.CURRENT


message_areas = sa.Table(
    "neighbourhood_message_areas", Base.metadata,
    sa.Column("message_id", sa.ForeignKey("neighbourhood_messages.id", ondelete="CASCADE"),
              primary_key=True),
    sa.Column("area_id", sa.ForeignKey("areas.id"), primary_key=True),
)


class NeighbourhoodMessage(Base):
    """A message the coordinator sent to every active kontaktombud in some areas."""

    __tablename__ = "neighbourhood_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    subject: Mapped[str] = mapped_column(sa.String(150))
    body: Mapped[str] = mapped_column(sa.Text)
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    recipient_count: Mapped[int]

    areas: Mapped[list[Area]] = relationship(secondary=message_areas, order_by=Area.name)
    sent_by: Mapped[User | None] = relationship()
