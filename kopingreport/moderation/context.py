"""Everything the page of one report shows (read-only queries)."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from kopingreport.accounts.models import Organisation, User
from kopingreport.moderation import audit, duplicates, replies
from kopingreport.moderation.forms import AssignForm, PrecisionForm, PublishForm, RedactForm
from kopingreport.moderation.forms import StateForm, TextForm
from kopingreport.moderation.models import PhotoRedaction, ReportCase, ReportNote
from kopingreport.moderation.workflow import TRANSITIONS
from kopingreport.reports.models import Photo, Report
from kopingreport.reports.states import REPORTER_KIND_LABELS
from kopingreport.security import Permission, Role, can


def latest_redactions(session: Session, photos: list[Photo]) -> dict[int, PhotoRedaction]:
    """The newest redaction of each photo that has one."""
    ids = [p.id for p in photos]
    if not ids:
        return {}
    rows = session.scalars(sa.select(PhotoRedaction).where(PhotoRedaction.photo_id.in_(ids))
                           .order_by(PhotoRedaction.created_at, PhotoRedaction.id))
    return {row.photo_id: row for row in rows}


def detail_context(session: Session, actor: User, report: Report, case: ReportCase
                   ) -> dict[str, Any]:
    """The data and forms of the report page."""
    organisations = session.scalars(sa.select(Organisation).where(Organisation.is_active)
                                    .order_by(Organisation.name)).all()
    moderators = session.scalars(sa.select(User).where(
        User.role.in_([Role.MODERATOR, Role.ADMIN]), User.is_enabled).order_by(User.email)).all()
    assign = AssignForm(organisations=organisations, moderators=moderators, formdata=None,
                        organisation=str(case.organisation_id or ""), unit=case.unit,
                        assignee=str(case.assignee_id or ""),
                        due_at=case.due_at.date() if case.due_at else None)
    original = session.get(Report, case.duplicate_of_id) if case.duplicate_of_id else None
    return {
        "report": report, "case": case, "original": original, "kinds": REPORTER_KIND_LABELS,
        "reporter_organisation": session.get(Organisation, report.organisation_id)
        if report.organisation_id else None,
        "state_form": StateForm(current=report.state, formdata=None),
        "assign_form": assign, "note_form": TextForm(formdata=None),
        "reply_form": TextForm(formdata=None, text=report.public_reply),
        "public_text_form": TextForm(formdata=None, text=report.public_text or
                                     report.description),
        "precision_form": PrecisionForm(formdata=None, precision=case.public_precision),
        "publish_form": PublishForm(formdata=None, is_public=report.is_public),
        "redact_form": RedactForm(formdata=None),
        "notes": session.scalars(sa.select(ReportNote).where(ReportNote.report_id == report.id)
                                 .order_by(ReportNote.created_at)).all(),
        "trail": audit.trail(session, report),
        "duplicates": duplicates.suggestions(session, report),
        "redactions": latest_redactions(session, list(report.photos)),
        "reply_templates": {str(s): replies.templates_for(s, report.locale)
                            for s in replies.TEMPLATES
                            if s in TRANSITIONS[report.state] | {report.state}},
        "may_moderate": can(actor, Permission.REPORTS_MODERATE),
        "may_see_contact": can(actor, Permission.CONTACTS_READ),
    }
