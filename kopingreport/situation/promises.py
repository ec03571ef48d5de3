"""The medborgarlöfte: focus areas with activities and follow-up notes, and what residents
are told about its progress."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

from kopingreport.i18n import _l
from kopingreport.reports import categories
from kopingreport.reports.models import Area
from kopingreport.situation import queries
from kopingreport.situation.errors import SituationError
from kopingreport.situation.models import ActivityStatus, FocusArea, Promise, PromiseActivity
from kopingreport.situation.models import PromiseNote, Texts
from kopingreport.situation.params import local_midnight
from kopingreport.surveys.suppression import MIN_CELL


def _loaded() -> sa.Select[tuple[Promise]]:
    return sa.select(Promise).options(selectinload(Promise.focus_areas).selectinload(
        FocusArea.activities), selectinload(Promise.focus_areas).selectinload(FocusArea.notes))


def current_promise(session: Session, today: date) -> Promise | None:
    """The published promise in force today, else the latest published one."""
    published = _loaded().where(Promise.is_published)
    return session.scalar(published.where(Promise.starts_on <= today, Promise.ends_on >= today)
                          .order_by(Promise.starts_on.desc())) or session.scalar(
        published.order_by(Promise.ends_on.desc()))


def load(session: Session, promise_id: int) -> Promise | None:
    """A promise with its focus areas, activities and notes."""
    return session.scalar(_loaded().where(Promise.id == promise_id))


def list_promises(session: Session) -> list[Promise]:
    """Every promise, the newest first."""
    return list(session.scalars(sa.select(Promise).order_by(Promise.starts_on.desc())))


def save_promise(session: Session, actor: Any, promise: Promise | None, *, title: Texts,
                 intro: Texts, starts_on: date, ends_on: date, is_published: bool) -> Promise:
    """Create or change a promise (Swedish title required)."""
    if not title.get("sv"):
        raise SituationError(_l("Write the title in Swedish at least."), "title_sv")
    if starts_on > ends_on:
        raise SituationError(_l("The first day must come before the last day."), "starts_on")
    if promise is None:
        promise = Promise()
        session.add(promise)
    promise.title, promise.intro = title, intro
    promise.starts_on, promise.ends_on, promise.is_published = starts_on, ends_on, is_published
    session.flush()
    return promise


def save_focus_area(session: Session, promise: Promise, focus: FocusArea | None, *,
                    title: Texts, description: Texts, category_codes: list[str],
                    area_codes: list[str]) -> FocusArea:
    """Create or change a focus area, optionally tied to categories and areas."""
    if not title.get("sv"):
        raise SituationError(_l("Write the title in Swedish at least."), "title_sv")
    known_areas = set(session.scalars(sa.select(Area.code)))
    if any(c not in categories.BY_CODE for c in category_codes) or any(
            a not in known_areas for a in area_codes):
        raise SituationError(_l("Choose from the list."), "category_codes")
    if focus is None:
        focus = FocusArea(position=len(promise.focus_areas))
        promise.focus_areas.append(focus)
    focus.title, focus.description = title, description
    focus.category_codes, focus.area_codes = list(category_codes), list(area_codes)
    session.flush()
    return focus


def save_activity(session: Session, focus: FocusArea, activity: PromiseActivity | None, *,
                  title: Texts, owner: str, status: str) -> PromiseActivity:
    """Create or change an activity of a focus area."""
    if not title.get("sv"):
        raise SituationError(_l("Write the title in Swedish at least."), "title_sv")
    if status not in set(ActivityStatus):
        raise SituationError(_l("Choose a status from the list."), "status")
    if activity is None:
        activity = PromiseActivity(position=len(focus.activities))
        focus.activities.append(activity)
    activity.title, activity.owner = title, owner.strip()[:150]
    activity.status = ActivityStatus(status)
    session.flush()
    return activity


def add_note(session: Session, actor: Any, focus: FocusArea, *, text: Texts, noted_on: date,
             is_public: bool) -> PromiseNote:
    """A follow-up note; public ones appear on the medborgarlöfte page."""
    if not text.get("sv"):
        raise SituationError(_l("Write the note in Swedish at least."), "text_sv")
    note = PromiseNote(text=text, noted_on=noted_on, is_public=is_public,
                       created_by_id=getattr(actor, "id", None))
    focus.notes.append(note)
    session.flush()
    return note


@dataclass(frozen=True)
class Progress:
    """Reports in a focus area's categories and areas: the last half-year and the one before
    (None when fewer than five, which are not published)."""

    recent: int | None
    before: int | None


def progress(session: Session, focus: FocusArea, today: date) -> Progress | None:
    """The focus area's report figures, or None when it names no categories or areas."""
    if not focus.category_codes and not focus.area_codes:
        return None
    area_ids = tuple(session.scalars(sa.select(Area.id).where(
        Area.code.in_(focus.area_codes)))) if focus.area_codes else ()
    end = today + timedelta(days=1)

    def count(first: date, last: date) -> int | None:
        f = queries.Filters(local_midnight(first), local_midnight(last), area_ids,
                            tuple(focus.category_codes))
        n = sum(queries.area_category_counts(session, f).values())
        return n if n >= MIN_CELL else None

    half = timedelta(days=182)
    return Progress(count(end - half, end), count(end - 2 * half, end - half))
