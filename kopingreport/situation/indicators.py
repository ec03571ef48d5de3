"""What the picture shows beside the reports: survey indicators for the period and the
åtgärder still open.

A survey indicator is the share of answers in a set of option values to every question that
offers those values, e.g. "feel unsafe" = *ganska otrygg* or *mycket otrygg* on the NTU
question about going out alone in the evening. Shares of fewer than five answers are never
shown (small-cell suppression, as for every published survey figure).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from flask_babel import LazyString
from sqlalchemy.orm import Session

from kopingreport.i18n import _l
from kopingreport.surveys.models import Survey, SurveyAnswer, SurveyQuestion, SurveyResponse
from kopingreport.surveys.suppression import MIN_CELL
from kopingreport.surveys.texts import tr
from kopingreport.walks import actions as action_service


@dataclass(frozen=True)
class Indicator:
    """An indicator: the option values that count, among the values that identify it."""

    code: str
    label: LazyString
    counted: frozenset[str]
    identifying: frozenset[str]


INDICATORS = (
    Indicator("feel_unsafe", _l("Feel unsafe out alone in the evening"),
              frozenset({"ganska_otrygg", "mycket_otrygg"}),
              frozenset({"mycket_trygg", "ganska_trygg", "ganska_otrygg", "mycket_otrygg"})),
    Indicator("avoid_area", _l("Avoid an area near home"), frozenset({"ett", "flera"}),
              frozenset({"nej", "ett", "flera"})),
    Indicator("worried", _l("Worried about crime in society"),
              frozenset({"mycket_stor", "ganska_stor"}),
              frozenset({"mycket_stor", "ganska_stor", "ganska_liten", "inte_alls"})),
)
INDICATOR_LABELS = {i.code: i.label for i in INDICATORS}


def _matches(question: SurveyQuestion, indicator: Indicator) -> bool:
    values = {str(o.get("value")) for o in question.options or []}
    return indicator.identifying <= values


def survey_indicators(session: Session, start: datetime, end: datetime,
                      area_id: int | None = None) -> list[dict[str, Any]]:
    """The indicators over responses received in [start, end), per survey."""
    responded = sa.select(SurveyResponse.survey_id).where(
        SurveyResponse.created_at >= start, SurveyResponse.created_at < end).distinct()
    surveys = list(session.scalars(sa.select(Survey).where(Survey.id.in_(responded))
                                   .order_by(Survey.id)))
    found = []
    for survey in surveys:
        questions = session.scalars(sa.select(SurveyQuestion).where(
            SurveyQuestion.survey_id == survey.id)).all()
        for indicator in INDICATORS:
            question = next((q for q in questions if _matches(q, indicator)), None)
            if question is None:
                continue
            found.append(_share(session, survey, question, indicator, start, end, area_id))
    return found


def _share(session: Session, survey: Survey, question: SurveyQuestion, indicator: Indicator,
           start: datetime, end: datetime, area_id: int | None) -> dict[str, Any]:
    answers = (sa.select(SurveyAnswer.value, sa.func.count())
               .join(SurveyResponse, SurveyResponse.id == SurveyAnswer.response_id)
               .where(SurveyAnswer.question_id == question.id,
                      SurveyResponse.created_at >= start, SurveyResponse.created_at < end)
               .group_by(SurveyAnswer.value))
    if area_id is not None:
        answers = answers.where(SurveyResponse.area_id == area_id)
    counts = dict(session.execute(answers).all())
    base = sum(n for value, n in counts.items() if value in indicator.identifying)
    counted = sum(n for value, n in counts.items() if value in indicator.counted)
    shown = base >= MIN_CELL and (counted == 0 or counted >= MIN_CELL) and \
        (base - counted == 0 or base - counted >= MIN_CELL)
    return {"survey": tr(survey.title, "sv"), "survey_id": survey.id,
            "indicator": indicator.code, "base": base if base >= MIN_CELL else None,
            "share": round(counted / base, 3) if shown else None}


def open_actions(session: Session, today: date | None = None) -> list[dict[str, Any]]:
    """Åtgärder that still need work, the soonest due first, with owner and status."""
    today = today or date.today()
    rows = [a for a in action_service.list_actions(session)
            if a.status in action_service.OPEN_STATUSES]
    return [{"id": a.id, "title": a.title, "owner": a.owner_label,
             "due_on": a.due_on.isoformat() if a.due_on else None, "status": str(a.status),
             "is_overdue": action_service.is_overdue(a, today),
             "area": a.area.name if a.area else ""} for a in rows]
