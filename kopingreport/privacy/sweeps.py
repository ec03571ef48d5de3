"""One function per kind of data the purge removes.

Each takes the session and the cut-off moment (older than this goes), changes rows with
flushed SQL only, and returns how many items went and which photo files it let go of.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from kopingreport.accounts.models import User
from kopingreport.db import Base, UTCDateTime
from kopingreport.moderation.models import AuditEvent, PhotoRedaction, ReportCase
from kopingreport.neighbourhood.models import ContactState, NeighbourhoodContact
from kopingreport.privacy.models import BarrierReport
from kopingreport.privacy.photofiles import hashes_of_photos
from kopingreport.reports.models import Photo, Report, ReportContact
from kopingreport.reports.states import ReportState
from kopingreport.security import Role
from kopingreport.surveys.models import Survey, SurveyCode, SurveyCodeBatch, SurveyDevice
from kopingreport.surveys.models import SurveyResponse, SurveyState

#: Reports nobody works on any more (closed, or resolved).
FINISHED = (ReportState.RESOLVED, ReportState.DUPLICATE, ReportState.NOT_OURS,
            ReportState.NO_ACTION, ReportState.REJECTED)


@dataclass
class Swept:
    """What one kind's sweep removed."""

    count: int = 0
    released: set[str] = field(default_factory=set)


Sweep = Callable[[Session, datetime], Swept]


def _moment(value: datetime) -> sa.BindParameter[datetime]:
    return sa.literal(value, UTCDateTime())


def finished_before(cutoff: datetime) -> sa.ColumnElement[bool]:
    """Reports closed or resolved before ``cutoff`` (by their last change of state)."""
    changed = (sa.select(sa.func.max(AuditEvent.created_at))
               .where(AuditEvent.report_id == Report.id, AuditEvent.action == "state")
               .scalar_subquery())
    return sa.and_(Report.state.in_(FINISHED),
                   sa.func.coalesce(changed, Report.updated_at) < _moment(cutoff))


def contacts(session: Session, cutoff: datetime) -> Swept:
    """Reporters' e-mail and phone, once the report has been finished for the period."""
    reports = sa.select(Report.id).where(finished_before(cutoff))
    result = session.execute(sa.delete(ReportContact)
                             .where(ReportContact.report_id.in_(reports)))
    return Swept(result.rowcount or 0)


def rejected_photos(session: Session, cutoff: datetime) -> Swept:
    """Photos (and their redacted copies) of reports rejected as spam or abuse."""
    ids = list(session.scalars(
        sa.select(Photo.id).join(Report, Photo.report_id == Report.id)
        .where(Report.state == ReportState.REJECTED, finished_before(cutoff))))
    files = hashes_of_photos(session, ids)  # before the rows go
    return Swept(delete_photos(session, ids), files)


def delete_photos(session: Session, ids: list[int]) -> int:
    """Delete these report photos and their redactions (files are removed after commit)."""
    if not ids:
        return 0
    session.execute(sa.delete(PhotoRedaction).where(PhotoRedaction.photo_id.in_(ids)))
    session.execute(sa.delete(Photo).where(Photo.id.in_(ids)))
    return len(ids)


def _blocking_user_columns() -> Iterator[sa.Column[int]]:
    """Columns naming a user that a deleted account would break (no cascade, no SET NULL):
    an account someone acted with is a record and is never deleted by the purge."""
    for table in Base.metadata.tables.values():
        for fk in table.foreign_keys:
            if fk.column.table.name == "users" and fk.ondelete is None:
                yield fk.parent  # type: ignore[misc]


def _deletable_users(*conditions: sa.ColumnElement[bool]) -> sa.Select[tuple[int]]:
    unused = [~sa.exists().where(column == User.id) for column in _blocking_user_columns()]
    return sa.select(User.id).where(User.last_login_at.is_(None), *conditions, *unused)


def _delete_users(session: Session, query: sa.Select[tuple[int]]) -> Swept:
    ids = list(session.scalars(query))
    if ids:
        # Applications of never-confirmed accounts go with them (ON DELETE CASCADE).
        session.execute(sa.delete(User).where(User.id.in_(ids)))
    return Swept(len(ids))


def unconfirmed_accounts(session: Session, cutoff: datetime) -> Swept:
    """Accounts whose e-mail address was never confirmed."""
    return _delete_users(session, _deletable_users(
        User.is_email_confirmed.is_(False), User.created_at < _moment(cutoff)))


def unused_invitations(invitation_max_age: int) -> Sweep:
    """Staff and partner accounts never logged into, the period after the invitation link
    expired. Administrators are never removed (the last one could be among them)."""
    def sweep(session: Session, cutoff: datetime) -> Swept:
        created = cutoff - timedelta(seconds=invitation_max_age)
        return _delete_users(session, _deletable_users(
            User.role.not_in([Role.RESIDENT, Role.ADMIN]), User.created_at < _moment(created)))
    return sweep


def survey_tokens(session: Session, cutoff: datetime) -> Swept:
    """Device marks, single-use codes and account links of surveys closed for the period."""
    closed = sa.select(Survey.id).where(sa.or_(
        sa.and_(Survey.state == SurveyState.CLOSED, Survey.closed_at < _moment(cutoff)),
        Survey.closes_at < _moment(cutoff)))
    batches = sa.select(SurveyCodeBatch.id).where(SurveyCodeBatch.survey_id.in_(closed))
    count = session.execute(sa.delete(SurveyDevice)
                            .where(SurveyDevice.survey_id.in_(closed))).rowcount or 0
    count += session.execute(sa.delete(SurveyCode)
                             .where(SurveyCode.batch_id.in_(batches))).rowcount or 0
    count += session.execute(sa.update(SurveyResponse).values(user_id=None).where(
        SurveyResponse.survey_id.in_(closed), SurveyResponse.user_id.is_not(None))
    ).rowcount or 0
    return Swept(count)


def declined_applications(session: Session, cutoff: datetime) -> Swept:
    """Grannsamverkan applications declined before the cut-off."""
    return Swept(session.execute(sa.delete(NeighbourhoodContact).where(
        NeighbourhoodContact.state == ContactState.DECLINED,
        NeighbourhoodContact.decided_at < _moment(cutoff))).rowcount or 0)


def ended_contacts(session: Session, cutoff: datetime) -> Swept:
    """Grannsamverkan register entries that ended before the cut-off."""
    return Swept(session.execute(sa.delete(NeighbourhoodContact).where(
        NeighbourhoodContact.state == ContactState.ENDED,
        NeighbourhoodContact.ended_at < _moment(cutoff))).rowcount or 0)


def stale_locks(session: Session, cutoff: datetime) -> Swept:
    """Forget who had a report open, for locks older than the cut-off."""
    return Swept(session.execute(sa.update(ReportCase).values(locked_by_id=None, locked_at=None)
                                 .where(ReportCase.locked_at < _moment(cutoff))).rowcount or 0)


def barrier_reports(session: Session, cutoff: datetime) -> Swept:
    """Messages about accessibility barriers older than the cut-off."""
    return Swept(session.execute(sa.delete(BarrierReport).where(
        BarrierReport.created_at < _moment(cutoff))).rowcount or 0)
