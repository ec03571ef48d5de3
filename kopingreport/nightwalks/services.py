"""Starting and ending walks, linking walkers' reports to them, and the weekly summary."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from kopingreport.accounts.models import Organisation, OrganisationKind, User
from kopingreport.db import utcnow
from kopingreport.i18n import _l
from kopingreport.nightwalks.models import MAX_LENGTH, TALLIES, Nightwalk
from kopingreport.reports.models import Area, Report
from kopingreport.security import Permission, Role, can, role_of
from kopingreport.web.fields import LOCAL_TZ
from kopingreport.web.fielderror import FieldError


class WalkError(FieldError):
    """A walk could not be started or ended; ``field`` names the form field concerned."""


def walker_groups(session: Session, actor: Any) -> list[Organisation]:
    """The nattvandring groups ``actor`` may walk for: their own association; an
    administrator may log a walk for any active association."""
    if role_of(actor) == Role.ADMIN:
        return list(session.scalars(sa.select(Organisation).where(
            Organisation.kind == OrganisationKind.NIGHTWALKERS, Organisation.is_active)
            .order_by(Organisation.name)))
    group = getattr(actor, "organisation", None)
    if group is None or group.kind != OrganisationKind.NIGHTWALKERS or not group.is_active:
        return []
    return [group]


def may_log(actor: Any, walk: Nightwalk) -> bool:
    """Walkers of the walk's group (and administrators) may report on it and end it."""
    if not can(actor, Permission.NIGHTWALK_LOG):
        return False
    return role_of(actor) == Role.ADMIN or getattr(actor, "organisation_id", None) == \
        walk.group_id


def start_walk(session: Session, actor: User, *, group_id: int, area_code: str,
               walkers: int) -> Nightwalk:
    """Start a walk now; the group must be one the actor walks for."""
    group = next((g for g in walker_groups(session, actor) if g.id == group_id), None)
    if group is None:
        raise WalkError(_l("Choose your night walkers' association."), "group")
    area = session.scalar(sa.select(Area).where(Area.code == area_code, Area.is_active))
    if area is None:
        raise WalkError(_l("Choose an area from the list."), "area")
    walk = Nightwalk(group=group, area=area, walkers=walkers, started_by_id=actor.id,
                     started_at=utcnow())
    session.add(walk)
    session.flush()
    return walk


def end_walk(session: Session, actor: User, walk: Nightwalk, *, summary: str,
             tallies: Mapping[str, int]) -> None:
    """End a walk with its summary and tallies (once; the caller checks ``may_log``)."""
    if walk.is_ended:
        raise WalkError(_l("This walk has already been ended."), "summary")
    walk.ended_at, walk.ended_by_id, walk.summary = utcnow(), actor.id, summary.strip() or None
    for name in TALLIES:
        setattr(walk, name, int(tallies.get(name) or 0))
    session.flush()


def running_walks(session: Session, actor: Any) -> list[Nightwalk]:
    """Walks of the actor's groups that are under way now, newest first."""
    groups = [g.id for g in walker_groups(session, actor)]
    if not groups:
        return []
    now = utcnow()
    walks = session.scalars(sa.select(Nightwalk).where(
        Nightwalk.group_id.in_(groups), Nightwalk.ended_at.is_(None),
        Nightwalk.started_at > now - MAX_LENGTH).order_by(Nightwalk.started_at.desc()))
    return list(walks)


def walk_for_report(session: Session, actor: Any, walk_id: int | None,
                    occurred_at: datetime) -> int | None:
    """The walk a report belongs to, or None.

    The named walk links only for a walker of its group, and only if it was under way when
    the report's event happened or still is (so a report queued offline links when it is
    sent later). Otherwise a walker's report links to the running walk they started
    themselves, so a report form from the offline cache (without the walk) still links.
    Anything else is ignored rather than refused: the report itself is always kept.
    """
    if not can(actor, Permission.NIGHTWALK_LOG):
        return None
    walk = session.get(Nightwalk, walk_id) if walk_id is not None else None
    if walk is not None and may_log(actor, walk) and (
            walk.running_at(occurred_at) or walk.running_at(utcnow())):
        return walk.id
    own = [w for w in running_walks(session, actor) if w.started_by_id == actor.id]
    return own[0].id if own and own[0].running_at(occurred_at) else None


def reports_on(session: Session, walk: Nightwalk) -> list[Report]:
    """The reports made on a walk, oldest first."""
    return list(session.scalars(sa.select(Report).where(Report.nightwalk_id == walk.id)
                                .order_by(Report.occurred_at)))


def report_counts(session: Session, walk_ids: list[int]) -> dict[int, int]:
    """How many reports each of these walks has."""
    if not walk_ids:
        return {}
    rows = session.execute(sa.select(Report.nightwalk_id, sa.func.count()).where(
        Report.nightwalk_id.in_(walk_ids)).group_by(Report.nightwalk_id))
    return {walk_id: number for walk_id, number in rows}


@dataclass
class WeekRow:
    """Walks of one ISO week in one area, with summed walkers, hours, reports and tallies."""

    week: str
    area: str
    walks: int = 0
    walkers: int = 0
    walker_hours: float = 0.0
    reports: int = 0
    tallies: dict[str, int] = field(default_factory=lambda: dict.fromkeys(TALLIES, 0))

    def add(self, walk: Nightwalk, reports: int) -> None:
        self.walks += 1
        self.walkers += walk.walkers
        self.reports += reports
        if walk.ended_at is not None:
            hours = (walk.ended_at - walk.started_at).total_seconds() / 3600
            self.walker_hours += round(hours * walk.walkers, 1)
        for name in TALLIES:
            self.tallies[name] += getattr(walk, name)


def iso_week(moment: datetime) -> str:
    """The ISO week of a moment in Swedish time, e.g. ``2026-W48``."""
    year, week, _day = moment.astimezone(LOCAL_TZ).isocalendar()
    return f"{year}-W{week:02d}"


def weekly_summary(session: Session, since: datetime, group_id: int | None = None
                   ) -> tuple[list[WeekRow], WeekRow]:
    """Walks started since ``since`` per ISO week and area (newest week first), and the
    totals."""
    query = sa.select(Nightwalk).where(Nightwalk.started_at >= since)
    if group_id is not None:
        query = query.where(Nightwalk.group_id == group_id)
    walks = list(session.scalars(query))
    counts = report_counts(session, [w.id for w in walks])
    rows: dict[tuple[str, str], WeekRow] = {}
    total = WeekRow(week="", area="")
    for walk in walks:
        key = (iso_week(walk.started_at), walk.area.name)
        rows.setdefault(key, WeekRow(*key)).add(walk, counts.get(walk.id, 0))
        total.add(walk, counts.get(walk.id, 0))
    ordered = sorted(rows.values(), key=lambda r: r.area)
    return sorted(ordered, key=lambda r: r.week, reverse=True), total


def recent_walks(session: Session, since: datetime, group_id: int | None = None,
                 limit: int = 100) -> list[Nightwalk]:
    """The latest walks, newest first."""
    query = sa.select(Nightwalk).where(Nightwalk.started_at >= since)
    if group_id is not None:
        query = query.where(Nightwalk.group_id == group_id)
    return list(session.scalars(query.order_by(Nightwalk.started_at.desc()).limit(limit)))
