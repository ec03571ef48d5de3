"""Messages about accessibility barriers, sent from the accessibility statement."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from kopingreport.db import Base, UTCDateTime, utcnow

MESSAGE_MAX = 2000
PAGE_MAX = 300


class BarrierReport(Base):
    """Someone could not use a page: what, where and (optionally) how to answer them.

    Kept for ``RETENTION_BARRIER_REPORT_DAYS`` (the purge removes older ones).
    """

    __tablename__ = "barrier_reports"

    id: Mapped[int] = mapped_column(primary_key=True)
    message: Mapped[str] = mapped_column(sa.Text)
    page: Mapped[str] = mapped_column(sa.String(PAGE_MAX), default="")
    email: Mapped[str | None] = mapped_column(sa.String(254))
    locale: Mapped[str] = mapped_column(sa.String(5))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
