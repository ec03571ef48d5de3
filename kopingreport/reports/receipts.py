"""Public references (KPG-2026-00042) and secret receipt tokens."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from kopingreport.reports.models import ReferenceCounter

REFERENCE_PREFIX = "KPG"


_COUNTERS = ReferenceCounter.__table__
#: Built once: a prebuilt statement keeps its compiled form and cache key between requests.
_BUMP = (sa.update(_COUNTERS).where(_COUNTERS.c.year == sa.bindparam("counter_year"))
         .values(last_number=_COUNTERS.c.last_number + 1).returning(_COUNTERS.c.last_number))


def next_reference(session: Session, year: int,
                   unless: tuple[sa.Column[Any], Any] | None = None) -> str | None:
    """Hand out the next public reference of ``year``; safe under concurrent submissions.
    With ``unless=(column, value)``: no number, and None, when a row with that value is
    stored already (the idempotency key of a retry)."""
    params: dict[str, Any] = {"counter_year": year}
    bump = _BUMP
    if unless is not None:
        bump = _bump_unless_stored(unless[0])
        params[unless[0].key] = unless[1]
    number = session.execute(bump, params).scalar()
    if number is None:  # the year's first report (no counter yet), or the value is stored
        ensure_counter(session, year)
        number = session.execute(bump, params).scalar()
        if number is None:  # the counter exists: the value is stored
            return None
    return f"{REFERENCE_PREFIX}-{year}-{number:05d}"


@lru_cache(maxsize=8)
def _bump_unless_stored(unique: sa.Column[Any]) -> sa.Update:
    """The counter's bump, unless a row with ``unique`` = its bound value exists."""
    return _BUMP.where(~sa.exists().where(
        unique == sa.bindparam(unique.key, type_=unique.type)))


def numbered_insert(table: sa.Table, columns: Sequence[sa.Column[Any]],
                    unique: sa.Column[Any]) -> sa.Insert:
    """PostgreSQL: one statement that takes the year's next number (``counter_year``) and
    INSERTs a row of ``table`` with ``columns`` (bound by their keys) and the reference
    made from it, returning ``id`` and ``reference`` — unless a row with the same value in
    ``unique`` (the idempotency key) is stored already: then nothing happens and no row
    comes back. Run alone outside a transaction, it commits itself, and the counter row
    stays locked only while the server runs and commits it: no round trip to the app (and
    its busy processor) in between. The first statement of a year finds no counter and
    inserts nothing either: ``ensure_counter``, then again. Numbers stay gapless: a failed
    INSERT (two retries of one report at once) undoes its bump too."""
    bumped = _bump_unless_stored(unique).cte("bumped")
    number = sa.cast(bumped.c.last_number, sa.Text)
    reference = (sa.literal(f"{REFERENCE_PREFIX}-", sa.Text)
                 + sa.cast(sa.bindparam("counter_year", type_=sa.Integer), sa.Text) + "-"
                 + sa.func.lpad(number, sa.func.greatest(5, sa.func.length(number)), "0"))
    rows = sa.select(*[sa.bindparam(c.key, type_=c.type) for c in columns],
                     reference).select_from(bumped)
    return (sa.insert(table).from_select([*[c.key for c in columns], "reference"], rows,
                                         include_defaults=False)
            .add_cte(bumped).returning(table.c.id, table.c.reference))


def ensure_counter(session: Session, year: int) -> None:
    """Create the counter of ``year`` unless it exists (a concurrent request may too)."""
    insert = (postgresql.insert if session.get_bind().dialect.name == "postgresql"
              else sqlite.insert)
    session.execute(insert(_COUNTERS).values(year=year, last_number=0).on_conflict_do_nothing())


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
