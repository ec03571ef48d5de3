"""Freezing the picture for a meeting, so decisions can refer to a fixed picture later."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from kopingreport.i18n import _l
from kopingreport.situation.errors import SituationError
from kopingreport.situation import picture
from kopingreport.situation.models import Snapshot
from kopingreport.situation.params import Choice, local_midnight


def freeze(session: Session, actor: Any, choice: Choice, meeting_on: date, title: str
           ) -> Snapshot:
    """Store the picture of ``choice`` (computed afresh, not from the cache) for a meeting."""
    title = title.strip()
    if not title:
        raise SituationError(_l("Give the snapshot a title."), "title")
    data = picture.build(session, choice, use_cache=False)
    snapshot = Snapshot(meeting_on=meeting_on, title=title[:150],
                        period_start=local_midnight(choice.first),
                        period_end=local_midnight(choice.last + timedelta(days=1)),
                        filters=choice.args(), data=data,
                        created_by_id=getattr(actor, "id", None))
    session.add(snapshot)
    session.flush()
    return snapshot


def list_snapshots(session: Session) -> list[Snapshot]:
    """Every snapshot, the latest meeting first."""
    return list(session.scalars(sa.select(Snapshot).order_by(Snapshot.meeting_on.desc(),
                                                             Snapshot.id.desc())))
