"""Meeting snapshots, lägesbild documents and their åtgärdsplan, follow-ups of åtgärder,
what partner organisations may see, the sun's times per day and the medborgarlöfte."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from kopingreport.db import Base, UTCDateTime, utcnow
from kopingreport.walks.models import Action

#: Translated texts typed by the coordinator: ``{"sv": …, "fi": …, "en": …, "ar": …}``.
Texts = dict[str, str]


class Snapshot(Base):
    """The dashboard frozen for a meeting: decisions can refer to this picture later."""

    __tablename__ = "situation_snapshots"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_on: Mapped[date] = mapped_column(sa.Date, index=True)
    title: Mapped[str] = mapped_column(sa.String(150))
    period_start: Mapped[datetime] = mapped_column(UTCDateTime)
    period_end: Mapped[datetime] = mapped_column(UTCDateTime)
    #: The filters as chosen on the dashboard (query arguments).
    filters: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    #: The whole picture as the dashboard showed it (see ``picture.build``).
    data: Mapped[dict[str, Any]] = mapped_column(sa.JSON)
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class DocumentState(StrEnum):
    """A lägesbild is written as a draft and adopted (then its figures are frozen)."""

    DRAFT = "draft"
    ADOPTED = "adopted"


class SituationDocument(Base):
    """The lägesbild under lag (2023:196) §4: extent and consequences of crime, other
    information, the analysis of causes; it feeds the åtgärdsplan."""

    __tablename__ = "situation_documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(sa.String(150))
    #: First and last day covered (Swedish dates, both included).
    starts_on: Mapped[date] = mapped_column(sa.Date)
    ends_on: Mapped[date] = mapped_column(sa.Date)
    state: Mapped[DocumentState] = mapped_column(sa.String(20), default=DocumentState.DRAFT)
    summary: Mapped[str] = mapped_column(sa.Text, default="")
    consequences: Mapped[str] = mapped_column(sa.Text, default="")
    other_information: Mapped[str] = mapped_column(sa.Text, default="")
    causes: Mapped[str] = mapped_column(sa.Text, default="")
    #: The figures, frozen when the document is adopted (None while it is a draft).
    data: Mapped[dict[str, Any] | None] = mapped_column(sa.JSON)
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    adopted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    plan: Mapped[list[PlanAction]] = relationship(back_populates="document",
                                                  order_by="PlanAction.id",
                                                  cascade="all, delete-orphan")


class PlanAction(Base):
    """An åtgärd (the shared ``Action``) in a lägesbild's åtgärdsplan: the plan's link to it."""

    __tablename__ = "situation_plan_actions"

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(
        sa.ForeignKey("situation_documents.id", ondelete="CASCADE"), index=True)
    action_id: Mapped[int] = mapped_column(sa.ForeignKey("actions.id", ondelete="CASCADE"),
                                           unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    document: Mapped[SituationDocument] = relationship(back_populates="plan")
    action: Mapped[Action] = relationship(lazy="joined")


class ActionFollowUp(Base):
    """A follow-up entry of an åtgärd: what was done or found, and its status afterwards."""

    __tablename__ = "action_follow_ups"

    id: Mapped[int] = mapped_column(primary_key=True)
    action_id: Mapped[int] = mapped_column(sa.ForeignKey("actions.id", ondelete="CASCADE"),
                                           index=True)
    note: Mapped[str] = mapped_column(sa.Text)
    status: Mapped[str] = mapped_column(sa.String(20))
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ShareLevel(StrEnum):
    """What members of a partner organisation see of the lägesbild."""

    NONE = "none"
    #: Counts, trends and hot-spot cells; no report points, place texts or exports.
    SUMMARY = "summary"
    #: The dashboard as the coordinator sees it (read only), with the map and exports.
    FULL = "full"


class PartnerShare(Base):
    """The administrator's choice of what one partner organisation may see."""

    __tablename__ = "situation_partner_shares"

    organisation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organisations.id", ondelete="CASCADE"), primary_key=True)
    level: Mapped[ShareLevel] = mapped_column(sa.String(10), default=ShareLevel.NONE)
    updated_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class SunDay(Base):
    """Civil dawn and dusk at Köping per UTC date, so SQL can tell dark reports apart."""

    __tablename__ = "situation_sun_days"

    day: Mapped[date] = mapped_column(sa.Date, primary_key=True)
    dawn_at: Mapped[datetime] = mapped_column(UTCDateTime)
    dusk_at: Mapped[datetime] = mapped_column(UTCDateTime)


class RollupMonth(Base):
    """A Swedish calendar month whose counts are summed in ``MonthCount`` (and when)."""

    __tablename__ = "situation_rollup_months"

    month: Mapped[date] = mapped_column(sa.Date, primary_key=True)
    built_at: Mapped[datetime] = mapped_column(UTCDateTime)


class MonthCount(Base):
    """Reports of one month counted along one dimension: ``area`` (key: area id, category),
    ``cell`` (key: 250 m cell id), ``hour`` (key: weekday, hour; ``dark`` counted too) or
    ``who`` (key: reporter kind, organisation id). Lets a two-year lägesbild add up 24 small
    tables instead of reading every report again."""

    __tablename__ = "situation_month_counts"

    month: Mapped[date] = mapped_column(
        sa.ForeignKey("situation_rollup_months.month", ondelete="CASCADE"), primary_key=True)
    dimension: Mapped[str] = mapped_column(sa.String(10), primary_key=True)
    key_a: Mapped[str] = mapped_column(sa.String(40), primary_key=True)
    key_b: Mapped[str] = mapped_column(sa.String(40), primary_key=True)
    n: Mapped[int]
    dark: Mapped[int] = mapped_column(default=0)


class ActivityStatus(StrEnum):
    """Where an activity of the medborgarlöfte stands."""

    PLANNED = "planned"
    ONGOING = "ongoing"
    DONE = "done"


class Promise(Base):
    """A medborgarlöfte: the police's and the municipality's public promise."""

    __tablename__ = "promises"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[Texts] = mapped_column(sa.JSON)
    intro: Mapped[Texts] = mapped_column(sa.JSON, default=dict)
    starts_on: Mapped[date] = mapped_column(sa.Date)
    ends_on: Mapped[date] = mapped_column(sa.Date)
    is_published: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    focus_areas: Mapped[list[FocusArea]] = relationship(
        back_populates="promise", order_by="FocusArea.position", cascade="all, delete-orphan")


class FocusArea(Base):
    """A focus area of the promise, e.g. traffic safety; optionally tied to categories and
    areas so that its report figures can be shown."""

    __tablename__ = "promise_focus_areas"

    id: Mapped[int] = mapped_column(primary_key=True)
    promise_id: Mapped[int] = mapped_column(sa.ForeignKey("promises.id", ondelete="CASCADE"),
                                            index=True)
    position: Mapped[int] = mapped_column(default=0)
    title: Mapped[Texts] = mapped_column(sa.JSON)
    description: Mapped[Texts] = mapped_column(sa.JSON, default=dict)
    category_codes: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    area_codes: Mapped[list[str]] = mapped_column(sa.JSON, default=list)

    promise: Mapped[Promise] = relationship(back_populates="focus_areas")
    activities: Mapped[list[PromiseActivity]] = relationship(
        order_by="PromiseActivity.position", cascade="all, delete-orphan")
    notes: Mapped[list[PromiseNote]] = relationship(
        order_by="PromiseNote.noted_on.desc()", cascade="all, delete-orphan")


class PromiseActivity(Base):
    """Something the police or the municipality does for a focus area."""

    __tablename__ = "promise_activities"

    id: Mapped[int] = mapped_column(primary_key=True)
    focus_area_id: Mapped[int] = mapped_column(
        sa.ForeignKey("promise_focus_areas.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    title: Mapped[Texts] = mapped_column(sa.JSON)
    owner: Mapped[str] = mapped_column(sa.String(150), default="")
    status: Mapped[ActivityStatus] = mapped_column(sa.String(20),
                                                   default=ActivityStatus.PLANNED)


class PromiseNote(Base):
    """A follow-up note on a focus area; public ones are told back to residents."""

    __tablename__ = "promise_notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    focus_area_id: Mapped[int] = mapped_column(
        sa.ForeignKey("promise_focus_areas.id", ondelete="CASCADE"), index=True)
    text: Mapped[Texts] = mapped_column(sa.JSON)
    noted_on: Mapped[date] = mapped_column(sa.Date)
    is_public: Mapped[bool] = mapped_column(default=True)
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class DayCount(Base):
    """One Swedish calendar day's dashboard counts (see :mod:`days`), with the signature of
    the day's reports when they were summed: how many were received that day and when one of
    them last changed. The counts are used only while the reports still have that signature,
    so a new, moderated or deleted report makes the dashboard count the day again."""

    __tablename__ = "situation_day_counts"

    day: Mapped[date] = mapped_column(sa.Date, primary_key=True)
    reports: Mapped[int]
    changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: ``{"areas": [[area id, category, n]], "cells": [[x, y, n]], "hours": [[UTC hour, dark,
    #: n]], "who": [[kind, organisation id, n]], "places": [[place, n]]}``
    counts: Mapped[dict[str, Any]] = mapped_column(sa.JSON)
    built_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
