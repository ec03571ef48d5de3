"""Answering a survey (web layer), shared by the page-by-page form and the JSON API.

Without JavaScript the form shows one section at a time; every section's fields are in the
page (the others ``hidden``), so answers on earlier pages travel with each post. A question
shown on a condition about an earlier page is shown or hidden by the server; one whose
condition is on the same page is shown with a hint (the script hides it instead).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from flask import current_app, request
from flask_login import current_user
from sqlalchemy.orm import Session
from werkzeug.datastructures import FileStorage

from kopingreport.db import commit_with_retry
from kopingreport.i18n import current_locale
from kopingreport.reports import areas as area_service
from kopingreport.reports import flow as report_flow
from kopingreport.reports.images import ProcessedPhoto, process_photo, read_limited
from kopingreport.reports.models import Area
from kopingreport.surveys import device, responding
from kopingreport.surveys.answers import Answer, FormData, check, field_name, read_answer
from kopingreport.surveys.conditions import is_shown, visible_pages
from kopingreport.surveys.models import QuestionKind, Survey, SurveyQuestion
from kopingreport.surveys.texts import content_language


@dataclass
class Attempt:
    """A respondent's answers as posted, and where they are in the survey."""

    survey: Survey
    areas: dict[str, Area]
    answers: dict[int, Answer] = field(default_factory=dict)
    page: int = 0
    errors: dict[str, list[Any]] = field(default_factory=dict)
    #: Keep tokens of photos accepted on an earlier post, per question id.
    kept: dict[int, str] = field(default_factory=dict)

    @property
    def lang(self) -> str:
        """The language the survey's texts are shown in."""
        return content_language(self.survey.languages, current_locale())

    @property
    def by_id(self) -> dict[int, SurveyQuestion]:
        return {q.id: q for q in self.survey.questions}

    @property
    def pages(self) -> list[int]:
        """The sections shown, given the answers so far."""
        return visible_pages(self.survey.sections, self.answers, self.by_id) or [0]

    def display(self, question: SurveyQuestion) -> str:
        """``shown``, ``hidden`` or ``same_page`` (shown with a hint: its condition is about
        a question on the same page)."""
        condition = question.condition
        source = self.by_id.get(int(condition["question"])) if condition else None
        if source is not None and source.section_id == question.section_id:
            return "same_page"
        return "shown" if is_shown(question, self.answers, self.by_id) else "hidden"

    def shown(self, sections: list[int] | None = None) -> list[Answer]:
        """The answers of shown questions (in ``sections``, default all visible pages)."""
        wanted = set(self.pages if sections is None else sections)
        return [self.answers[q.id] for index, s in enumerate(self.survey.sections)
                if index in wanted for q in s.questions
                if q.id in self.answers and is_shown(q, self.answers, self.by_id)]

    def check(self, sections: list[int] | None = None) -> bool:
        """Collect the problems of the shown questions; True when there are none."""
        self.errors = {}
        for answer in self.shown(sections):
            problems = check(answer)
            if problems:
                self.errors[field_name(answer.question)] = problems
        return not self.errors

    def first_error_page(self) -> int:
        """The section holding the first problem."""
        for index, section in enumerate(self.survey.sections):
            if any(field_name(q) in self.errors for q in section.questions):
                return index
        return self.page


def active_area_map(session: Session) -> dict[str, Area]:
    """Active areas by code, in list order."""
    return {a.code: a for a in area_service.active_areas(session)}


def read(session: Session, survey: Survey, data: FormData,
         files: Mapping[str, FileStorage]) -> Attempt:
    """Read every question's answer from posted data."""
    attempt = Attempt(survey, active_area_map(session))
    for question in survey.questions:
        reader = _photo_reader(attempt, data, files)
        attempt.answers[question.id] = read_answer(question, data, attempt.areas, reader)
    page = str(data.get("page") or "0")
    attempt.page = min(int(page), len(survey.sections) - 1) if page.isdigit() else 0
    return attempt


def _photo_reader(attempt: Attempt, data: FormData, files: Mapping[str, FileStorage]) -> Any:
    def reader(question: SurveyQuestion) -> ProcessedPhoto | None:
        name = field_name(question)
        upload = files.get(name)
        if isinstance(upload, FileStorage) and upload.filename:
            settings = report_flow.photo_settings()
            photo = process_photo(read_limited(upload.stream, settings.max_bytes), settings)
            _stash(photo)
            attempt.kept[question.id] = report_flow.keep_token(photo)
            return photo
        return _kept_photo(attempt, question, data)

    return reader


def _stash(photo: ProcessedPhoto) -> None:
    store = report_flow.photo_store()
    store.save(photo.sha256, photo.jpeg)
    store.save(photo.thumb_sha256, photo.thumb)


def _kept_photo(attempt: Attempt, question: SurveyQuestion, data: FormData
                ) -> ProcessedPhoto | None:
    name = field_name(question)
    token = data.get(f"{name}_kept") or ""
    named = report_flow.read_kept_token(token) if isinstance(token, str) and token else None
    store = report_flow.photo_store()
    if named is None or data.get(f"{name}_remove") or not store.exists(named[0]):
        return None
    attempt.kept[question.id] = token
    sha, thumb, width, height = named
    return ProcessedPhoto(jpeg=store.read(sha), thumb=store.read(thumb), width=width,
                          height=height, sha256=sha, thumb_sha256=thumb)


def next_page(attempt: Attempt, step: int) -> int | None:
    """The next (+1) or previous (-1) visible page, or None at the end."""
    pages = attempt.pages
    later = [p for p in pages if (p - attempt.page) * step > 0]
    if not later:
        return None
    return min(later) if step > 0 else max(later)


def delivery(survey: Survey, code: str | None, key: str | None,
             data: FormData | None = None) -> responding.Delivery:
    """How this request delivers a response (device from the cookie, else from ``data``)."""
    return responding.Delivery(locale=current_locale(),
                               device_hash=device.current_hash(survey, data),
                               code=code or None, idempotency_key=key)


def submit(session: Session, attempt: Attempt, how: responding.Delivery) -> responding.Stored:
    """Store the shown answers and commit (a lost race is retried)."""
    actor = current_user._get_current_object() if current_user.is_authenticated else None
    secret, store = current_app.config["SECRET_KEY"], report_flow.photo_store()
    answers = attempt.shown()
    return commit_with_retry(session, lambda: responding.submit_response(
        session, actor, attempt.survey, answers, how, store=store, secret=secret))


def posted_code() -> str:
    """The code typed in the form or given in the link."""
    code = request.form.get("code") or request.args.get("code") or ""
    return code.strip()[:40] if isinstance(code, str) else ""


def kind_needs_files(survey: Survey) -> bool:
    """Whether the form must be sent as multipart (it has a photo question)."""
    return any(q.kind == QuestionKind.PHOTO for q in survey.questions)
