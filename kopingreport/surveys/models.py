"""Surveys, their sections and questions, responses and answers, device marks and codes.

A survey's own texts are data the coordinator types, so they are stored per language as JSON
objects ``{"sv": …, "fi": …, "en": …, "ar": …}`` (Swedish required, see ``texts.py``).
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from kopingreport.db import Base, UTCDateTime, utcnow
from kopingreport.reports.models import Area
from kopingreport.surveys.texts import Texts


class SurveyState(StrEnum):
    """A draft can be edited; a published survey is frozen (a new version is a copy)."""

    DRAFT = "draft"
    PUBLISHED = "published"
    CLOSED = "closed"


class QuestionKind(StrEnum):
    """What a question asks for."""

    SINGLE = "single"
    MULTIPLE = "multiple"
    SCALE = "scale"
    MATRIX = "matrix"
    YES_NO = "yes_no"
    NUMBER = "number"
    SHORT_TEXT = "short_text"
    LONG_TEXT = "long_text"
    MAP_POINT = "map_point"
    PHOTO = "photo"
    AREA = "area"


class Channel(StrEnum):
    """How a response arrived: online (one per device) or with a single-use code."""

    WEB = "web"
    CODE = "code"


survey_areas = sa.Table(
    "survey_areas", Base.metadata,
    sa.Column("survey_id", sa.ForeignKey("surveys.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("area_id", sa.ForeignKey("areas.id", ondelete="CASCADE"), primary_key=True),
)


class Survey(Base):
    """A dialogue survey with its settings; questions live in sections."""

    __tablename__ = "surveys"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[Texts] = mapped_column(sa.JSON)
    intro: Mapped[Texts] = mapped_column(sa.JSON, default=dict)
    #: Languages the survey is offered in; always starts with "sv".
    languages: Mapped[list[str]] = mapped_column(sa.JSON, default=lambda: ["sv"])
    state: Mapped[SurveyState] = mapped_column(sa.String(20), default=SurveyState.DRAFT,
                                               index=True)
    opens_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: Anonymous: no identity at all. Otherwise respondents log in, one response per account.
    is_anonymous: Mapped[bool] = mapped_column(default=True)
    #: Only holders of a single-use code may answer (a letter campaign).
    is_code_required: Mapped[bool] = mapped_column(default=False)
    #: Residents may see the (suppressed) results on the survey's public results page.
    is_results_public: Mapped[bool] = mapped_column(default=False)
    #: The shipped template it was made from, if any ("ntu", "checklist").
    template: Mapped[str | None] = mapped_column(sa.String(40))
    version: Mapped[int] = mapped_column(default=1)
    #: The survey this version was copied from.
    previous_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("surveys.id", ondelete="SET NULL"))
    #: Random per-survey salt of device marks and codes.
    salt: Mapped[str] = mapped_column(sa.String(64))
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    areas: Mapped[list[Area]] = relationship(secondary=survey_areas, order_by=Area.name)
    sections: Mapped[list[SurveySection]] = relationship(
        back_populates="survey", order_by="SurveySection.position",
        cascade="all, delete-orphan")

    @property
    def questions(self) -> list[SurveyQuestion]:
        """Every question in order, section by section."""
        return [q for section in self.sections for q in section.questions]

    def is_open_at(self, moment: datetime) -> bool:
        """Published and within its dates."""
        return (self.state == SurveyState.PUBLISHED
                and (self.opens_at is None or self.opens_at <= moment)
                and (self.closes_at is None or moment < self.closes_at))


class SurveySection(Base):
    """A page of the survey (one page at a time without JavaScript)."""

    __tablename__ = "survey_sections"

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(sa.ForeignKey("surveys.id", ondelete="CASCADE"),
                                           index=True)
    position: Mapped[int]
    title: Mapped[Texts] = mapped_column(sa.JSON, default=dict)
    intro: Mapped[Texts] = mapped_column(sa.JSON, default=dict)

    survey: Mapped[Survey] = relationship(back_populates="sections")
    questions: Mapped[list[SurveyQuestion]] = relationship(
        back_populates="section", order_by="SurveyQuestion.position",
        cascade="all, delete-orphan")


class SurveyQuestion(Base):
    """One question. ``options`` are ``[{"value", "label": Texts}]`` (choices and scale
    steps), ``rows`` the same for the rows of a matrix; ``settings`` holds what only some
    kinds use (``max_choices``, ``allow_other``, ``min``, ``max``, ``max_points``,
    ``follow_up``); ``condition`` is ``{"question": id, "value": option}`` or None."""

    __tablename__ = "survey_questions"

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(sa.ForeignKey("surveys.id", ondelete="CASCADE"),
                                           index=True)
    section_id: Mapped[int] = mapped_column(
        sa.ForeignKey("survey_sections.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]
    kind: Mapped[QuestionKind] = mapped_column(sa.String(20))
    text: Mapped[Texts] = mapped_column(sa.JSON)
    help: Mapped[Texts] = mapped_column(sa.JSON, default=dict)
    is_required: Mapped[bool] = mapped_column(default=False)
    #: Results can be filtered by the answer to this question (e.g. age group).
    is_background: Mapped[bool] = mapped_column(default=False)
    options: Mapped[list[dict[str, Any]]] = mapped_column(sa.JSON, default=list)
    rows: Mapped[list[dict[str, Any]]] = mapped_column(sa.JSON, default=list)
    settings: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    condition: Mapped[dict[str, Any] | None] = mapped_column(sa.JSON)

    section: Mapped[SurveySection] = relationship(back_populates="questions")
    survey: Mapped[Survey] = relationship()


class SurveyResponse(Base):
    """One respondent's answers. Holds no identity unless the survey is not anonymous."""

    __tablename__ = "survey_responses"
    __table_args__ = (sa.UniqueConstraint("survey_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(sa.ForeignKey("surveys.id", ondelete="CASCADE"),
                                           index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    locale: Mapped[str] = mapped_column(sa.String(5))
    #: The respondent's area (from an area question), for filters.
    area_id: Mapped[int | None] = mapped_column(sa.ForeignKey("areas.id"))
    channel: Mapped[Channel] = mapped_column(sa.String(10), default=Channel.WEB)
    #: The code batch (a meeting, a letter campaign) — never the code itself.
    code_batch_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("survey_code_batches.id", ondelete="SET NULL"))
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    idempotency_key: Mapped[str | None] = mapped_column(sa.String(100), unique=True)
    payload_hash: Mapped[str] = mapped_column(sa.String(64))

    answers: Mapped[list[SurveyAnswer]] = relationship(back_populates="response",
                                                       cascade="all, delete-orphan")


class SurveyAnswer(Base):
    """One value of a response: a chosen option (one row per option of a multiple choice),
    a matrix cell (``item`` = row), a number, a text, a map point (``item`` = its index)
    or a photo."""

    __tablename__ = "survey_answers"
    __table_args__ = (sa.Index("ix_survey_answers_question_id_value", "question_id", "value"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(
        sa.ForeignKey("survey_responses.id", ondelete="CASCADE"), index=True)
    question_id: Mapped[int] = mapped_column(
        sa.ForeignKey("survey_questions.id", ondelete="CASCADE"))
    item: Mapped[str] = mapped_column(sa.String(40), default="")
    value: Mapped[str | None] = mapped_column(sa.String(200))
    number: Mapped[float | None]
    text: Mapped[str | None] = mapped_column(sa.Text)
    lat: Mapped[float | None]
    lon: Mapped[float | None]
    #: A map point's place in words (when given without a map, or as well as one).
    place: Mapped[str | None] = mapped_column(sa.String(200))
    photo_sha256: Mapped[str | None] = mapped_column(sa.String(64))
    thumb_sha256: Mapped[str | None] = mapped_column(sa.String(64))

    response: Mapped[SurveyResponse] = relationship(back_populates="answers")


class SurveyDevice(Base):
    """A device that has answered: HMAC(secret, survey salt + device token), nothing else
    (not even a time), so it cannot be linked to the response."""

    __tablename__ = "survey_devices"

    survey_id: Mapped[int] = mapped_column(sa.ForeignKey("surveys.id", ondelete="CASCADE"),
                                           primary_key=True)
    token_hash: Mapped[str] = mapped_column(sa.String(64), primary_key=True)


class SurveyCodeBatch(Base):
    """Single-use codes made at once for a meeting or a letter campaign."""

    __tablename__ = "survey_code_batches"

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(sa.ForeignKey("surveys.id", ondelete="CASCADE"),
                                           index=True)
    label: Mapped[str] = mapped_column(sa.String(100))
    count: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    codes: Mapped[list[SurveyCode]] = relationship(order_by="SurveyCode.number",
                                                   cascade="all, delete-orphan")


class SurveyCode(Base):
    """One code, stored only as a hash; the printable list derives the codes again."""

    __tablename__ = "survey_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[int] = mapped_column(
        sa.ForeignKey("survey_code_batches.id", ondelete="CASCADE"), index=True)
    number: Mapped[int]
    code_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
