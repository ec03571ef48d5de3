"""Survey results per question: counts and shares with small cells suppressed, filtered by
area and respondent group (an answer to a background question, or a code batch)."""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.orm import Session

from kopingreport.surveys.library import OTHER, OTHER_VALUE
from kopingreport.surveys.models import QuestionKind, Survey, SurveyAnswer, SurveyQuestion
from kopingreport.surveys.models import SurveyResponse
from kopingreport.surveys.suppression import Cell, cells, is_small
from kopingreport.surveys.texts import tr

#: Kinds shown as a chart of options.
CHART_KINDS = frozenset({QuestionKind.SINGLE, QuestionKind.MULTIPLE, QuestionKind.SCALE,
                         QuestionKind.YES_NO, QuestionKind.AREA, QuestionKind.MATRIX})


@dataclass(frozen=True)
class ResultFilter:
    """Which responses to count."""

    area_id: int | None = None
    #: (background question id, option value)
    group: tuple[int, str] | None = None
    batch_id: int | None = None

    @property
    def is_set(self) -> bool:
        return bool(self.area_id or self.group or self.batch_id)


@dataclass
class Breakdown:
    """One chart: a question's options (or one matrix row's scale) and how many chose each."""

    title: str
    base: int
    cells: list[Cell]
    exclusive: bool

    @property
    def is_suppressed(self) -> bool:
        return is_small(self.base)


@dataclass
class QuestionResult:
    """What a question's answers add up to."""

    number: int
    question: SurveyQuestion
    text: str
    answered: int
    breakdowns: list[Breakdown] = field(default_factory=list)
    #: Numbers: (mean, median), None while fewer than 5 answered.
    average: tuple[float, float] | None = None
    texts: list[str] = field(default_factory=list)
    photos: list[str] = field(default_factory=list)


def filtered_ids(survey: Survey, chosen: ResultFilter) -> sa.Select[tuple[int]]:
    """The ids of the survey's responses that match the filter."""
    query = sa.select(SurveyResponse.id).where(SurveyResponse.survey_id == survey.id)
    if chosen.area_id:
        query = query.where(SurveyResponse.area_id == chosen.area_id)
    if chosen.batch_id:
        query = query.where(SurveyResponse.code_batch_id == chosen.batch_id)
    if chosen.group:
        question_id, value = chosen.group
        query = query.where(sa.exists().where(
            SurveyAnswer.response_id == SurveyResponse.id,
            SurveyAnswer.question_id == question_id, SurveyAnswer.value == value))
    return query


def response_total(session: Session, survey: Survey, chosen: ResultFilter) -> int:
    """How many responses match the filter."""
    return session.scalar(sa.select(sa.func.count()).select_from(
        filtered_ids(survey, chosen).subquery())) or 0


def _counts(session: Session, ids: sa.Select[tuple[int]]) -> dict[tuple[int, str, str], int]:
    """Responses per (question, item, value)."""
    responses = sa.func.count(sa.distinct(SurveyAnswer.response_id))
    rows = session.execute(sa.select(SurveyAnswer.question_id, SurveyAnswer.item,
                                     SurveyAnswer.value, responses)
                           .where(SurveyAnswer.response_id.in_(ids),
                                  SurveyAnswer.value.is_not(None))
                           .group_by(SurveyAnswer.question_id, SurveyAnswer.item,
                                     SurveyAnswer.value))
    return {(q, item, value): n for q, item, value, n in rows}


def _answered(session: Session, ids: sa.Select[tuple[int]]) -> dict[tuple[int, str], int]:
    """Responses that answered each question (item "") and each matrix row."""
    responses = sa.func.count(sa.distinct(SurveyAnswer.response_id))
    per_item = session.execute(sa.select(SurveyAnswer.question_id, SurveyAnswer.item, responses)
                               .where(SurveyAnswer.response_id.in_(ids))
                               .group_by(SurveyAnswer.question_id, SurveyAnswer.item))
    per_question = session.execute(sa.select(SurveyAnswer.question_id, responses)
                                   .where(SurveyAnswer.response_id.in_(ids))
                                   .group_by(SurveyAnswer.question_id))
    found = {(q, item): n for q, item, n in per_item}
    found.update({(q, "*"): n for q, n in per_question})
    return found


def _options(question: SurveyQuestion, lang: str, areas: dict[str, str]
             ) -> list[tuple[str, str]]:
    if question.kind == QuestionKind.AREA:
        return list(areas.items())
    options = [(o["value"], tr(o["label"], lang)) for o in question.options]
    if question.settings.get("allow_other"):
        options.append((OTHER_VALUE, tr(OTHER, lang).rstrip(":")))
    return options


def _breakdowns(question: SurveyQuestion, lang: str, counts: dict[tuple[int, str, str], int],
                answered: dict[tuple[int, str], int], areas: dict[str, str]
                ) -> list[Breakdown]:
    options = _options(question, lang, areas)
    labels = [label for _value, label in options]
    exclusive = question.kind != QuestionKind.MULTIPLE
    items = [(r["value"], tr(r["label"], lang)) for r in question.rows] \
        if question.kind == QuestionKind.MATRIX else [("", "")]
    result = []
    for item, title in items:
        base = answered.get((question.id, item), 0)
        numbers = [counts.get((question.id, item, value), 0) for value, _label in options]
        if question.kind == QuestionKind.AREA:
            kept = [i for i, n in enumerate(numbers) if n]
            labels, numbers = [labels[i] for i in kept], [numbers[i] for i in kept]
        result.append(Breakdown(title, base, cells(labels, numbers, base, exclusive),
                                exclusive))
    return result


def question_results(session: Session, survey: Survey, lang: str, chosen: ResultFilter,
                     areas: dict[str, str], *, with_texts: bool) -> list[QuestionResult]:
    """Every question's result. Free texts and photos only ``with_texts`` (back office)."""
    ids = filtered_ids(survey, chosen)
    counts, answered = _counts(session, ids), _answered(session, ids)
    details = _details(session, ids) if with_texts else defaultdict(list)
    numbers = _numbers(session, ids)
    results = []
    for number, question in enumerate(survey.questions, start=1):
        result = QuestionResult(number, question, tr(question.text, lang),
                                answered.get((question.id, "*"), 0))
        if question.kind in CHART_KINDS:
            result.breakdowns = _breakdowns(question, lang, counts, answered, areas)
        values = numbers.get(question.id, [])
        if values and not is_small(len(values)):
            result.average = (statistics.fmean(values), statistics.median(values))
        for text, photo in details[question.id]:
            (result.photos if photo else result.texts).append(photo or text)
        results.append(result)
    return results


def _numbers(session: Session, ids: sa.Select[tuple[int]]) -> dict[int, list[float]]:
    found: dict[int, list[float]] = defaultdict(list)
    for question_id, value in session.execute(sa.select(
            SurveyAnswer.question_id, SurveyAnswer.number).where(
            SurveyAnswer.response_id.in_(ids), SurveyAnswer.number.is_not(None))):
        found[question_id].append(value)
    return found


def _details(session: Session, ids: sa.Select[tuple[int]]
             ) -> dict[int, list[tuple[str, str | None]]]:
    """Free texts (answers, "other", map follow-ups) and photo hashes per question."""
    found: dict[int, list[tuple[str, str | None]]] = defaultdict(list)
    rows = session.execute(sa.select(SurveyAnswer.question_id, SurveyAnswer.text,
                                     SurveyAnswer.thumb_sha256)
                           .where(SurveyAnswer.response_id.in_(ids),
                                  sa.or_(SurveyAnswer.text.is_not(None),
                                         SurveyAnswer.thumb_sha256.is_not(None)))
                           .order_by(SurveyAnswer.id))
    for question_id, text, thumb in rows:
        found[question_id].append((text or "", thumb))
    return found


def background_groups(survey: Survey, lang: str) -> list[tuple[str, str]]:
    """Filter choices for respondent groups: ``("q<id>:<value>", "question: option")``."""
    groups = []
    for question in survey.questions:
        if question.is_background and question.kind != QuestionKind.AREA:
            for option in question.options:
                groups.append((f"q{question.id}:{option['value']}",
                               f"{tr(question.text, lang)} – {tr(option['label'], lang)}"))
    return groups


def parse_group(text: str, survey: Survey) -> tuple[int, str] | None:
    """``q<id>:<value>`` of a background question of this survey, else None."""
    head, _sep, value = text.partition(":")
    if not head.startswith("q") or not head[1:].isdigit():
        return None
    question = next((q for q in survey.questions if q.id == int(head[1:])), None)
    if question is None or not question.is_background:
        return None
    return (question.id, value) if value in {o["value"] for o in question.options} else None

