"""Nattvandring walks. The group is the walker's organisation of kind ``nattvandrare``."""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from kopingreport.accounts.models import Organisation, User
from kopingreport.db import Base, UTCDateTime, utcnow
from kopingreport.reports.models import Area

WALKERS_MAX = 50
TALLY_MAX = 999
#: A walk nobody ended stops counting as running after this long.
MAX_LENGTH = timedelta(hours=12)
#: The tallies of a walk's summary, in the order the form asks for them.
TALLIES = ("young_people_met", "conversations", "situations_calmed", "helped_home",
           "substances_seen", "litter_damage_seen", "emergency_calls")


class Nightwalk(Base):
    """One evening's walk of a nattvandring group in an area, with its summary and tallies."""

    __tablename__ = "nightwalks"
    __table_args__ = (
        sa.CheckConstraint(f"walkers BETWEEN 1 AND {WALKERS_MAX}", name="walkers_range"),
        sa.Index("ix_nightwalks_started_at_area_id", "started_at", "area_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id"), index=True)
    area_id: Mapped[int] = mapped_column(sa.ForeignKey("areas.id"))
    walkers: Mapped[int]
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    started_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"))
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    ended_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    summary: Mapped[str | None] = mapped_column(sa.Text)
    #: Young people the walkers met and talked to.
    young_people_met: Mapped[int] = mapped_column(default=0)
    #: Conversations with adults, parents, shop staff and others.
    conversations: Mapped[int] = mapped_column(default=0)
    situations_calmed: Mapped[int] = mapped_column(default=0)
    #: Young people helped home or to a parent or other adult.
    helped_home: Mapped[int] = mapped_column(default=0)
    #: Times alcohol or drugs were seen among young people.
    substances_seen: Mapped[int] = mapped_column(default=0)
    litter_damage_seen: Mapped[int] = mapped_column(default=0)
    #: Calls to 112, the police or the rescue service.
    emergency_calls: Mapped[int] = mapped_column(default=0)

    group: Mapped[Organisation] = relationship(lazy="joined")
    area: Mapped[Area] = relationship(lazy="joined")
    started_by: Mapped[User | None] = relationship(foreign_keys=[started_by_id])

    def running_at(self, moment: datetime) -> bool:
        """Whether the walk was under way at ``moment`` (a forgotten walk ends by itself)."""
        end = self.ended_at or self.started_at + MAX_LENGTH
        return self.started_at - timedelta(minutes=15) <= moment <= end

    @property
    def is_ended(self) -> bool:
        return self.ended_at is not None
