"""Accounts and organisations. Residents report without an account; an account is for
people with a role (and residents who want their reports in one place)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship

from kopingreport.db import Base, UTCDateTime, utcnow
from kopingreport.security import Role


class OrganisationKind(StrEnum):
    """Kinds of partner organisations."""

    MUNICIPALITY = "kommun"
    POLICE = "polis"
    RESCUE = "rtmd"
    SECURITY = "vaktare"
    HOUSING = "kbab"
    NIGHTWALKERS = "nattvandrare"
    OTHER = "other"


class Organisation(Base):
    """A partner organisation or unit (kommun, polis, RTMD, väktarbolag, KBAB, a
    nattvandring association …)."""

    __tablename__ = "organisations"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(120), unique=True)
    kind: Mapped[OrganisationKind] = mapped_column(sa.String(20))
    #: Reports by this organisation's members go straight to "accepted".
    skips_moderation: Mapped[bool] = mapped_column(default=False)
    is_active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class User(UserMixin, Base):
    """A person who logs in."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    name: Mapped[str] = mapped_column(sa.String(100), default="")
    password_hash: Mapped[str] = mapped_column(sa.String(255))
    role: Mapped[Role] = mapped_column(sa.String(20))
    organisation_id: Mapped[int | None] = mapped_column(sa.ForeignKey("organisations.id"))
    is_enabled: Mapped[bool] = mapped_column(default=True)
    is_email_confirmed: Mapped[bool] = mapped_column(default=True)
    #: Base32 TOTP secret once two-factor authentication is turned on.
    totp_secret: Mapped[str | None] = mapped_column(sa.String(64))
    #: Last accepted TOTP time step, so a code cannot be used twice.
    totp_last_step: Mapped[int | None]
    #: Changes whenever the password does, so that old sessions and reset links stop working.
    session_version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    organisation: Mapped[Organisation | None] = relationship(lazy="joined")

    @property
    def is_active(self) -> bool:  # type: ignore[override]
        return self.is_enabled

    def get_id(self) -> str:
        return f"{self.id}:{self.session_version}"
