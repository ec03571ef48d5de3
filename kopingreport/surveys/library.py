"""The shipped survey templates (NTU-style trygghet survey, trygghetsvandring checklist) and
the standard answer texts every survey shares, in Swedish, Finnish, English and Arabic.

Templates are JSON files in ``data/``; conditions there name questions by ``key``.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from kopingreport.surveys.models import QuestionKind, Survey, SurveyQuestion, SurveySection
from kopingreport.surveys.texts import SURVEY_LANGUAGES, Texts

DATA = Path(__file__).resolve().parent / "data"
TEMPLATE_CODES = ("ntu", "checklist")

YES: Texts = {"sv": "Ja", "fi": "Kyllä", "en": "Yes", "ar": "نعم"}
NO: Texts = {"sv": "Nej", "fi": "Ei", "en": "No", "ar": "لا"}
DONT_KNOW: Texts = {"sv": "Vet ej", "fi": "En osaa sanoa", "en": "Don't know", "ar": "لا أعرف"}
OTHER: Texts = {"sv": "Annat, nämligen:", "fi": "Muu, mikä:", "en": "Other, namely:",
                "ar": "أخرى، وهي:"}
#: Option values with a fixed meaning.
DONT_KNOW_VALUE, OTHER_VALUE = "dont_know", "other"
YES_NO_OPTIONS = [{"value": "yes", "label": YES}, {"value": "no", "label": NO}]


@cache
def template(code: str) -> dict[str, Any]:
    """A shipped template as loaded from its JSON file."""
    if code not in TEMPLATE_CODES:
        raise KeyError(code)
    data: dict[str, Any] = json.loads((DATA / f"{code}.json").read_text(encoding="utf-8"))
    return data


def template_title(code: str) -> Texts:
    """The title of a shipped template in every language."""
    return dict(template(code)["title"])


def checklist_items() -> list[dict[str, Any]]:
    """The trygghetsvandring checklist: ``[{"value", "label": Texts}]`` (walk stops use it)."""
    return _checklist_question()["rows"]


def checklist_ratings() -> list[dict[str, Any]]:
    """The ratings of a checklist item: good, needs improving, not relevant."""
    return _checklist_question()["options"]


def _checklist_question() -> dict[str, Any]:
    for section in template("checklist")["sections"]:
        for question in section["questions"]:
            if question["key"] == "checklist":
                return question
    raise LookupError("checklist")


def standard_options(kind: QuestionKind, options: list[dict[str, Any]], *,
                     dont_know: bool = False) -> list[dict[str, Any]]:
    """The options as stored: yes/no for yes/no questions, "don't know" appended on request."""
    if kind == QuestionKind.YES_NO:
        return [dict(o) for o in YES_NO_OPTIONS]
    stored = [o for o in options if o["value"] != DONT_KNOW_VALUE]
    if dont_know:
        stored.append({"value": DONT_KNOW_VALUE, "label": dict(DONT_KNOW)})
    return stored


def build_survey(code: str, salt: str) -> Survey:
    """A new draft survey holding a copy of the template's sections and questions.

    Conditions are resolved after a flush (they need question ids): see ``resolve``.
    """
    data = template(code)
    survey = Survey(title=dict(data["title"]), intro=dict(data["intro"]),
                    languages=list(SURVEY_LANGUAGES), template=code, salt=salt)
    for number, section_data in enumerate(data["sections"]):
        section = SurveySection(position=number, title=dict(section_data["title"]),
                                intro=dict(section_data.get("intro", {})))
        for position, item in enumerate(section_data["questions"]):
            question = _question(item, position)
            question.survey = survey
            section.questions.append(question)
        survey.sections.append(section)
    return survey


def _question(item: dict[str, Any], position: int) -> SurveyQuestion:
    kind = QuestionKind(item["kind"])
    settings = {name: item[name] for name in ("max_choices", "allow_other", "min", "max",
                                             "max_points", "follow_up") if name in item}
    question = SurveyQuestion(
        position=position, kind=kind, text=dict(item["text"]), help=dict(item.get("help", {})),
        is_required=bool(item.get("required")), is_background=bool(item.get("background")),
        options=standard_options(kind, item.get("options", []),
                                 dont_know=bool(item.get("dont_know"))),
        rows=list(item.get("rows", [])), settings=settings)
    question.template_key = item["key"]  # type: ignore[attr-defined]
    question.template_condition = item.get("condition")  # type: ignore[attr-defined]
    return question


def resolve_conditions(survey: Survey) -> None:
    """Turn the template's key-based conditions into id-based ones (after a flush)."""
    by_key = {getattr(q, "template_key", None): q for q in survey.questions}
    for question in survey.questions:
        wanted = getattr(question, "template_condition", None)
        if wanted:
            question.condition = {"question": by_key[wanted["question"]].id,
                                  "values": list(wanted["values"])}
