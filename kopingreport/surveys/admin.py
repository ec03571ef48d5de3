"""``/admin/surveys``: the coordinator's surveys — create from a template, settings,
preview, publish, close, copy to a new version."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from kopingreport.db import get_session
from kopingreport.i18n import _
from kopingreport.reports.areas import active_areas
from kopingreport.security import require
from kopingreport.surveys import builder, flow, queries
from kopingreport.surveys.access import MANAGE
from kopingreport.surveys.conditions import condition_problem
from kopingreport.surveys.forms import NewSurveyForm, SettingsForm
from kopingreport.surveys.labels import KIND_LABELS, STATE_LABELS, TEMPLATE_LABELS
from kopingreport.surveys.models import Survey, SurveyState
from kopingreport.surveys.views import render_attempt

bp = Blueprint("surveys_admin", __name__, url_prefix="/admin/surveys")
bp.add_app_template_global(KIND_LABELS, "QUESTION_KIND_LABELS")
bp.add_app_template_global(STATE_LABELS, "SURVEY_STATE_LABELS")


def load(survey_id: int) -> Survey:
    """The survey with its questions, or 404."""
    return queries.load_survey(get_session(), survey_id) or abort(404)


@bp.get("/")
@require(MANAGE)
def index() -> ResponseReturnValue:
    """Every survey with its state and number of responses, and "New survey"."""
    return render_template("surveys/admin/index.html", rows=queries.all_surveys(get_session()),
                           form=NewSurveyForm(), templates=TEMPLATE_LABELS)


@bp.post("/new")
@require(MANAGE)
def create() -> ResponseReturnValue:
    """A new draft from a template (or empty)."""
    form, session = NewSurveyForm(), get_session()
    if form.validate_on_submit():
        try:
            survey = builder.create_survey(session, current_user, form.template.data or None,
                                           form.title.data or "")
        except builder.BuilderError as err:
            form.title.errors = list(err.messages)
        else:
            session.commit()
            return redirect(url_for("surveys_admin.overview", survey_id=survey.id), 303)
    return render_template("surveys/admin/index.html", rows=queries.all_surveys(session),
                           form=form, templates=TEMPLATE_LABELS), 422


@bp.get("/<int:survey_id>")
@require(MANAGE)
def overview(survey_id: int) -> ResponseReturnValue:
    """The builder: settings, sections and questions, and what can be done next."""
    survey = load(survey_id)
    questions = survey.questions
    broken = {q.id for n, q in enumerate(questions) if condition_problem(q, questions[:n])}
    return render_template("surveys/admin/overview.html", survey=survey, broken=broken,
                           problems=builder.publish_problems(survey),
                           responses=builder.response_count(get_session(), survey.id))


def _settings_form(survey: Survey) -> SettingsForm:
    form = SettingsForm(obj=survey, area_codes=[a.code for a in active_areas(get_session())],
                        is_draft=survey.state == SurveyState.DRAFT)
    if request.method == "GET":
        form.fill_texts("title", survey.title)
        form.fill_texts("intro", survey.intro)
        form.chosen_languages = list(survey.languages)
        form.chosen_areas = [a.code for a in survey.areas]
    return form


@bp.route("/<int:survey_id>/settings", methods=["GET", "POST"])
@require(MANAGE)
def settings(survey_id: int) -> ResponseReturnValue:
    """Title, introduction, languages, dates, target areas, anonymity and access."""
    survey, session = load(survey_id), get_session()
    form = _settings_form(survey)
    if form.validate_on_submit():
        try:
            builder.update_settings(session, current_user, survey, _settings_input(form))
        except builder.BuilderError as err:
            form.form_errors.extend(err.messages)
        else:
            session.commit()
            flash(_("The settings were saved."))
            return redirect(url_for("surveys_admin.overview", survey_id=survey.id), 303)
    status = 422 if request.method == "POST" else 200
    return render_template("surveys/admin/settings.html", survey=survey, form=form,
                           areas=active_areas(session)), status


def _settings_input(form: SettingsForm) -> builder.Settings:
    return builder.Settings(
        title=form.texts("title"), intro=form.texts("intro"), languages=form.chosen_languages,
        opens_at=form.opens_at.data, closes_at=form.closes_at.data,
        area_codes=form.chosen_areas, is_anonymous=bool(form.is_anonymous.data),
        is_code_required=bool(form.is_code_required.data),
        is_results_public=bool(form.is_results_public.data))


@bp.post("/<int:survey_id>/<any(publish,close,copy,delete):step>")
@require(MANAGE)
def lifecycle(survey_id: int, step: str) -> ResponseReturnValue:
    """Publish a draft, close a published survey, copy it to a new version, delete a draft."""
    survey, session = load(survey_id), get_session()
    change = {"publish": builder.publish, "close": builder.close,
              "copy": builder.copy_survey, "delete": builder.delete_draft}[step]
    try:
        result = change(session, current_user, survey)
    except builder.BuilderError as err:
        for message in err.messages:
            flash(message, "error")
        return redirect(url_for("surveys_admin.overview", survey_id=survey.id), 303)
    session.commit()
    if step == "delete":
        return redirect(url_for("surveys_admin.index"), 303)
    target = result.id if isinstance(result, Survey) else survey.id
    return redirect(url_for("surveys_admin.overview", survey_id=target), 303)


@bp.route("/<int:survey_id>/preview", methods=["GET", "POST"])
@require(MANAGE)
def preview(survey_id: int) -> ResponseReturnValue:
    """Try the survey as a resident would (page by page); nothing is saved."""
    survey, session = load(survey_id), get_session()
    if request.method == "GET":
        attempt = flow.Attempt(survey, flow.active_area_map(session))
        attempt.page = attempt.pages[0]
        return render_attempt(attempt, preview=True)
    attempt = flow.read(session, survey, request.form, request.files)
    step = -1 if request.form.get("nav") == "back" else 1
    if step == 1 and not attempt.check([attempt.page]):
        return render_attempt(attempt, 422, preview=True)
    attempt.page = flow.next_page(attempt, step) if flow.next_page(attempt, step) is not None \
        else attempt.page
    return render_attempt(attempt, preview=True)
