"""API keys for Open311 ``POST requests``: one or more per partner organisation, made by the
administrator, shown once, stored only as SHA-256."""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from kopingreport.accounts.models import Organisation
from kopingreport.db import utcnow
from kopingreport.i18n import _l
from kopingreport.open311.models import ApiKey
from kopingreport.situation.errors import SituationError

PREFIX = "kr311_"


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def issue(session: Session, actor: Any, organisation_id: int, label: str) -> tuple[ApiKey, str]:
    """A new key for an active organisation; returns the stored row and the key itself (the
    only time it exists outside the caller's screen)."""
    organisation = session.get(Organisation, organisation_id)
    if organisation is None or not organisation.is_active:
        raise SituationError(_l("Choose an organisation from the list."), "organisation")
    if not label.strip():
        raise SituationError(_l("Say what the key is for, e.g. the system that uses it."),
                             "label")
    key = PREFIX + secrets.token_urlsafe(32)
    row = ApiKey(organisation_id=organisation.id, label=label.strip()[:100], key_hash=_hash(key),
                 prefix=key[:12], created_by_id=getattr(actor, "id", None))
    session.add(row)
    session.flush()
    return row, key


def revoke(session: Session, key: ApiKey) -> None:
    """Stop a key from working."""
    if key.revoked_at is None:
        key.revoked_at = utcnow()
    session.flush()


def find_active(session: Session, key: str | None) -> ApiKey | None:
    """The active key matching ``key`` of an active organisation (and mark it used)."""
    if not key or len(key) > 200:
        return None
    row = session.scalar(sa.select(ApiKey).where(ApiKey.key_hash == _hash(key),
                                                 ApiKey.revoked_at.is_(None)))
    if row is None or not row.organisation.is_active:
        return None
    row.last_used_at = utcnow()
    return row


def list_keys(session: Session) -> list[ApiKey]:
    """Every key, the newest first."""
    return list(session.scalars(sa.select(ApiKey).order_by(ApiKey.created_at.desc(),
                                                           ApiKey.id.desc())))
