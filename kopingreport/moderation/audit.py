"""Writing and reading the audit log."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from kopingreport.moderation.models import AuditEvent
from kopingreport.reports.models import Report


def record(session: Session, actor: Any, report: Report, action: str,
           before: dict[str, Any] | None = None, after: dict[str, Any] | None = None) -> None:
    """Append an audit event (who, when, what, before, after)."""
    session.add(AuditEvent(report_id=report.id, actor_id=getattr(actor, "id", None),
                           action=action, before=before, after=after))


def trail(session: Session, report: Report) -> list[AuditEvent]:
    """The report's audit events, oldest first."""
    return list(session.scalars(sa.select(AuditEvent).where(AuditEvent.report_id == report.id)
                                .order_by(AuditEvent.created_at, AuditEvent.id)))
