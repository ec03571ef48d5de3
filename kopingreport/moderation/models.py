"""Case data of moderated reports, internal notes, photo redactions and the audit log."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from kopingreport.accounts.models import Organisation, User
from kopingreport.db import Base, UTCDateTime, utcnow


class PublicPrecision(StrEnum):
    """How precisely the public may see where a report was made."""

    EXACT = "exact"
    STREET = "street"
    AREA = "area"


class ReportCase(Base):
    """Moderation data of one report (kept apart from what the reporter sent)."""

    __tablename__ = "report_cases"

    report_id: Mapped[int] = mapped_column(sa.ForeignKey("reports.id", ondelete="CASCADE"),
                                           primary_key=True)
    assignee_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), index=True)
    #: The organisation or unit the report was handed to.
    organisation_id: Mapped[int | None] = mapped_column(sa.ForeignKey("organisations.id"))
    unit: Mapped[str | None] = mapped_column(sa.String(100))
    due_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    duplicate_of_id: Mapped[int | None] = mapped_column(sa.ForeignKey("reports.id"))
    #: For "not ours": where the resident should turn instead.
    channel: Mapped[str | None] = mapped_column(sa.String(200))
    close_reason: Mapped[str | None] = mapped_column(sa.Text)
    public_precision: Mapped[PublicPrecision] = mapped_column(sa.String(10),
                                                              default=PublicPrecision.AREA)
    locked_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    locked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    assignee: Mapped[User | None] = relationship(foreign_keys=[assignee_id], lazy="joined")
    organisation: Mapped[Organisation | None] = relationship(lazy="joined")
    locked_by: Mapped[User | None] = relationship(foreign_keys=[locked_by_id], lazy="joined")


class ReportNote(Base):
    """An internal note; never shown to the reporter or the public."""

    __tablename__ = "report_notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(sa.ForeignKey("reports.id", ondelete="CASCADE"),
                                           index=True)
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    text: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    author: Mapped[User | None] = relationship(lazy="joined")


class PhotoRedaction(Base):
    """A redacted copy of a photo; the newest one is what anyone outside moderation sees."""

    __tablename__ = "photo_redactions"

    id: Mapped[int] = mapped_column(primary_key=True)
    photo_id: Mapped[int] = mapped_column(sa.ForeignKey("photos.id", ondelete="CASCADE"),
                                          index=True)
    sha256: Mapped[str] = mapped_column(sa.String(64))
    thumb_sha256: Mapped[str] = mapped_column(sa.String(64))
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class AuditEvent(Base):
    """One change or sensitive view of a report: who, when, what, before and after.

    Append-only: nothing in the application updates or deletes these rows.
    """

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: None for events about no single report (a purge, an account deleted by its owner).
    report_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("reports.id", ondelete="CASCADE"), index=True)
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    action: Mapped[str] = mapped_column(sa.String(40))
    before: Mapped[dict[str, Any] | None] = mapped_column(sa.JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(sa.JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    actor: Mapped[User | None] = relationship(lazy="joined")



def _queue_indexes() -> tuple[sa.Index, sa.Index]:
    from kopingreport.reports.models import Report

    reports = Report.__table__.c
    return (sa.Index("ix_reports_state_created_at_id", reports.state, reports.created_at,
                     reports.id),
            sa.Index("ix_reports_state_area_category_created_at", reports.state,
                     reports.area_id, reports.category, reports.created_at))


#: The queue's default order within a state (newest first, ties by id), and the queue
#: filtered by area and category within a state (declared beside the queue that needs them).
QUEUE_INDEX, QUEUE_FILTER_INDEX = _queue_indexes()
