"""``flask purge``: apply the retention periods (run it every night from cron).

Every kind runs in its own transaction, so one failing kind leaves the others done and
itself untouched. Photo files go only after the database no longer names them (after the
commit); running the purge again removes nothing more. A dry run rolls every transaction
back and touches no file, but counts exactly what a real run would remove.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from kopingreport.db import utcnow
from kopingreport.moderation.models import AuditEvent
from kopingreport.privacy import photofiles, sweeps
from kopingreport.privacy.retention import KINDS, Kind, days
from kopingreport.reports.photostore import PhotoStore

log = logging.getLogger(__name__)
FILES = "photo_files"


@dataclass
class PurgeResult:
    """How many items of each kind were (or, in a dry run, would be) removed."""

    dry_run: bool
    counts: dict[str, int] = field(default_factory=dict)
    failed: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        """Items removed over all kinds (files are counted apart)."""
        return sum(n for kind, n in self.counts.items() if kind != FILES)


def _sweeps(config: Mapping[str, Any]) -> dict[str, sweeps.Sweep]:
    return {
        "contacts": sweeps.contacts, "rejected_photos": sweeps.rejected_photos,
        "unconfirmed_accounts": sweeps.unconfirmed_accounts,
        "unused_invitations": sweeps.unused_invitations(int(config["INVITATION_MAX_AGE"])),
        "survey_tokens": sweeps.survey_tokens,
        "declined_applications": sweeps.declined_applications,
        "ended_contacts": sweeps.ended_contacts, "stale_locks": sweeps.stale_locks,
        "barrier_reports": sweeps.barrier_reports,
    }


def purge(session: Session, config: Mapping[str, Any], store: PhotoStore, *,
          dry_run: bool = False, now: datetime | None = None) -> PurgeResult:
    """Remove what has been kept longer than its retention period."""
    now = now or utcnow()
    result, released = PurgeResult(dry_run), set()
    table = _sweeps(config)
    for kind in KINDS:
        if kind.name in table:
            released |= _run_kind(session, kind, table[kind.name],
                                  now - timedelta(days=days(config, kind)), result)
    unused = next(k for k in KINDS if k.name == "unused_photos")
    old = set(photofiles.stored_before(store, now - timedelta(days=days(config, unused))))
    orphans = photofiles.unreferenced(session, old)
    session.rollback()
    result.counts[unused.name] = len(orphans - released)
    gone = released | orphans
    result.counts[FILES] = (sum(store.exists(s) for s in gone) if dry_run
                            else photofiles.remove(store, gone))
    if not dry_run:
        session.add(AuditEvent(report_id=None, actor_id=None, action="purge",
                               after={"counts": result.counts, "failed": result.failed}))
        session.commit()
    return result


def _run_kind(session: Session, kind: Kind, sweep: sweeps.Sweep, cutoff: datetime,
              result: PurgeResult) -> set[str]:
    """One kind in one transaction; returns the photo files it made unreferenced."""
    try:
        swept = sweep(session, cutoff)
        session.flush()
        files = photofiles.unreferenced(session, swept.released)
        if result.dry_run:
            session.rollback()
        else:
            session.commit()
    except SQLAlchemyError:
        session.rollback()
        log.exception("purge of %s failed", kind.name)
        result.failed.append(kind.name)
        return set()
    result.counts[kind.name] = swept.count
    return files
