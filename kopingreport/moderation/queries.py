"""The moderation queue: filters, sorting and paging (read-only)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

from kopingreport.db import utcnow
from kopingreport.moderation.models import ReportCase
from kopingreport.reports.models import Area, Photo, Report
from kopingreport.reports.states import ReportState

OPEN_STATES = (ReportState.NEW, ReportState.IN_REVIEW, ReportState.ACCEPTED,
               ReportState.FORWARDED)
SORTS = {
    "newest": (Report.created_at.desc(), Report.id.desc()),
    "oldest": (Report.created_at.asc(), Report.id.asc()),
    "due": (ReportCase.due_at.asc().nulls_last(), Report.id.asc()),
    "category": (Report.category.asc(), Report.created_at.desc()),
}
PAGE_SIZE = 50


@dataclass(frozen=True)
class QueueFilters:
    """What the moderator asked to see. Empty values mean "any"."""

    states: tuple[str, ...] = (ReportState.NEW, ReportState.IN_REVIEW)
    category: str = ""
    area: str = ""
    reporter_kind: str = ""
    organisation_id: int | None = None
    date_from: datetime | None = None
    date_to: datetime | None = None
    has_photo: bool = False
    overdue: bool = False
    assignee_id: int | None = None
    sort: str = "newest"
    extra: dict[str, str] = field(default_factory=dict)


def filtered(filters: QueueFilters) -> sa.Select[tuple[Report]]:
    """SELECT reports matching ``filters`` (outer-joined to their case data)."""
    query = sa.select(Report).outerjoin(ReportCase, ReportCase.report_id == Report.id)
    if filters.states:
        query = query.where(Report.state.in_(filters.states))
    if filters.category:
        query = query.where(Report.category == filters.category)
    if filters.area:
        query = query.join(Area, Area.id == Report.area_id).where(Area.code == filters.area)
    if filters.reporter_kind:
        query = query.where(Report.reporter_kind == filters.reporter_kind)
    if filters.organisation_id:
        query = query.where(Report.organisation_id == filters.organisation_id)
    if filters.date_from:
        query = query.where(Report.created_at >= filters.date_from)
    if filters.date_to:
        query = query.where(Report.created_at < filters.date_to)
    if filters.has_photo:
        query = query.where(sa.exists().where(Photo.report_id == Report.id))
    if filters.overdue:
        query = query.where(ReportCase.due_at < utcnow(), Report.state.in_(OPEN_STATES))
    if filters.assignee_id:
        query = query.where(ReportCase.assignee_id == filters.assignee_id)
    return query


@dataclass(frozen=True)
class QueuePage:
    """One page of the queue."""

    reports: list[Report]
    cases: dict[int, ReportCase]
    total: int
    page: int
    pages: int


def queue_page(session: Session, filters: QueueFilters, page: int = 1,
               size: int = PAGE_SIZE) -> QueuePage:
    """The reports of ``page`` (1-based) and the total count for the filters."""
    base = filtered(filters)
    total = session.scalar(sa.select(sa.func.count()).select_from(base.subquery())) or 0
    pages = max(1, -(-total // size))
    page = min(max(1, page), pages)
    order = SORTS.get(filters.sort, SORTS["newest"])
    # Sort and page on ids only, then load the 50 rows with their photos in two queries.
    ids = list(session.scalars(base.with_only_columns(Report.id).order_by(*order)
                               .limit(size).offset((page - 1) * size)))
    loaded = {r.id: r for r in session.scalars(
        sa.select(Report).where(Report.id.in_(ids)).options(selectinload(Report.photos)))}
    reports = [loaded[i] for i in ids]
    cases = {c.report_id: c for c in session.scalars(
        sa.select(ReportCase).where(ReportCase.report_id.in_(ids)))} if ids else {}
    return QueuePage(reports, cases, total, page, pages)


def neighbours(session: Session, filters: QueueFilters, report: Report) -> tuple[int | None,
                                                                                   int | None]:
    """The previous and next report in the newest-first queue, for keyboard navigation."""
    base = filtered(filters).with_only_columns(Report.id)
    newer = session.scalar(base.where(sa.tuple_(Report.created_at, Report.id) > sa.tuple_(
        report.created_at, report.id)).order_by(Report.created_at.asc(), Report.id.asc())
        .limit(1))
    older = session.scalar(base.where(sa.tuple_(Report.created_at, Report.id) < sa.tuple_(
        report.created_at, report.id)).order_by(Report.created_at.desc(), Report.id.desc())
        .limit(1))
    return newer, older
