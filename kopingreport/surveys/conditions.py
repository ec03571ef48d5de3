"""Which questions are shown: a question with a condition is shown only when an earlier
question's answer is (or, for a multiple choice, contains) one of the condition's values.

The server evaluates this for the page-by-page form without JavaScript; ``survey.js`` does
the same in the browser for the one-page form (``data-condition`` on each question).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Protocol

from kopingreport.surveys.models import QuestionKind, SurveyQuestion, SurveySection

#: Kinds whose answer a condition can test.
CHOICE_KINDS = frozenset({QuestionKind.SINGLE, QuestionKind.MULTIPLE, QuestionKind.SCALE,
                          QuestionKind.YES_NO})


class HasValues(Protocol):
    """Anything holding the chosen option values of an answer."""

    values: list[str]


def is_shown(question: SurveyQuestion, answers: Mapping[int, HasValues],
             by_id: Mapping[int, SurveyQuestion], _depth: int = 0) -> bool:
    """Whether ``question`` is shown, given the answers so far (hidden sources hide too)."""
    condition = question.condition
    if not condition or _depth > 50:
        return True
    source = by_id.get(int(condition.get("question") or 0))
    if source is None:
        return True
    if not is_shown(source, answers, by_id, _depth + 1):
        return False
    answer = answers.get(source.id)
    return bool(answer and set(answer.values) & set(condition.get("values") or ()))


def shown_questions(questions: Sequence[SurveyQuestion], answers: Mapping[int, HasValues],
                    by_id: Mapping[int, SurveyQuestion]) -> list[SurveyQuestion]:
    """The questions of ``questions`` that are shown."""
    return [q for q in questions if is_shown(q, answers, by_id)]


def visible_pages(sections: Sequence[SurveySection], answers: Mapping[int, HasValues],
                  by_id: Mapping[int, SurveyQuestion]) -> list[int]:
    """Indexes of the sections that have at least one question to show (or none at all,
    e.g. an information page)."""
    return [index for index, section in enumerate(sections)
            if not section.questions or shown_questions(section.questions, answers, by_id)]


def condition_problem(question: SurveyQuestion, earlier: Sequence[SurveyQuestion]
                      ) -> str | None:
    """Why a condition is not valid (a code), or None: it must name an earlier choice
    question and only values that question has."""
    condition = question.condition
    if not condition:
        return None
    source = next((q for q in earlier if q.id == condition.get("question")), None)
    if source is None or source.kind not in CHOICE_KINDS:
        return "source"
    values = {o["value"] for o in source.options}
    wanted = condition.get("values") or []
    return None if wanted and set(wanted) <= values else "values"
