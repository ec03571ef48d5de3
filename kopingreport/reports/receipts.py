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


_COUNTERS = ReferenceCounter.__table__
#: Built once: a prebuilt statement keeps its compiled form and cache key between requests.
_BUMP = (sa.update(_COUNTERS).where(_COUNTERS.c.year == sa.bindparam("counter_year"))
         .values(last_number=_COUNTERS.c.last_number + 1).returning(_COUNTERS.c.last_number))


def next_reference(session: Session, year: int) -> str:
    """Hand out the next public reference of ``year``; safe under concurrent submissions."""
    number = session.execute(_BUMP, {"counter_year": year}).scalar()
    if number is None:  # the first report of the year: create its counter, then bump it
        insert = (postgresql.insert if session.get_bind().dialect.name == "postgresql"
                  else sqlite.insert)
        session.execute(insert(_COUNTERS).values(year=year, last_number=0)
                        .on_conflict_do_nothing())
        number = session.execute(_BUMP, {"counter_year": year}).scalar_one()
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
