"""The coordinator's survey life cycle: create (from a template), settings, publish, close,
copy to a new version, delete a draft."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from kopingreport.db import utcnow
from kopingreport.i18n import _l
from kopingreport.reports.models import Area
from kopingreport.surveys import library
from kopingreport.surveys.conditions import condition_problem
from kopingreport.surveys.models import Survey, SurveyQuestion, SurveyResponse, SurveySection
from kopingreport.surveys.models import SurveyState
from kopingreport.surveys.texts import SURVEY_LANGUAGES, Texts, clean, missing


class BuilderError(ValueError):
    """A change the builder refuses; ``messages`` are translated (lazily), ``field`` names
    the form field concerned, if any."""

    def __init__(self, *messages: Any, field: str | None = None) -> None:
        super().__init__(*(str(m) for m in messages))
        self.messages, self.field = list(messages), field


@dataclass(frozen=True)
class Settings:
    """What the settings form sets."""

    title: Texts
    intro: Texts
    languages: Sequence[str]
    opens_at: datetime | None
    closes_at: datetime | None
    area_codes: Sequence[str]
    is_anonymous: bool
    is_code_required: bool
    is_results_public: bool


def new_salt() -> str:
    """A random per-survey salt."""
    return secrets.token_hex(16)


def require_draft(survey: Survey) -> None:
    """Refuse changes to the questions of a published or closed survey."""
    if survey.state != SurveyState.DRAFT:
        raise BuilderError(_l("A published survey cannot be changed. Make a new version "
                              "instead."))


def create_survey(session: Session, actor: Any, template: str | None,
                  title: str = "") -> Survey:
    """A new draft: a copy of a shipped template, or an empty survey with a Swedish title."""
    if template:
        survey = library.build_survey(template, new_salt())
    else:
        if not title.strip():
            raise BuilderError(_l("Give the survey a title in Swedish."), field="title")
        survey = Survey(title={"sv": title.strip()}, intro={}, languages=["sv"],
                        salt=new_salt())
        survey.sections.append(SurveySection(position=0, title={}, intro={}))
    survey.created_by_id = getattr(actor, "id", None)
    session.add(survey)
    session.flush()
    library.resolve_conditions(survey)
    session.flush()
    return survey


def update_settings(session: Session, actor: Any, survey: Survey, data: Settings) -> None:
    """Change the settings. After publication only the dates, target areas and whether
    results are public can change: the rest was promised to respondents."""
    if data.closes_at and data.opens_at and data.closes_at <= data.opens_at:
        raise BuilderError(_l("The closing date must be after the opening date."),
                           field="closes_at")
    if survey.state == SurveyState.DRAFT:
        languages = ["sv", *(lang for lang in SURVEY_LANGUAGES[1:] if lang in data.languages)]
        if not clean(data.title, ["sv"]):
            raise BuilderError(_l("Give the survey a title in Swedish."), field="title_sv")
        survey.title, survey.intro = clean(data.title), clean(data.intro)
        survey.languages = languages
        survey.is_anonymous, survey.is_code_required = data.is_anonymous, data.is_code_required
    survey.opens_at, survey.closes_at = data.opens_at, data.closes_at
    survey.is_results_public = data.is_results_public
    survey.areas = list(session.scalars(sa.select(Area).where(
        Area.code.in_(list(data.area_codes) or [""]))))
    session.flush()


def publish_problems(survey: Survey) -> list[Any]:
    """Why the survey cannot be published yet (empty when it can)."""
    problems: list[Any] = []
    questions = survey.questions
    if not questions:
        problems.append(_l("Add at least one question."))
    for number, question in enumerate(questions, start=1):
        if condition_problem(question, questions[:number - 1]):
            problems.append(_l("Question %(n)d is shown on a condition that no longer fits: "
                               "it must name an earlier choice question and its answers.",
                               n=number))
    for lang in sorted(_untranslated(survey) & set(survey.languages)):
        problems.append(_l("Some texts are missing in %(language)s. Fill them in or stop "
                           "offering the survey in that language.",
                           language=language_name(lang)))
    return problems


def language_name(lang: str) -> str:
    """A language named in itself (as in the language picker)."""
    from kopingreport.i18n import LANGUAGE_NAMES

    return LANGUAGE_NAMES.get(lang, lang)


def _untranslated(survey: Survey) -> set[str]:
    """Languages in which some text that exists in Swedish is missing."""
    langs = survey.languages
    texts: list[Texts] = [survey.title, survey.intro]
    for section in survey.sections:
        texts += [section.title, section.intro]
        for q in section.questions:
            texts += [q.text, q.help, q.settings.get("follow_up") or {}]
            texts += [o["label"] for o in (*q.options, *q.rows)]
    return {lang for t in texts if (t or {}).get("sv") for lang in missing(t, langs)}


def publish(session: Session, actor: Any, survey: Survey) -> None:
    """Publish a draft: from now on its questions are frozen."""
    require_draft(survey)
    problems = publish_problems(survey)
    if problems:
        raise BuilderError(*problems)
    survey.state, survey.published_at = SurveyState.PUBLISHED, utcnow()
    session.flush()


def close(session: Session, actor: Any, survey: Survey) -> None:
    """Stop taking responses (results stay)."""
    if survey.state != SurveyState.PUBLISHED:
        raise BuilderError(_l("Only a published survey can be closed."))
    survey.state, survey.closed_at = SurveyState.CLOSED, utcnow()
    session.flush()


def copy_survey(session: Session, actor: Any, survey: Survey) -> Survey:
    """A new draft version with the same settings, sections and questions."""
    copy = Survey(title=dict(survey.title), intro=dict(survey.intro),
                  languages=list(survey.languages), is_anonymous=survey.is_anonymous,
                  is_code_required=survey.is_code_required,
                  is_results_public=survey.is_results_public, template=survey.template,
                  version=survey.version + 1, previous_id=survey.id, salt=new_salt(),
                  created_by_id=getattr(actor, "id", None), areas=list(survey.areas))
    old_ids: list[tuple[SurveyQuestion, int]] = []
    for section in survey.sections:
        new_section = SurveySection(position=section.position, title=dict(section.title),
                                    intro=dict(section.intro))
        for question in section.questions:
            twin = _copy_question(question)
            twin.survey = copy
            new_section.questions.append(twin)
            old_ids.append((twin, question.id))
        copy.sections.append(new_section)
    session.add(copy)
    session.flush()
    new_id = {old: twin.id for twin, old in old_ids}
    for twin, _old in old_ids:
        if twin.condition:
            twin.condition = {**twin.condition,
                              "question": new_id.get(twin.condition["question"])}
    session.flush()
    return copy


def _copy_question(question: SurveyQuestion) -> SurveyQuestion:
    return SurveyQuestion(
        position=question.position, kind=question.kind, text=dict(question.text),
        help=dict(question.help), is_required=question.is_required,
        is_background=question.is_background, options=[dict(o) for o in question.options],
        rows=[dict(r) for r in question.rows], settings=dict(question.settings),
        condition=dict(question.condition) if question.condition else None)


def response_count(session: Session, survey_id: int) -> int:
    """How many responses a survey has."""
    return session.scalar(sa.select(sa.func.count()).select_from(SurveyResponse).where(
        SurveyResponse.survey_id == survey_id)) or 0


def delete_draft(session: Session, actor: Any, survey: Survey) -> None:
    """Delete a draft that nobody has answered."""
    require_draft(survey)
    if response_count(session, survey.id):
        raise BuilderError(_l("A survey with responses cannot be deleted."))
    session.delete(survey)
    session.flush()
