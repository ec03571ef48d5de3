"""Read-only survey queries for the resident list and the back office."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

from kopingreport.surveys.models import Survey, SurveyResponse, SurveySection, SurveyState


def open_surveys(session: Session, now: datetime, area_code: str | None = None
                 ) -> list[Survey]:
    """Published surveys open at ``now``: those for ``area_code`` first, then those for the
    whole municipality, then the rest; newest first within each."""
    surveys = session.scalars(sa.select(Survey).where(
        Survey.state == SurveyState.PUBLISHED,
        sa.or_(Survey.opens_at.is_(None), Survey.opens_at <= now),
        sa.or_(Survey.closes_at.is_(None), Survey.closes_at > now))
        .options(selectinload(Survey.areas)).order_by(Survey.published_at.desc(),
                                                      Survey.id.desc())).all()

    def rank(survey: Survey) -> int:
        codes = {a.code for a in survey.areas}
        return 0 if area_code and area_code in codes else 1 if not codes else 2

    return sorted(surveys, key=rank)


def load_survey(session: Session, survey_id: int) -> Survey | None:
    """A survey with its sections and questions loaded."""
    return session.scalar(sa.select(Survey).where(Survey.id == survey_id).options(
        selectinload(Survey.sections).selectinload(SurveySection.questions),
        selectinload(Survey.areas)))


def all_surveys(session: Session) -> list[tuple[Survey, int]]:
    """Every survey, newest first, with its number of responses."""
    responses = sa.select(sa.func.count()).where(
        SurveyResponse.survey_id == Survey.id).correlate(Survey).scalar_subquery()
    rows = session.execute(sa.select(Survey, responses).order_by(Survey.id.desc()))
    return [(survey, count) for survey, count in rows]
