"""Reports, their photos, contact details, areas and the reference counter."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from kopingreport.db import Base, UTCDateTime, utcnow
from kopingreport.reports.states import LocationSource, ReporterKind, ReportState


class Area(Base):
    """A named polygon (district, locality or rural area) reports are assigned to."""

    __tablename__ = "areas"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(40), unique=True)
    name: Mapped[str] = mapped_column(sa.String(100))
    kind: Mapped[str] = mapped_column(sa.String(20))
    #: GeoJSON MultiPolygon geometry ([lon, lat] positions).
    geometry: Mapped[dict[str, Any]] = mapped_column(sa.JSON)
    min_lon: Mapped[float]
    min_lat: Mapped[float]
    max_lon: Mapped[float]
    max_lat: Mapped[float]
    is_active: Mapped[bool] = mapped_column(default=True)


class Report(Base):
    """One submission from a resident or partner."""

    __tablename__ = "reports"
    #: The lägesbild's period aggregates read only this index (a covering index): the
    #: created_at range, then every column they filter or group on, and updated_at, which
    #: tells whether a period's reports changed (kopingreport/situation).
    __table_args__ = (sa.Index("ix_reports_picture", "created_at", "state", "area_id",
                               "category", "reporter_kind", "organisation_id", "lat", "lon",
                               "occurred_at", "updated_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Public reference, e.g. KPG-2026-00042.
    reference: Mapped[str] = mapped_column(sa.String(20), unique=True)
    #: SHA-256 of the secret receipt token; the token itself is never stored.
    receipt_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    #: Client-chosen key that makes retries safe; with payload_hash it detects reuse.
    idempotency_key: Mapped[str | None] = mapped_column(sa.String(100), unique=True)
    payload_hash: Mapped[str] = mapped_column(sa.String(64))
    category: Mapped[str] = mapped_column(sa.String(40))
    description: Mapped[str] = mapped_column(sa.Text)
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    lat: Mapped[float | None]
    lon: Mapped[float | None]
    accuracy_m: Mapped[float | None]
    location_source: Mapped[LocationSource] = mapped_column(sa.String(10))
    place: Mapped[str | None] = mapped_column(sa.String(200))
    area_id: Mapped[int | None] = mapped_column(sa.ForeignKey("areas.id"), index=True)
    is_outside_municipality: Mapped[bool] = mapped_column(default=False)
    reporter_kind: Mapped[ReporterKind] = mapped_column(sa.String(20))
    #: The account that sent it, if the reporter was logged in.
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"),
                                                index=True)
    #: The partner organisation the reporter belongs to.
    organisation_id: Mapped[int | None] = mapped_column(sa.ForeignKey("organisations.id"),
                                                        index=True)
    #: The nattvandring walk the report was made on (walkers only; see nightwalks).
    nightwalk_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("nightwalks.id", ondelete="SET NULL"), index=True)
    #: Indexed by the queue's (state, created_at, id) and (state, area, category, created_at).
    state: Mapped[ReportState] = mapped_column(sa.String(20), default=ReportState.NEW)
    priority: Mapped[int] = mapped_column(default=0)
    #: Language the reporter used, for replies.
    locale: Mapped[str] = mapped_column(sa.String(5))
    #: Moderated text the public may see (issue: moderation); None until set.
    public_text: Mapped[str | None] = mapped_column(sa.Text)
    public_reply: Mapped[str | None] = mapped_column(sa.Text)
    is_public: Mapped[bool] = mapped_column(default=False)

    area: Mapped[Area | None] = relationship(lazy="joined")
    photos: Mapped[list[Photo]] = relationship(back_populates="report", order_by="Photo.position",
                                               cascade="all, delete-orphan")
    contact: Mapped[ReportContact | None] = relationship(back_populates="report",
                                                         cascade="all, delete-orphan")


class Photo(Base):
    """A processed, metadata-free photo of a report; files live in the photo store by hash."""

    __tablename__ = "photos"
    __table_args__ = (sa.UniqueConstraint("report_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(sa.ForeignKey("reports.id", ondelete="CASCADE"))
    position: Mapped[int]
    sha256: Mapped[str] = mapped_column(sa.String(64), index=True)
    thumb_sha256: Mapped[str] = mapped_column(sa.String(64))
    width: Mapped[int]
    height: Mapped[int]
    size_bytes: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    report: Mapped[Report] = relationship(back_populates="photos")


class ReportContact(Base):
    """Optional contact details, kept apart from the report and purged on a schedule."""

    __tablename__ = "report_contacts"

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(sa.ForeignKey("reports.id", ondelete="CASCADE"),
                                           unique=True)
    email: Mapped[str | None] = mapped_column(sa.String(254))
    phone: Mapped[str | None] = mapped_column(sa.String(40))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    report: Mapped[Report] = relationship(back_populates="contact")


class ReferenceCounter(Base):
    """The last reference number handed out per year."""

    __tablename__ = "reference_counters"

    year: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    last_number: Mapped[int] = mapped_column(default=0)
