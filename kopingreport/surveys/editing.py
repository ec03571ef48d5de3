"""Editing a draft's sections and questions."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from kopingreport.i18n import _l
from kopingreport.surveys import library
from kopingreport.surveys.builder import BuilderError, require_draft
from kopingreport.surveys.conditions import CHOICE_KINDS
from kopingreport.surveys.models import QuestionKind, Survey, SurveyQuestion, SurveySection
from kopingreport.surveys.texts import Texts, clean

#: Kinds that have answer options typed by the coordinator.
OPTION_KINDS = frozenset({QuestionKind.SINGLE, QuestionKind.MULTIPLE, QuestionKind.SCALE,
                          QuestionKind.MATRIX})


@dataclass(frozen=True)
class QuestionInput:
    """What the question form sets. ``options`` and ``rows`` are labels per line."""

    section_id: int
    kind: QuestionKind
    text: Texts
    help: Texts = field(default_factory=dict)
    is_required: bool = False
    is_background: bool = False
    options: Sequence[Texts] = ()
    rows: Sequence[Texts] = ()
    dont_know: bool = False
    allow_other: bool = False
    max_choices: int | None = None
    minimum: float | None = None
    maximum: float | None = None
    max_points: int | None = None
    follow_up: Texts = field(default_factory=dict)
    #: ``(question id, option value)`` pairs the question depends on (one question).
    condition: Sequence[tuple[int, str]] = ()


def add_section(session: Session, actor: Any, survey: Survey, title: Texts,
                intro: Texts) -> SurveySection:
    """Append a section (a page)."""
    require_draft(survey)
    section = SurveySection(position=len(survey.sections), title=clean(title),
                            intro=clean(intro))
    survey.sections.append(section)
    session.flush()
    return section


def update_section(session: Session, actor: Any, section: SurveySection, title: Texts,
                   intro: Texts) -> None:
    """Change a section's title and introduction."""
    require_draft(section.survey)
    section.title, section.intro = clean(title), clean(intro)
    session.flush()


def delete_section(session: Session, actor: Any, section: SurveySection) -> None:
    """Delete a section with its questions (never the last one)."""
    survey = section.survey
    require_draft(survey)
    if len(survey.sections) == 1:
        raise BuilderError(_l("A survey needs at least one section."))
    gone = {q.id for q in section.questions}
    survey.sections.remove(section)
    _renumber(survey.sections)
    _drop_conditions_on(survey, gone)
    session.flush()


def _renumber(items: Sequence[Any]) -> None:
    for position, item in enumerate(items):
        item.position = position


def _drop_conditions_on(survey: Survey, ids: set[int]) -> None:
    for question in survey.questions:
        if question.condition and question.condition.get("question") in ids:
            question.condition = None


def _merged(old: Sequence[dict[str, Any]], labels: Sequence[Texts]) -> list[dict[str, Any]]:
    """New option labels, keeping each line's earlier value (so conditions still match)."""
    kept = [o["value"] for o in old if o["value"] != library.DONT_KNOW_VALUE]
    used = set(kept)
    merged = []
    for index, label in enumerate(labels):
        value = kept[index] if index < len(kept) else None
        if value is None:
            number = index + 1
            while str(number) in used:
                number += 1
            value = str(number)
            used.add(value)
        merged.append({"value": value, "label": clean(label)})
    return merged


def _check(data: QuestionInput, survey: Survey, earlier: Sequence[SurveyQuestion]) -> None:
    if not clean(data.text, ["sv"]):
        raise BuilderError(_l("Write the question in Swedish."), field="text_sv")
    if data.kind in OPTION_KINDS and len(data.options) < 2:
        raise BuilderError(_l("Give at least two answer options, one per line."),
                           field="options_sv")
    if data.kind == QuestionKind.MATRIX and not data.rows:
        raise BuilderError(_l("Give at least one row, one per line."), field="rows_sv")
    if (data.minimum is not None and data.maximum is not None
            and data.minimum > data.maximum):
        raise BuilderError(_l("The smallest number must not be larger than the largest."),
                           field="minimum")
    sources = {question for question, _value in data.condition}
    if len(sources) > 1:
        raise BuilderError(_l("A condition can depend on one earlier question only."),
                           field="condition")
    if sources:
        source = next((q for q in earlier if q.id in sources), None)
        values = {o["value"] for o in source.options} if source else set()
        if source is None or source.kind not in CHOICE_KINDS or \
                not {v for _q, v in data.condition} <= values:
            raise BuilderError(_l("A condition must name answers of an earlier question."),
                               field="condition")


def _settings(data: QuestionInput) -> dict[str, Any]:
    values = {"max_choices": data.max_choices, "min": data.minimum, "max": data.maximum,
              "max_points": data.max_points, "follow_up": clean(data.follow_up) or None,
              "allow_other": data.allow_other or None}
    wanted = {QuestionKind.MULTIPLE: ("max_choices", "allow_other"),
              QuestionKind.SINGLE: ("allow_other",), QuestionKind.NUMBER: ("min", "max"),
              QuestionKind.MAP_POINT: ("max_points", "follow_up")}.get(data.kind, ())
    return {name: values[name] for name in wanted if values[name] is not None}


def save_question(session: Session, actor: Any, survey: Survey,
                  question: SurveyQuestion | None, data: QuestionInput) -> SurveyQuestion:
    """Add a question at the end of its section, or change one."""
    require_draft(survey)
    section = next((s for s in survey.sections if s.id == data.section_id), None)
    if section is None:
        raise BuilderError(_l("Choose a section from the list."), field="section")
    everything = survey.questions
    earlier = everything[:everything.index(question)] if question else everything
    _check(data, survey, earlier)
    if question is None:
        question = SurveyQuestion(position=len(section.questions), survey=survey)
        section.questions.append(question)
    elif question.section_id != section.id:
        question.section.questions.remove(question)
        question.position = len(section.questions)
        section.questions.append(question)
    _fill(question, data)
    session.flush()
    return question


def _fill(question: SurveyQuestion, data: QuestionInput) -> None:
    question.kind, question.text, question.help = data.kind, clean(data.text), clean(data.help)
    question.is_required, question.is_background = data.is_required, data.is_background
    options = _merged(question.options or [], data.options) if data.kind in OPTION_KINDS \
        else []
    question.options = library.standard_options(data.kind, options, dont_know=data.dont_know
                                                and data.kind in {QuestionKind.SCALE,
                                                                  QuestionKind.MATRIX})
    question.rows = _merged(question.rows or [], data.rows) \
        if data.kind == QuestionKind.MATRIX else []
    question.settings = _settings(data)
    question.condition = ({"question": data.condition[0][0],
                           "values": [v for _q, v in data.condition]}
                          if data.condition else None)


def move_question(session: Session, actor: Any, question: SurveyQuestion, step: int) -> None:
    """Move a question one place up (-1) or down (+1) within its section."""
    survey = question.section.survey
    require_draft(survey)
    siblings = list(question.section.questions)
    index = siblings.index(question)
    target = index + step
    if 0 <= target < len(siblings):
        siblings[index], siblings[target] = siblings[target], siblings[index]
        _renumber(siblings)  # positions only: the collection itself is left alone
    session.flush()
    session.expire(question.section, ["questions"])


def delete_question(session: Session, actor: Any, question: SurveyQuestion) -> None:
    """Delete a question; questions shown on its answers are then always shown."""
    section = question.section
    require_draft(section.survey)
    section.questions.remove(question)
    _renumber(section.questions)
    _drop_conditions_on(section.survey, {question.id})
    session.flush()
