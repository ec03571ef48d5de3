"""Public references (KPG-2026-00042) and secret receipt tokens."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from kopingreport.reports.models import ReferenceCounter

REFERENCE_PREFIX = "KPG"


def next_reference(session: Session, year: int) -> str:
    """Hand out the next public reference of ``year``; safe under concurrent submissions."""
    table = ReferenceCounter.__table__
    bump = (sa.update(table).where(table.c.year == year)
            .values(last_number=table.c.last_number + 1).returning(table.c.last_number))
    number = session.execute(bump).scalar()
    if number is None:  # the first report of the year: create its counter, then bump it
        insert = (postgresql.insert if session.get_bind().dialect.name == "postgresql"
                  else sqlite.insert)
        session.execute(insert(table).values(year=year, last_number=0)
                        .on_conflict_do_nothing())
        number = session.execute(bump).scalar_one()
    return f"{REFERENCE_PREFIX}-{year}-{number:05d}"


def new_token(secret: str, idempotency_key: str | None) -> str:
    """A receipt token. With an idempotency key it is derived from it, so a retried
    submission gets the same status link back; without one it is random."""
    if idempotency_key is None:
        return secrets.token_urlsafe(24)
    digest = hmac.new(secret.encode(), b"receipt:" + idempotency_key.encode(), hashlib.sha256)
    return base64.urlsafe_b64encode(digest.digest()[:24]).decode().rstrip("=")


def hash_token(token: str) -> str:
    """What is stored in place of the token."""
    return hashlib.sha256(token.encode()).hexdigest()
