"""``/admin/surveys/…``: sections and questions of a draft survey."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from wtforms import SelectChoice

from kopingreport.db import get_session
from kopingreport.security import require
from kopingreport.surveys import editing
from kopingreport.surveys.access import MANAGE
from kopingreport.surveys.admin import load
from kopingreport.surveys.builder import BuilderError, require_draft
from kopingreport.surveys.conditions import CHOICE_KINDS
from kopingreport.surveys.forms import QuestionForm, SectionForm
from kopingreport.surveys.models import QuestionKind, Survey, SurveyQuestion, SurveySection
from kopingreport.surveys.texts import tr

bp = Blueprint("survey_builder", __name__, url_prefix="/admin/surveys")


def _overview(survey_id: int, anchor: str | None = None) -> ResponseReturnValue:
    return redirect(url_for("surveys_admin.overview", survey_id=survey_id, _anchor=anchor), 303)


def _refused(err: BuilderError, survey_id: int) -> ResponseReturnValue:
    for message in err.messages:
        flash(message, "error")
    return _overview(survey_id)


@bp.post("/<int:survey_id>/sections")
@require(MANAGE)
def add_section(survey_id: int) -> ResponseReturnValue:
    """Append an empty section (a new page)."""
    survey, session = load(survey_id), get_session()
    try:
        section = editing.add_section(session, current_user, survey, {}, {})
    except BuilderError as err:
        return _refused(err, survey.id)
    session.commit()
    return redirect(url_for("survey_builder.edit_section", section_id=section.id), 303)


def _section(section_id: int) -> SurveySection:
    section = get_session().get(SurveySection, section_id) or abort(404)
    load(section.survey_id)  # loads the survey's questions in order
    return section


@bp.route("/sections/<int:section_id>", methods=["GET", "POST"])
@require(MANAGE)
def edit_section(section_id: int) -> ResponseReturnValue:
    """A section's title and introduction."""
    section, session = _section(section_id), get_session()
    form = SectionForm()
    if request.method == "GET":
        form.fill_texts("title", section.title)
        form.fill_texts("intro", section.intro)
    elif form.validate_on_submit():
        try:
            editing.update_section(session, current_user, section, form.texts("title"),
                                   form.texts("intro"))
        except BuilderError as err:
            return _refused(err, section.survey_id)
        session.commit()
        return _overview(section.survey_id, f"section-{section.id}")
    return render_template("surveys/admin/section_form.html", form=form, section=section,
                           survey=section.survey), 422 if form.errors else 200


@bp.post("/sections/<int:section_id>/delete")
@require(MANAGE)
def delete_section(section_id: int) -> ResponseReturnValue:
    """Delete a section and its questions."""
    section, session = _section(section_id), get_session()
    try:
        editing.delete_section(session, current_user, section)
    except BuilderError as err:
        return _refused(err, section.survey_id)
    session.commit()
    return _overview(section.survey_id)


def condition_choices(survey: Survey, question: SurveyQuestion | None, lang: str = "sv"
                      ) -> list[tuple[int, str, list[tuple[str, str]]]]:
    """Earlier choice questions and their answers: ``(number, text, [(value, label)])``."""
    everything = survey.questions
    earlier = everything[:everything.index(question)] if question else everything
    return [(number, tr(q.text, lang), [(f"q{q.id}:{o['value']}", tr(o["label"], lang))
                                        for o in q.options])
            for number, q in enumerate(earlier, start=1) if q.kind in CHOICE_KINDS]


def _question_page(form: Any, survey: Survey, question: SurveyQuestion | None,
                   status: int) -> ResponseReturnValue:
    chosen = request.form.getlist("condition") if request.method == "POST" else [
        f"q{question.condition['question']}:{v}" for v in question.condition["values"]
    ] if question and question.condition else []
    return render_template("surveys/admin/question_form.html", form=form, survey=survey,
                           question=question, conditions=condition_choices(survey, question),
                           chosen=chosen), status


def _save(survey: Survey, question: SurveyQuestion | None) -> ResponseReturnValue:
    form, session = QuestionForm(), get_session()
    form.section.choices = [SelectChoice(str(s.id), tr(s.title, "sv") or str(s.position + 1))
                            for s in survey.sections]
    if request.method == "GET":
        _prefill(form, survey, question)
    elif form.validate_on_submit():
        try:
            saved = editing.save_question(session, current_user, survey, question,
                                          form.to_input())
        except BuilderError as err:
            target = getattr(form, err.field or "", None)
            (target.errors if target is not None else form.form_errors).extend(err.messages)
        else:
            session.commit()
            return _overview(survey.id, f"question-{saved.id}")
    return _question_page(form, survey, question, 422 if request.method == "POST" else 200)


def _prefill(form: Any, survey: Survey, question: SurveyQuestion | None) -> None:
    if question is not None:
        form.fill(question)
        return
    wanted = request.args.get("section", "")
    form.section.data = wanted if wanted in {c.value for c in form.section.choices} \
        else str(survey.sections[-1].id)
    kind = request.args.get("kind", "")
    form.kind.data = kind if kind in set(QuestionKind) else QuestionKind.SINGLE.value


@bp.route("/<int:survey_id>/questions/new", methods=["GET", "POST"])
@require(MANAGE)
def new_question(survey_id: int) -> ResponseReturnValue:
    """Add a question at the end of a section."""
    survey = load(survey_id)
    try:
        require_draft(survey)
    except BuilderError as err:
        return _refused(err, survey.id)
    return _save(survey, None)


def _question(question_id: int) -> tuple[Survey, SurveyQuestion]:
    found = get_session().get(SurveyQuestion, question_id) or abort(404)
    survey = load(found.survey_id)
    return survey, next(q for q in survey.questions if q.id == question_id)


@bp.route("/questions/<int:question_id>", methods=["GET", "POST"])
@require(MANAGE)
def edit_question(question_id: int) -> ResponseReturnValue:
    """Change a question (drafts only)."""
    survey, question = _question(question_id)
    try:
        require_draft(survey)
    except BuilderError as err:
        return _refused(err, survey.id)
    return _save(survey, question)


@bp.post("/questions/<int:question_id>/<any(up,down,delete):step>")
@require(MANAGE)
def change_question(question_id: int, step: str) -> ResponseReturnValue:
    """Move a question up or down in its section, or delete it."""
    survey, question = _question(question_id)
    session = get_session()
    try:
        if step == "delete":
            editing.delete_question(session, current_user, question)
        else:
            editing.move_question(session, current_user, question, -1 if step == "up" else 1)
    except BuilderError as err:
        return _refused(err, survey.id)
    session.commit()
    return _overview(survey.id, None if step == "delete" else f"question-{question.id}")
