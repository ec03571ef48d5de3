"""Moderation actions. Each checks its rules, changes the report and writes an audit event;
the caller commits."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from kopingreport.accounts.models import Organisation, User
from kopingreport.db import utcnow
from kopingreport.i18n import _l
from kopingreport.moderation import audit, workflow
from kopingreport.moderation.models import PublicPrecision, ReportCase, ReportNote
from kopingreport.reports.models import Report, ReportContact
from kopingreport.reports.states import ReportState
from kopingreport.web.fielderror import FieldError

LOCK_MINUTES = 15
PUBLISHABLE = {ReportState.ACCEPTED, ReportState.FORWARDED, ReportState.RESOLVED}


class ModerationError(FieldError):
    """A refused action; ``message`` is translated, ``field`` names the form field."""

    default_field = "state"


def case_of(session: Session, report: Report) -> ReportCase:
    """The report's case data, created on first use."""
    case = session.get(ReportCase, report.id)
    if case is None:
        case = ReportCase(report_id=report.id, public_precision=PublicPrecision.AREA)
        session.add(case)
        session.flush()
    return case


def change_state(session: Session, actor: User, report: Report, target: str, *,
                 duplicate_of: Report | None = None, channel: str = "", reason: str = "") -> None:
    """Move the report along the workflow; illegal moves raise ModerationError."""
    if not workflow.allowed(report.state, target):
        raise ModerationError(_l("That change of state is not allowed from here."))
    case = case_of(session, report)
    target = ReportState(target)
    if target == ReportState.DUPLICATE:
        if duplicate_of is None or duplicate_of.id == report.id:
            raise ModerationError(_l("Give the reference of the original report."), "original")
        case.duplicate_of_id = duplicate_of.id
    if target == ReportState.NOT_OURS and not channel.strip():
        raise ModerationError(_l("Say where the resident should turn instead."), "channel")
    if target == ReportState.REJECTED and not reason.strip():
        raise ModerationError(_l("Give a reason for rejecting the report."), "reason")
    before: dict[str, Any] = {"state": report.state}
    report.state = target
    if not workflow.is_open(target) and case.due_at is not None:
        # A closed case is never overdue; without a due date "overdue" is one index range.
        before["due_at"] = case.due_at.isoformat()
        case.due_at = None
    case.channel = channel.strip() or case.channel
    case.close_reason = reason.strip() or case.close_reason
    if target not in PUBLISHABLE:
        report.is_public = False
    audit.record(session, actor, report, "state", before, {
        "state": target, "duplicate_of": duplicate_of.reference if duplicate_of else None,
        "channel": channel.strip() or None, "reason": reason.strip() or None})
    session.flush()


def assign(session: Session, actor: User, report: Report, *, organisation: Organisation | None,
           unit: str, assignee: User | None, due_at: datetime | None) -> None:
    """Hand the report to an organisation/unit and/or a moderator, with a due date (by
    default from the category's SLA)."""
    case = case_of(session, report)
    before = _assignment(case)
    case.organisation_id = organisation.id if organisation else None
    case.unit = unit.strip() or None
    case.assignee_id = assignee.id if assignee else None
    if organisation is not None or assignee is not None:
        case.due_at = due_at or (case.due_at or utcnow() + workflow.sla(report.category))
    else:
        case.due_at = due_at
    audit.record(session, actor, report, "assignment", before, _assignment(case))
    session.flush()


def _assignment(case: ReportCase) -> dict[str, Any]:
    return {"organisation_id": case.organisation_id, "unit": case.unit,
            "assignee_id": case.assignee_id,
            "due_at": case.due_at.isoformat() if case.due_at else None}


def add_note(session: Session, actor: User, report: Report, text: str) -> ReportNote:
    """An internal note (never shown outside the back office)."""
    if not text.strip():
        raise ModerationError(_l("Write a note."), "text")
    note = ReportNote(report_id=report.id, author_id=actor.id, text=text.strip())
    session.add(note)
    audit.record(session, actor, report, "note", None, {"text": text.strip()})
    session.flush()
    return note


def reply(session: Session, actor: User, report: Report, text: str) -> str | None:
    """Set the public reply shown on the receipt page; returns the reporter's e-mail to
    notify, if they left one."""
    before = {"public_reply": report.public_reply}
    report.public_reply = text.strip() or None
    audit.record(session, actor, report, "reply", before, {"public_reply": report.public_reply})
    session.flush()
    contact = report.contact
    return contact.email if contact is not None and contact.email else None


def set_public_text(session: Session, actor: User, report: Report, text: str) -> None:
    """The redacted description the public may see; the original stays in the audit log."""
    before = {"public_text": report.public_text, "original": report.description}
    report.public_text = text.strip() or None
    audit.record(session, actor, report, "public_text", before,
                 {"public_text": report.public_text})
    session.flush()


def set_precision(session: Session, actor: User, report: Report, precision: str) -> None:
    """How precisely the public sees the place."""
    case = case_of(session, report)
    before = {"public_precision": case.public_precision}
    case.public_precision = PublicPrecision(precision)
    audit.record(session, actor, report, "precision", before, {"public_precision": precision})
    session.flush()


def publish(session: Session, actor: User, report: Report, is_public: bool) -> None:
    """Show or hide an accepted report on the public map."""
    if is_public and report.state not in PUBLISHABLE:
        raise ModerationError(_l("Only accepted, forwarded or resolved reports can be public."),
                              "is_public")
    before = {"is_public": report.is_public}
    report.is_public = is_public
    audit.record(session, actor, report, "publish", before, {"is_public": is_public})
    session.flush()


def view_contact(session: Session, actor: User, report: Report) -> ReportContact | None:
    """The reporter's contact details; every look is written to the audit log."""
    audit.record(session, actor, report, "contact_viewed")
    session.flush()
    return report.contact


def lock(session: Session, actor: User, report: Report, *, take_over: bool = False
         ) -> ReportCase:
    """Mark the report as being handled by ``actor`` (a soft lock). Someone else's fresh lock
    is kept unless ``take_over``."""
    case = case_of(session, report)
    fresh = case.locked_at is not None and case.locked_at > utcnow() - timedelta(
        minutes=LOCK_MINUTES)
    if case.locked_by_id in (None, actor.id) or not fresh or take_over:
        if take_over and fresh and case.locked_by_id not in (None, actor.id):
            audit.record(session, actor, report, "lock_taken_over",
                         {"locked_by": case.locked_by_id}, {"locked_by": actor.id})
        case.locked_by_id, case.locked_at = actor.id, utcnow()
        session.flush()
    return case


def original_of(session: Session, report: Report) -> Report | None:
    """For a report closed as a duplicate: the original it was merged into."""
    case = session.get(ReportCase, report.id)
    if case is None or case.duplicate_of_id is None:
        return None
    return session.get(Report, case.duplicate_of_id)


def held_by_other(case: ReportCase, actor: User) -> bool:
    """Whether another moderator has the report open right now."""
    return (case.locked_by_id not in (None, actor.id) and case.locked_at is not None
            and case.locked_at > utcnow() - timedelta(minutes=LOCK_MINUTES))
